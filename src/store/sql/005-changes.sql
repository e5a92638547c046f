-- 005: the change counter (issue 13). changes.n moves by one with every
-- write transaction, in that transaction, right before its COMMIT
-- (store_commit() in store.c), whichever process made it. The web
-- server's caches and /healthz read this one row instead of counting the
-- audit table (7.3 million rows at national scale) to learn whether
-- anything changed since they last looked.
--
-- Like audit_head, the row exists from the first write on (the bump is an
-- upsert), so that a freshly made database stays empty and `ketnap
-- migrate --to` can copy into it. A database that already has audit
-- entries gets its row here, starting from their count: the counter
-- continues the old staleness stamp instead of restarting at 0.
CREATE TABLE changes (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	n INTEGER NOT NULL
) STRICT;

INSERT INTO changes (one, n) SELECT 1, n FROM audit_head WHERE one = 1;
