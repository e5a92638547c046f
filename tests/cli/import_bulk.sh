#!/bin/bash
# import_bulk.sh — the bulk path of a steps import (issue 13): on SQLite a
# load into a (nearly) empty steps table drops the table's date indexes
# and builds them again before the commit (store_bulk_begin), so the
# indexes must be there again, exactly as before, after a refused import
# (a rule broken by the last row of the file) as after a good one, with
# the data as it was; and an import is one audited event: one entry with
# the actor, the file, its SHA-256 and the counts, none per new row.
# Expected figures are written by hand. Runs on SQLite and, as
# pg/cli/import_bulk, on PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
# Rows sorted through temporary files (a small KETNAP_IMPORT_RUN_BYTES)
# give the same problems and the same steps as rows sorted in memory.
# The kill -9 half of the indexes' promise is tests/crash/kill9.sh's.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C.UTF-8 KETNAP_TODAY=2025-12-20
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
run() {
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
expect_rc() { if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, expected $1 (stderr: $(head -3 "$tmp/err"))"; fi; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "import_bulk.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

DB=$(KN_DB_DIR=$tmp kn_db bulk)
kn() { "$KETNAP" --db "$DB" "$@"; }
sql() { kn_sql "$DB" "$1"; }
# indexes, state and bulk_files.
. "$SRC/tests/lib/bulk_fixture.sh"

# 400 people, three steps each: 1,200 rows (tests/lib/bulk_fixture.sh).
bulk_files 400
# The same rows, and a last row whose cells are all good but which breaks
# the rules: a cell vote with too few votes, no introduction and no
# background check, judged by the ledger last of all (the last person, the
# latest date), when every row before it has been written.
{
	echo "person,step,date,doc_no,org,votes_for,votes_total"
	tail -n +2 steps.csv | sed 's/$/,,/'
	echo "P00400,cell_vote,2025-03-05,,,3,5"
} >bad.csv

kn init >/dev/null
run kn import units units.csv
expect_rc 0 "import units"
run kn import people people.csv
expect_rc 0 "import people"
idx0=$(indexes)
before=$(state)
# On SQLite an import into a database without candidacies also defers
# the candidacies' unit and stage indexes (store_sqlite.c, bulk_tables):
# they must come back as they were, too.
cidx() { if [ -z "${KN_TEST_PG:-}" ]; then sql "SELECT name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'candidacies' ORDER BY name"; fi; }
cidx0=$(cidx)
# 1 init, the units file's and the people file's entries.
expect_eq "$before" "0 steps, 0 candidacies, 3 audit entries" "the database before"
case $idx0 in
*steps_step_date*) ok ;;
*) bad "the date index is not there to begin with: $idx0" ;;
esac

# ---- a refused import: the last row breaks a rule ----
run kn import steps bad.csv
expect_rc 1 "an import whose last row breaks a rule"
case $err in
*"bad.csv:1202: step: KN-ORDER: "*) ok ;;
*) bad "the last row is not named: $err" ;;
esac
expect_eq "$(tail -1 "$tmp/err")" "ketnap: import refused: 4 problems; nothing was written" "the refusal's last line"
err_bad=$err
expect_eq "$(indexes)" "$idx0" "the indexes after a refused import"
expect_eq "$(cidx)" "$cidx0" "the candidacies' indexes after a refused import"
expect_eq "$(state)" "$before" "the data after a refused import"

# ---- a dry run of the good file: the same, nothing kept ----
run kn import steps steps.csv --dry-run
expect_rc 0 "a dry run"
expect_eq "$(indexes)" "$idx0" "the indexes after a dry run"
expect_eq "$(state)" "$before" "the data after a dry run"

# ---- the good file ----
run kn import steps steps.csv
expect_rc 0 "the import"
expect_eq "$out" "steps.csv: 1,200 rows, 1,200 added, 0 updated, 0 unchanged" "the import's summary"
expect_eq "$(indexes)" "$idx0" "the indexes after the import"
expect_eq "$(cidx)" "$cidx0" "the candidacies' indexes after the import"
expect_eq "$(state)" "1200 steps, 400 candidacies, 4 audit entries" "the data after the import"
# The file's SHA-256, worked out once by sha256sum and written here.
expect_eq "$(sha256sum steps.csv | cut -d' ' -f1)" \
	"46f0407c0479e493eb691bd8d84b818a26530f754b532f54b4c6d2a878d02d3b" "the file is the one the figures are for"
expect_eq "$(sql "SELECT actor || '|' || action || '|' || entity || '|' || key || '|' || COALESCE(before, 'NULL') || '|' || after FROM audit ORDER BY id DESC LIMIT 1")" \
	"tester|import|unit||NULL|kind=steps; file=steps.csv; sha256=46f0407c0479e493eb691bd8d84b818a26530f754b532f54b4c6d2a878d02d3b; rows=1200; added=1200; updated=0; unchanged=0" \
	"the import's one audit entry"
expect_eq "$(sql "SELECT COUNT(*) FROM audit WHERE action IN ('step', 'step-override', 'insert')")" 0 \
	"no entry per new row"
# Every step carries who recorded it instead.
expect_eq "$(sql "SELECT COUNT(*) FROM steps WHERE recorded_by = 'tester' AND recorded_at <> ''")" 1200 \
	"each step's recorded_by and recorded_at"
run kn verify
expect_rc 0 "verify after the import"
if [ -z "${KN_TEST_PG:-}" ]; then
	expect_eq "$(sql 'PRAGMA integrity_check')" ok "integrity_check after the import"
	# The rebuilt index is the one the period queries use.
	case $(sql "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM steps WHERE step = 'trained' AND date BETWEEN '2025-02-01' AND '2025-02-28'") in
	*steps_step_date*) ok ;;
	*) bad "the period query does not use steps_step_date" ;;
	esac
	case $cidx0 in
	*candidacies_open_stage*candidacies_unit*candidacies_unit_open*) ok ;;
	*) bad "the candidacies' indexes are not there: $cidx0" ;;
	esac
	# All 400 candidacies are open at `applied`, in two cells.
	expect_eq "$(sql "SELECT COUNT(*) FROM candidacies INDEXED BY candidacies_open_stage WHERE is_open = 1 AND stage = 'applied'")" 400 \
		"the rebuilt candidacies_open_stage's rows"
	expect_eq "$(sql "SELECT COUNT(*) FROM candidacies INDEXED BY candidacies_unit_open WHERE unit_id IN (SELECT id FROM units WHERE code = 'X.G.C1') AND is_open = 1")" 200 \
		"the rebuilt candidacies_unit_open's rows"
fi

# ---- a re-import changes nothing and writes no entry ----
run kn import steps steps.csv
expect_rc 0 "the re-import"
expect_eq "$(state)" "1200 steps, 400 candidacies, 4 audit entries" "the data after a re-import"

# ---- a small file into a big table: the indexes stay (and are there) ----
printf 'person,step,date,doc_no,org\nP00001,verified,2025-04-01,,\n' >more.csv
run kn import steps more.csv
expect_rc 0 "one more step"
expect_eq "$(indexes)" "$idx0" "the indexes after a small import"
expect_eq "$(state)" "1201 steps, 400 candidacies, 5 audit entries" "the data after a small import"
expect_eq "$(sql "SELECT after FROM audit ORDER BY id DESC LIMIT 1")" \
	"kind=steps; file=more.csv; sha256=$(sha256sum more.csv | cut -d' ' -f1); rows=1; added=1; updated=0; unchanged=0" \
	"the small import's entry"

# ---- rows sorted through temporary files ----
# The importer keeps at most 64 MB of packed rows in memory and sorts
# more through temporary files, merged back (import_steps.c); a run of a
# few hundred bytes makes this small file take that path: the same
# problems, and the same steps written, as in memory.
kn export steps -o one.csv
DB2=$(KN_DB_DIR=$tmp kn_db spill)
kn2() { "$KETNAP" --db "$DB2" "$@"; }
kn2 init >/dev/null
kn2 import units units.csv >/dev/null
kn2 import people people.csv >/dev/null
rc=0
KETNAP_IMPORT_RUN_BYTES=400 kn2 import steps bad.csv >/dev/null 2>spill.err || rc=$?
expect_eq "$rc" 1 "spilled: the bad file refused"
expect_eq "$(cat spill.err)" "$err_bad" "spilled: the same problems"
rc=0
KETNAP_IMPORT_RUN_BYTES=400 kn2 import steps steps.csv >spill.out 2>&1 || rc=$?
expect_eq "$rc" 0 "spilled: the import"
expect_eq "$(cat spill.out)" "steps.csv: 1,200 rows, 1,200 added, 0 updated, 0 unchanged" "spilled: the summary"
KETNAP_IMPORT_RUN_BYTES=400 kn2 import steps more.csv >/dev/null
kn2 export steps -o two.csv
if cmp -s one.csv two.csv; then ok; else bad "spilled: the steps differ from the import in memory"; diff one.csv two.csv | head -5 >&2; fi

# ---- indexes rebuilt through the sorter's temporary files (SQLite) ----
# store_bulk_end() builds the deferred indexes with a 32 MB page cache,
# which is also what SQLite's sorter keeps in memory before it writes a
# run out and merges the runs back from a temporary file. A sort budget of 1 MB (SQLite's
# least: 250 pages) and 45,000 steps (some 2 MB of steps_step_date keys)
# take that path: the index must come back whole and right.
if [ -z "${KN_TEST_PG:-}" ]; then
	mkdir big
	(cd big && bulk_files 15000)
	DB3=$(KN_DB_DIR=$tmp kn_db sorter)
	kn3() { "$KETNAP" --db "$DB3" "$@"; }
	kn3 init >/dev/null
	kn3 import units big/units.csv >/dev/null
	kn3 import people big/people.csv >/dev/null
	rc=0
	KETNAP_BULK_SORT_KB=1024 kn3 import steps big/steps.csv >big.out 2>&1 || rc=$?
	expect_eq "$rc" 0 "sorted through files: the import"
	expect_eq "$(cat big.out)" "big/steps.csv: 45,000 rows, 45,000 added, 0 updated, 0 unchanged" \
		"sorted through files: the summary"
	expect_eq "$(kn_sql "$DB3" 'PRAGMA integrity_check')" ok "sorted through files: integrity_check"
	expect_eq "$(kn_sql "$DB3" "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'steps' ORDER BY name" | tr '\n' ' ')" \
		"sqlite_autoindex_steps_1 steps_candidacy steps_step_date steps_unit " \
		"sorted through files: the indexes"
	# Each person's source, trained and applied: 15,000 of each, on one day each.
	expect_eq "$(kn_sql "$DB3" "SELECT step || '=' || COUNT(*) FROM steps INDEXED BY steps_step_date WHERE step IN ('source', 'trained', 'applied') AND date BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY step ORDER BY step" | tr '\n' ' ')" \
		"applied=15000 source=15000 trained=15000 " "sorted through files: the rebuilt index's rows"
fi

echo "import_bulk: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
