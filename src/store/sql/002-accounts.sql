-- 002: accounts, sessions and login throttling for `ketnap serve`.
-- Sessions live in the database so that several server processes can
-- share one (PostgreSQL); tokens are stored hashed, never as issued.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
	pw_hash TEXT NOT NULL,
	token_hash TEXT UNIQUE,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created INTEGER NOT NULL,
	last_seen INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	count INTEGER NOT NULL,
	first_at INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_at ON audit(at);
