-- 002 (PostgreSQL flavour of ../002-accounts.sql): accounts, sessions and
-- login throttling for `ketnap serve`. Sessions live in the database so
-- that several server processes share them; tokens are stored hashed.

CREATE TABLE users (
	id BIGSERIAL PRIMARY KEY,
	name TEXT COLLATE "C" NOT NULL UNIQUE,
	unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
	pw_hash TEXT NOT NULL,
	token_hash TEXT UNIQUE,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	csrf TEXT NOT NULL,
	created BIGINT NOT NULL,
	last_seen BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
	key TEXT PRIMARY KEY,
	count BIGINT NOT NULL,
	first_at BIGINT NOT NULL
);

CREATE INDEX audit_at ON audit(at);
