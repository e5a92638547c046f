-- 005: the change counter: PostgreSQL flavour of ../005-changes.sql.
-- Two writers bump the same row, so they serialise on its row lock; the
-- bump is the last statement before COMMIT (after the audit chain's
-- head, locked in the same order by every writer), so the lock is held
-- only while the transaction commits.
CREATE TABLE changes (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n BIGINT NOT NULL
);

INSERT INTO changes (one, n) SELECT 1, n FROM audit_head WHERE one = 1;
