/*
 * statements.c — the statement table (stmt.h): every SQL text of the
 * store, written once for both backends.
 *
 * Parameters are $1 … $n; their types (the `params` letters) are given to
 * PostgreSQL when it prepares, so that "$1 IS NULL" needs no cast there.
 * Dates are ISO text on both backends; booleans are integers 0/1. Where a
 * row has a second text, it is PostgreSQL's, and the comment says why the
 * dialects differ.
 */
#include "store/stmt.h"
#include "util/banned.h"

#define PERSON_COLS "p.id, p.ref, p.full_name, p.sex, p.birth_date, u.code, p.ethnicity, " \
	"p.religion, p.education, p.qualification, p.occupation, p.youth_union, " \
	"p.trade_union, p.member_since, p.official_since, p.phone, p.note, " \
	"p.left_on, p.left_reason, p.record_cleared_on, p.readmitted"
#define PERSON_TYPES "ittttttttttiitttt" "ttti"
#define PERSON_FROM " FROM people p JOIN units u ON u.id = p.unit_id "
#define STEP_COLS "s.id, s.step, s.date, s.doc_no, s.org, m.ref, i1.ref, s.intro1_since, " \
	"i2.ref, s.intro2_since, s.votes_for, s.votes_total, s.consent, s.override, " \
	"s.override_by, s.note, s.recorded_by, s.recorded_at"
#define STEP_TYPES "itttttttttiitttttt"
#define STEP_JOINS " LEFT JOIN people m ON m.id = s.member_id" \
	" LEFT JOIN people i1 ON i1.id = s.intro1_id LEFT JOIN people i2 ON i2.id = s.intro2_id"
#define UNIT_COLS "u.id, u.code, p.code, u.name, u.kind, u.may_admit, u.sector, u.special_area " \
	"FROM units u LEFT JOIN units p ON p.id = u.parent_id"
#define UNIT_TYPES "itttti" "ti"
/* A unit with its parent's id (store_unit_each, store_unit_near). */
#define UNIT_TREE_COLS "id, parent_id, code, name, kind, may_admit, sector, special_area, " \
	"CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END FROM units"
#define UNIT_TREE_TYPES "iitttiti" "i"
#define USER_COLS "x.id, x.name, u.code, x.role, x.pw_hash, x.disabled, x.created_at " \
	"FROM users x JOIN units u ON u.id = x.unit_id"
#define USER_TYPES "itttt" "it"
#define AUDIT_COLS "id, at, actor, action, entity, key, before, after"
#define AUDIT_TYPES "ittttttt"
#define BY_CODE(n) "(SELECT id FROM units WHERE code = $" #n ")"
#define BY_REF(n) "(SELECT id FROM people WHERE ref = $" #n ")"
/* The inserts of a row that an importer also sends as known to be new
 * (S_PERSON_ADD, S_UNIT_ADD, S_QUOTA_ADD: store_pg.c sends those ahead
 * or by COPY) and the path written after a unit's insert. */
#define PERSON_INSERT "INSERT INTO people (ref, full_name, search_name, sex, birth_date, " \
	"unit_id, ethnicity, religion, education, qualification, occupation, youth_union, " \
	"trade_union, member_since, official_since, phone, note, name_key, left_on, " \
	"left_reason, record_cleared_on, readmitted) VALUES ($1, $2, $3, $4, $5, " BY_CODE(6) \
	", $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
#define PERSON_INSERT_PARAMS "tttttttttttiitttt" "t" "ttti"
#define UNIT_INSERT "INSERT INTO units (code, parent_id, name, kind, may_admit, sector, " \
	"special_area) VALUES ($1, " BY_CODE(2) ", $3, $4, $5, $6, $7)"
#define UNIT_SET_PATH "UPDATE units SET path = COALESCE((SELECT p.path FROM units p " \
	"WHERE p.id = units.parent_id), '/') || id || '/' WHERE code = $1"
#define QUOTA_INSERT "INSERT INTO quotas (unit_id, year, category, target) VALUES (" \
	BY_CODE(1) ", $2, $3, $4)"

/* The export's steps (S_STEP_EACH): by person ref, candidacy, date, the
 * pipeline order of model.h, then the recorded id. */
#define STEP_EACH_FROM "SELECT p.ref, " STEP_COLS " FROM steps s " \
	"JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id" \
	STEP_JOINS
#define STEP_EACH_ORDER " ORDER BY p.ref, c.id, s.date, " \
	"CASE s.step WHEN 'source' THEN 1 WHEN 'mentor' THEN 2 WHEN 'trained' THEN 3 " \
	"WHEN 'applied' THEN 4 WHEN 'verified' THEN 5 WHEN 'introduced' THEN 6 " \
	"WHEN 'cell_vote' THEN 7 WHEN 'committee_vote' THEN 8 WHEN 'decision' THEN 9 " \
	"WHEN 'ceremony' THEN 10 WHEN 'probation_vote' THEN 11 WHEN 'official' THEN 12 " \
	"WHEN 'withdrawn' THEN 13 WHEN 'rejected' THEN 14 WHEN 'struck_off' THEN 15 END, s.id"
/* issue 13: the people export (store_person_export_each): each person by
 * ref with the steps that give their membership dates (ledger.h,
 * ledger_membership_recorded), a row per such step of each candidacy in
 * candidacy and recorded order, or one row with NULLs when there is none. */
#define PERSON_EXPORT_JOINS " LEFT JOIN candidacies c ON c.person_id = p.id LEFT JOIN " \
	"steps s ON s.candidacy_id = c.id AND s.step IN ('decision', 'ceremony', 'official', " \
	"'struck_off') "
#define PERSON_EXPORT "SELECT " PERSON_COLS ", c.id, s.step, s.date" PERSON_FROM \
	PERSON_EXPORT_JOINS
#define PERSON_EXPORT_ORDER "ORDER BY p.ref, c.id, s.seq"
/* issue 13: the units export (store_unit_export_each): depth-first from
 * the roots ($1 NULL) or from the unit of code $1, children in code
 * order: sorted by the codes from the top down joined by ' ', a byte
 * below every character a code may hold, so that a unit's descendants
 * come right after it and before its next sibling. C: PostgreSQL's
 * collation of the key (byte order, as SQLite's BINARY), which its
 * recursive term must also name. */
#define UNIT_EXPORT(C) "WITH RECURSIVE t(id, k) AS (SELECT id, code" C " FROM units WHERE " \
	"CASE WHEN $1 IS NULL THEN parent_id IS NULL ELSE code = $1 END UNION ALL " \
	"SELECT x.id, (t.k || ' ' || x.code)" C " FROM units x JOIN t ON x.parent_id = t.id) " \
	"SELECT " UNIT_COLS " JOIN t ON t.id = u.id ORDER BY t.k"
#define QUOTA_EACH "SELECT u.code, q.year, q.category, q.target FROM quotas q " \
	"JOIN units u ON u.id = q.unit_id "

const struct stmt store_stmts[S__COUNT] = {
	/* ---- units ---- */
	[S_UNIT_GET] = { "unit_get", "SELECT " UNIT_COLS " WHERE u.code = $1", 0, "t", UNIT_TYPES, 0 },
	[S_UNIT_ALL] = { "unit_all", "SELECT " UNIT_COLS " ORDER BY u.code", 0, "", UNIT_TYPES, 0 },
	[S_UNIT_EXPORT] = { "unit_export", UNIT_EXPORT(""), UNIT_EXPORT(" COLLATE \"C\""), "t",
		UNIT_TYPES, ST_STREAM },
	/* store_unit_each: the table in id order (SQLite: its rowid order, read
	 * sequentially), the parent by id (unitree_load links it); whether
	 * there is one as a number (reading the id as text to see a NULL
	 * would format it). */
	[S_UNIT_TREE] = { "unit_tree", "SELECT " UNIT_TREE_COLS " ORDER BY id", 0, "",
		UNIT_TREE_TYPES, 0 },
	/* store_unit_near: a unit ($1: its code; _ID: its id), every unit
	 * above it (by the parent links, as the whole tree is linked) and its
	 * children, with S_UNIT_TREE's columns. */
	[S_UNIT_NEAR] = { "unit_near", "WITH RECURSIVE up(id) AS (SELECT id FROM units "
		"WHERE code = $1 UNION SELECT x.parent_id FROM units x JOIN up ON x.id = up.id "
		"WHERE x.parent_id IS NOT NULL) SELECT " UNIT_TREE_COLS " WHERE id IN "
		"(SELECT id FROM up) UNION ALL SELECT " UNIT_TREE_COLS " WHERE parent_id = "
		"(SELECT id FROM units WHERE code = $1)", 0, "t", UNIT_TREE_TYPES, 0 },
	[S_UNIT_NEAR_ID] = { "unit_near_id", "WITH RECURSIVE up(id) AS (SELECT id FROM units "
		"WHERE id = $1 UNION SELECT x.parent_id FROM units x JOIN up ON x.id = up.id "
		"WHERE x.parent_id IS NOT NULL) SELECT " UNIT_TREE_COLS " WHERE id IN "
		"(SELECT id FROM up) UNION ALL SELECT " UNIT_TREE_COLS " WHERE parent_id = $1",
		0, "i", UNIT_TREE_TYPES, 0 },
	[S_UNIT_INSERT] = { "unit_insert", UNIT_INSERT, 0, "tttti" "ti", "", 0 },
	[S_UNIT_UPDATE] = { "unit_update", "UPDATE units SET parent_id = " BY_CODE(2) ", "
		"name = $3, kind = $4, may_admit = $5, sector = $6, special_area = $7 WHERE code = $1",
		0, "tttti" "ti", "", 0 },
	[S_UNIT_ID] = { "unit_id", "SELECT id FROM units WHERE code = $1", 0, "t", "i", 0 },
	[S_UNIT_CODES] = { "unit_codes", "SELECT id, code FROM units ORDER BY id", 0, "", "it", 0 },
	[S_UNIT_LINKS] = { "unit_links", "SELECT id, code, parent_id, path FROM units "
		"ORDER BY id", 0, "", "itit", 0 },
	/* The tree's materialised paths (migration 006 says why a path): a
	 * unit's subtree is $lo <= path < $hi, its path with the last '/'
	 * made '0' (store_records.c). */
	[S_UNIT_PATH] = { "unit_path", "SELECT path FROM units WHERE code = $1", 0, "t", "t", 0 },
	[S_UNIT_ROOTS] = { "unit_roots", "SELECT code, path FROM units WHERE parent_id IS NULL",
		0, "", "tt", 0 },
	/* A unit's own path from its parent's (written once the unit row is). */
	[S_UNIT_SET_PATH] = { "unit_set_path", UNIT_SET_PATH " RETURNING path", 0, "t", "t", 0 },
	/* Every unit's path from the parent links, as migration 006 numbered
	 * them (store_unit_paths_rebuild: after a bulk load of units). */
	[S_UNIT_PATHS_ALL] = { "unit_paths_all", "WITH RECURSIVE t(id, path) AS (SELECT id, "
		"'/' || id || '/' FROM units WHERE parent_id IS NULL UNION ALL SELECT u.id, "
		"t.path || u.id || '/' FROM units u JOIN t ON u.parent_id = t.id) "
		"UPDATE units SET path = t.path FROM t WHERE t.id = units.id "
		"AND units.path IS NOT t.path",
		"WITH RECURSIVE t(id, path) AS (SELECT id, "
		"'/' || id || '/' FROM units WHERE parent_id IS NULL UNION ALL SELECT u.id, "
		"t.path || u.id || '/' FROM units u JOIN t ON u.parent_id = t.id) "
		"UPDATE units SET path = t.path FROM t WHERE t.id = units.id "
		"AND units.path IS DISTINCT FROM t.path", "", "", 0 },
	/* A moved unit's descendants: the old prefix $1 (below $2) becomes $3. */
	[S_UNIT_MOVE_SUB] = { "unit_move_sub", "UPDATE units SET path = $3 || "
		"substr(path, length($1) + 1) WHERE path > $1 AND path < $2", 0, "ttt", "", 0 },
	/* The units of the subtree $1 <= path < $2 and the ancestors of its
	 * top (the unit whose path is $1): the rules look up the tree for a
	 * sector, a competent committee or a special area. Unordered. */
	[S_UNIT_SUB] = { "unit_sub", "WITH RECURSIVE up(id) AS (SELECT parent_id FROM units "
		"WHERE path = $1 UNION ALL SELECT x.parent_id FROM units x JOIN up ON x.id = up.id "
		"WHERE x.parent_id IS NOT NULL) SELECT " UNIT_COLS " WHERE u.path >= $1 "
		"AND u.path < $2 UNION ALL SELECT " UNIT_COLS " WHERE u.id IN (SELECT id FROM up)",
		0, "tt", UNIT_TYPES, 0 },

	/* ---- people ---- */
	[S_PERSON_GET] = { "person_get", "SELECT " PERSON_COLS PERSON_FROM "WHERE p.ref = $1", 0,
		"t", PERSON_TYPES, 0 },
	[S_PERSON_GET_ID] = { "person_get_id", "SELECT " PERSON_COLS PERSON_FROM
		"WHERE p.id = $1", 0, "i", PERSON_TYPES, 0 },
	[S_PERSON_INSERT] = { "person_insert", PERSON_INSERT, 0, PERSON_INSERT_PARAMS, "", 0 },
	[S_PERSON_UPDATE] = { "person_update", "UPDATE people SET full_name = $2, "
		"search_name = $3, sex = $4, birth_date = $5, unit_id = " BY_CODE(6) ", "
		"ethnicity = $7, religion = $8, education = $9, qualification = $10, "
		"occupation = $11, youth_union = $12, trade_union = $13, member_since = $14, "
		"official_since = $15, phone = $16, note = $17, name_key = $18, left_on = $19, "
		"left_reason = $20, record_cleared_on = $21, readmitted = $22 WHERE ref = $1", 0,
		"tttttttttttiitttt" "t" "ttti", "", 0 },
	/* $1 is a LIKE pattern: the caller escapes %, _ and \ with \. */
	[S_PERSON_FIND] = { "person_find", "SELECT " PERSON_COLS PERSON_FROM
		"WHERE p.search_name LIKE '%' || $1 || '%' ESCAPE '\\'", 0, "t", PERSON_TYPES, 0 },
	[S_PERSON_ALL] = { "person_all", "SELECT " PERSON_COLS PERSON_FROM "ORDER BY p.ref", 0,
		"", PERSON_TYPES, 0 },
	[S_PERSON_EXPORT] = { "person_export", PERSON_EXPORT PERSON_EXPORT_ORDER, 0, "",
		PERSON_TYPES "itt", ST_STREAM },
	/* The people whose unit is in the subtree $1 <= path < $2, read from
	 * the subtree's units (CROSS JOIN: S_STEP_EACH_SUB says why) and
	 * sorted. */
	[S_PERSON_EXPORT_SUB] = { "person_export_sub", "SELECT " PERSON_COLS ", c.id, s.step, "
		"s.date FROM units u CROSS JOIN people p" PERSON_EXPORT_JOINS "WHERE u.path >= $1 "
		"AND u.path < $2 AND p.unit_id = u.id " PERSON_EXPORT_ORDER, 0, "tt",
		PERSON_TYPES "itt", ST_STREAM },

	/* ---- candidacies and steps ---- */
	/* Two simple statements rather than one join: a database filled in
	 * one long transaction (an import, the demo) has no statistics yet,
	 * and PostgreSQL's planner then hash-joins a sequential scan of all
	 * steps. */
	[S_CAND_OF] = { "cand_of", "SELECT id, person_id, stage, is_open, readmission "
		"FROM candidacies WHERE person_id = $1 ORDER BY id", 0, "i", "iiti" "i", 0 },
	[S_STEPS_OF] = { "steps_of", "SELECT " STEP_COLS " FROM steps s" STEP_JOINS
		" WHERE s.candidacy_id = $1 ORDER BY s.seq", 0, "i", STEP_TYPES, 0 },
	/* $3: a re-admission (migration 010), fixed here once. */
	[S_CAND_NEW] = { "cand_new", "INSERT INTO candidacies (person_id, unit_id, stage, "
		"is_open, readmission) VALUES ($1, " BY_CODE(2) ", 'source', 1, $3) RETURNING id", 0,
		"iti", "i", 0 },
	/* The next number is read by this statement itself, after the
	 * candidacy's row was moved by S_CAND_STAGE: on PostgreSQL the row
	 * lock was granted by then, so it sees the step of a writer that
	 * committed meanwhile; SQLite has one writer at a time. */
	[S_STEP_INSERT] = { "step_insert", "INSERT INTO steps (candidacy_id, seq, step, date, "
		"doc_no, org, member_id, intro1_id, intro1_since, intro2_id, intro2_since, votes_for, "
		"votes_total, consent, override, override_by, note, recorded_by, recorded_at) VALUES "
		"($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE candidacy_id = $1), $2, $3, "
		"$4, $5, " BY_REF(6) ", " BY_REF(7) ", $8, " BY_REF(9) ", $10, $11, $12, $13, $14, "
		"$15, $16, $17, $18) RETURNING id", 0, "itttttttttiitttttt", "i", 0 },
	/* Move the candidacy first: a concurrent writer that read the same
	 * version finds it changed (no row updated: KN_ECONFLICT). $4 < 0:
	 * no version expected. */
	[S_CAND_STAGE] = { "cand_stage", "UPDATE candidacies SET stage = $2, is_open = $3, "
		"version = version + 1 WHERE id = $1 AND ($4 < 0 OR version = $4)", 0, "itii", "",
		0 },
	/* issue 13: S_CAND_STAGE for $5 moves one after another, the
	 * version checked against the first's: PostgreSQL's bulk load sends
	 * a person's stage moves as one (store_pg.c, held_flush). */
	[S_CAND_STAGE_MOVES] = { "cand_stage_moves", "UPDATE candidacies SET stage = $2, "
		"is_open = $3, version = version + $5 WHERE id = $1 AND ($4 < 0 OR version = $4)",
		0, "itiii", "", 0 },
	[S_STEP_UPDATE] = { "step_update", "UPDATE steps SET date = $2, doc_no = $3, org = $4, "
		"member_id = " BY_REF(5) ", intro1_id = " BY_REF(6) ", intro1_since = $7, "
		"intro2_id = " BY_REF(8) ", intro2_since = $9, votes_for = $10, votes_total = $11, "
		"consent = $12, override = $13, override_by = $14, note = $15 WHERE id = $1", 0,
		"ittttttttiitttt", "", 0 },
	/* PostgreSQL: FOR UPDATE, so that inside a write transaction the
	 * version is locked until the commit and a second writer that read
	 * the same version waits, then sees it moved (SQLite's BEGIN
	 * IMMEDIATE gives the same). */
	[S_CAND_VERSION] = { "cand_version", "SELECT version FROM candidacies WHERE id = $1",
		"SELECT version FROM candidacies WHERE id = $1 FOR UPDATE", "i", "i", 0 },
	/* The canonical order of the export (store.h): the pipeline order of
	 * model.h, then the recorded id. */
	[S_STEP_EACH] = { "step_each", STEP_EACH_FROM STEP_EACH_ORDER, 0, "", "t" STEP_TYPES,
		ST_STREAM },
	/* issue 13: the same for the people whose unit is in the subtree
	 * $1 <= path < $2 (an account's export). CROSS JOIN: SQLite keeps
	 * the order written (PostgreSQL plans its own), from the subtree's
	 * units down, rather than every step of the nation in ref order, each
	 * looked up to see whether its person is in the subtree. */
	[S_STEP_EACH_SUB] = { "step_each_sub", "SELECT p.ref, " STEP_COLS " FROM units pu "
		"CROSS JOIN people p CROSS JOIN candidacies c CROSS JOIN steps s" STEP_JOINS
		" WHERE pu.path >= $1 AND pu.path < $2 AND p.unit_id = pu.id AND c.person_id = p.id "
		"AND s.candidacy_id = c.id" STEP_EACH_ORDER, 0, "tt", "t" STEP_TYPES, ST_STREAM },
	/* The candidates' list and /api/v1/people, one page at a time: each
	 * person's latest candidacy (or none, when $6 = 1 lets people without
	 * one in), in Vietnamese name order (people.name_key, 007, then the
	 * ref as bytes), from the person whose ref is $8 (the last row of the
	 * previous page; NULL: from the start, the bound ('', '') below every
	 * row; an unknown ref: no row, its key being NULL), with the filters
	 * in the query (issue 13: the bound has no "$8 IS NULL OR", so that
	 * SQLite starts the walk at the cursor in people_name_key instead of
	 * walking every row before it):
	 *   $1 the folded search (a LIKE pattern, %, _ and \ escaped with \),
	 *   $2 a ref typed as the search (that person is found too),
	 *   $3 the top unit of the subtree (NULL: the whole organisation),
	 *   $4 the stage (for people without a candidacy: 'official' once
	 *      official_since <= $7, today; 'member' with member_since),
	 *   $5 whom: 0 all, 1 open, 2 not open (or no candidacy), 3 decided
	 *      (a decision step), 4 closed undecided,
	 *   $9 rows, $10 rows skipped first (a page number without a cursor).
	 * Three plans, the caller's choice: walk people_name_key and keep the
	 * rows that pass (many pass: the page fills after a few rows), read
	 * the candidacies of a small subtree (candidacies_unit, 007) and sort
	 * them (CROSS JOIN keeps SQLite in that order; people without a
	 * candidacy do not come), or read everyone and sort the few that
	 * pass. The page's rows are picked by ids first and their columns read
	 * after, so that the steps' subqueries run for the page only. The
	 * subtree is one range of the units' paths (006: every path from the
	 * unit's own to it with the last '/' made '0'). "+d.step" keeps SQLite on the candidacy's own steps (the UNIQUE
	 * (candidacy_id, seq) index) instead of steps_step_date; PostgreSQL
	 * has no unary + and no CROSS JOIN … ON, and compares the ref as bytes
	 * (as SQLite does and as people_name_key is built). ST_REPLAN: each
	 * run's filters decide PostgreSQL's plan. */
#define CAND_SUB "WITH sub(id) AS (SELECT x.id FROM units t JOIN units x ON x.path >= t.path " \
	"AND x.path < substr(t.path, 1, length(t.path) - 1) || '0' WHERE t.code = $3) "
#define CAND_DECISION(plus) "(SELECT MIN(date) FROM steps d WHERE d.candidacy_id = c.id " \
	"AND " plus "d.step = 'decision')"
#define CAND_LATEST(person) "(SELECT MAX(l.id) FROM candidacies l WHERE l.person_id = " person ")"
#define CAND_BY_NAME "FROM people p LEFT JOIN candidacies c ON c.id = " CAND_LATEST("p.id") " "
#define CAND_BY_UNIT(join) "FROM sub " join " candidacies c ON c.unit_id = sub.id " join \
	" people p ON p.id = c.person_id AND c.id = " CAND_LATEST("c.person_id") " "
#define CAND_WHERE(plus) "JOIN units u ON u.id = COALESCE(c.unit_id, p.unit_id) " \
	"WHERE (c.id IS NOT NULL OR $6 = 1 OR p.ref = $2) " \
	"AND ($1 IS NULL OR p.search_name LIKE '%' || $1 || '%' ESCAPE '\\' OR p.ref = $2) " \
	"AND ($3 IS NULL OR u.id IN (SELECT id FROM sub)) " \
	"AND ($4 IS NULL OR c.stage = $4 OR (c.id IS NULL AND CASE WHEN " \
	"COALESCE(p.official_since, '') <> '' AND p.official_since <= $7 THEN 'official' " \
	"WHEN COALESCE(p.member_since, '') <> '' THEN 'member' ELSE '' END = $4)) " \
	"AND ($5 = 0 OR ($5 = 1 AND c.is_open = 1) OR ($5 = 2 AND COALESCE(c.is_open, 0) = 0) " \
	"OR ($5 = 3 AND " CAND_DECISION(plus) " IS NOT NULL) " \
	"OR ($5 = 4 AND c.is_open = 0 AND " CAND_DECISION(plus) " IS NULL)) "
/* Issue 13: walking people_name_key for the open candidacies (the list's
 * default), a person is first looked up in candidacies_one_open, which
 * holds only the open ones: most people have none, and are passed over
 * before their latest candidacy, unit and the filters are read (the
 * latest being open implies one open; SQLite's text only, PostgreSQL
 * plans the walk its own way). */
#define CAND_OPEN_FIRST "AND ($5 <> 1 OR EXISTS (SELECT 1 FROM candidacies o " \
	"WHERE o.person_id = p.id AND o.is_open = 1)) "
#define CAND_PAGE(from, plus, collate, scan) CAND_PAGE_PRE(from, plus, collate, scan, "")
#define CAND_PAGE_PRE(from, plus, collate, scan, pre) \
	CAND_PAGE_DIR(from, plus, collate, scan, pre, ">", "")
/* cmp ">" and desc "": the page after $8 (the pager's "next"); "<" and
 * " DESC": the page before it ("previous"), read backwards and put back
 * in order by the outer ORDER BY. */
#define CAND_PAGE_DIR(from, plus, collate, scan, pre, cmp, desc) CAND_SUB "SELECT c.id, p.ref, " \
	"p.full_name, u.code, " \
	"c.stage, c.is_open, (SELECT MAX(date) FROM steps x WHERE x.candidacy_id = c.id), " \
	CAND_DECISION(plus) ", p.sex, p.birth_date, p.ethnicity, p.religion, p.youth_union, " \
	"p.occupation, p.qualification, p.member_since, p.official_since, c.readmission " \
	"FROM (SELECT c.id AS " \
	"cid, p.id AS pid, p.name_key AS nk, p.ref AS kref " from CAND_WHERE(plus) pre \
	"AND (p.name_key, p.ref" collate ") " cmp " (CASE WHEN $8 IS NULL THEN '' ELSE (SELECT " \
	"k.name_key FROM people k WHERE k.ref = $8) END, COALESCE($8, '')" collate ") ORDER BY " scan "p.name_key" desc ", p.ref" collate desc " LIMIT $9 " \
	"OFFSET $10) k JOIN people p ON p.id = k.pid LEFT JOIN candidacies c ON c.id = k.cid " \
	"JOIN units u ON u.id = COALESCE(c.unit_id, p.unit_id) ORDER BY k.nk, k.kref" collate
#define CAND_PAGE_TYPES "tttti" "it" "tii", "itttti" "tt" "ttttitt" "tt" "i", ST_REPLAN
	[S_CAND_PAGE] = { "cand_page", CAND_PAGE_PRE(CAND_BY_NAME, "+", "", "", CAND_OPEN_FIRST),
		CAND_PAGE(CAND_BY_NAME, "", " COLLATE \"C\"", ""), CAND_PAGE_TYPES },
	[S_CAND_PAGE_UNIT] = { "cand_page_unit", CAND_PAGE(CAND_BY_UNIT("CROSS JOIN"), "+", "",
		""), CAND_PAGE(CAND_BY_UNIT("JOIN"), "", " COLLATE \"C\"", ""), CAND_PAGE_TYPES },
	/* Migration 018: the lists whose rows are judged by the person's latest
	 * candidacy alone — any (whom 0), open (1) or not open (2), people
	 * without one left out ($6 = 0, no ref $2 searched), no stage $4 —
	 * walk people_latest_open (the open ones) or people_latest (those with
	 * a candidacy), which hold in name order the unit and the folded name:
	 * the subtree and the search are judged in the index, and the rows a
	 * page number skips ($10) are index entries, not lookups. Only the
	 * page's rows read their candidacy, unit and steps. The rows are
	 * those of S_CAND_PAGE for the same arguments: latest_unit and
	 * latest_open are the latest candidacy's unit_id and is_open (the
	 * triggers of 018; `ketnap verify`). */
#define CAND_LATEST_WHERE(which) "WHERE " which " AND $2 IS NULL AND $4 IS NULL AND $6 = 0 " \
	"AND $7 IS NOT NULL AND ($1 IS NULL OR p.search_name LIKE '%' || $1 || '%' ESCAPE '\\') " \
	"AND ($3 IS NULL OR p.latest_unit IN (SELECT id FROM sub)) "
/* Open: people_latest_open's own condition; any or not open: people_latest's. */
#define CAND_LATEST_OPEN "p.latest_open = 1 AND $5 = 1"
#define CAND_LATEST_ANY "p.latest_unit IS NOT NULL AND ($5 = 0 OR ($5 = 2 AND p.latest_open = 0))"
#define CAND_LATEST_PAGE(which, plus, collate, cmp, desc) CAND_SUB "SELECT c.id, p.ref, " \
	"p.full_name, u.code, c.stage, c.is_open, (SELECT MAX(date) FROM steps x " \
	"WHERE x.candidacy_id = c.id), " CAND_DECISION(plus) ", p.sex, p.birth_date, " \
	"p.ethnicity, p.religion, p.youth_union, p.occupation, p.qualification, p.member_since, " \
	"p.official_since, c.readmission FROM (SELECT p.id AS pid, p.name_key AS nk, " \
	"p.ref AS kref FROM people p " CAND_LATEST_WHERE(which) "AND (p.name_key, p.ref" collate \
	") " cmp " (CASE WHEN $8 IS NULL THEN '' ELSE (SELECT k.name_key FROM people k " \
	"WHERE k.ref = $8) END, COALESCE($8, '')" collate ") ORDER BY p.name_key" desc ", " \
	"p.ref" collate desc " LIMIT $9 OFFSET $10) k JOIN people p ON p.id = k.pid " \
	"LEFT JOIN candidacies c ON c.id = " CAND_LATEST("p.id") " " \
	"JOIN units u ON u.id = COALESCE(c.unit_id, p.unit_id) ORDER BY k.nk, k.kref" collate
#define CAND_LATEST_PAGES(which) \
	CAND_LATEST_PAGE(which, "+", "", ">", ""), \
	CAND_LATEST_PAGE(which, "", " COLLATE \"C\"", ">", "")
#define CAND_LATEST_BEFORE(which) CAND_LATEST_PAGE(which, "+", "", "<", " DESC"), \
	CAND_LATEST_PAGE(which, "", " COLLATE \"C\"", "<", " DESC")
	[S_CAND_PAGE_LOPEN] = { "cand_page_lopen", CAND_LATEST_PAGES(CAND_LATEST_OPEN),
		CAND_PAGE_TYPES },
	[S_CAND_PAGE_LANY] = { "cand_page_lany", CAND_LATEST_PAGES(CAND_LATEST_ANY),
		CAND_PAGE_TYPES },
	[S_CAND_PAGE_LOPEN_BEFORE] = { "cand_page_lopen_before",
		CAND_LATEST_BEFORE(CAND_LATEST_OPEN), CAND_PAGE_TYPES },
	[S_CAND_PAGE_LANY_BEFORE] = { "cand_page_lany_before",
		CAND_LATEST_BEFORE(CAND_LATEST_ANY), CAND_PAGE_TYPES },
	/* Their counts, up to $8, from the same index entries. */
#define CAND_LATEST_COUNT(which) CAND_SUB "SELECT COUNT(*) FROM (SELECT 1 FROM people p " \
	CAND_LATEST_WHERE(which) "LIMIT $8) n"
	[S_CAND_COUNT_LOPEN] = { "cand_count_lopen", CAND_LATEST_COUNT(CAND_LATEST_OPEN), 0,
		"tttti" "it" "i", "i", ST_REPLAN },
	[S_CAND_COUNT_LANY] = { "cand_count_lany", CAND_LATEST_COUNT(CAND_LATEST_ANY), 0,
		"tttti" "it" "i", "i", ST_REPLAN },
	/* A few rows in all (the count said so): read them in any order and
	 * sort them; "+" keeps SQLite off people_name_key (PostgreSQL's
	 * planner judges by its statistics). */
	[S_CAND_PAGE_SCAN] = { "cand_page_scan", CAND_PAGE(CAND_BY_NAME, "+", "", "+"),
		CAND_PAGE(CAND_BY_NAME, "", " COLLATE \"C\"", ""), CAND_PAGE_TYPES },
	/* How many rows the same filters let through, counted up to $8 (a
	 * cap: counting a national list to the end costs a walk of it all). */
#define CAND_COUNT(from, plus) CAND_SUB "SELECT COUNT(*) FROM (SELECT 1 " from \
	CAND_WHERE(plus) "LIMIT $8) n"
	[S_CAND_COUNT] = { "cand_count", CAND_COUNT(CAND_BY_NAME, "+"),
		CAND_COUNT(CAND_BY_NAME, ""), "tttti" "it" "i", "i", ST_REPLAN },
	[S_CAND_COUNT_UNIT] = { "cand_count_unit", CAND_COUNT(CAND_BY_UNIT("CROSS JOIN"), "+"),
		CAND_COUNT(CAND_BY_UNIT("JOIN"), ""), "tttti" "it" "i", "i", ST_REPLAN },
	/* The name keys (007) made in C: those missing, or all of them by id
	 * when the collator changed, in batches. */
	[S_NAMEKEY_MISSING] = { "namekey_missing", "SELECT id, full_name FROM people "
		"WHERE name_key = '' ORDER BY id LIMIT $1", 0, "i", "it", 0 },
	[S_NAMEKEY_FROM] = { "namekey_from", "SELECT id, full_name FROM people WHERE id > $1 "
		"ORDER BY id LIMIT $2", 0, "ii", "it", 0 },
	/* A batch of keys in one statement: $1 is a JSON array of [id, key]
	 * pairs (the keys are hex: nothing to escape), taken apart by each
	 * backend's own JSON functions — one round trip per batch, not one
	 * per person. */
	[S_NAMEKEY_SET] = { "namekey_set", "UPDATE people SET name_key = j.k FROM (SELECT "
		"json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS k "
		"FROM json_each($1)) j WHERE people.id = j.id",
		"UPDATE people SET name_key = j.k FROM (SELECT (e->>0)::bigint AS id, e->>1 AS k "
		"FROM json_array_elements($1::json) e) j WHERE people.id = j.id", "t", "", 0 },
	[S_NAMEKEY_VERSION] = { "namekey_version", "SELECT collator FROM name_key_version "
		"WHERE id = 1", 0, "", "t", 0 },
	[S_NAMEKEY_VERSION_SET] = { "namekey_version_set", "UPDATE name_key_version "
		"SET collator = $1 WHERE id = 1", 0, "t", "", 0 },
	/* `ketnap verify`'s candidacies with their steps. LEFT JOINs: a
	 * candidacy whose person, unit or steps are gone still comes, for
	 * verify to report. */
	[S_CAND_EACH] = { "cand_each", "SELECT c.id, c.person_id, p.ref, p.full_name, "
		"p.member_since, p.official_since, u.code, c.stage, c.is_open, s.id, s.step, s.date, "
		"s.override FROM candidacies c LEFT JOIN people p ON p.id = c.person_id "
		"LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN steps s ON s.candidacy_id = c.id "
		"ORDER BY c.person_id, c.id, s.seq", 0, "", "iittttttiittt", ST_STREAM },

	/* ---- quotas, holidays, policy ---- */
	[S_QUOTA_GET] = { "quota_get", "SELECT q.target FROM quotas q JOIN units u "
		"ON u.id = q.unit_id WHERE u.code = $1 AND q.year = $2 AND q.category = $3", 0,
		"tit", "i", 0 },
	[S_QUOTA_PUT] = { "quota_put", QUOTA_INSERT " ON CONFLICT (unit_id, year, category) "
		"DO UPDATE SET target = excluded.target", 0, "titi", "", 0 },
	[S_QUOTA_ALL] = { "quota_all", "SELECT u.code, q.year, q.category, q.target FROM quotas q "
		"JOIN units u ON u.id = q.unit_id ORDER BY u.code, q.year, q.category", 0, "", "titi",
		0 },
	/* issue 13: S_QUOTA_ALL streamed (the export); _SUB: of the units of
	 * the subtree $1 <= path < $2. */
	[S_QUOTA_EACH] = { "quota_each", QUOTA_EACH "ORDER BY u.code, q.year, q.category", 0, "",
		"titi", ST_STREAM },
	[S_QUOTA_EACH_SUB] = { "quota_each_sub", QUOTA_EACH "WHERE u.path >= $1 AND u.path < $2 "
		"ORDER BY u.code, q.year, q.category", 0, "tt", "titi", ST_STREAM },
	/* The quotas of year $3 of the units of the subtree $1 <= path < $2. */
	[S_QUOTA_SUB] = { "quota_sub", "SELECT u.code, q.year, q.category, q.target FROM units u "
		"JOIN quotas q ON q.unit_id = u.id WHERE u.path >= $1 AND u.path < $2 "
		"AND q.year = $3", 0, "tti", "titi", 0 },
	[S_HOLIDAY_GET] = { "holiday_get", "SELECT workday, name FROM holidays WHERE date = $1",
		0, "t", "it", 0 },
	[S_HOLIDAY_PUT] = { "holiday_put", "INSERT INTO holidays (date, workday, name) VALUES "
		"($1, $2, $3) ON CONFLICT (date) DO UPDATE SET workday = excluded.workday, "
		"name = excluded.name", 0, "tit", "", 0 },
	[S_HOLIDAY_ALL] = { "holiday_all", "SELECT date, workday, name FROM holidays ORDER BY date",
		0, "", "tit", 0 },
	[S_POLICY_ALL] = { "policy_all", "SELECT key, from_date, value FROM policy "
		"ORDER BY key, from_date", 0, "", "ttt", 0 },
	[S_POLICY_PUT] = { "policy_put", "INSERT INTO policy (key, from_date, value) VALUES "
		"($1, $2, $3) ON CONFLICT (key, from_date) DO UPDATE SET value = excluded.value", 0,
		"ttt", "", 0 },

	/* ---- reports ---- */
	/* A decision's date, what the categories need of the person, the
	 * candidacy's re-admission flag (row_cats(), store_reads.c): the
	 * middle columns of S_ADMISSIONS and S_ADMISSIONS_ALL. */
#define ADMISSION_COLS "s.date, p.sex, p.birth_date, p.ethnicity, p.religion, " \
	"p.youth_union, p.occupation, p.qualification, c.readmission"
	/* SQLite reads the candidacies, then the people, in the order of
	 * their ids: the period's decisions sorted by candidacy (k), those
	 * with their candidacy sorted by person (d), each MATERIALIZED and
	 * then the left of a CROSS JOIN so that it stays the outer loop. A
	 * year's admitted people were candidates together and lie near each
	 * other in both tables; in decision order each of a nation's 150 k
	 * was a page read through the small page cache (a pread), most of the
	 * national root's structure report, and in id order most share the
	 * page read before. "LIMIT -1" keeps the ORDER BY: SQLite drops that
	 * of a FROM subquery in a join unless it has a LIMIT. PostgreSQL
	 * joins them as it sees fit. */
#define ADMISSIONS_BY_PERSON(cols, joins, where) "WITH k AS MATERIALIZED (SELECT " \
	"candidacy_id, date, unit_id FROM steps WHERE step = 'decision' AND date BETWEEN $1 " \
	"AND $2 ORDER BY candidacy_id LIMIT -1), d AS MATERIALIZED (SELECT k.date, " \
	"c.person_id, c.readmission, " cols " FROM k CROSS JOIN candidacies c " \
	"ON c.id = k.candidacy_id " joins where "ORDER BY c.person_id LIMIT -1) " \
	"SELECT d.code, d.date, p.sex, p.birth_date, p.ethnicity, p.religion, p.youth_union, " \
	"p.occupation, p.qualification, d.readmission, d.unit_id FROM d CROSS JOIN people p " \
	"ON p.id = d.person_id"
	[S_ADMISSIONS] = { "admissions", ADMISSIONS_BY_PERSON("u.code, u.id AS unit_id",
		"JOIN units u ON u.id = COALESCE(k.unit_id, c.unit_id) ",
		"WHERE u.path >= $3 AND u.path < $4 "),
		"SELECT u.code, " ADMISSION_COLS ", u.id FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id "
		"JOIN units u ON u.id = COALESCE(s.unit_id, c.unit_id) WHERE s.step = 'decision' "
		"AND s.date BETWEEN $1 "
		"AND $2 AND u.path >= $3 AND u.path < $4", "tttt", "ttttttitt" "ii", 0 },
	/* The candidacies of the subtree ($3 <= path < $4) with a step of
	 * each code dated in the period. Per step, not per unit and step: the
	 * funnel adds the units up anyway, a candidacy has one unit so the
	 * sum is the same, and SQLite's COUNT(DISTINCT) per unit and step (a
	 * temporary b-tree per group) took 1.7 times as long at 1.5 M steps.
	 * The subtree's unit ids as a list rather than a join of units: no
	 * lookup of units per step, and SQLite may start from a small
	 * subtree's candidacies (candidacies_unit_open) instead of the
	 * nation's steps of the period (at --scale 50: a district 0.7 s of
	 * CPU to 0.01 s, the root 0.65 s to 0.33 s). */
	/* Issue 15: a step counts for the unit its candidacy was in on its
	 * date — the candidacy's unit, or the step's own when it was stamped
	 * at a transfer (migration 009). This statement counts the common
	 * case (unstamped steps, the subtree's candidacies, as before);
	 * S_STEP_COUNTS_MOVED the few stamped ones, through steps_unit. */
	[S_STEP_COUNTS] = { "step_counts", "SELECT s.step, COUNT(DISTINCT s.candidacy_id) "
		"FROM steps s JOIN candidacies c ON c.id = s.candidacy_id "
		"WHERE s.date BETWEEN $1 AND $2 AND s.unit_id IS NULL AND c.unit_id IN (SELECT id "
		"FROM units WHERE path >= $3 AND path < $4) GROUP BY s.step", 0, "tttt", "ti", 0 },
	/* Candidacies open on as_of: source on or before it, and either
	 * still open or closed by a step dated after it. */
	[S_PIPELINE] = { "pipeline", "SELECT c.id, p.ref, p.full_name, u.code, " STEP_COLS
		" FROM candidacies c JOIN people p ON p.id = c.person_id JOIN units u "
		"ON u.id = c.unit_id JOIN steps s ON s.candidacy_id = c.id" STEP_JOINS
		" WHERE EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 "
		"AND x.date <= $1) AND (c.is_open = 1 OR EXISTS (SELECT 1 FROM steps y "
		"WHERE y.candidacy_id = c.id AND y.date > $1)) ORDER BY c.id, s.seq", 0, "t",
		"ittt" STEP_TYPES, ST_STREAM },
	/* The same for the subtree of unit $2 (NULL: every root), steps' code
	 * and date only. A candidacy closed after as_of is found through the
	 * step that closed it (official or an ending step: RULES.md §2), which
	 * the (step, date) index reaches directly, rather than by reading
	 * every step of every closed candidacy. */
	/* Issue 15: a candidacy counts for the unit its person belonged to
	 * on as_of — the sending unit of the first transfer not accepted by
	 * then (transfers_person), else the candidacy's; the candidacies that
	 * left the subtree after as_of come in through transfers_from. */
#define PIPELINE_DATES(person, join) "WITH sub(id) AS (SELECT id FROM units " \
		"WHERE path >= $2 AND path < $3), " \
		"live(id) AS (SELECT id FROM candidacies WHERE is_open = 1 " \
		"AND unit_id IN (SELECT id FROM sub) " \
		"UNION SELECT candidacy_id FROM steps " \
		"WHERE step IN ('official', 'withdrawn', 'rejected', 'struck_off') AND date > $1 " \
		"UNION SELECT c.id FROM transfers t JOIN candidacies c ON c.person_id = t.person_id " \
		"WHERE t.from_unit_id IN (SELECT id FROM sub) AND t.in_date > $1), " \
		"cand(id, person_id, unit_id) AS (SELECT c.id, c.person_id, COALESCE((SELECT " \
		"t.from_unit_id FROM transfers t WHERE t.person_id = c.person_id AND t.in_date > $1 " \
		"ORDER BY t.out_date, t.id LIMIT 1), c.unit_id) FROM candidacies c " \
		"WHERE c.id IN (SELECT id FROM live)) " \
		"SELECT c.id, " person ", u.code, s.id, s.step, s.date, ext.date FROM cand c " \
		join "JOIN units u ON u.id = c.unit_id " \
		"JOIN steps s ON s.candidacy_id = c.id " \
		/* issue 15: the DL-DECISION extension, at most one a candidacy */ \
		"LEFT JOIN decision_extensions ext ON ext.candidacy_id = c.id " \
		"WHERE c.unit_id IN (SELECT id FROM sub) " \
		"AND EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 " \
		"AND x.date <= $1) ORDER BY c.id, s.seq"
	[S_PIPELINE_DATES] = { "pipeline_dates", PIPELINE_DATES("p.ref, p.full_name",
		"JOIN people p ON p.id = c.person_id "), 0, "ttt", "itttittt", ST_STREAM },
	/* The same rows without the people's refs and names: the person's id
	 * and NULL instead (store_pipeline_dates_bare): the dashboard and the
	 * deadline counts read the names of the few they show, if any, not a
	 * random page of people for each of the subtree's open candidacies
	 * (at the national root 251,000 of them, a third of the time). */
	[S_PIPELINE_DATES_BARE] = { "pipeline_dates_bare", PIPELINE_DATES("c.person_id, NULL", ""),
		0, "ttt", "iittittt", ST_STREAM },
	/* Issue 13 (migration 016): the candidacies of S_PIPELINE_DATES, but
	 * one whose steps are all dated on or before as_of and none of them
	 * official or an ending step (fast = 1) comes as one row with the
	 * latest date of each kind the deadlines and the decisions queue read
	 * (candidacies.trained_on … probation_vote_on), the step's columns
	 * NULL; the others (closed after as_of, or with a step after it) with
	 * their steps as before, in the order of their ids. The open ones of
	 * the subtree settled on as_of (S_PIPELINE_SETTLED's, which reads
	 * them without the union, the transfers' lookup of the unit and the
	 * join of the steps) are left out: store_pipeline_latest runs both.
	 * The subtree is tested on each candidacy's unit (its path), not by
	 * listing the subtree's units, which at the root are every unit. */
#define PIPELINE_LATEST(person, join, open) "WITH live(id) AS (" open " " \
		"UNION SELECT candidacy_id FROM steps " \
		"WHERE step IN ('official', 'withdrawn', 'rejected', 'struck_off') AND date > $1 " \
		"UNION SELECT c.id FROM transfers t JOIN units f ON f.id = t.from_unit_id " \
		"JOIN candidacies c ON c.person_id = t.person_id " \
		"WHERE f.path >= $2 AND f.path < $3 AND t.in_date > $1), " \
		"cand(id, person_id, unit_id, fast, tr, intro, cv, cmv, dcs, cer, pv) AS (SELECT " \
		"c.id, c.person_id, COALESCE((SELECT " \
		"t.from_unit_id FROM transfers t WHERE t.person_id = c.person_id AND t.in_date > $1 " \
		"ORDER BY t.out_date, t.id LIMIT 1), c.unit_id), CASE WHEN c.last_date <= $1 " \
		"AND c.closed_on IS NULL THEN 1 ELSE 0 END, c.trained_on, c.introduced_on, " \
		"c.cell_vote_on, c.committee_vote_on, c.decision_on, c.ceremony_on, " \
		"c.probation_vote_on FROM candidacies c " \
		"WHERE c.id IN (SELECT id FROM live)) " \
		"SELECT c.id, " person ", u.code, s.id, s.step, s.date, ext.date, c.fast, " \
		"c.tr, c.intro, c.cv, c.cmv, c.dcs, c.cer, c.pv FROM cand c " \
		join "JOIN units u ON u.id = c.unit_id " \
		"LEFT JOIN steps s ON s.candidacy_id = c.id AND c.fast = 0 " \
		"LEFT JOIN decision_extensions ext ON ext.candidacy_id = c.id " \
		"WHERE u.path >= $2 AND u.path < $3 AND (c.fast = 1 " \
		"OR EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 " \
		"AND x.date <= $1)) ORDER BY c.id, s.seq"
	/* The open ones of the subtree with a step after as_of: the others
	 * are settled, or come in through a transfer from the subtree (the
	 * third part of live), or have nothing open (closed by as_of, or no
	 * step). Found through the subtree's units (LATEST_PATH: half a
	 * second at the national root), or, when few steps are dated after
	 * as_of (S_STEPS_LATER), through those steps (LATEST_LATER: the
	 * (step, date) index, one range a step code; steps.step holds the
	 * codes of core/model.h's step table). */
#define LATEST_PATH "SELECT c.id FROM candidacies c JOIN units w ON w.id = c.unit_id " \
		"WHERE c.is_open = 1 AND w.path >= $2 AND w.path < $3 AND c.last_date > $1"
#define STEP_CODES "('source', 'mentor', 'trained', 'applied', 'verified', 'introduced', " \
		"'cell_vote', 'committee_vote', 'decision', 'ceremony', 'probation_vote', " \
		"'official', 'withdrawn', 'rejected', 'struck_off')"
#define LATEST_LATER "SELECT c.id FROM steps s JOIN candidacies c ON c.id = s.candidacy_id " \
		"JOIN units w ON w.id = c.unit_id WHERE s.step IN " STEP_CODES " AND s.date > $1 " \
		"AND c.is_open = 1 AND w.path >= $2 AND w.path < $3"
#define PEOPLE_JOIN "JOIN people p ON p.id = c.person_id "
	[S_PIPELINE_LATEST] = { "pipeline_latest", PIPELINE_LATEST("p.ref, p.full_name",
		PEOPLE_JOIN, LATEST_PATH), 0, "ttt", "itttittti" "ttttttt", ST_STREAM },
	[S_PIPELINE_LATEST_BARE] = { "pipeline_latest_bare", PIPELINE_LATEST("c.person_id, NULL",
		"", LATEST_PATH), 0, "ttt", "iittittti" "ttttttt", ST_STREAM },
	[S_PIPELINE_LATER] = { "pipeline_later", PIPELINE_LATEST("p.ref, p.full_name",
		PEOPLE_JOIN, LATEST_LATER), 0, "ttt", "itttittti" "ttttttt", ST_STREAM },
	[S_PIPELINE_LATER_BARE] = { "pipeline_later_bare", PIPELINE_LATEST("c.person_id, NULL",
		"", LATEST_LATER), 0, "ttt", "iittittti" "ttttttt", ST_STREAM },
	/* How many steps are dated after $1, counted up to $2. */
	[S_STEPS_LATER] = { "steps_later", "SELECT COUNT(*) FROM (SELECT 1 FROM steps "
		"WHERE step IN " STEP_CODES " AND date > $1 LIMIT $2) x", 0, "ti", "i", 0 },
#undef PIPELINE_LATEST
#undef LATEST_PATH
#undef LATEST_LATER
#undef STEP_CODES
	/* Issue 13: the open candidacies of the subtree settled on as_of —
	 * every step dated on or before it, none closing (closed_on NULL),
	 * the person in no transfer arriving after it (so the candidacy's
	 * own unit considers it) — one row each: the latest date of each
	 * kind (as S_PIPELINE_LATEST's fast rows) and the DL-DECISION
	 * extension, in no particular order (the callers sort what they
	 * show). _ALL: every unit, a scan of the candidacies (at the
	 * national root 0.5 s against 0.9 s through the units' paths), with
	 * the unit's id instead of its code (the caller's tree knows it:
	 * another 0.2 s); the others: the subtree's units by path, then
	 * their open candidacies. */
#define PIPELINE_SETTLED(person, unit, join, from, where) "SELECT c.id, " person ", " unit ", " \
		"ext.date, c.trained_on, c.introduced_on, c.cell_vote_on, c.committee_vote_on, " \
		"c.decision_on, c.ceremony_on, c.probation_vote_on FROM " from " " join \
		"LEFT JOIN decision_extensions ext ON ext.candidacy_id = c.id WHERE " where \
		"c.is_open = 1 AND c.last_date <= $1 AND c.closed_on IS NULL AND NOT EXISTS " \
		"(SELECT 1 FROM transfers t WHERE t.person_id = c.person_id AND t.in_date > $1)"
#define SETTLED_ALL "candidacies c"
#define SETTLED_SUB "units u CROSS JOIN candidacies c"
#define SETTLED_IN_SUB "c.unit_id = u.id AND u.path >= $2 AND u.path < $3 AND "
	[S_PIPELINE_SETTLED] = { "pipeline_settled", PIPELINE_SETTLED("p.ref, p.full_name",
		"u.code", PEOPLE_JOIN, SETTLED_SUB, SETTLED_IN_SUB), 0, "ttt", "itttt" "ttttttt", ST_STREAM },
	[S_PIPELINE_SETTLED_BARE] = { "pipeline_settled_bare", PIPELINE_SETTLED("c.person_id, NULL",
		"u.code", "", SETTLED_SUB, SETTLED_IN_SUB), 0, "ttt", "iittt" "ttttttt", ST_STREAM },
	[S_PIPELINE_SETTLED_ALL] = { "pipeline_settled_all", PIPELINE_SETTLED("p.ref, p.full_name",
		"c.unit_id", PEOPLE_JOIN, SETTLED_ALL, ""), 0, "t", "ittit" "ttttttt", ST_STREAM },
	[S_PIPELINE_SETTLED_ALL_BARE] = { "pipeline_settled_all_bare",
		PIPELINE_SETTLED("c.person_id, NULL", "c.unit_id", "", SETTLED_ALL, ""), 0, "t",
		"iitit" "ttttttt",
		ST_STREAM },
#undef PIPELINE_SETTLED
#undef SETTLED_ALL
#undef SETTLED_SUB
#undef SETTLED_IN_SUB
#undef PEOPLE_JOIN
	/* A candidacy's dates of migration 016 from its steps, in the order
	 * of CAND_DATES_COLS below (the aggregate its triggers compute). */
#define CAND_DATES_MAX "MAX(date), MAX(CASE WHEN step = 'trained' THEN date END), " \
	"MAX(CASE WHEN step = 'introduced' THEN date END), " \
	"MAX(CASE WHEN step = 'cell_vote' THEN date END), " \
	"MAX(CASE WHEN step = 'committee_vote' THEN date END), " \
	"MAX(CASE WHEN step = 'decision' THEN date END), " \
	"MAX(CASE WHEN step = 'ceremony' THEN date END), " \
	"MAX(CASE WHEN step = 'probation_vote' THEN date END), " \
	"MAX(CASE WHEN step IN ('official', 'withdrawn', 'rejected', 'struck_off') THEN date END)"
	/* `ketnap verify`: the candidacies whose dates of migration 016
	 * (kept by its triggers) are not those of their steps, by id, with
	 * the person's ref (NULL: none). IS NOT is SQLite's spelling of IS
	 * DISTINCT FROM. */
#define CAND_DATES_WRONG(ne) "WITH a(candidacy_id, d0, d1, d2, d3, d4, d5, d6, d7, d8) " \
	"AS (SELECT candidacy_id, " CAND_DATES_MAX " FROM steps GROUP BY candidacy_id) " \
	"SELECT c.id, p.ref FROM candidacies c LEFT JOIN people p ON p.id = c.person_id " \
	"LEFT JOIN a ON a.candidacy_id = c.id " \
	"WHERE c.last_date " ne " a.d0 OR c.trained_on " ne " a.d1 OR c.introduced_on " ne \
	" a.d2 OR c.cell_vote_on " ne " a.d3 OR c.committee_vote_on " ne " a.d4 " \
	"OR c.decision_on " ne " a.d5 OR c.ceremony_on " ne " a.d6 OR c.probation_vote_on " \
	ne " a.d7 OR c.closed_on " ne " a.d8 ORDER BY c.id"
	[S_CAND_DATES_WRONG] = { "cand_dates_wrong", CAND_DATES_WRONG("IS NOT"),
		CAND_DATES_WRONG("IS DISTINCT FROM"), "", "it", ST_STREAM },
#undef CAND_DATES_WRONG
	/* `ketnap verify`: the people whose latest candidacy's unit and
	 * openness of migration 018 (kept by its triggers) are not those of
	 * their candidacy of the largest id (none: NULL and 0), by id. */
#define PEOPLE_LATEST_WRONG(ne) "WITH m(person_id, id) AS (SELECT person_id, MAX(id) " \
	"FROM candidacies GROUP BY person_id) SELECT p.id, p.ref FROM people p " \
	"LEFT JOIN m ON m.person_id = p.id LEFT JOIN candidacies c ON c.id = m.id " \
	"WHERE p.latest_unit " ne " c.unit_id OR p.latest_open " ne " COALESCE(c.is_open, 0) " \
	"ORDER BY p.id"
	[S_PEOPLE_LATEST_WRONG] = { "people_latest_wrong", PEOPLE_LATEST_WRONG("IS NOT"),
		PEOPLE_LATEST_WRONG("IS DISTINCT FROM"), "", "it", ST_STREAM },
#undef PEOPLE_LATEST_WRONG
	/* Issue 13: the dates of migration 016 recomputed from the steps for
	 * the candidacies of the steps whose id is above $1: a bulk load
	 * (store_bulk_begin) writes its steps without the insert trigger
	 * and sets their candidacies' dates once at its end. SQLite: each
	 * candidacy's steps read through steps_candidacy (which covers step
	 * and date), the candidacies in id order; at province size 0.27 s of
	 * CPU against 0.61 s for the UPDATE … FROM an aggregate of
	 * PostgreSQL's text, which materialises the aggregate first.
	 * PostgreSQL: one aggregate joined to the candidacies (a hash join),
	 * rather than a subplan run per candidacy. */
#define CAND_DATES_COLS "(last_date, trained_on, introduced_on, cell_vote_on, " \
	"committee_vote_on, decision_on, ceremony_on, probation_vote_on, closed_on)"
	[S_CAND_DATES_SINCE] = { "cand_dates_since", "UPDATE candidacies SET " CAND_DATES_COLS
		" = (SELECT " CAND_DATES_MAX " FROM steps s WHERE s.candidacy_id = candidacies.id) "
		"WHERE id IN (SELECT candidacy_id FROM steps WHERE id > $1)",
		"WITH a(cid, d0, d1, d2, d3, d4, d5, d6, d7, d8) AS (SELECT candidacy_id, "
		CAND_DATES_MAX " FROM steps WHERE candidacy_id IN (SELECT candidacy_id FROM steps "
		"WHERE id > $1) GROUP BY candidacy_id) UPDATE candidacies SET " CAND_DATES_COLS
		" = (a.d0, a.d1, a.d2, a.d3, a.d4, a.d5, a.d6, a.d7, a.d8) FROM a "
		"WHERE a.cid = candidacies.id", "i", "", 0 },
#undef CAND_DATES_COLS
#undef CAND_DATES_MAX
	/* The refs and names of the people whose ids are the JSON array $1. */
	[S_PEOPLE_NAMES] = { "people_names", "SELECT p.id, p.ref, p.full_name FROM json_each($1) j "
		"JOIN people p ON p.id = j.value", "SELECT p.id, p.ref, p.full_name FROM "
		"json_array_elements_text($1::json) j(v) JOIN people p ON p.id = j.v::bigint", "t",
		"itt", 0 },

	/* ---- issue 15: re-admission (RULES.md §9, migration 010) ---- */
	/* A struck_off step's leaving: the latest replaces an earlier one. */
	[S_PERSON_LEAVE] = { "person_leave", "UPDATE people SET left_on = $2, left_reason = $3 "
		"WHERE id = $1", 0, "itt", "", 0 },
	/* A re-admission's decision $2: readmitted, once set, is kept
	 * (KN-READMIT-ONCE); stored membership dates (the earlier
	 * membership) give way to the new one, whose seniority restarts. */
	[S_PERSON_READMITTED] = { "person_readmitted", "UPDATE people SET readmitted = 1, "
		"member_since = CASE WHEN COALESCE(member_since, official_since) < $2 THEN $2 "
		"ELSE member_since END, official_since = CASE WHEN COALESCE(member_since, "
		"official_since) < $2 THEN NULL ELSE official_since END WHERE id = $1", 0, "it", "",
		0 },

	/* ---- audit ---- */
	[S_AUDIT_COUNT] = { "audit_count", "SELECT COUNT(*) FROM audit", 0, "", "i", 0 },
	/* NULL filters match everything. */
	[S_AUDIT_LIST] = { "audit_list", "SELECT " AUDIT_COLS " FROM audit "
		"WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR entity = $2) "
		"AND ($3 IS NULL OR substr(key, 1, length($3)) = $3) "
		"ORDER BY id DESC LIMIT $5 OFFSET $4", 0, "tttii", AUDIT_TYPES, 0 },
	[S_HEAD_GET] = { "head_get", "SELECT id, hash, n FROM audit_head WHERE one = 1", 0, "",
		"iti", 0 },
	/* The head with the last id there is (a row added by hand must not
	 * make the insert fail). On PostgreSQL, the row lock that serialises
	 * appends to the chain; SQLite's BEGIN IMMEDIATE already did. */
#define HEAD_LOCK "SELECT h.id, h.hash, h.n, (SELECT COALESCE(MAX(id), 0) FROM audit) " \
	"FROM audit_head h WHERE h.one = 1"
	[S_HEAD_LOCK] = { "head_lock", HEAD_LOCK, HEAD_LOCK " FOR UPDATE", "", "itii", 0 },
	/* Made on the first entry (two first writers on PostgreSQL: the second
	 * waits on the first's row, then does nothing); from the last entry
	 * there is if any (a head row deleted by hand), else the empty chain
	 * $1. "WHERE true": SQLite's parser needs it before ON CONFLICT. */
	[S_HEAD_INIT] = { "head_init", "INSERT INTO audit_head (one, id, hash, n) SELECT 1, "
		"COALESCE(MAX(id), 0), COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), $1), "
		"COUNT(*) FROM audit WHERE true ON CONFLICT (one) DO NOTHING", 0, "t", "", 0 },
	[S_HEAD_SET] = { "head_set", "UPDATE audit_head SET id = $1, hash = $2, n = $3 "
		"WHERE one = 1", 0, "iti", "", 0 },
	[S_HEAD_NEW] = { "head_new", "INSERT INTO audit_head (one, id, hash, n) "
		"VALUES (1, $1, $2, $3)", 0, "iti", "", 0 },
	[S_AUDIT_INSERT] = { "audit_insert", "INSERT INTO audit (id, at, actor, action, entity, key, before, after, hash) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", 0, "itttttttt", "", 0 },
	[S_AUDIT_EACH] = { "audit_each", "SELECT " AUDIT_COLS ", hash FROM audit ORDER BY id", 0,
		"", AUDIT_TYPES "t", ST_STREAM },
	[S_AUDIT_BATCH] = { "audit_batch", "SELECT " AUDIT_COLS " FROM audit WHERE id > $1 "
		"ORDER BY id LIMIT 4096", 0, "i", AUDIT_TYPES, 0 },
	[S_AUDIT_SET_HASH] = { "audit_set_hash", "UPDATE audit SET hash = $2 WHERE id = $1", 0,
		"it", "", 0 },

	/* ---- accounts ---- */
	[S_USER_GET] = { "user_get", "SELECT " USER_COLS " WHERE x.name = $1", 0, "t", USER_TYPES,
		0 },
	[S_USER_INSERT] = { "user_insert", "INSERT INTO users (name, unit_id, role, pw_hash, "
		"disabled, created_at) VALUES ($1, " BY_CODE(2) ", $3, $4, $5, $6)", 0, "ttttit", "",
		0 },
	[S_USER_UPDATE] = { "user_update", "UPDATE users SET unit_id = " BY_CODE(2) ", role = $3, "
		"pw_hash = $4, disabled = $5 WHERE name = $1", 0, "tttti", "", 0 },
	[S_USER_ALL] = { "user_all", "SELECT " USER_COLS " ORDER BY x.name", 0, "", USER_TYPES, 0 },
	[S_USER_TOKEN] = { "user_token", "UPDATE users SET token_hash = $2 WHERE name = $1", 0,
		"tt", "", 0 },
	[S_USER_BY_TOKEN] = { "user_by_token", "SELECT " USER_COLS " WHERE x.token_hash = $1", 0,
		"t", USER_TYPES, 0 },
	[S_SESSION_NEW] = { "session_new", "INSERT INTO sessions (token_hash, user_id, csrf, "
		"created, last_seen) VALUES ($1, (SELECT id FROM users WHERE name = $2), $3, $4, $5)",
		0, "tttii", "", 0 },
	[S_SESSION_GET] = { "session_get", "SELECT x.token_hash, u.name, x.csrf, x.created, "
		"x.last_seen FROM sessions x JOIN users u ON u.id = x.user_id WHERE x.token_hash = $1",
		0, "t", "tttii", 0 },
	/* A courtesy write made by every kind of request, reads included: it
	 * never waits for the lock (a read must not stall behind a long
	 * import); the caller skips it when the database is busy. */
	[S_SESSION_TOUCH] = { "session_touch", "UPDATE sessions SET last_seen = $2 "
		"WHERE token_hash = $1", 0, "ti", "", ST_NOWAIT },
	[S_SESSION_DELETE] = { "session_delete", "DELETE FROM sessions WHERE token_hash = $1", 0,
		"t", "", 0 },
	[S_SESSION_PURGE] = { "session_purge", "DELETE FROM sessions WHERE last_seen < $1", 0, "i",
		"", 0 },
	[S_SESSION_END_USER] = { "session_end_user", "DELETE FROM sessions WHERE user_id = "
		"(SELECT id FROM users WHERE name = $1) AND ($2 IS NULL OR token_hash <> $2)", 0, "tt",
		"", 0 },
	[S_LOGIN_GET] = { "login_get", "SELECT count, first_at FROM login_failures WHERE key = $1",
		0, "t", "ii", 0 },
	[S_LOGIN_PUT] = { "login_put", "INSERT INTO login_failures (key, count, first_at) VALUES "
		"($1, $2, $3) ON CONFLICT (key) DO UPDATE SET count = excluded.count, "
		"first_at = excluded.first_at", 0, "tii", "", 0 },
	[S_LOGIN_RESET] = { "login_reset", "DELETE FROM login_failures WHERE key = $1", 0, "t", "",
		0 },
	/* One statement, so that two connections never both read the same
	 * count: SQLite runs it under the database's write lock; PostgreSQL's
	 * INSERT … ON CONFLICT takes the row's lock, and racing attempts queue.
	 * SQLite's scalar max() is PostgreSQL's GREATEST(); PostgreSQL needs
	 * the table named in the DO UPDATE. */
	[S_LOGIN_COUNT] = { "login_count",
		"INSERT INTO login_failures (key, count, first_at) VALUES ($1, max($4, 0), $2) "
		"ON CONFLICT (key) DO UPDATE SET "
		"count = max(CASE WHEN first_at < $2 - $3 THEN 0 ELSE count END + $4, 0), "
		"first_at = CASE WHEN first_at < $2 - $3 THEN $2 ELSE first_at END "
		"RETURNING count",
		"INSERT INTO login_failures (key, count, first_at) VALUES ($1, GREATEST($4, 0), $2) "
		"ON CONFLICT (key) DO UPDATE SET "
		"count = GREATEST(CASE WHEN login_failures.first_at < $2 - $3 "
		"THEN 0 ELSE login_failures.count END + $4, 0), "
		"first_at = CASE WHEN login_failures.first_at < $2 - $3 "
		"THEN $2 ELSE login_failures.first_at END RETURNING count",
		"tiii", "i", 0 },

	/* ---- the change counter (migration 005, store_changes()) ---- */
	[S_CHANGES_GET] = { "changes_get", "SELECT n FROM changes WHERE one = 1", 0, "", "i", 0 },
	/* The row exists from the first write on, as audit_head's. */
	[S_CHANGES_BUMP] = { "changes_bump", "INSERT INTO changes (one, n) VALUES (1, 1) "
		"ON CONFLICT (one) DO UPDATE SET n = changes.n + 1", 0, "", "", 0 },
	/* Whether actor $2 wrote anything audited at or after $1 (UTC, as
	 * store_now_iso() writes it): asked by the web server's cache before
	 * it serves a text built a few seconds ago to someone who may have
	 * written since through another server (web/cache.c); a range of
	 * audit_at over those few seconds. */
	[S_AUDIT_ACTOR_SINCE] = { "audit_actor_since", "SELECT 1 FROM audit WHERE at >= $1 "
		"AND actor = $2 LIMIT 1", 0, "tt", "i", 0 },

	/* ---- the units version (migration 008, store_units_version()) ---- */
	[S_UNITS_VERSION] = { "units_version", "SELECT units FROM changes WHERE one = 1", 0, "",
		"i", 0 },

	/* ---- issue 15: transfers (migration 009, store_transfers.c) ---- */
#define TRANSFER_COLS "t.id, p.ref, t.out_date, f.code, d.code, t.in_date, t.doc_no, t.note, " \
	"t.override, t.override_by, t.recorded_by, t.recorded_at FROM transfers t " \
	"JOIN people p ON p.id = t.person_id JOIN units f ON f.id = t.from_unit_id " \
	"JOIN units d ON d.id = t.to_unit_id "
#define TRANSFER_TYPES "itttttttttt" "t"
	/* A person's transfers in date order (transfers_person). */
	[S_TRANSFERS_OF] = { "transfers_of", "SELECT " TRANSFER_COLS "WHERE t.person_id = $1 "
		"ORDER BY t.out_date, t.id", 0, "i", TRANSFER_TYPES, 0 },
	/* The export's order: by person ref, then date. */
	[S_TRANSFER_EACH] = { "transfer_each", "SELECT " TRANSFER_COLS "ORDER BY p.ref, "
		"t.out_date, t.id", "SELECT " TRANSFER_COLS "ORDER BY p.ref COLLATE \"C\", "
		"t.out_date, t.id", "", TRANSFER_TYPES, ST_STREAM },
	/* issue 13: the same for the people whose unit is in the subtree
	 * $1 <= path < $2. */
	[S_TRANSFER_EACH_SUB] = { "transfer_each_sub", "SELECT " TRANSFER_COLS "JOIN units pu "
		"ON pu.id = p.unit_id WHERE pu.path >= $1 AND pu.path < $2 ORDER BY p.ref, "
		"t.out_date, t.id", "SELECT " TRANSFER_COLS "JOIN units pu ON pu.id = p.unit_id "
		"WHERE pu.path >= $1 AND pu.path < $2 ORDER BY p.ref COLLATE \"C\", t.out_date, "
		"t.id", "tt", TRANSFER_TYPES, ST_STREAM },
	[S_TRANSFER_INSERT] = { "transfer_insert", "INSERT INTO transfers (person_id, out_date, "
		"from_unit_id, to_unit_id, in_date, doc_no, note, override, override_by, recorded_by, "
		"recorded_at) VALUES ($1, $2, " BY_CODE(3) ", " BY_CODE(4) ", $5, $6, $7, $8, $9, "
		"$10, $11) RETURNING id", 0, "itttttttttt", "i", 0 },
	/* The acceptance: only a transfer still in transit (a second writer
	 * finds none and is told). */
	[S_TRANSFER_ARRIVE] = { "transfer_arrive", "UPDATE transfers SET in_date = $2 "
		"WHERE id = $1 AND in_date IS NULL", 0, "it", "", 0 },
	/* A re-imported row whose letter number, note or override changed. */
	[S_TRANSFER_UPDATE] = { "transfer_update", "UPDATE transfers SET doc_no = $2, note = $3, "
		"override = $4, override_by = $5 WHERE id = $1", 0, "itttt", "", 0 },
	/* At `in`: the person's current unit, ... */
	[S_PERSON_MOVE] = { "person_move", "UPDATE people SET unit_id = " BY_CODE(2)
		" WHERE id = $1", 0, "it", "", 0 },
	/* ... the open candidacy's steps dated before the arrival keep the
	 * unit they were recorded in, the sending unit $3 (NULL: the
	 * candidacy's, which is about to move), ... */
	[S_STEPS_STAMP] = { "steps_stamp", "UPDATE steps SET unit_id = " BY_CODE(3)
		" WHERE candidacy_id = $1 AND unit_id IS NULL AND date < $2", 0, "itt", "", 0 },
	/* ... and the candidacy moves (a form drawn before is stale). */
	[S_CAND_MOVE] = { "cand_move", "UPDATE candidacies SET unit_id = " BY_CODE(2) ", "
		"version = version + 1 WHERE id = $1", 0, "it", "", 0 },
	/* A step recorded after a move but dated before it: the unit it
	 * belongs to, when not the candidacy's. */
	[S_STEP_SET_UNIT] = { "step_set_unit", "UPDATE steps SET unit_id = " BY_CODE(2)
		" WHERE id = $1", 0, "it", "", 0 },
	/* The transfers in transit on $1 that leave or reach the subtree
	 * $2 <= path < $3 (DL-TRANSFER, in the deadlines of both sides):
	 * each side through its own index; the last column says whether the
	 * sending unit is in the subtree. */
	/* The stamped steps of the subtree's units (S_STEP_COUNTS above
	 * counts the others), each candidacy once per code: not when
	 * S_STEP_COUNTS already counted it for an unstamped step of the same
	 * code in the period (a `trained` again after the move). */
	[S_STEP_COUNTS_MOVED] = { "step_counts_moved", "SELECT s.step, "
		"COUNT(DISTINCT s.candidacy_id) FROM steps s WHERE s.unit_id IN (SELECT id "
		"FROM units WHERE path >= $3 AND path < $4) AND s.date BETWEEN $1 AND $2 "
		"AND NOT EXISTS (SELECT 1 FROM steps y JOIN candidacies c ON c.id = y.candidacy_id "
		"WHERE y.candidacy_id = s.candidacy_id AND y.step = s.step AND y.unit_id IS NULL "
		"AND y.date BETWEEN $1 AND $2 AND c.unit_id IN (SELECT id FROM units "
		"WHERE path >= $3 AND path < $4)) GROUP BY s.step", 0, "tttt", "ti", 0 },
	/* The people in transit to the subtree $1 <= path < $2, oldest
	 * letter first, at most $3 (the destination's dashboard: its editor
	 * accepts them); through transfers_arriving. The transfers in transit
	 * are few and the subtree may be a nation's 325 k units: SQLite is
	 * made to walk the first (CROSS JOIN keeps t outermost) and test each
	 * destination's path, rather than fill a temporary table with the
	 * subtree's ids on every dashboard (95% of a cached province root's
	 * time). PostgreSQL plans it freely either way. */
	[S_TRANSFERS_ARRIVING] = { "transfers_arriving", "SELECT p.ref, p.full_name, f.code, "
		"d.code, t.out_date, 0 FROM transfers t CROSS JOIN units d JOIN people p "
		"ON p.id = t.person_id JOIN units f ON f.id = t.from_unit_id "
		"WHERE d.id = t.to_unit_id AND t.in_date IS NULL AND d.path >= $1 "
		"AND d.path < $2 ORDER BY t.out_date, t.id LIMIT $3", 0, "tti", "ttttti", 0 },
	[S_TRANSFER_TRANSIT] = { "transfer_transit", "WITH sub(id) AS (SELECT id FROM units "
		"WHERE path >= $2 AND path < $3), x(id) AS (SELECT id FROM transfers "
		"WHERE from_unit_id IN (SELECT id FROM sub) AND out_date <= $1 AND (in_date IS NULL "
		"OR in_date > $1) UNION SELECT id FROM transfers WHERE to_unit_id IN (SELECT id "
		"FROM sub) AND out_date <= $1 AND (in_date IS NULL OR in_date > $1)) "
		"SELECT p.ref, p.full_name, f.code, d.code, t.out_date, "
		"CASE WHEN t.from_unit_id IN (SELECT id FROM sub) THEN 1 ELSE 0 END "
		"FROM transfers t JOIN people p ON p.id = t.person_id JOIN units f "
		"ON f.id = t.from_unit_id JOIN units d ON d.id = t.to_unit_id "
		"WHERE t.id IN (SELECT id FROM x) ORDER BY t.out_date, t.id", 0, "ttt", "ttttti", 0 },
	/* The same over every unit (the sending side is always inside): the
	 * transfers read once, not looked up for each of the nation's units. */
	[S_TRANSFER_TRANSIT_ALL] = { "transfer_transit_all", "SELECT p.ref, p.full_name, f.code, "
		"d.code, t.out_date, 1 FROM transfers t JOIN people p ON p.id = t.person_id "
		"JOIN units f ON f.id = t.from_unit_id JOIN units d ON d.id = t.to_unit_id "
		"WHERE t.out_date <= $1 AND (t.in_date IS NULL OR t.in_date > $1) "
		"ORDER BY t.out_date, t.id", 0, "t", "ttttti", 0 },

	/* ---- issue 15: the DL-DECISION extension (migration 012) ---- */
	[S_EXT_GET] = { "ext_get", "SELECT x.date, x.doc_no, u.code, x.actor "
		"FROM decision_extensions x JOIN units u ON u.id = x.unit_id "
		"WHERE x.candidacy_id = $1", 0, "i", "tttt", 0 },
	[S_EXT_PUT] = { "ext_put", "INSERT INTO decision_extensions (candidacy_id, date, doc_no, "
		"unit_id, actor) VALUES ($1, $2, $3, " BY_CODE(4) ", $5)", 0, "ittt" "t", "", 0 },

	/* ---- issue 15: the sources report ---- */
	/* Per nominating organisation (the source step's org): the
	 * candidacies of the subtree ($3 <= path < $4) whose source is dated
	 * in the period $1..$2 ('sourced'), and those whose decision is
	 * ('admitted', by the org of their source, whenever it was). Both
	 * halves start from the period's steps (steps_step_date) and keep the
	 * subtree's candidacies, as S_STEP_COUNTS does.
	 * Each step counts for the unit the candidacy was in on the step's
	 * date (RULES.md §8: COALESCE(s.unit_id, c.unit_id), as S_ADMISSIONS):
	 * the source's unit for sourced, the decision's for admitted.
	 * A candidacy's source is its first step (seq 1, as S_PIPELINE reads
	 * it): said in the join so that SQLite looks it up by (candidacy_id,
	 * seq), the unique index, and not through steps_step_date, which
	 * covers org since 014 and would be scanned for every decision. */
	/* On SQLite the admitted half reads the period's decisions sorted by
	 * candidacy (k, as ADMISSIONS_BY_PERSON says why), so that their
	 * candidacies and their sources are looked up in the order of the
	 * tables and indexes rather than one random page each (at the
	 * national root 0.7 s of the summary's). */
#define SOURCES_DECIDED "WITH k AS MATERIALIZED (SELECT candidacy_id, unit_id FROM steps " \
	"WHERE step = 'decision' AND date BETWEEN $1 AND $2 ORDER BY candidacy_id LIMIT -1) "
	[S_SOURCE_COUNTS] = { "source_counts", SOURCES_DECIDED "SELECT 'sourced', s.org, "
		"COUNT(*) FROM steps s JOIN candidacies c ON c.id = s.candidacy_id "
		"WHERE s.step = 'source' AND s.date BETWEEN $1 AND $2 "
		"AND COALESCE(s.unit_id, c.unit_id) IN (SELECT id FROM units WHERE path >= $3 "
		"AND path < $4) "
		"GROUP BY s.org "
		"UNION ALL SELECT 'admitted', o.org, COUNT(*) FROM k "
		"CROSS JOIN candidacies c ON c.id = k.candidacy_id "
		"LEFT JOIN steps o ON o.candidacy_id = c.id AND o.seq = 1 AND o.step = 'source' "
		"WHERE COALESCE(k.unit_id, c.unit_id) IN (SELECT id FROM units WHERE path >= $3 "
		"AND path < $4) "
		"GROUP BY o.org",
		"SELECT 'sourced', s.org, COUNT(*) FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id "
		"WHERE s.step = 'source' AND s.date BETWEEN $1 AND $2 "
		"AND COALESCE(s.unit_id, c.unit_id) IN (SELECT id FROM units WHERE path >= $3 "
		"AND path < $4) "
		"GROUP BY s.org "
		"UNION ALL SELECT 'admitted', o.org, COUNT(*) FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id "
		"LEFT JOIN steps o ON o.candidacy_id = c.id AND o.seq = 1 AND o.step = 'source' "
		"WHERE s.step = 'decision' AND s.date BETWEEN $1 AND $2 "
		"AND COALESCE(s.unit_id, c.unit_id) IN (SELECT id FROM units WHERE path >= $3 "
		"AND path < $4) "
		"GROUP BY o.org", "tttt", "tti", 0 },

	/* ---- issue 15: identity and duplicates (migration 011, store_dups.c) ---- */
	/* Possible duplicates (RULES.md §10): equal folded names and birth
	 * dates, found through people_dup (011). Each pair once, its first
	 * person the earlier in Vietnamese name order (name_key, then ref as
	 * bytes: COLLATE "C" columns on PostgreSQL), pairs in that order. The
	 * whole organisation first groups people_dup's entries in index order
	 * (a covering scan, no table read) and keeps the keys held more than
	 * once, then reads only those people: probing the index for each of
	 * 6.5 M people took about 35 s, the grouping a few; a subtree ($1 <= path < $2, both people in it) starts from its units
	 * (units_path, people_unit), so a small subtree reads only its own.
	 * $3 rows, $4 skipped first. */
#define DUP_COLS "SELECT a.ref, a.full_name, ua.code, b.ref, b.full_name, ub.code, " \
	"a.birth_date FROM "
#define DUP_JOIN " JOIN people b ON b.search_name = a.search_name " \
	"AND b.birth_date = a.birth_date AND (b.name_key > a.name_key OR (b.name_key = " \
	"a.name_key AND b.ref > a.ref)) JOIN units ub ON ub.id = b.unit_id "
#define DUP_ORDER " ORDER BY a.name_key, a.ref, b.name_key, b.ref "
	[S_DUP_PAIRS] = { "dup_pairs", "WITH g AS (SELECT search_name, birth_date FROM people "
		"WHERE birth_date IS NOT NULL GROUP BY search_name, birth_date HAVING COUNT(*) > 1) "
		DUP_COLS "g JOIN people a ON a.search_name = g.search_name AND a.birth_date = "
		"g.birth_date JOIN units ua ON ua.id = a.unit_id" DUP_JOIN DUP_ORDER
		"LIMIT $1 OFFSET $2", 0, "ii", "ttttttt", 0 },
	[S_DUP_PAIRS_SUB] = { "dup_pairs_sub", DUP_COLS "units ua JOIN people a ON "
		"a.unit_id = ua.id" DUP_JOIN "WHERE ua.path >= $1 AND ua.path < $2 "
		"AND ub.path >= $1 AND ub.path < $2" DUP_ORDER "LIMIT $3 OFFSET $4", 0, "ttii",
		"ttttttt", 0 },
	/* The possible duplicates of the person $1 (other people), within the
	 * subtree $2 <= path < $3 (NULL: everyone), by ref; at most 50. */
	[S_DUP_OF] = { "dup_of", "SELECT " PERSON_COLS " FROM people k JOIN people p "
		"ON p.search_name = k.search_name AND p.birth_date = k.birth_date AND p.id <> k.id "
		"JOIN units u ON u.id = p.unit_id WHERE k.ref = $1 AND ($2 IS NULL OR "
		"(u.path >= $2 AND u.path < $3)) ORDER BY p.ref LIMIT 50", 0, "ttt", PERSON_TYPES,
		0 },
	/* A merged-away ref and the ref of the person it went into. */
	[S_MERGED_GET] = { "merged_get", "SELECT p.ref FROM merged_refs m JOIN people p "
		"ON p.id = m.into_id WHERE m.ref = $1", 0, "t", "t", 0 },
	/* Every merged-away ref (a handful: merges are made one by one by
	 * hand), with the ref and unit of the person it went into, by ref as
	 * bytes: what a people import checks its rows against. */
	[S_MERGED_ALL] = { "merged_all", "SELECT m.ref, p.ref, u.code FROM merged_refs m "
		"JOIN people p ON p.id = m.into_id JOIN units u ON u.id = p.unit_id ORDER BY m.ref",
		0, "", "ttt", 0 },
	[S_MERGED_PUT] = { "merged_put", "INSERT INTO merged_refs (ref, into_id, merged_at, "
		"merged_by) VALUES ($1, $2, $3, $4)", 0, "titt", "", 0 },
	/* The refs merged into $2 earlier now go into $1 with it. */
	[S_MERGED_REPOINT] = { "merged_repoint", "UPDATE merged_refs SET into_id = $1 "
		"WHERE into_id = $2", 0, "ii", "", 0 },
	/* `person merge KEEP DROP`: DROP's ($2) rows become KEEP's ($1). A
	 * moved candidacy's version moves, so a form drawn before is stale. */
	[S_MERGE_CANDS] = { "merge_cands", "UPDATE candidacies SET person_id = $1, "
		"version = version + 1 WHERE person_id = $2", 0, "ii", "", 0 },
	[S_MERGE_MEMBER] = { "merge_member", "UPDATE steps SET member_id = $1 "
		"WHERE member_id = $2", 0, "ii", "", 0 },
	[S_MERGE_INTRO1] = { "merge_intro1", "UPDATE steps SET intro1_id = $1 "
		"WHERE intro1_id = $2", 0, "ii", "", 0 },
	[S_MERGE_INTRO2] = { "merge_intro2", "UPDATE steps SET intro2_id = $1 "
		"WHERE intro2_id = $2", 0, "ii", "", 0 },
	[S_MERGE_PERSON_DELETE] = { "merge_person_delete", "DELETE FROM people WHERE id = $1", 0,
		"i", "", 0 },
	/* A person's candidacies are read oldest first by id (the latest is
	 * the current one): after a merge whose candidacies interleave in
	 * time, each is made again in date order — a new row (closed until
	 * its steps are on it: one open candidacy per person), its steps
	 * moved onto it, the old row deleted, then its open flag set. */
	[S_MERGE_CAND_COPY] = { "merge_cand_copy", "INSERT INTO candidacies (person_id, unit_id, "
		"stage, is_open, version) SELECT person_id, unit_id, stage, 0, version + 1 "
		"FROM candidacies WHERE id = $1 RETURNING id", 0, "i", "i", 0 },
	[S_MERGE_STEPS_MOVE] = { "merge_steps_move", "UPDATE steps SET candidacy_id = $1 "
		"WHERE candidacy_id = $2", 0, "ii", "", 0 },
	[S_MERGE_CAND_DELETE] = { "merge_cand_delete", "DELETE FROM candidacies WHERE id = $1",
		0, "i", "", 0 },
	[S_MERGE_CAND_OPEN] = { "merge_cand_open", "UPDATE candidacies SET is_open = $2 "
		"WHERE id = $1", 0, "ii", "", 0 },
	[S_MERGE_CAND_IS_OPEN] = { "merge_cand_is_open", "SELECT is_open FROM candidacies "
		"WHERE id = $1", 0, "i", "i", 0 },
	/* issue 13: web lists */
	/* A list that shows only people with a candidacy (no `people`, no
	 * ref searched) is read from the candidacies' side: the count stops
	 * after $8 rows of candidacies (in id order, or of the open ones
	 * through candidacies_one_open, which holds only those), not after
	 * walking the people whose latest candidacy does not pass; the few
	 * rows of a SCAN plan are read from the same side and sorted. The
	 * filters are CAND_WHERE's, so the rows are those of S_CAND_COUNT and
	 * S_CAND_PAGE_SCAN. CROSS JOIN keeps SQLite on the candidacies first;
	 * "c.is_open = 1" in the ON lets it use the partial index. */
#define CAND_BY_CAND(join, open) "FROM candidacies c " join " people p ON p.id = c.person_id " \
	open "AND c.id = " CAND_LATEST("c.person_id") " "
/* The open ones, and with a stage ($4) only those at it: on this side
 * every row has a candidacy, so CAND_WHERE's stage test is "$4 IS NULL
 * OR c.stage = $4", which this range says again in a form SQLite reads
 * through candidacies_open_stage (013) — stage names are lowercase
 * words, all below 'z'. */
#define CAND_OPEN_ONLY "AND c.is_open = 1 AND c.stage BETWEEN COALESCE($4, '') " \
	"AND COALESCE($4, 'z') "
	[S_CAND_COUNT_CAND] = { "cand_count_cand", CAND_COUNT(CAND_BY_CAND("CROSS JOIN", ""), "+"),
		CAND_COUNT(CAND_BY_CAND("JOIN", ""), ""), "tttti" "it" "i", "i", ST_REPLAN },
	[S_CAND_COUNT_OPEN] = { "cand_count_open", CAND_COUNT(CAND_BY_CAND("CROSS JOIN",
		CAND_OPEN_ONLY), "+"), CAND_COUNT(CAND_BY_CAND("JOIN", CAND_OPEN_ONLY), ""),
		"tttti" "it" "i", "i", ST_REPLAN },
	[S_CAND_PAGE_CSCAN] = { "cand_page_cscan", CAND_PAGE(CAND_BY_CAND("CROSS JOIN", ""), "+",
		"", "+"), CAND_PAGE(CAND_BY_CAND("JOIN", ""), "", " COLLATE \"C\"", ""),
		CAND_PAGE_TYPES },
	[S_CAND_PAGE_OSCAN] = { "cand_page_oscan", CAND_PAGE(CAND_BY_CAND("CROSS JOIN",
		CAND_OPEN_ONLY), "+", "", "+"), CAND_PAGE(CAND_BY_CAND("JOIN", CAND_OPEN_ONLY), "",
		" COLLATE \"C\"", ""), CAND_PAGE_TYPES },
	/* The page before the person $8 (the pager's "previous" on a long
	 * list), as S_CAND_PAGE and S_CAND_PAGE_UNIT read the page after it:
	 * the same index walked the other way, so that going back costs what
	 * going forward does at any depth. $10 (the offset) is 0. */
	[S_CAND_PAGE_BEFORE] = { "cand_page_before", CAND_PAGE_DIR(CAND_BY_NAME, "+", "", "",
		CAND_OPEN_FIRST, "<", " DESC"), CAND_PAGE_DIR(CAND_BY_NAME, "", " COLLATE \"C\"", "",
		"", "<", " DESC"), CAND_PAGE_TYPES },
	[S_CAND_PAGE_UNIT_BEFORE] = { "cand_page_unit_before", CAND_PAGE_DIR(
		CAND_BY_UNIT("CROSS JOIN"), "+", "", "", "", "<", " DESC"), CAND_PAGE_DIR(
		CAND_BY_UNIT("JOIN"), "", " COLLATE \"C\"", "", "", "<", " DESC"), CAND_PAGE_TYPES },
	/* issue 13: web lists */
	/* The decisions queue (core/queue.h) of the subtree $2 <= path < $3
	 * on as_of $1: the rows of S_PIPELINE_DATES for only the candidacies
	 * that may wait for the decision — open at cell_vote or committee_vote
	 * (the stage is the latest ordered step, so one whose steps are all
	 * dated by as_of can wait only there; candidacies_open_stage, 013,
	 * holds just those), any with a step after as_of that moved its stage
	 * past committee_vote or closed it (decision and the ordered steps
	 * after it, an ending step: the stage is the highest ordered step, so
	 * one waiting on as_of and not at those stages now has one; through
	 * steps_step_date, which for the summary of a past year is that
	 * year's successors, not every later step — and of them only those
	 * with none of those steps by as_of and a vote by as_of, which waiting
	 * needs: the summary of 2024 at the national root read 307 k
	 * candidacies' 2.8 M steps for 16 k such; the ids sorted first, so
	 * that the two lookups per id walk steps_candidacy in order), and
	 * those in transit on as_of — rather than every open candidacy of the
	 * subtree with all its steps. The subtree is tested on each row's
	 * unit (its path), not by listing the subtree's units, which at the
	 * root are every unit. CROSS JOIN keeps SQLite on the candidacies and
	 * the transfers first. */
#define QUEUE_PAST "('decision', 'ceremony', 'probation_vote', 'official', 'withdrawn', " \
	"'rejected', 'struck_off')"
#define QUEUE_DATES(join) "WITH later(id) AS MATERIALIZED (SELECT DISTINCT candidacy_id " \
	"FROM steps WHERE step IN " QUEUE_PAST " AND date > $1 ORDER BY 1), " \
	"live(id) AS (SELECT c.id FROM candidacies c " join " units w " \
	"ON w.id = c.unit_id WHERE c.is_open = 1 AND c.stage IN ('cell_vote', 'committee_vote') " \
	"AND w.path >= $2 AND w.path < $3 " \
	"UNION SELECT k.id FROM later k WHERE EXISTS (SELECT 1 FROM steps v " \
	"WHERE v.candidacy_id = k.id AND v.step IN ('cell_vote', 'committee_vote') " \
	"AND v.date <= $1) AND NOT EXISTS (SELECT 1 FROM steps y WHERE y.candidacy_id = k.id " \
	"AND y.step IN " QUEUE_PAST " AND y.date <= $1) " \
	"UNION SELECT c.id FROM transfers t " join " units f ON f.id = t.from_unit_id " \
	"JOIN candidacies c ON c.person_id = t.person_id " \
	"WHERE t.in_date > $1 AND f.path >= $2 AND f.path < $3), " \
	"cand(id, person_id, unit_id) AS (SELECT c.id, c.person_id, COALESCE((SELECT " \
	"t.from_unit_id FROM transfers t WHERE t.person_id = c.person_id AND t.in_date > $1 " \
	"ORDER BY t.out_date, t.id LIMIT 1), c.unit_id) FROM candidacies c " \
	"WHERE c.id IN (SELECT id FROM live)) " \
	"SELECT c.id, p.ref, p.full_name, u.code, s.id, s.step, s.date, ext.date FROM cand c " \
	"JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id " \
	"JOIN steps s ON s.candidacy_id = c.id " \
	"LEFT JOIN decision_extensions ext ON ext.candidacy_id = c.id " \
	"WHERE u.path >= $2 AND u.path < $3 " \
	"AND EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 " \
	"AND x.date <= $1) ORDER BY c.id, s.seq"
	[S_QUEUE_DATES] = { "queue_dates", QUEUE_DATES("CROSS JOIN"), QUEUE_DATES("JOIN"), "ttt",
		"itttittt", ST_STREAM },
	/* The list's overdue mark: a candidacy's steps, code and date only
	 * (what deadlines_for() reads), from steps_candidacy alone. */
	[S_CAND_STEP_DATES] = { "cand_step_dates", "SELECT id, step, date FROM steps "
		"WHERE candidacy_id = $1 ORDER BY seq", 0, "i", "itt", 0 },

	/* issue 13: steps import */
	/* A bulk writer's step (store_step_append): the number and the
	 * people's ids are the caller's, who holds the write transaction and
	 * looked them up already, so that no subquery runs per row. On
	 * SQLite without RETURNING, which it runs through an ephemeral table
	 * opened and closed per row (a third of the insert's time), the id
	 * then read by S_LAST_ROWID; on PostgreSQL with it, one round
	 * trip. */
#define STEP_APPEND_SQL "INSERT INTO steps (candidacy_id, seq, step, date, doc_no, org, " \
	"member_id, intro1_id, intro1_since, intro2_id, intro2_since, votes_for, votes_total, " \
	"consent, override, override_by, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, " \
	"$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
	[S_STEP_APPEND] = { "step_append", STEP_APPEND_SQL, 0, "iittttiititiitttttt", "", 0 },
	[S_STEP_APPEND_RET] = { "step_append_ret", STEP_APPEND_SQL " RETURNING id", 0,
		"iittttiititiitttttt", "i", 0 },
	/* SQLite's id of the row its last INSERT on this connection wrote,
	 * read by a bulk writer only (store_steps.c), which holds the store
	 * alone; PostgreSQL's text only prepares (test_stmt): there the
	 * inserts return their ids. */
	[S_LAST_ROWID] = { "last_rowid", "SELECT last_insert_rowid()", "SELECT lastval()", "",
		"i", 0 },
	/* S_CAND_NEW without RETURNING (S_STEP_APPEND says why): SQLite's
	 * bulk writer. */
	[S_CAND_NEW_BULK] = { "cand_new_bulk", "INSERT INTO candidacies (person_id, unit_id, "
		"stage, is_open, readmission) VALUES ($1, " BY_CODE(2) ", 'source', 1, $3)", 0,
		"iti", "", 0 },
#undef STEP_APPEND_SQL
	/* The stage of a candidacy after n steps appended by one bulk writer
	 * (store_candidacy_stage_n): S_CAND_STAGE's writes, once. */
	[S_CAND_STAGE_N] = { "cand_stage_n", "UPDATE candidacies SET stage = $2, is_open = $3, "
		"version = version + $4, last_date = $5, trained_on = $6, introduced_on = $7, "
		"cell_vote_on = $8, committee_vote_on = $9, decision_on = $10, ceremony_on = $11, "
		"probation_vote_on = $12, closed_on = $13 WHERE id = $1", 0,
		"itii" "ttttttttt", "", 0 },
	/* The steps above id $1: those of a bulk load (store_bulk_end). */
	[S_STEPS_SINCE] = { "steps_since", "SELECT COUNT(*) FROM steps WHERE id > $1", 0, "i",
		"i", 0 },

	/* ---- issue 13: reports of the whole organisation ---- */
	/* When the report's unit is the one root, every step is in its
	 * subtree: these read the period's steps through steps_step_date
	 * (step, date, candidacy_id, unit_id, org: migration 014, so that
	 * the step rows themselves are not read) with no list of the
	 * subtree's units and no join of units. At the national root (325 k
	 * units, 8.6 M steps) the subtree statements listed every unit once
	 * or twice and read every candidacy's steps of every year. */
	/* S_ADMISSIONS with the unit as its id only (column 11). */
	/* The people in the order of their ids, as S_ADMISSIONS reads them. */
	[S_ADMISSIONS_ALL] = { "admissions_all", ADMISSIONS_BY_PERSON("NULL AS code, "
		"COALESCE(k.unit_id, c.unit_id) AS unit_id", "", ""),
		"SELECT NULL, " ADMISSION_COLS ", "
		"COALESCE(s.unit_id, c.unit_id) FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id "
		"WHERE s.step = 'decision' AND s.date BETWEEN $1 AND $2", "tt",
		"ttttttitt" "ii", 0 },
	/* The candidacies with a step of code $3 dated $1..$2, one row per
	 * step: the caller counts them once each (a trained or introduced
	 * step may be recorded again, RULES.md §2), as S_STEP_COUNTS'
	 * COUNT(DISTINCT) does. SQLite's COUNT(DISTINCT) over 1.9 M steps
	 * builds a temporary b-tree per step code: 2.3 s at the national
	 * root, against sorting the ids (store_reads.c). */
	[S_STEP_CANDS_ALL] = { "step_cands_all", "SELECT candidacy_id FROM steps "
		"WHERE step = $3 AND date BETWEEN $1 AND $2", 0, "ttt", "i", ST_STREAM },
	/* S_SOURCE_COUNTS without the subtree: no candidacy is read. */
	[S_SOURCE_COUNTS_ALL] = { "source_counts_all", SOURCES_DECIDED "SELECT 'sourced', "
		"s.org, COUNT(*) "
		"FROM steps s WHERE s.step = 'source' AND s.date BETWEEN $1 AND $2 GROUP BY s.org "
		"UNION ALL SELECT 'admitted', o.org, COUNT(*) FROM k "
		"LEFT JOIN steps o ON o.candidacy_id = k.candidacy_id AND o.seq = 1 "
		"AND o.step = 'source' GROUP BY o.org",
		"SELECT 'sourced', s.org, COUNT(*) "
		"FROM steps s WHERE s.step = 'source' AND s.date BETWEEN $1 AND $2 GROUP BY s.org "
		"UNION ALL SELECT 'admitted', o.org, COUNT(*) FROM steps s "
		"LEFT JOIN steps o ON o.candidacy_id = s.candidacy_id AND o.seq = 1 "
		"AND o.step = 'source' "
		"WHERE s.step = 'decision' AND s.date BETWEEN $1 AND $2 GROUP BY o.org", "tt",
		"tti", 0 },
	/* How many roots the tree has (a report of the one root is a report
	 * of the whole organisation). */
	[S_UNIT_NROOTS] = { "unit_nroots", "SELECT COUNT(*) FROM units WHERE parent_id IS NULL",
		0, "", "i", 0 },
	/* The reports' quotas: those of year $3 of the subtree
	 * $1 <= path < $2, by unit id (S_QUOTA_SUB names the unit by its
	 * code: a string per row to copy and to look up, 0.3 s of the
	 * national root's achievement); and those of year $1 of every unit,
	 * without a join of units. */
	[S_QUOTA_YEAR] = { "quota_year", "SELECT q.unit_id, q.category, q.target FROM units u "
		"JOIN quotas q ON q.unit_id = u.id WHERE u.path >= $1 AND u.path < $2 "
		"AND q.year = $3", 0, "tti", "iti", 0 },
	[S_QUOTA_YEAR_ALL] = { "quota_year_all", "SELECT unit_id, category, target FROM quotas "
		"WHERE year = $1", 0, "i", "iti", 0 },
	/* The units of S_ADMISSIONS' rows (of S_ADMISSIONS_ALL's), and
	 * nothing of the people: the achievement and the ranking count
	 * admissions per unit, and a nation's 150 k random reads of people
	 * were three quarters of their time. */
	[S_ADMISSION_UNITS] = { "admission_units", "SELECT u.id FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id "
		"JOIN units u ON u.id = COALESCE(s.unit_id, c.unit_id) WHERE s.step = 'decision' "
		"AND s.date BETWEEN $1 AND $2 AND u.path >= $3 AND u.path < $4", 0, "tttt", "i", 0 },
	[S_ADMISSION_UNITS_ALL] = { "admission_units_all", "SELECT COALESCE(s.unit_id, c.unit_id) "
		"FROM steps s JOIN candidacies c ON c.id = s.candidacy_id "
		"WHERE s.step = 'decision' AND s.date BETWEEN $1 AND $2", 0, "tt", "i", 0 },
	/* ---- issue 13: the root reports read what they print (store_report.c) ----
	 * The units of the subtree of the unit coded $1 down to $2 levels
	 * below it, each with its quota of the total for year $3 (NULL:
	 * none), then the ancestors of that unit (no quota: a report shows
	 * none of them): an achievement to depth 1 at a nation's root reads
	 * 64 units, not 325 thousand. Through units_parent, level by level. */
#define REPORT_UNIT_COLS "u.id, u.code, p.code, u.name, u.kind, u.may_admit, u.sector, " \
	"u.special_area"
	[S_REPORT_UNITS] = { "report_units", "WITH RECURSIVE t(id, d) AS (SELECT id, 0 "
		"FROM units WHERE code = $1 UNION ALL SELECT u.id, t.d + 1 FROM units u "
		"JOIN t ON u.parent_id = t.id WHERE t.d < $2), up(id) AS (SELECT parent_id "
		"FROM units WHERE code = $1 UNION ALL SELECT x.parent_id FROM units x "
		"JOIN up ON x.id = up.id WHERE x.parent_id IS NOT NULL) "
		"SELECT " REPORT_UNIT_COLS ", q.target FROM units u LEFT JOIN units p "
		"ON p.id = u.parent_id LEFT JOIN quotas q ON q.unit_id = u.id AND q.year = $3 "
		"AND q.category = 'total' WHERE u.id IN (SELECT id FROM t) "
		"UNION ALL SELECT " REPORT_UNIT_COLS ", NULL FROM units u LEFT JOIN units p "
		"ON p.id = u.parent_id WHERE u.id IN (SELECT id FROM up)", 0, "tii",
		UNIT_TYPES "i", 0 },
#undef REPORT_UNIT_COLS
	/* The quotas of year $2 of the unit coded $1, every category. */
	[S_REPORT_QUOTA_TOP] = { "report_quota_top", "SELECT q.category, q.target FROM quotas q "
		"JOIN units u ON u.id = q.unit_id WHERE u.code = $1 AND q.year = $2", 0, "ti",
		"ti", 0 },
	/* The decisions dated $1..$2 counted per unit (the unit the
	 * candidacy was in on the decision's date, RULES.md §8), with the
	 * unit's path: the caller adds each count to the nearest unit on the
	 * path that it shows, then rolls them up over those units. Of the
	 * subtree $3 <= path < $4, or (_ALL) of every unit; on SQLite the
	 * decisions sorted by candidacy first (k, as ADMISSIONS_BY_PERSON
	 * says why) and the counts joined to units once per unit. */
	[S_REPORT_ADM_UNITS] = { "report_adm_units", "SELECT u.id, u.path, COUNT(*) FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id "
		"JOIN units u ON u.id = COALESCE(s.unit_id, c.unit_id) WHERE s.step = 'decision' "
		"AND s.date BETWEEN $1 AND $2 AND u.path >= $3 AND u.path < $4 "
		"GROUP BY u.id, u.path", 0, "tttt", "iti", 0 },
	[S_REPORT_ADM_UNITS_ALL] = { "report_adm_units_all", "WITH k AS MATERIALIZED (SELECT "
		"candidacy_id, unit_id FROM steps WHERE step = 'decision' AND date BETWEEN $1 AND $2 "
		"ORDER BY candidacy_id LIMIT -1), g AS MATERIALIZED (SELECT COALESCE(k.unit_id, "
		"c.unit_id) AS unit_id, COUNT(*) AS n FROM k CROSS JOIN candidacies c "
		"ON c.id = k.candidacy_id GROUP BY 1) SELECT u.id, u.path, g.n FROM g "
		"CROSS JOIN units u ON u.id = g.unit_id",
		"SELECT u.id, u.path, COUNT(*) FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id "
		"JOIN units u ON u.id = COALESCE(s.unit_id, c.unit_id) WHERE s.step = 'decision' "
		"AND s.date BETWEEN $1 AND $2 GROUP BY u.id, u.path", "tt", "iti", 0 },
	/* S_ADMISSIONS' decisions and people (ADMISSION_COLS), with the
	 * unit's id, path and own sector instead of its code: the structure
	 * categories without a tree of every unit (store_report.c). */
#define REPORT_CATS(where, org, dorg, ojoin) "WITH k AS MATERIALIZED (SELECT candidacy_id, date, " \
	"unit_id FROM steps WHERE step = 'decision' AND date BETWEEN $1 AND $2 ORDER BY " \
	"candidacy_id LIMIT -1), d AS MATERIALIZED (SELECT k.date, c.person_id, c.readmission, " \
	"u.id AS unit_id, u.path, u.sector" org " FROM k CROSS JOIN candidacies c " \
	"ON c.id = k.candidacy_id JOIN units u ON u.id = COALESCE(k.unit_id, c.unit_id) " ojoin \
	where "ORDER BY c.person_id LIMIT -1) SELECT d.date, p.sex, p.birth_date, p.ethnicity, " \
	"p.religion, p.youth_union, p.occupation, p.qualification, d.readmission, d.unit_id, " \
	"d.path, d.sector" dorg " FROM d CROSS JOIN people p ON p.id = d.person_id"
#define REPORT_CATS_PG(where, org, ojoin) "SELECT " ADMISSION_COLS ", u.id, u.path, " \
	"u.sector" org " FROM steps s JOIN candidacies c ON c.id = s.candidacy_id " \
	"JOIN people p ON p.id = c.person_id JOIN units u ON u.id = COALESCE(s.unit_id, " \
	"c.unit_id) " ojoin "WHERE s.step = 'decision' AND s.date BETWEEN $1 AND $2" where
	[S_REPORT_ADM_CATS] = { "report_adm_cats",
		REPORT_CATS("WHERE u.path >= $3 AND u.path < $4 ", "", "", ""),
		REPORT_CATS_PG(" AND u.path >= $3 AND u.path < $4", "", ""), "tttt",
		"tttttitt" "iitt", 0 },
	[S_REPORT_ADM_CATS_ALL] = { "report_adm_cats_all", REPORT_CATS("", "", "", ""),
		REPORT_CATS_PG("", "", ""), "tt", "tttttitt" "iitt", 0 },
	/* The same with the nominating organisation of each one's source
	 * (its first step, as S_SOURCE_COUNTS reads it): the summary's
	 * sentence on the mass organisations (report_summary.c) from the
	 * decisions it reads anyway, looked up in the order of the
	 * candidacies, rather than from a second read of them (0.5 s at the
	 * national root). */
#define SOURCE_ORG ", o.org"
#define SOURCE_JOIN "LEFT JOIN steps o ON o.candidacy_id = c.id AND o.seq = 1 " \
	"AND o.step = 'source' "
	[S_REPORT_ADM_CATS_ORG] = { "report_adm_cats_org",
		REPORT_CATS("WHERE u.path >= $3 AND u.path < $4 ", SOURCE_ORG " AS org", ", d.org",
			    SOURCE_JOIN),
		REPORT_CATS_PG(" AND u.path >= $3 AND u.path < $4", SOURCE_ORG, SOURCE_JOIN),
		"tttt", "tttttitt" "iitt" "t", 0 },
	[S_REPORT_ADM_CATS_ORG_ALL] = { "report_adm_cats_org_all",
		REPORT_CATS("", SOURCE_ORG " AS org", ", d.org", SOURCE_JOIN),
		REPORT_CATS_PG("", SOURCE_ORG, SOURCE_JOIN),
		"tt", "tttttitt" "iitt" "t", 0 },
#undef SOURCE_ORG
#undef SOURCE_JOIN
#undef REPORT_CATS
#undef REPORT_CATS_PG

	/* ---- issue 13, PostgreSQL imports (i18-pgimp) ----
	 * A row the importer knows is new, since it read every stored row
	 * of the kind in its own transaction (store_person_add,
	 * store_quota_add): no read before the write, so that PostgreSQL can
	 * send the inserts ahead in one pipeline (store_pg.c, "writes sent
	 * ahead"). The texts are S_PERSON_INSERT's and S_QUOTA_PUT's without
	 * the upsert (PERSON_INSERT, QUOTA_INSERT): a row that is there after
	 * all is a unique violation. */
	[S_PERSON_ADD] = { "person_add", PERSON_INSERT, 0, PERSON_INSERT_PARAMS, "", 0 },
	[S_QUOTA_ADD] = { "quota_add", QUOTA_INSERT, 0, "titi", "", 0 },
	/* A unit the units importer knows is new, its parent already written
	 * (store_unit_add): S_UNIT_INSERT's text, then S_UNIT_SET_PATH's
	 * without RETURNING, both sent ahead by PostgreSQL. */
	[S_UNIT_ADD] = { "unit_add", UNIT_INSERT, 0, "tttti" "ti", "", 0 },
	[S_UNIT_ADD_PATH] = { "unit_add_path", UNIT_SET_PATH, 0, "t", "", 0 },

	/* ---- issue 13: the people import streams (store_records.c) ---- */
	/* 1 when the people table holds anyone, else 0: read from the first
	 * entry rather than counted. */
	[S_PEOPLE_ANY] = { "people_any", "SELECT COUNT(*) FROM (SELECT 1 FROM people LIMIT 1) x",
		0, "", "i", 0 },
	/* Every person sharing a folded name and birth date with another
	 * (RULES.md §10), unordered: the groups from people_dup's entries in
	 * index order (as S_DUP_PAIRS), then only those people read. */
	[S_PEOPLE_DUP_ROWS] = { "people_dup_rows", "WITH g AS (SELECT search_name, birth_date "
		"FROM people WHERE birth_date IS NOT NULL GROUP BY search_name, birth_date "
		"HAVING COUNT(*) > 1) SELECT p.search_name, p.birth_date, p.ref, p.full_name, "
		"u.code FROM g JOIN people p ON p.search_name = g.search_name "
		"AND p.birth_date = g.birth_date JOIN units u ON u.id = p.unit_id", 0, "",
		"ttttt", ST_STREAM },
	/* Every unit's code, by code as bytes (COLLATE "C" on PostgreSQL). */
	[S_UNIT_CODES_SORTED] = { "unit_codes_sorted", "SELECT code FROM units ORDER BY code", 0,
		"", "t", ST_STREAM },

	/* ---- issue 13: the summary's dossiers waiting for the decision ---- */
	/* S_QUEUE_DATES for a count (report_collect_waiting): the same
	 * candidacies and steps, without what only a list shows (the person's
	 * ref and name: NULL, no read of people), the first step's date read
	 * from steps_candidacy, which holds it (+x.seq: not the unique index
	 * (candidacy_id, seq) and then the step's row), and for the whole
	 * organisation (S_QUEUE_WAIT_ALL, top the only root) no path of a
	 * unit compared. At the national root, 18 k candidacies, each had
	 * read a page of people, of steps and of units at random: 1.4 s of
	 * the summary's CPU. */
#define QUEUE_WAIT(wjoin, wsub, fjoin, fsub, usub) "WITH later(id) AS MATERIALIZED " \
	"(SELECT DISTINCT candidacy_id FROM steps WHERE step IN " QUEUE_PAST " AND date > $1 " \
	"ORDER BY 1), live(id) AS (SELECT c.id FROM candidacies c " wjoin "WHERE c.is_open = 1 " \
	"AND c.stage IN ('cell_vote', 'committee_vote') " wsub \
	"UNION SELECT k.id FROM later k WHERE EXISTS (SELECT 1 FROM steps v " \
	"WHERE v.candidacy_id = k.id AND v.step IN ('cell_vote', 'committee_vote') " \
	"AND v.date <= $1) AND NOT EXISTS (SELECT 1 FROM steps y WHERE y.candidacy_id = k.id " \
	"AND y.step IN " QUEUE_PAST " AND y.date <= $1) " \
	"UNION SELECT c.id FROM transfers t " fjoin "JOIN candidacies c " \
	"ON c.person_id = t.person_id WHERE t.in_date > $1" fsub "), " \
	"cand(id, unit_id) AS (SELECT c.id, COALESCE((SELECT " \
	"t.from_unit_id FROM transfers t WHERE t.person_id = c.person_id AND t.in_date > $1 " \
	"ORDER BY t.out_date, t.id LIMIT 1), c.unit_id) FROM candidacies c " \
	"WHERE c.id IN (SELECT id FROM live)) " \
	"SELECT c.id, NULL, NULL, u.code, s.id, s.step, s.date, ext.date FROM cand c " \
	"JOIN units u ON u.id = c.unit_id JOIN steps s ON s.candidacy_id = c.id " \
	"LEFT JOIN decision_extensions ext ON ext.candidacy_id = c.id " \
	"WHERE " usub "EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id " \
	"AND +x.seq = 1 AND x.date <= $1) ORDER BY c.id, s.seq"
#define QUEUE_WAIT_SUB(join) QUEUE_WAIT(join " units w ON w.id = c.unit_id ", \
	"AND w.path >= $2 AND w.path < $3 ", join " units f ON f.id = t.from_unit_id ", \
	" AND f.path >= $2 AND f.path < $3", "u.path >= $2 AND u.path < $3 AND ")
	[S_QUEUE_WAIT] = { "queue_wait", QUEUE_WAIT_SUB("CROSS JOIN"), QUEUE_WAIT_SUB("JOIN"),
		"ttt", "itttittt", ST_STREAM },
	[S_QUEUE_WAIT_ALL] = { "queue_wait_all", QUEUE_WAIT("", "", "", "", ""), 0, "t",
		"itttittt", ST_STREAM },
	/* S_QUEUE_WAIT_ALL for the summary of the only root, where every
	 * dossier's owner is inside the top (store_report_waiting_root): the
	 * same candidacies and steps, the unit's code replaced by whether it
	 * is a chi bộ cơ sở (a grassroots unit without cells,
	 * unitree_is_basic_cell), the one fact of it a count needs, so that
	 * no tree of every unit is read (0.5 s at the national root). Those
	 * with a later closing step are found by a scan of the candidacies'
	 * dates of migration 016 instead of every such step of the steps:
	 * the latest of each kind after $1 says there is one after it, and
	 * one on or before $1 that there is one then (the NOT EXISTS would
	 * drop it), so only the others are looked up in steps (1.1 s of the
	 * summary of 2024 at the national root, all but one of its steps
	 * dated after the year's end). */
	[S_QUEUE_WAIT_ROOT] = { "queue_wait_root", "WITH later(id) AS MATERIALIZED "
		"(SELECT c.id FROM candidacies c WHERE (c.decision_on > $1 OR c.ceremony_on > $1 "
		"OR c.probation_vote_on > $1 OR c.closed_on > $1) "
		"AND (c.decision_on IS NULL OR c.decision_on > $1) "
		"AND (c.ceremony_on IS NULL OR c.ceremony_on > $1) "
		"AND (c.probation_vote_on IS NULL OR c.probation_vote_on > $1) "
		"AND (c.closed_on IS NULL OR c.closed_on > $1) "
		"AND (c.cell_vote_on IS NOT NULL OR c.committee_vote_on IS NOT NULL) "
		"AND (c.cell_vote_on <= $1 OR c.committee_vote_on <= $1 OR EXISTS (SELECT 1 "
		"FROM steps v WHERE v.candidacy_id = c.id AND v.step IN ('cell_vote', "
		"'committee_vote') AND v.date <= $1)) AND NOT EXISTS (SELECT 1 FROM steps y "
		"WHERE y.candidacy_id = c.id AND y.step IN " QUEUE_PAST " AND y.date <= $1)), "
		"live(id) AS (SELECT c.id FROM candidacies c WHERE c.is_open = 1 "
		"AND c.stage IN ('cell_vote', 'committee_vote') UNION SELECT id FROM later "
		"UNION SELECT c.id FROM transfers t JOIN candidacies c ON c.person_id = t.person_id "
		"WHERE t.in_date > $1), "
		"cand(id, unit_id) AS (SELECT c.id, COALESCE((SELECT t.from_unit_id FROM transfers t "
		"WHERE t.person_id = c.person_id AND t.in_date > $1 ORDER BY t.out_date, t.id "
		"LIMIT 1), c.unit_id) FROM candidacies c WHERE c.id IN (SELECT id FROM live)) "
		"SELECT c.id, CASE WHEN u.kind = 'grassroots' AND NOT EXISTS (SELECT 1 FROM units k "
		"WHERE k.parent_id = u.id AND k.kind = 'cell') THEN 1 ELSE 0 END, s.step, s.date, "
		"ext.date FROM cand c JOIN units u ON u.id = c.unit_id "
		"JOIN steps s ON s.candidacy_id = c.id "
		"LEFT JOIN decision_extensions ext ON ext.candidacy_id = c.id "
		"WHERE EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND +x.seq = 1 "
		"AND x.date <= $1) ORDER BY c.id, s.seq", 0, "t", "iittt", ST_STREAM },
#undef QUEUE_WAIT_SUB
#undef QUEUE_WAIT
	/* ---- issue 13: the steps import reads its people ahead (store_ahead.c) ----
	 * What the ledger reads of a person before judging their steps
	 * (S_PERSON_GET, S_CAND_OF with S_STEPS_OF, S_TRANSFERS_OF), for a
	 * batch of people at once: $1 is a JSON array of refs (S_AHEAD_PEOPLE)
	 * or of the ids it found (the others), taken apart by each backend's
	 * own JSON functions: one round trip per batch, not three or more per
	 * person, and each ref looked up once. Ordered by person id, so that
	 * the store hands each person their rows in one walk. The refs are
	 * compared as "C" text on PostgreSQL, as people.ref is: its index
	 * serves only that collation. PostgreSQL plans them again for each
	 * batch (ST_REPLAN): candidacies and steps grow from empty during an
	 * import, and a plan made at its first batch could scan them whole at
	 * its last. */
#define AHEAD_IN "(SELECT value FROM json_each($1))"
#define AHEAD_REFS_PG "(SELECT json_array_elements_text($1::json) COLLATE \"C\")"
#define AHEAD_IDS_PG "(SELECT json_array_elements_text($1::json)::bigint)"
#define AHEAD_PEOPLE(refs) "SELECT " PERSON_COLS PERSON_FROM "WHERE p.ref IN " refs \
	" ORDER BY p.id"
#define AHEAD_CANDS(ids) "SELECT id, person_id, stage, is_open, readmission " \
	"FROM candidacies WHERE person_id IN " ids " ORDER BY person_id, id"
#define AHEAD_STEPS(ids) "SELECT s.candidacy_id, " STEP_COLS " FROM steps s " \
	"JOIN candidacies c ON c.id = s.candidacy_id" STEP_JOINS " WHERE c.person_id IN " ids \
	" ORDER BY c.person_id, s.candidacy_id, s.seq"
/* TRANSFER_COLS from the person's transfers first (on PostgreSQL OFFSET 0
 * keeps the subquery whole): there are few, and a plan led by the ids
 * looked up every person in people's index for none. */
#define AHEAD_TRANSFERS(ids, fence) "SELECT t.id, p.ref, t.out_date, f.code, d.code, t.in_date, " \
	"t.doc_no, t.note, t.override, t.override_by, t.recorded_by, t.recorded_at " \
	"FROM (SELECT * FROM transfers WHERE person_id IN " ids fence ") t " \
	"JOIN people p ON p.id = t.person_id JOIN units f ON f.id = t.from_unit_id " \
	"JOIN units d ON d.id = t.to_unit_id ORDER BY t.person_id, t.out_date, t.id"
	[S_AHEAD_PEOPLE] = { "ahead_people", AHEAD_PEOPLE(AHEAD_IN), AHEAD_PEOPLE(AHEAD_REFS_PG),
		"t", PERSON_TYPES, ST_REPLAN },
	[S_AHEAD_CANDS] = { "ahead_cands", AHEAD_CANDS(AHEAD_IN), AHEAD_CANDS(AHEAD_IDS_PG),
		"t", "iiti" "i", ST_REPLAN },
	[S_AHEAD_STEPS] = { "ahead_steps", AHEAD_STEPS(AHEAD_IN), AHEAD_STEPS(AHEAD_IDS_PG),
		"t", "i" STEP_TYPES, ST_REPLAN },
	[S_AHEAD_TRANSFERS] = { "ahead_transfers", AHEAD_TRANSFERS(AHEAD_IN, ""),
		AHEAD_TRANSFERS(AHEAD_IDS_PG, " OFFSET 0"), "t", TRANSFER_TYPES, ST_REPLAN },

	/* ---- issue 13: the units import's new units, a batch a statement
	 * (store_units_add) ----
	 * $1 is a JSON array of [code, parent, name, kind, may_admit, sector,
	 * special_area], none the parent of another of the array. Each row
	 * gets the id a lone S_UNIT_ADD would have given it in array order
	 * (PostgreSQL: the next of units' sequence, drawn in array order;
	 * SQLite: the largest id + 1, as a rowid is chosen) and the path
	 * S_UNIT_ADD_PATH would have written, from its parent's, in the same
	 * statement. A row whose parent is not stored is not written, so that
	 * the count of rows written says so (store_units_add). Replanned for
	 * each batch: units grows from empty during an import. */
#define UNITS_ADD_COLS "INSERT INTO units (id, code, parent_id, name, kind, may_admit, sector, " \
	"special_area, path) "
	[S_UNITS_ADD] = { "units_add", UNITS_ADD_COLS "SELECT x.id, x.code, p.id, x.name, x.kind, "
		"x.may_admit, x.sector, x.special_area, COALESCE(p.path, '/') || x.id || '/' "
		"FROM (SELECT m.top + e.key + 1 AS id, json_extract(e.value, '$[0]') AS code, "
		"json_extract(e.value, '$[1]') AS parent, json_extract(e.value, '$[2]') AS name, "
		"json_extract(e.value, '$[3]') AS kind, json_extract(e.value, '$[4]') AS may_admit, "
		"json_extract(e.value, '$[5]') AS sector, json_extract(e.value, '$[6]') AS special_area "
		"FROM json_each($1) e, (SELECT COALESCE(MAX(id), 0) AS top FROM units) m) x "
		"LEFT JOIN units p ON p.code = x.parent WHERE x.parent IS NULL OR p.id IS NOT NULL "
		"ORDER BY x.id",
		UNITS_ADD_COLS "SELECT x.id, x.code, p.id, x.name, x.kind, x.may_admit, x.sector, "
		"x.special_area, COALESCE(p.path, '/') || x.id || '/' "
		"FROM (SELECT nextval('units_id_seq') AS id, e.v->>0 AS code, e.v->>1 AS parent, "
		"e.v->>2 AS name, e.v->>3 AS kind, (e.v->>4)::integer AS may_admit, e.v->>5 AS sector, "
		"(e.v->>6)::integer AS special_area FROM (SELECT v, n FROM jsonb_array_elements($1::jsonb) "
		"WITH ORDINALITY AS a(v, n) ORDER BY n OFFSET 0) e) x "
		"LEFT JOIN units p ON p.code = x.parent WHERE x.parent IS NULL OR p.id IS NOT NULL "
		"ORDER BY x.id", "t", "", ST_REPLAN },
#undef UNITS_ADD_COLS
};
