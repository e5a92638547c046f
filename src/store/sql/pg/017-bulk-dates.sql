-- 017 (issue 13): a bulk load (store_bulk_begin, store_pg.c) sets its
-- candidacies' dates of migration 016 once, at its end, instead of one
-- UPDATE of the candidacy per step inserted: the insert trigger fires
-- only when the transaction has not said `SET LOCAL ketnap.bulk = 'on'`.
-- A WHEN condition rather than a test in the function: an AFTER trigger
-- whose condition is false queues no event at all. (ALTER TABLE … DISABLE
-- TRIGGER in the load would hold an ACCESS EXCLUSIVE lock on steps until
-- the commit, against every reader.) A setting of the transaction only:
-- another transaction, and this one after the load, fire it as before.
DROP TRIGGER steps_dates_insert ON steps;
CREATE TRIGGER steps_dates_insert AFTER INSERT ON steps FOR EACH ROW
	WHEN (current_setting('ketnap.bulk', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION steps_dates_insert();
