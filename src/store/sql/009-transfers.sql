-- 009: transfers (chuyển sinh hoạt đảng, RULES.md §8, issue 15). A
-- person's units over time: each row is a letter of introduction (`out`,
-- out_date, from the unit the person left, to the destination) and its
-- acceptance (`in`, in_date; NULL while the person is in transit).
-- people.unit_id stays the person's current unit and moves at `in`.
--
-- Past figures must not move: a step counts for the unit its candidacy
-- was in on the step's date. steps.unit_id records that unit for the
-- steps recorded before a move (stamped at `in`, when the candidacy's
-- unit_id moves to the destination); NULL, the common case and every
-- step of a database that has no transfers, means "the candidacy's
-- unit_id". Existing data is carried forward as it is: no transfers,
-- every steps.unit_id NULL, so every figure stays what it was.
CREATE TABLE transfers (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES people(id),
	out_date TEXT NOT NULL,
	from_unit_id INTEGER NOT NULL REFERENCES units(id),
	to_unit_id INTEGER NOT NULL REFERENCES units(id),
	in_date TEXT,
	doc_no TEXT,
	note TEXT,
	override TEXT,
	override_by TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
) STRICT;
-- A person's transfers in date order (the ledger, `person show`).
CREATE INDEX transfers_person ON transfers(person_id, out_date);
-- Who is arriving at a unit (the destination's editor accepts them).
CREATE INDEX transfers_arriving ON transfers(to_unit_id) WHERE in_date IS NULL;
-- DL-TRANSFER in the deadlines of the sending unit's and the
-- destination's subtrees.
CREATE INDEX transfers_from ON transfers(from_unit_id, out_date);
CREATE INDEX transfers_to ON transfers(to_unit_id, out_date);

ALTER TABLE steps ADD COLUMN unit_id INTEGER REFERENCES units(id);
-- The few steps stamped with a unit of their own: the reports' second
-- branch beside the candidacies' subtree scan.
CREATE INDEX steps_unit ON steps(unit_id) WHERE unit_id IS NOT NULL;
-- A candidacy's steps with their codes and dates (003) carry the step's
-- own unit too, so that the funnel's count of a subtree's unstamped steps
-- still reads the index alone (without it, every step row: 4-7 times
-- slower at the root of the city demo).
DROP INDEX steps_candidacy;
CREATE INDEX steps_candidacy ON steps(candidacy_id, seq, step, date, unit_id);
