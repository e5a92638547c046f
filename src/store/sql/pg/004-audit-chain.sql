-- 004: the audit log's hash chain: PostgreSQL flavour of ../004-audit-chain.sql.
-- store_audit() reads audit_head FOR UPDATE at commit, so two writers
-- never chain onto the same head.
ALTER TABLE audit ADD COLUMN hash TEXT;

CREATE TABLE audit_head (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	id BIGINT NOT NULL,
	hash TEXT COLLATE "C" NOT NULL,
	n BIGINT NOT NULL
);
