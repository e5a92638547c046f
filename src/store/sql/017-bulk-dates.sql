-- 017 (issue 13): nothing to do on SQLite. PostgreSQL's flavour
-- (pg/017-bulk-dates.sql) makes the insert trigger of 016 skip the rows
-- of a bulk load; on SQLite a bulk load drops that trigger inside its
-- transaction and creates it again at its end (store_sqlite.c, "bulk
-- loads"), which PostgreSQL could do only under an ACCESS EXCLUSIVE lock.
SELECT 1;
