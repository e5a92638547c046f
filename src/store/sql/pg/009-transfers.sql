-- 009 (PostgreSQL flavour): transfers and the steps' unit of their own
-- (see ../009-transfers.sql for why).
CREATE TABLE transfers (
	id BIGSERIAL PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES people(id) DEFERRABLE,
	out_date TEXT COLLATE "C" NOT NULL,
	from_unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	to_unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	in_date TEXT COLLATE "C",
	doc_no TEXT,
	note TEXT,
	override TEXT,
	override_by TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX transfers_person ON transfers(person_id, out_date);
CREATE INDEX transfers_arriving ON transfers(to_unit_id) WHERE in_date IS NULL;
CREATE INDEX transfers_from ON transfers(from_unit_id, out_date);
CREATE INDEX transfers_to ON transfers(to_unit_id, out_date);

ALTER TABLE steps ADD COLUMN unit_id BIGINT REFERENCES units(id) DEFERRABLE;
CREATE INDEX steps_unit ON steps(unit_id) WHERE unit_id IS NOT NULL;
-- A candidacy's steps with their codes and dates (003) carry the step's
-- own unit too, so that the funnel's count of a subtree's unstamped steps
-- still reads the index alone (without it, every step row: 4-7 times
-- slower at the root of the city demo).
DROP INDEX steps_candidacy;
CREATE INDEX steps_candidacy ON steps(candidacy_id, seq, step, date, unit_id);
-- The planner has no statistics on the new column until autovacuum comes
-- round, and guesses "unit_id IS NULL" (every step of a database without
-- transfers) to keep 0.5% of the rows: the funnel's plan then walks the
-- period's steps instead of the subtree's candidacies (city demo: 0.2 s
-- to 0.6 s). ANALYZE samples a fixed number of rows, whatever the size.
-- Never an empty table (a new database): "0 rows" would be believed, and
-- the first import's plans would scan (store_pg.c's analyze_if_due()).
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM steps) THEN
		ANALYZE steps;
	END IF;
END
$$;
