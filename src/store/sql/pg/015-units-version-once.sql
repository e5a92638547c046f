-- 015 (issue 13): the units version moves once per transaction that
-- writes units, not once per statement. 008 bumped the one changes row
-- for every statement on units, and an import writes each unit with two
-- (the row, then its path): PostgreSQL keeps every version of that row
-- until the transaction ends, so each bump walked all the earlier ones —
-- a province's 15 k units took 13 s to import, most of it here, and a
-- nation's would have grown with the square of its 325 k. The cache that
-- reads the version (core/treecache.h) compares it after a commit, so a
-- transaction's one bump is all it can see anyway. The flag is a
-- transaction-local setting holding the transaction's id; a rolled-back
-- savepoint takes its setting back with its bump.
CREATE OR REPLACE FUNCTION units_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('ketnap.units_bumped', true) IS DISTINCT FROM txid_current()::text THEN
		UPDATE changes SET units = units + 1 WHERE one = 1;
		PERFORM set_config('ketnap.units_bumped', txid_current()::text, true);
	END IF;
	RETURN NULL;
END;
$$;
