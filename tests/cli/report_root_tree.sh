#!/usr/bin/env bash
# End to end: the deadlines report of the only root reads every unit in
# one sequential read (core/report.c: only_root, unitree_load) instead of
# the root's subtree by path; with a second root, a root's report reads
# its subtree again. Both ways must answer the same. On the sample city
# of examples/ (one root, CT) as of 2025-12-20:
#  - the root by default, and named with --unit CT: the same report, in
#    csv and in html (whose overdue table names each unit: the names come
#    from the tree read);
#  - once a second root XX (with one unit below it, no candidate) is
#    imported: CT's report as before, byte for byte, though read through
#    its subtree now; XX's report has no row; a unit unknown is refused
#    as before;
#  - the figures by hand: the sample's candidacies open on 2025-12-20
#    (examples/steps.csv) — every row's unit is in CT's subtree, and the
#    report's head names CT.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
src=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir" || exit 1
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db roottree) KETNAP_TODAY=2025-12-20 LANG=C
unset KETNAP_USER LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
. "$src/tests/lib/check.sh"

"$K" init >/dev/null || { echo "init failed"; exit 1; }
for kind in units people quotas holidays steps; do
	"$K" import "$kind" "$src/examples/$kind.csv" >/dev/null || { echo "import $kind failed"; exit 1; }
done

# ---- one root: the whole tree ----
expect 0 "$K" report deadlines --as-of 2025-12-20 --format csv
cp out root.csv
expect 0 "$K" report deadlines --unit CT --as-of 2025-12-20 --format csv
if cmp -s out root.csv; then ok; else bad "deadlines: --unit CT differs from the default root"; fi
head -1 root.csv >head.txt
has head.txt "person,full_name,unit,due,due_date,workdays_left,status"
# Every row's unit is one of the sample's, below CT.
rows=$(tail -n +2 root.csv | wc -l)
if [ "$rows" -gt 0 ]; then ok; else bad "deadlines of CT: no row"; fi
same "rows outside CT" "$(tail -n +2 root.csv | cut -d, -f3 | grep -vc '^CT\.')" 0
expect 0 "$K" report deadlines --as-of 2025-12-20 --format html
cp out root.html
has root.html "Cần Thơ"
expect 0 "$K" report deadlines --unit CT --as-of 2025-12-20 --format html
if cmp -s out root.html; then ok; else bad "deadlines html: --unit CT differs from the default root"; fi

# ---- two roots: a root's subtree ----
cat >more.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
XX,,Đảng bộ thử,province,1,,0
XX.A,XX,Chi bộ thử,grassroots,1,,0
CSV
expect 0 "$K" import units more.csv
expect 0 "$K" report deadlines --unit CT --as-of 2025-12-20 --format csv
if cmp -s out root.csv; then ok; else bad "deadlines of CT with a second root differ"; fi
expect 0 "$K" report deadlines --unit CT --as-of 2025-12-20 --format html
if cmp -s out root.html; then ok; else bad "deadlines html of CT with a second root differ"; fi
# The default is the first root by code: CT before XX.
expect 0 "$K" report deadlines --as-of 2025-12-20 --format csv
if cmp -s out root.csv; then ok; else bad "deadlines of the first root differ"; fi
expect 0 "$K" report deadlines --unit XX --as-of 2025-12-20 --format csv
same "XX: the head only" "$(cat out)" "person,full_name,unit,due,due_date,workdays_left,status"
expect 1 "$K" report deadlines --unit NOPE --as-of 2025-12-20
has err "no unit with code NOPE"

check_done
