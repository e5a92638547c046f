#!/usr/bin/env bash
# End to end (issue 13): the dates each candidacy stores (migration 016:
# candidacies.last_date, trained_on … probation_vote_on, closed_on) after
# a steps import, which writes its steps inside a bulk load
# (store_bulk_begin): on SQLite without the insert trigger
# steps_dates_insert, the dates of the candidacies it gave steps to
# recomputed once at the end and the trigger created again. Through: an
# import into an empty database (the steps' date indexes deferred), an
# append of fewer steps than the table holds (the indexes kept), an
# import that fails late (a refused step insert; then a refused write of
# the dates themselves, which only the end of a bulk load does on SQLite)
# leaving the triggers, the indexes and the dates as they were, and a
# step recorded afterwards moving the dates again (the trigger is back).
# `ketnap verify` clean after each. The dates below are worked out by
# hand from the files. Runs on SQLite and, as pg/cli/bulk_dates, on
# PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db bd) KETNAP_TODAY=2025-10-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
q() { kn_sql "$KETNAP_DB" "$1"; }

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "bulk_dates.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

# Every candidacy's stored dates, by the person's ref and the
# candidacy's id: ref|last|trained|introduced|cell|committee|decision|
# ceremony|probation|closed.
dates() { q "SELECT p.ref, c.last_date, c.trained_on, c.introduced_on, c.cell_vote_on,
	c.committee_vote_on, c.decision_on, c.ceremony_on, c.probation_vote_on, c.closed_on
	FROM candidacies c JOIN people p ON p.id = c.person_id ORDER BY p.ref, c.id"; }
# The triggers and indexes on steps and candidacies, with their text.
if [ -n "${KN_TEST_PG:-}" ]; then
	schema() { q "SELECT tgname || ': ' || pg_get_triggerdef(oid) FROM pg_trigger
		WHERE tgrelid IN ('steps'::regclass, 'candidacies'::regclass) AND NOT tgisinternal
		UNION ALL SELECT indexname || ': ' || indexdef FROM pg_indexes
		WHERE tablename IN ('steps', 'candidacies') ORDER BY 1"; }
else
	schema() { q "SELECT type || ' ' || name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master
		WHERE type IN ('trigger', 'index') AND tbl_name IN ('steps', 'candidacies')
		ORDER BY type, name"; }
fi
state() { q "SELECT (SELECT COUNT(*) FROM steps) || ' steps, ' || (SELECT COUNT(*) FROM candidacies) || ' candidacies, ' || (SELECT COUNT(*) FROM audit) || ' audit entries'"; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,CT.BT.P1.KV1,12/12,0,2004-01-01,2005-01-01
A1,Nguyễn Thị Kim Thảo,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,
A2,Phạm Văn Tí,M,1995-07-01,CT.BT.P1.KV1,12/12,0,,
A3,Võ Thị Lan,F,1994-01-15,CT.BT.P1.KV1,12/12,0,,
B1,Đỗ Văn Dư,M,1993-03-03,CT.BT.P1.KV1,12/12,0,,
B2,Huỳnh Thị Hoa,F,1997-08-08,CT.BT.P1.KV1,12/12,0,,
CSV
H=person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note
# The first file, 18 rows: A1 up to the committee's vote, A2 trained
# twice (the later certificate counts), A3 withdrawn.
cat >steps1.csv <<CSV
$H
A1,source,2025-01-10,,youth_union,,,,,,,,,,
A1,trained,2025-02-03,CN-A1,,,,,,,,,,,
A1,applied,2025-03-03,,,,,,,,,,,,
A1,verified,2025-03-17,,,,,,,,,,,,
A1,introduced,2025-04-01,,,,M1,2009-01-01,M2,2009-01-01,,,,,
A1,cell_vote,2025-06-02,,,,,,,,5,7,,,
A1,committee_vote,2025-06-16,,,,,,,,7,9,,,
A2,source,2025-01-10,,youth_union,,,,,,,,,,
A2,trained,2025-02-03,CN-A2,,,,,,,,,,,
A2,applied,2025-03-03,,,,,,,,,,,,
A2,trained,2025-05-05,CN-A2b,,,,,,,,,,,
A2,verified,2025-05-12,,,,,,,,,,,,
A3,source,2025-01-10,,youth_union,,,,,,,,,,
A3,trained,2025-02-03,CN-A3,,,,,,,,,,,
A3,applied,2025-03-03,,,,,,,,,,,,
A3,withdrawn,2025-03-20,,,,,,,,,,,,moved away
B2,source,2025-02-10,,youth_union,,,,,,,,,,
B2,trained,2025-03-04,CN-B2,,,,,,,,,,,
CSV
# The second, 5 rows (fewer than the 18 there): A2 goes on, B1 starts.
cat >steps2.csv <<CSV
$H
A2,introduced,2025-06-02,,,,M1,2009-01-01,M2,2009-01-01,,,,,
A2,cell_vote,2025-07-01,,,,,,,,6,7,,,
B1,source,2025-04-01,,youth_union,,,,,,,,,,
B1,trained,2025-04-21,CN-B1,,,,,,,,,,,
B1,applied,2025-05-05,,,,,,,,,,,,
CSV
# The third: B2 goes on, A1's decision late in the file (the row the
# failures below refuse).
cat >steps3.csv <<CSV
$H
B2,applied,2025-04-01,,,,,,,,,,,,
B2,verified,2025-04-15,,,,,,,,,,,,
A1,decision,2025-07-01,QĐ-A1,,,,,,,,,,,
CSV

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
schema0=$(schema)

# 1. Into an empty steps table.
expect 0 "$K" import steps steps1.csv
has out "18 rows, 18 added"
same "the dates after the first import" "$(dates)" \
"A1|2025-06-16|2025-02-03|2025-04-01|2025-06-02|2025-06-16||||
A2|2025-05-12|2025-05-05|||||||
A3|2025-03-20|2025-02-03|||||||2025-03-20
B2|2025-03-04|2025-03-04|||||||"
same "the triggers and indexes after the first import" "$(schema)" "$schema0"
expect 0 "$K" verify

# 2. An append of fewer steps than the table holds; A1, A3 and B2
# untouched keep theirs.
expect 0 "$K" import steps steps2.csv
has out "5 rows, 5 added"
same "the dates after the append" "$(dates)" \
"A1|2025-06-16|2025-02-03|2025-04-01|2025-06-02|2025-06-16||||
A2|2025-07-01|2025-05-05|2025-06-02|2025-07-01|||||
A3|2025-03-20|2025-02-03|||||||2025-03-20
B1|2025-05-05|2025-04-21|||||||
B2|2025-03-04|2025-03-04|||||||"
same "the triggers and indexes after the append" "$(schema)" "$schema0"
expect 0 "$K" verify
dates2=$(dates)
state2=$(state)

# 3. A failure late in the file: A1's decision refused on its insert
# (after B2's two steps were written). Nothing stays: the steps, the
# dates, the triggers and the indexes are as they were.
if [ -n "${KN_TEST_PG:-}" ]; then
	q "CREATE FUNCTION kn_boom() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'boom: refused by the test'; END \$\$" >/dev/null
	q "CREATE TRIGGER kn_boom BEFORE INSERT ON steps FOR EACH ROW WHEN (NEW.doc_no = 'QĐ-A1') EXECUTE FUNCTION kn_boom()" >/dev/null
else
	q "CREATE TRIGGER kn_boom BEFORE INSERT ON steps WHEN NEW.doc_no = 'QĐ-A1' BEGIN SELECT RAISE(ABORT, 'boom: refused by the test'); END"
fi
schema_boom=$(schema)
expect 3 "$K" import steps steps3.csv
has err "boom: refused by the test"
same "the state after a refused insert" "$(state)" "$state2"
same "the dates after a refused insert" "$(dates)" "$dates2"
same "the triggers and indexes after a refused insert" "$(schema)" "$schema_boom"
if [ -n "${KN_TEST_PG:-}" ]; then
	q "DROP TRIGGER kn_boom ON steps" >/dev/null
else
	q "DROP TRIGGER kn_boom"
fi

# 4. The write of A1's decision_on refused: on SQLite the bulk load's
# recomputation of the dates at its end (every step already written)
# fails, and the trigger it dropped comes back with the rest.
if [ -n "${KN_TEST_PG:-}" ]; then
	q "CREATE FUNCTION kn_boom2() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'boom: refused by the test'; END \$\$" >/dev/null
	q "CREATE TRIGGER kn_boom2 BEFORE UPDATE ON candidacies FOR EACH ROW WHEN (NEW.decision_on IS NOT NULL) EXECUTE FUNCTION kn_boom2()" >/dev/null
else
	q "CREATE TRIGGER kn_boom2 BEFORE UPDATE ON candidacies WHEN NEW.decision_on IS NOT NULL BEGIN SELECT RAISE(ABORT, 'boom: refused by the test'); END"
fi
schema_boom=$(schema)
expect 3 "$K" import steps steps3.csv
has err "boom: refused by the test"
same "the state after a refused date" "$(state)" "$state2"
same "the dates after a refused date" "$(dates)" "$dates2"
same "the triggers and indexes after a refused date" "$(schema)" "$schema_boom"
if [ -n "${KN_TEST_PG:-}" ]; then
	q "DROP TRIGGER kn_boom2 ON candidacies" >/dev/null
else
	q "DROP TRIGGER kn_boom2"
fi
same "the triggers and indexes as at first" "$(schema)" "$schema0"
expect 0 "$K" verify

# 5. The same file, nothing refusing it.
expect 0 "$K" import steps steps3.csv
has out "3 rows, 3 added"
same "the dates after the third import" "$(dates)" \
"A1|2025-07-01|2025-02-03|2025-04-01|2025-06-02|2025-06-16|2025-07-01|||
A2|2025-07-01|2025-05-05|2025-06-02|2025-07-01|||||
A3|2025-03-20|2025-02-03|||||||2025-03-20
B1|2025-05-05|2025-04-21|||||||
B2|2025-04-15|2025-03-04|||||||"
expect 0 "$K" verify

# 6. A step recorded afterwards moves the dates: the insert trigger is
# back (B1's training again, A2's committee vote).
expect 0 "$K" step B1 trained --date 2025-06-09 --doc CN-B1b
expect 0 "$K" step A2 committee_vote --date 2025-07-15 --for 8 --of 9
same "the dates after two steps recorded" "$(dates | grep -E '^(A2|B1)\|')" \
"A2|2025-07-15|2025-05-05|2025-06-02|2025-07-01|2025-07-15||||
B1|2025-06-09|2025-06-09|||||||"
same "the triggers and indexes at the end" "$(schema)" "$schema0"
expect 0 "$K" verify
check_done
