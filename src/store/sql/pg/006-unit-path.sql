-- 006 (PostgreSQL flavour: the same statements, the path in the "C"
-- collation): each unit's position in the tree, answerable in SQL, so
-- that a report over a unit reads its subtree only (issue 13).
--
-- A materialised path rather than nested-set intervals: path is the ids
-- from the root down, each followed by '/' ('/1/7/42/'), and a unit's
-- subtree is every path from its own up to that text with the last '/'
-- replaced by '0' (the next byte after '/'), one range scan of
-- units_path. Inserting a unit writes its own path only, where nested
-- sets renumber half the table (a national import adds 320,000 units);
-- moving a unit rewrites its subtree's paths only. Ids, not codes: a code
-- may hold '/' and ids never change. Transfers of people between units
-- (a later issue) change no unit, so the paths stay as they are.
-- The store writes the path whenever it inserts a unit or changes its
-- parent (store_unit_put); the existing tree is numbered here.
-- "C" collation: the range compares bytes, as SQLite's BINARY does (a
-- language collation may ignore the slashes).
ALTER TABLE units ADD COLUMN path TEXT COLLATE "C";
WITH RECURSIVE t(id, path) AS (
	SELECT id, '/' || id || '/' FROM units WHERE parent_id IS NULL
	UNION ALL
	SELECT u.id, t.path || u.id || '/' FROM units u JOIN t ON u.parent_id = t.id
)
UPDATE units SET path = t.path FROM t WHERE t.id = units.id;
CREATE INDEX units_path ON units(path);
-- A subtree's candidacies, open ones first: the deadlines report and the
-- dashboard reach them from the subtree's units.
CREATE INDEX candidacies_unit_open ON candidacies(unit_id, is_open);
