#!/usr/bin/env bash
# End to end (issue 13): a steps import into a database without
# candidacies writes them without their unit and open-stage indexes
# (candidacies_unit, candidacies_unit_open, candidacies_open_stage: the
# ledger reads candidacies by person only), built again at the end, on
# both backends. A test trigger on steps refuses a step inserted while
# candidacies_open_stage exists: the first import passes it, and the
# indexes are all there afterwards, as before it. A second import (the
# candidacies no longer empty) keeps them, and the trigger refuses it.
# `ketnap verify` clean. Runs on SQLite and, as pg/cli/bulk_cand_indexes,
# on PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db bci) KETNAP_TODAY=2025-10-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
q() { kn_sql "$KETNAP_DB" "$1"; }

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "bulk_cand_indexes.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
A1,Nguyễn Thị Kim Thảo,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,
A2,Phạm Văn Tí,M,1995-07-01,CT.BT.P1.KV1,12/12,0,,
B1,Đỗ Văn Dư,M,1993-03-03,CT.BT.P1.KV1,12/12,0,,
CSV
H=person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note
cat >steps1.csv <<CSV
$H
A1,source,2025-01-10,,youth_union,,,,,,,,,,
A1,trained,2025-02-03,CN-A1,,,,,,,,,,,
A2,source,2025-01-10,,youth_union,,,,,,,,,,
A2,trained,2025-02-03,CN-A2,,,,,,,,,,,
A2,withdrawn,2025-03-20,,,,,,,,,,,,moved away
CSV
cat >steps2.csv <<CSV
$H
B1,source,2025-04-01,,youth_union,,,,,,,,,,
CSV

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
if [ -n "${KN_TEST_PG:-}" ]; then
	indexes() { q "SELECT indexname FROM pg_indexes WHERE tablename = 'candidacies' ORDER BY 1"; }
	q "CREATE FUNCTION kn_idx() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'candidacies_open_stage') THEN RAISE EXCEPTION 'idx: a step written with the stage index there'; END IF; RETURN NEW; END \$\$" >/dev/null
	q "CREATE TRIGGER kn_idx BEFORE INSERT ON steps FOR EACH ROW EXECUTE FUNCTION kn_idx()" >/dev/null
else
	indexes() { q "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'candidacies' ORDER BY 1"; }
	q "CREATE TRIGGER kn_idx BEFORE INSERT ON steps BEGIN SELECT RAISE(ABORT, 'idx: a step written with the stage index there') WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'candidacies_open_stage'); END"
fi

idx0=$(indexes)
has_idx() { case "$idx0" in *candidacies_open_stage*) ok ;; *) bad "no candidacies_open_stage at first: $idx0" ;; esac; }
has_idx

# 1. No candidacies yet: written without the stage index, rebuilt after.
expect 0 "$K" import steps steps1.csv
has out "5 rows, 5 added"
same "the candidacies' indexes after the first import" "$(indexes)" "$idx0"
same "the candidacies after the first import" "$(q "SELECT p.ref, c.stage, c.is_open FROM candidacies c
	JOIN people p ON p.id = c.person_id ORDER BY p.ref")" \
"A1|trained|1
A2|withdrawn|0"
expect 0 "$K" verify

# 2. Candidacies stored: their indexes stay, and the trigger refuses.
expect 3 "$K" import steps steps2.csv
has err "idx: a step written with the stage index there"
same "the candidacies' indexes after the second import" "$(indexes)" "$idx0"
check_done
