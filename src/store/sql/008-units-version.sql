-- 008: the units version (issue 13). changes.units moves whenever a row
-- of units is inserted, updated or deleted, whichever process or path
-- wrote it (the store's own statements, an import, `migrate --to`), so a
-- server that keeps one unit tree in memory for all its requests
-- (src/core/treecache.c) learns with one indexed row whether its tree is
-- stale; changes.n moves with every write, steps included, and would
-- throw the tree away on every step.
--
-- Triggers rather than code in the store's unit writers, so that no
-- writer of units can forget. The triggers only update: like n, the row
-- exists from the first write transaction on (store_commit()'s upsert,
-- migration 005), so a fresh database stays empty for `migrate --to`.
-- A database without the row reads as version -1 (treecache.c), and the
-- first write transaction creates it with units = 0, which differs: the
-- units written before the row existed are not missed.
ALTER TABLE changes ADD COLUMN units INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER units_version_insert AFTER INSERT ON units
BEGIN
	UPDATE changes SET units = units + 1 WHERE one = 1;
END;

CREATE TRIGGER units_version_update AFTER UPDATE ON units
BEGIN
	UPDATE changes SET units = units + 1 WHERE one = 1;
END;

CREATE TRIGGER units_version_delete AFTER DELETE ON units
BEGIN
	UPDATE changes SET units = units + 1 WHERE one = 1;
END;
