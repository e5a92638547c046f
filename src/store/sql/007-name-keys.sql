-- 007: the candidates' list and /api/v1/people read one page at a time in
-- Vietnamese name order (given name, middle, family name, ICU "vi"), so
-- each person carries the sort key of text_name_key(), as lower-case hex
-- (bytes order = text order, the same on both backends), and an index
-- walks the people in that order. The keys cannot be made in SQL: a
-- new column is '' ("no key yet") and the store fills it in C after
-- migrating and whenever it opens a database with keys missing or made by
-- another ICU (name_key_version holds the collator's version the keys
-- were made with; '' = none yet).
ALTER TABLE people ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX people_name_key ON people(name_key, ref);
-- A small subtree's list reads its candidacies by unit, then sorts them.
CREATE INDEX candidacies_unit ON candidacies(unit_id);
CREATE TABLE name_key_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	collator TEXT NOT NULL
) STRICT;
INSERT INTO name_key_version (id, collator) VALUES (1, '');
