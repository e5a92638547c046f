-- 007 (PostgreSQL flavour): the people's Vietnamese name-order keys and
-- their index (see ../007-name-keys.sql). The key and the ref are
-- compared byte by byte (COLLATE "C"), as SQLite compares them, so that
-- both backends page in the same order whatever the cluster's locale.
ALTER TABLE people ADD COLUMN name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX people_name_key ON people (name_key, ref COLLATE "C");
-- A small subtree's list reads its candidacies by unit, then sorts them.
CREATE INDEX candidacies_unit ON candidacies(unit_id);
CREATE TABLE name_key_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	collator TEXT NOT NULL
);
INSERT INTO name_key_version (id, collator) VALUES (1, '');
