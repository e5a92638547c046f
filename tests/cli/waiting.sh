#!/usr/bin/env bash
# waiting.sh — "dossiers waiting for the decision" is one number on every
# screen (core/queue.h). Over a small province built by hand, on either
# backend (tests/lib/db.sh), the number of complete dossiers waiting for the
# competent committee's decision, and how many of them are past
# DL-DECISION, is written below by hand and checked in: the sentence of
# `report summary`, the dashboard card and list (`ketnap serve`, as the
# province's admin and as a district's approver: different numbers), the
# decisions page (its count and its rows), /api/v1/dashboard and
# /api/v1/decisions, and against the DL-DECISION rows of the deadlines
# report (whose clock runs from the cell vote, RULES.md §4, so it also
# lists the dossier still waiting for the grassroots committee's vote).
# Also with --as-of, as it stood on an earlier day.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/web.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir" || exit 1
# Friday 2025-08-15; every step of the dataset is on or before it.
export KETNAP_DB=$(KN_DB_DIR=$dir kn_db w) KETNAP_TODAY=2025-08-15 KETNAP_USER=city LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
. "$SRC/tests/lib/check.sh"
eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
has() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: '$2' not found"; fi; }
lacks() { if grep -qF -- "$2" <<<"$1"; then bad "$3: '$2' found"; else ok; fi; }
run() { "$K" "$@" >/dev/null 2>err || { bad "exit $?: ketnap $*"; sed 's/^/  | /' err >&2; }; }

# ---------------------------------------------------------------------------
# The tree.
#   HG        province "Đảng bộ tỉnh Hậu Giang"          may_admit
#   HG.LM     upper    "Đảng bộ huyện Long Mỹ"           may_admit
#     HG.LM.XP   grassroots đảng bộ xã Xà Phiên (has cells), no may_admit
#       HG.LM.XP.A1, HG.LM.XP.A2  cells
#     HG.LM.TH   grassroots without cells: a chi bộ cơ sở
#   HG.VT     upper    "Đảng bộ huyện Vị Thủy"           may_admit
#     HG.VT.UB   grassroots without cells: a chi bộ cơ sở
#     HG.VT.CT   grassroots đảng bộ that may admit itself, with a cell
#       HG.VT.CT.P1 cell
# Competent committee (nearest may_admit at or above the grassroots unit):
# HG.LM for everything under HG.LM, HG.VT for HG.VT.UB, HG.VT.CT for its
# own cell.
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
HG,,Đảng bộ tỉnh Hậu Giang,province,1,,0
HG.LM,HG,Đảng bộ huyện Long Mỹ,upper,1,,0
HG.LM.XP,HG.LM,Đảng bộ xã Xà Phiên,grassroots,0,commune,0
HG.LM.XP.A1,HG.LM.XP,Chi bộ ấp 1,cell,0,hamlet,0
HG.LM.XP.A2,HG.LM.XP,Chi bộ ấp 2,cell,0,hamlet,0
HG.LM.TH,HG.LM,Chi bộ Trường THCS Long Mỹ,grassroots,0,school,0
HG.VT,HG,Đảng bộ huyện Vị Thủy,upper,1,,0
HG.VT.UB,HG.VT,Chi bộ Văn phòng Huyện ủy Vị Thủy,grassroots,0,agency,0
HG.VT.CT,HG.VT,Đảng bộ Công ty Cấp thoát nước,grassroots,1,nonstate_enterprise,0
HG.VT.CT.P1,HG.VT.CT,Chi bộ Phân xưởng 1,cell,0,,0
CSV

cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,HG.LM.XP.A1,,,12/12,university,civil_servant,0,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,HG.LM.XP.A1,,,12/12,college,farmer,0,0,2004-01-01,2005-01-01
W1,Nguyễn Văn Một,M,1995-01-01,HG.LM.XP.A1,,,12/12,,farmer,1,0,,
W2,Nguyễn Thị Hai,F,1995-01-01,HG.LM.XP.A2,,,12/12,,farmer,1,0,,
W3,Trần Văn Ba,M,1995-01-01,HG.LM.TH,,,12/12,,civil_servant,1,0,,
W4,Lê Thị Bốn,F,1995-01-01,HG.VT.UB,,,12/12,,civil_servant,1,0,,
W5,Phạm Văn Năm,M,1995-01-01,HG.LM.XP.A1,,,12/12,,farmer,1,0,,
W6,Võ Thị Sáu,F,1995-01-01,HG.LM.XP.A2,,,12/12,,farmer,1,0,,
W7,Đặng Văn Bảy,M,1995-01-01,HG.LM.XP.A1,,,12/12,,farmer,1,0,,
W8,Hồ Văn Tám,M,1995-01-01,HG.VT.CT.P1,,,12/12,,worker,1,1,,
CSV

# The candidacies, on Fri 2025-08-15 (DL-DECISION = 60 working days after
# the cell vote; no public holiday from 13/5 to 25/8/2025, so 12 weeks):
#   W1 A1 (cell of a đảng bộ): cell vote Mon 12/5 only — waits for the
#      grassroots committee's vote, NOT for the decision. DL-DECISION runs:
#      due Mon 4/8, 9 working days overdue (5-8/8, 11-15/8).
#   W2 A2: cell vote Mon 12/5, committee vote 26/5, a mentor step 1/7 after
#      it (mentor is no stage) — WAITING for HG.LM, due 4/8: OVERDUE.
#   W3 HG.LM.TH (chi bộ cơ sở): cell vote Mon 2/6 — WAITING for HG.LM, due
#      Mon 25/8, 6 working days left (18-22/8, 25/8).
#   W4 HG.VT.UB (chi bộ cơ sở): cell vote Mon 2/6 — WAITING for HG.VT, due
#      25/8, not overdue.
#   W5 A1: committee vote 26/5, decision 20/6 — not waiting.
#   W6 A2: committee vote 26/5, withdrawn 1/7 — not waiting.
#   W7 A1: committee vote 26/5, decision Mon 11/8 — not waiting today; on
#      Fri 1/8 it was (due 4/8: 1 working day left, not overdue).
#   W8 HG.VT.CT.P1: cell vote Mon 2/6, committee vote 16/6 — WAITING for
#      HG.VT.CT (which may admit), so also for HG.VT and HG; due 25/8.
# Waiting today:  HG: W2 W3 W4 W8 = 4, 1 overdue (W2).  HG.LM: W2 W3 = 2, 1
# overdue.  HG.VT: W4 W8 = 2, 0 overdue.  HG.VT.CT: W8 = 1.  HG.LM.XP: 0
# (its committee is HG.LM, above it).
# Waiting on 2025-08-01, for HG: W2 W3 W4 W7 W8 = 5, none overdue (W2 and
# W7 are due 4/8).
{
echo "person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,note"
s() { echo "$1,$2,$3,${4:-},${5:-},,,,,,,,"; }
pre() { # the steps before the cell vote, all in early 2025
	s "$1" source 2025-01-06 "" youth_union
	s "$1" trained 2025-02-10 "CN-$1"
	s "$1" applied 2025-03-03
	s "$1" verified 2025-03-17
	echo "$1,introduced,2025-04-01,,,,M1,2020-01-01,M2,2020-01-01,,,"
}
vote() { echo "$1,$2,$3,,,,,,,,$4,$5,"; }
pre W1; vote W1 cell_vote 2025-05-12 5 7
pre W2; vote W2 cell_vote 2025-05-12 5 7; vote W2 committee_vote 2025-05-26 7 9
echo "W2,mentor,2025-07-01,,,M1,,,,,,,"
pre W3; vote W3 cell_vote 2025-06-02 5 7
pre W4; vote W4 cell_vote 2025-06-02 5 7
pre W5; vote W5 cell_vote 2025-05-12 5 7; vote W5 committee_vote 2025-05-26 7 9
s W5 decision 2025-06-20 11-QĐ/HU HG.LM
pre W6; vote W6 cell_vote 2025-05-12 5 7; vote W6 committee_vote 2025-05-26 7 9
echo "W6,withdrawn,2025-07-01,,,,,,,,,,Chuyển đi nơi khác"
pre W7; vote W7 cell_vote 2025-05-12 5 7; vote W7 committee_vote 2025-05-26 7 9
s W7 decision 2025-08-11 12-QĐ/HU HG.LM
pre W8; vote W8 cell_vote 2025-06-02 5 7; vote W8 committee_vote 2025-06-16 7 9
} >steps.csv

run init
run import units units.csv
run import people people.csv
run import steps steps.csv
# The accounts: the province's admin (the command line acts as it) and a
# district's approver.
echo 'secret-city-1' | run user add city --unit HG --role admin
echo 'secret-lm-1' | run user add lm --unit HG.LM --role approver
echo 'secret-vt-1' | run user add vt --unit HG.VT --role approver

# ---- report summary: the paragraph's sentence ----
summary() { "$K" report summary --year 2025 "$@" 2>err | tr '\n' ' ' | tr -s ' '; }
out=$(summary)
has "$out" "4 complete dossiers are waiting for the competent committee's decision, 1 of them past the deadline." "summary HG"
out=$(summary --unit HG.LM)
has "$out" "2 complete dossiers are waiting for the competent committee's decision, 1 of them past the deadline." "summary HG.LM"
out=$(summary --unit HG.VT)
has "$out" "2 complete dossiers are waiting for the competent committee's decision." "summary HG.VT"
out=$(summary --unit HG.VT.CT)
has "$out" "1 complete dossier is waiting for the competent committee's decision." "summary HG.VT.CT"
out=$(summary --unit HG.LM.XP)
has "$out" "No dossier is waiting for a decision." "summary HG.LM.XP (its committee is above it)"
out=$(summary --as-of 2025-08-01)
has "$out" "5 complete dossiers are waiting for the competent committee's decision." "summary HG as of 2025-08-01"
lacks "$out" "past the deadline" "summary HG as of 2025-08-01: none overdue"
# Days on which a dossier waited then and has moved on since (the
# candidacies with a later decision or ending step, read apart from the
# open ones: store_queue_dates), the edges included:
#   2025-05-25: the votes of W2 W5 W6 W7 are the cells' only (A1, A2 are
#     cells of a đảng bộ): none waits.
#   2025-05-26: their committee votes are that day: W2 (open now), W5
#     (decided 20/6), W6 (withdrawn 1/7), W7 (decided 11/8) wait = 4.
#   2025-06-30: W2 W3 W4 W6 W7 W8 (W5 decided 20/6; W3 W4 by their chi bộ
#     cơ sở's vote of 2/6, W8 by its committee's of 16/6) = 6, none overdue.
#   2025-08-08: W2 W3 W4 W7 W8 = 5; W2 and W7 were due 4/8: 2 overdue.
#   2025-08-11: W7 decided that day: W2 W3 W4 W8 = 4, 1 overdue (W2).
out=$(summary --as-of 2025-05-25)
has "$out" "No dossier is waiting for a decision." "summary HG as of 2025-05-25"
out=$(summary --as-of 2025-05-26)
has "$out" "4 complete dossiers are waiting for the competent committee's decision." "summary HG as of 2025-05-26"
out=$(summary --as-of 2025-06-30)
has "$out" "6 complete dossiers are waiting for the competent committee's decision." "summary HG as of 2025-06-30"
lacks "$out" "past the deadline" "summary HG as of 2025-06-30: none overdue"
out=$(summary --as-of 2025-08-08)
has "$out" "5 complete dossiers are waiting for the competent committee's decision, 2 of them past the deadline." "summary HG as of 2025-08-08"
out=$(summary --as-of 2025-08-11)
has "$out" "4 complete dossiers are waiting for the competent committee's decision, 1 of them past the deadline." "summary HG as of 2025-08-11"
out=$("$K" --lang vi report summary --year 2025 2>err | tr '\n' ' ' | tr -s ' ')
has "$out" "Có 4 hồ sơ đã hoàn chỉnh đang chờ cấp ủy có thẩm quyền ra quyết định kết nạp, trong đó 1 hồ sơ đã quá thời hạn." "summary HG in Vietnamese"

# ---- the deadlines report: DL-DECISION rows ----
# Every dossier with a cell vote and no decision: the four waiting ones
# and W1, which waits for the grassroots committee; overdue: W1 and W2.
dl=$("$K" report deadlines --year 2025 --format csv 2>err)
eq "$(awk -F, '$4 == "DL-DECISION" { print $1 }' <<<"$dl" | sort | tr '\n' ' ')" "W1 W2 W3 W4 W8 " "deadlines: the DL-DECISION rows"
eq "$(awk -F, '$4 == "DL-DECISION" && $7 == "overdue" { print $1 ":" $6 }' <<<"$dl" | sort | tr '\n' ' ')" "W1:-9 W2:-9 " "deadlines: DL-DECISION overdue"
eq "$(awk -F, '$1 == "W3" && $4 == "DL-DECISION" { print $5 "," $6 }' <<<"$dl")" "2025-08-25,6" "deadlines: W3 due 25/8, 6 left"

# ---- the web: dashboard, decisions page, API ----
KN_WEB_LOG=$dir/serve.log kn_web_start "$KETNAP_DB" --threads 2 --access-log off || exit 1
URL=$KN_WEB_URL
eq "$(kn_web_login city.jar city secret-city-1)" 303 "sign in as the province's admin"
eq "$(kn_web_login lm.jar lm secret-lm-1)" 303 "sign in as HG.LM's approver"
eq "$(kn_web_login vt.jar vt secret-vt-1)" 303 "sign in as HG.VT's approver"
get() { curl -s -b "$1" "$URL$2"; }
# The text of the element with id $2 in page $1.
by_id() { grep -o "id=\"$2\">[^<]*" <<<"$1" | head -1 | sed 's/.*>//'; }
# The people linked from the table of class $2 in page $1, sorted.
people_in() {
	sed -n "/<table class=\"[^\"]*$2[^\"]*\">/,/<\/table>/p" <<<"$1" |
		grep -o 'href="/people/[^"]*"' | sed 's|.*/people/||; s|"$||' | sort -u | tr '\n' ' '
}
# The big number of the decisions page's card.
card() { grep -o '<div class="big">[^<]*</div>' <<<"$1" | head -1 | sed 's/<[^>]*>//g'; }

# check JAR UNIT N OVERDUE REFS: every screen of JAR's user (whose unit is
# UNIT) says N dossiers waiting, OVERDUE of them overdue, and lists REFS.
check() {
	local jar=$1 unit=$2 n=$3 overdue=$4 refs=$5 page api
	page=$(get "$jar" /)
	eq "$(by_id "$page" waiting)" "$n" "dashboard card of $unit"
	eq "$(people_in "$page" waiting)" "$refs" "dashboard list of $unit"
	page=$(get "$jar" /decisions)
	eq "$(card "$page")" "$n" "decisions page count of $unit"
	eq "$(people_in "$page" decisions)" "$refs" "decisions page rows of $unit"
	api=$(get "$jar" "/api/v1/dashboard?unit=$unit&year=2025")
	eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["waiting_decision"], d["waiting_decision_overdue"])' <<<"$api")" \
		"$n $overdue" "/api/v1/dashboard of $unit"
	api=$(get "$jar" /api/v1/decisions)
	eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], " ".join(sorted(x["ref"] for x in d["queue"])) + " ", sum(x["status"] == "overdue" for x in d["queue"]))' <<<"$api")" \
		"$n $refs $overdue" "/api/v1/decisions of $unit"
}
check city.jar HG 4 1 "W2 W3 W4 W8 "
check lm.jar HG.LM 2 1 "W2 W3 "
check vt.jar HG.VT 2 0 "W4 W8 "
# W8 is HG.VT.CT's to decide: HG.VT's approver sees it, named, without a
# form to decide it; W4 is HG.VT's own, with its form.
page=$(get vt.jar /decisions)
eq "$(grep -c 'action="/decisions/' <<<"$page")" 1 "HG.VT's approver may decide one of the two"
has "$page" 'action="/decisions/W4"' "HG.VT decides W4"
has "$page" "Đảng bộ Công ty Cấp thoát nước" "W8's row names its committee"

# The dashboard of a unit below: the district's, seen by the province.
page=$(get city.jar /units/HG.LM)
eq "$(by_id "$page" waiting)" 2 "HG.LM's dashboard seen by the province"
# The grassroots đảng bộ does not decide: its committee is above it.
page=$(get city.jar /units/HG.LM.XP)
lacks "$page" 'id="waiting"' "no waiting card for HG.LM.XP"

# The funnel says what it counts, and shows no share of the previous step.
page=$(get city.jar /)
has "$page" "Các bước đã ghi nhận năm 2025" "dashboard funnel title"
has "$page" "không phải một nhóm người được theo dõi" "dashboard funnel caption"
page=$(get city.jar "/reports?kind=funnel&unit=HG&year=2025")
has "$page" "Các bước đã ghi nhận — Đảng bộ tỉnh Hậu Giang năm 2025" "report page: funnel title"
has "$page" "không phải một nhóm người được theo dõi" "report page: funnel caption"
lacks "$page" "so với bước trước" "report page: no % of the previous step"
out=$("$K" report funnel --year 2025 2>err)
lacks "$out" "previous step" "funnel table: no % of the previous step"
has "$out" "Steps recorded — Đảng bộ tỉnh Hậu Giang in 2025" "funnel title"
# The printable review: the funnel's section says what it counts.
out=$("$K" report summary --year 2025 --format html 2>err)
has "$out" "<h2>Steps recorded — Đảng bộ tỉnh Hậu Giang in 2025</h2>" "printable review: funnel title"
has "$out" '<p class="note">Each step counts the candidacies that reached it on a date in the period' "printable review: funnel caption"
# The CSV keeps its contract (FORMATS.md): step,reached, the steps dated
# in 2025 — every candidacy W1-W8 through the cell vote; committee vote
# W2 W5 W6 W7 W8; decision W5 W7.
eq "$("$K" report funnel --year 2025 --format csv 2>err | tr '\n' ' ')" \
	"step,reached source,8 trained,8 applied,8 verified,8 introduced,8 cell_vote,8 committee_vote,5 decision,2 ceremony,0 probation_vote,0 official,0 " "funnel csv"

echo "waiting: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
