#!/bin/bash
# bulk_fail.sh — a write of the steps import's bulk path that fails on the
# server leaves nothing (issue 13). On PostgreSQL the bulk load sends the
# step inserts and the candidacies' stage moves ahead without waiting
# (store_pg.c, pipeline mode) and finds out later whether they were
# written: such a failure can only be a fault of the program, since the
# rules judged the row first, so the test makes one by hand — a trigger
# that refuses one step insert in the middle of the file, then one that
# refuses one candidacy's stage move. Either way the import must fail
# whole, with the server's message, and leave the steps, candidacies,
# audit and the steps table's indexes as they were; afterwards the same
# file imports cleanly, every candidacy's version is its number of steps,
# and (PostgreSQL) the id sequences end at the last id used (the ids the
# load drew ahead and did not use were given back). Figures by hand: 400
# people, three steps each. Runs on SQLite and, as pg/cli/bulk_fail, on
# PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C.UTF-8 KETNAP_TODAY=2025-12-20
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"
. "$SRC/tests/lib/check.sh"

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "bulk_fail.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

DB=$(KN_DB_DIR=$tmp kn_db bulkfail)
kn() { "$KETNAP" --db "$DB" "$@"; }
sql() { kn_sql "$DB" "$1"; }
. "$SRC/tests/lib/bulk_fixture.sh"

# 400 people, three steps each: 1,200 rows (tests/lib/bulk_fixture.sh).
bulk_files 400

expect 0 kn init
expect 0 kn import units units.csv
expect 0 kn import people people.csv
before_state=$(state)
before_idx=$(indexes)
same "the state before" "$before_state" "0 steps, 0 candidacies, 3 audit entries"

# 1. The step insert of person 300's training refused by the server.
if [ -n "${KN_TEST_PG:-}" ]; then
	sql "CREATE FUNCTION kn_boom() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'boom: refused by the test'; END \$\$" >/dev/null
	sql "CREATE TRIGGER kn_boom BEFORE INSERT ON steps FOR EACH ROW WHEN (NEW.doc_no = 'CN 300/2025') EXECUTE FUNCTION kn_boom()" >/dev/null
else
	sql "CREATE TRIGGER kn_boom BEFORE INSERT ON steps WHEN NEW.doc_no = 'CN 300/2025' BEGIN SELECT RAISE(ABORT, 'boom: refused by the test'); END"
fi
expect 3 kn import steps steps.csv
has err "boom: refused by the test"
has err "nothing was written"
# (on PostgreSQL found when the results of the writes sent ahead were read)
[ -z "${KN_TEST_PG:-}" ] || has err "a write sent ahead by the bulk load"
same "the state after a refused step insert" "$(state)" "$before_state"
same "the indexes after a refused step insert" "$(indexes)" "$before_idx"
if [ -n "${KN_TEST_PG:-}" ]; then
	sql "DROP TRIGGER kn_boom ON steps" >/dev/null
else
	sql "DROP TRIGGER kn_boom"
fi

# 2. The move of person 350's candidacy to `applied` refused.
if [ -n "${KN_TEST_PG:-}" ]; then
	sql "CREATE FUNCTION kn_boom2() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF NEW.stage = 'applied' AND NEW.person_id = (SELECT id FROM people WHERE ref = 'P00350') THEN RAISE EXCEPTION 'boom: refused by the test'; END IF; RETURN NEW; END \$\$" >/dev/null
	sql "CREATE TRIGGER kn_boom2 BEFORE UPDATE ON candidacies FOR EACH ROW EXECUTE FUNCTION kn_boom2()" >/dev/null
else
	sql "CREATE TRIGGER kn_boom2 BEFORE UPDATE ON candidacies WHEN NEW.stage = 'applied' AND NEW.person_id = (SELECT id FROM people WHERE ref = 'P00350') BEGIN SELECT RAISE(ABORT, 'boom: refused by the test'); END"
fi
expect 3 kn import steps steps.csv
has err "boom: refused by the test"
[ -z "${KN_TEST_PG:-}" ] || has err "cand_stage"
same "the state after a refused stage move" "$(state)" "$before_state"
same "the indexes after a refused stage move" "$(indexes)" "$before_idx"
if [ -n "${KN_TEST_PG:-}" ]; then
	sql "DROP TRIGGER kn_boom2 ON candidacies" >/dev/null
else
	sql "DROP TRIGGER kn_boom2"
fi

# 3. The same file, nothing refusing it.
expect 0 kn import steps steps.csv
has out "1,200 rows, 1,200 added, 0 updated, 0 unchanged"
same "the state after the import" "$(state)" "1200 steps, 400 candidacies, 4 audit entries"
same "the indexes after the import" "$(indexes)" "$before_idx"
same "the candidacies' versions (one a step)" "$(sql "SELECT SUM(version) || ' ' || MIN(version) || ' ' || MAX(version) FROM candidacies")" "1200 3 3"
same "the stages" "$(sql "SELECT stage || ' ' || COUNT(*) FROM candidacies GROUP BY stage")" "applied 400"
if [ -n "${KN_TEST_PG:-}" ]; then
	same "steps' sequence at the last id" "$(sql "SELECT (SELECT last_value FROM steps_id_seq) = (SELECT MAX(id) FROM steps)")" "t"
	same "candidacies' sequence at the last id" "$(sql "SELECT (SELECT last_value FROM candidacies_id_seq) = (SELECT MAX(id) FROM candidacies)")" "t"
fi
expect 0 kn verify
check_done
