#!/usr/bin/env bash
# End to end (issue 13): a steps import writes each new candidacy's dates
# of migration 016 (last_date, trained_on … closed_on) with its stage, in
# the one UPDATE that moves its version (store_candidacy_stage_n), and the
# end of the bulk load recomputes none: a test trigger refuses any write
# of a candidacy that changes its dates but not its version (what the
# recomputation S_CAND_DATES_SINCE writes), and an import into an empty
# database passes it, with the dates worked out by hand from the file. An
# import that continues a candidacy stored before it (its steps written
# one by one, not counted by a dated stage write) still has its dates
# recomputed at the end: the trigger refuses that import, which leaves
# nothing; without the trigger the dates are right. `ketnap verify` clean.
# Runs on SQLite and, as pg/cli/bulk_dates_once, on PostgreSQL
# (tests/lib/db.sh). Needs $KETNAP.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db bdo) KETNAP_TODAY=2025-10-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
q() { kn_sql "$KETNAP_DB" "$1"; }

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "bulk_dates_once.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

# ref|version|last|trained|introduced|cell|committee|decision|ceremony|
# probation|closed, by ref and candidacy.
dates() { q "SELECT p.ref, c.version, c.last_date, c.trained_on, c.introduced_on,
	c.cell_vote_on, c.committee_vote_on, c.decision_on, c.ceremony_on, c.probation_vote_on,
	c.closed_on FROM candidacies c JOIN people p ON p.id = c.person_id ORDER BY p.ref, c.id"; }
refuse_recompute() {
	if [ -n "${KN_TEST_PG:-}" ]; then
		q "CREATE FUNCTION kn_once() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'once: dates written apart from the stage'; END \$\$" >/dev/null
		q "CREATE TRIGGER kn_once BEFORE UPDATE ON candidacies FOR EACH ROW WHEN (NEW.version = OLD.version AND NEW.last_date IS DISTINCT FROM OLD.last_date) EXECUTE FUNCTION kn_once()" >/dev/null
	else
		q "CREATE TRIGGER kn_once BEFORE UPDATE ON candidacies WHEN NEW.version = OLD.version AND NEW.last_date IS NOT OLD.last_date BEGIN SELECT RAISE(ABORT, 'once: dates written apart from the stage'); END"
	fi
}
allow_recompute() {
	if [ -n "${KN_TEST_PG:-}" ]; then
		q "DROP TRIGGER kn_once ON candidacies" >/dev/null
	else
		q "DROP TRIGGER kn_once"
	fi
}

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
CSV
H=person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note
# A1 up to the committee's vote; A2 trained twice (the later certificate
# counts), its rows out of order in the file; A3 withdrawn, then a new
# candidacy from the day after; B1 only its source.
cat >steps1.csv <<CSV
$H
A2,trained,2025-05-05,CN-A2b,,,,,,,,,,,
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
A2,verified,2025-05-12,,,,,,,,,,,,
A3,source,2025-01-10,,youth_union,,,,,,,,,,
A3,trained,2025-02-03,CN-A3,,,,,,,,,,,
A3,withdrawn,2025-03-20,,,,,,,,,,,,moved away
A3,source,2025-03-21,,youth_union,,,,,,,,,,
B1,source,2025-04-01,,youth_union,,,,,,,,,,
CSV
# A2 goes on (its candidacy stored before this import).
cat >steps2.csv <<CSV
$H
A2,introduced,2025-06-02,,,,M1,2009-01-01,M2,2009-01-01,,,,,
A2,cell_vote,2025-07-01,,,,,,,,6,7,,,
CSV

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
refuse_recompute

# 1. Into an empty database: every candidacy's dates with its stage.
expect 0 "$K" import steps steps1.csv
has out "17 rows, 17 added"
same "the dates after the first import" "$(dates)" \
"A1|7|2025-06-16|2025-02-03|2025-04-01|2025-06-02|2025-06-16||||
A2|5|2025-05-12|2025-05-05|||||||
A3|3|2025-03-20|2025-02-03|||||||2025-03-20
A3|1|2025-03-21||||||||
B1|1|2025-04-01||||||||"
expect 0 "$K" verify
dates1=$(dates)

# 2. A candidacy stored before: its dates are recomputed at the end, which
# the trigger refuses; nothing stays.
expect 3 "$K" import steps steps2.csv
has err "once: dates written apart from the stage"
same "the dates after the refused import" "$(dates)" "$dates1"
allow_recompute
expect 0 "$K" import steps steps2.csv
has out "2 rows, 2 added"
same "the dates after the second import" "$(dates | grep '^A2|')" \
"A2|7|2025-07-01|2025-05-05|2025-06-02|2025-07-01|||||"
expect 0 "$K" verify
check_done
