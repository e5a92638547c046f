#!/usr/bin/env bash
# End to end (issue 13): the two reads of the deadlines' walk
# (store_pipeline_latest) — the open candidacies settled on the as-of
# date, one row each (every unit at the only root, else the subtree's),
# then the others, found through the steps dated after as-of when there
# are fewer than 10,000 of them, else through the subtree's units — give
# the deadlines report, the API's counts and the dashboard page the same
# figures whichever way each candidacy comes. Through: a candidacy with
# a step after as-of, one closed after as-of, a transfer in transit, a
# past as-of, and 3,400 candidates whose 10,200 steps (November 2025)
# decide the way. The dashboard lists 50 rows and names only those that
# may be among them: 3,400 deadlines due the same day, the people read
# in the reverse order of their refs, must still list the first refs.
# Figures worked out by hand below (RULES.md §4 and §7, as
# tests/cli/deadline_dates.sh counts them).
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
. "$SRC/tests/lib/dossier.sh"
. "$SRC/tests/lib/web.sh"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db ds) KETNAP_TODAY=2025-12-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
dl() { # dl UNIT AS_OF: the deadlines report's rows, without the working days
	"$K" report deadlines --unit "$1" --as-of "$2" --format csv | tail -n +2 | cut -d, -f1-5,7; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.DN,CT,Đảng bộ quận Ninh Kiều,upper,1,,0
CT.DN.P2,CT.DN,Đảng bộ phường 2,grassroots,0,ward,0
CT.DN.P2.KV1,CT.DN.P2,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
# The candidates B00001…B03400, written (so numbered by the database) in
# the reverse order of their refs.
{
	echo "ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since"
	echo "M1,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,0,1999-01-01,2000-01-01"
	echo "M2,Lê Thị Mai,F,1970-03-04,CT.BT.P1.KV1,12/12,0,2004-01-01,2005-01-01"
	echo "C1,Nguyễn Thị Kim Thảo,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,"
	echo "C2,Phạm Văn Tí,M,1995-07-01,CT.BT.P1.KV1,12/12,0,,"
	echo "C3,Võ Thị Lan,F,1994-01-15,CT.BT.P1.KV1,12/12,0,,"
	echo "C4,Đỗ Văn Dư,M,1993-03-03,CT.BT.P1.KV1,12/12,0,,"
	for i in $(seq 3400 -1 1); do
		printf 'B%05d,Người Thứ %d,F,1996-02-0%d,CT.DN.P2.KV1,12/12,1,,\n' "$i" "$i" $((i % 9 + 1))
	done
} >people.csv
{
	echo "person,step,date,doc_no,org"
	for i in $(seq 1 3400); do
		printf 'B%05d,source,2025-11-03,,youth_union\nB%05d,trained,2025-11-10,CN %d/2025,\nB%05d,applied,2025-11-17,,\n' "$i" "$i" "$i" "$i"
	done
} >steps.csv
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import steps steps.csv

dossier C1
dossier C2
dossier C3
dossier C4
expect 0 "$K" step C1 cell_vote --date 2025-06-02 --for 5 --of 7
expect 0 "$K" step C1 committee_vote --date 2025-06-16 --for 7 --of 9
expect 0 "$K" step C4 withdrawn --date 2025-07-01 --note "moved away"
expect 0 "$K" transfer C3 --to CT.DN.P2.KV1 --date 2025-09-01 --doc 5-GT
expect 0 "$K" transfer C3 --arrived --date 2025-10-01

# 2025-06-10, 10,200 steps after it (through the units): C1's decision
# 60 working days after its cell vote of 06-02 (2025-08-25), C4 still
# open (withdrawn on 07-01), the B's not begun.
same "CT on 2025-06-10" "$(dl CT 2025-06-10)" \
"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,due
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C4,Đỗ Văn Dư,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due
C4,Đỗ Văn Dư,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "CT.BT on 2025-06-10" "$(dl CT.BT 2025-06-10 | cut -d, -f1 | tr '\n' ' ')" "C1 C2 C3 C4 C2 C3 C4 "
same "CT.DN on 2025-06-10" "$(dl CT.DN 2025-06-10)" ""

# 2025-09-15, 10,200 steps after it: C1 overdue and waiting for CT.BT's
# decision (13 working days late: Aug 26-29, Sep 1, 4-5, 8-12, 15), C3
# in transit (DL-TRANSFER 30 working days after 09-01: 2025-10-15) on
# both sides, C4 withdrawn.
same "CT on 2025-09-15" "$(dl CT 2025-09-15)" \
"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,overdue
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-TRANSFER,2025-10-15,due
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "CT.DN on 2025-09-15" "$(dl CT.DN 2025-09-15)" \
	"C3,Võ Thị Lan,CT.DN.P2.KV1,DL-TRANSFER,2025-10-15,due"

# 2025-11-12, 3,400 steps after it (applied, 11-17: through those
# steps): each B's certificate of 11-10 expires 60 months later; C3 in
# CT.DN since 10-01.
b_rows() { dl "$@" | grep -c '^B[0-9]*,.*,CT.DN.P2.KV1,DL-CERT-EXPIRY,2030-11-10,due$'; }
same "CT on 2025-11-12: the B's" "$(b_rows CT 2025-11-12)" 3400
same "CT on 2025-11-12: the others" "$(dl CT 2025-11-12 | grep -v '^B')" \
"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,overdue
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C3,Võ Thị Lan,CT.DN.P2.KV1,DL-DOSSIER,2026-04-01,due
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due
C3,Võ Thị Lan,CT.DN.P2.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "CT.DN on 2025-11-12" "$(dl CT.DN 2025-11-12 | grep -v '^B')" \
"C3,Võ Thị Lan,CT.DN.P2.KV1,DL-DOSSIER,2026-04-01,due
C3,Võ Thị Lan,CT.DN.P2.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "CT.DN on 2025-11-12: the B's" "$(b_rows CT.DN 2025-11-12)" 3400
# Today, nothing after it: every candidacy settled, one row each.
same "CT today: the B's" "$(b_rows CT 2025-12-20)" 3400
same "CT today" "$(dl CT 2025-12-20 | grep -v '^B')" "$(dl CT 2025-11-12 | grep -v '^B')"
same "CT.BT today" "$(dl CT.BT 2025-12-20 | cut -d, -f1,4 | tr '\n' ' ')" \
	"C1,DL-DECISION C2,DL-DOSSIER C2,DL-CERT-EXPIRY "

# The API's counts (open, overdue, due within 5 working days; waiting
# for the decision, overdue) of the same dates.
echo 'secret-ds-1' | "$K" user add ds --unit CT --role admin >/dev/null || bad "user add"
token=$(KETNAP_USER=ds KETNAP_TODAY=2030-12-02 "$K" user token ds)
KETNAP_TODAY=2030-12-02 KN_WEB_LOG=$dir/serve.log kn_web_start "$KETNAP_DB" --threads 2 \
	--access-log off || exit 1
api() { # UNIT AS_OF: "open overdue soon waiting waiting_overdue"
	curl -s -H "Authorization: Bearer $token" \
		"$KN_WEB_URL/api/v1/dashboard?unit=$1&as_of=$2&from=$3-01-01&to=$3-12-31" |
		python3 -c 'import json, sys; d = json.load(sys.stdin); x = d.get("deadlines")
print(x["open"], x["overdue"], x["due_within_5_workdays"], d["waiting_decision"],
      d["waiting_decision_overdue"]) if x else print(d)'
}
same "API CT 2025-06-10" "$(api CT 2025-06-10 2025)" "7 0 0 0 0"
same "API CT.DN 2025-06-10" "$(api CT.DN 2025-06-10 2025)" "0 0 0 0 0"
same "API CT 2025-09-15" "$(api CT 2025-09-15 2025)" "6 1 0 1 1"
same "API CT.BT 2025-09-15" "$(api CT.BT 2025-09-15 2025)" "6 1 0 1 1"
same "API CT.DN 2025-09-15" "$(api CT.DN 2025-09-15 2025)" "1 0 0 0 0"
same "API CT 2025-11-12" "$(api CT 2025-11-12 2025)" "3405 1 0 1 1"
same "API CT.DN 2025-11-12" "$(api CT.DN 2025-11-12 2025)" "3402 0 0 0 0"
same "API CT 2025-12-20" "$(api CT 2025-12-20 2025)" "3405 1 0 1 1"
same "API CT.BT 2025-12-20" "$(api CT.BT 2025-12-20 2025)" "3 1 0 1 1"

# The dashboard on 2030-12-02 (a Monday): every deadline overdue, in the
# order of the deadlines report: C1's decision, the two introductions
# (2026-04-01), the two certificates of 2030-02-03, then the B's
# certificates, all of 2030-11-10, by ref: B00001 … B00045 are listed,
# 3,355 rows not. C1 waits for the decision.
page=$(curl -s -H "Authorization: Bearer $token" "$KN_WEB_URL/?lang=en")
kn_web_stop
listed=$(sed -n '/<table class="deadlines">/,/<\/table>/p' <<<"$page" |
	grep -o 'href="/people/[^"]*"' | sed 's|.*/people/||; s|"$||')
same "the overdue card" "$(grep -o 'id="overdue">[^<]*' <<<"$page" | sed 's/.*>//')" 3,405
same "the rows listed" "$(wc -l <<<"$listed")" 50
same "the first five" "$(head -5 <<<"$listed" | tr '\n' ' ')" "C1 C2 C3 C2 C3 "
same "then the B's" "$(sed -n '6p;50p' <<<"$listed" | tr '\n' ' ')" "B00001 B00045 "
echo "$page" >page.html
has page.html "3,355 more rows are not shown."
same "waiting" "$(sed -n '/<table class="waiting">/,/<\/table>/p' <<<"$page" |
	grep -o 'href="/people/[^"]*"' | sed 's|.*/people/||; s|"$||')" C1

check_done
