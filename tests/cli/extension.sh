#!/usr/bin/env bash
# End to end: the DL-DECISION extension (RULES.md §4: 60 working days after
# the cell vote, +30 with extension) through `ketnap extend`, the deadlines
# report, `person show`, the JSON API (person, decisions queue) and the
# dashboard, on both sides of each boundary; who may record it (an approver
# of the competent committee or an admin above it) and when (after the
# cell vote, before the decision, once). Dates worked out by hand below.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/dossier.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db ext) KETNAP_TODAY=2025-10-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP

nx() { kn_sql "$KETNAP_DB" "SELECT count(*) FROM decision_extensions"; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.DN,CT,Đảng bộ quận Ninh Kiều,upper,1,,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,CT.BT.P1.KV1,12/12,0,2004-01-01,2005-01-01
C1,Nguyễn Thị Kim Thảo,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,
C2,Phạm Văn Tí,M,1995-07-01,CT.BT.P1.KV1,12/12,0,,
C3,Võ Thị Lan,F,1994-01-15,CT.BT.P1.KV1,12/12,0,,
CSV
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
echo 'root-password-1' | "$K" user add root --unit CT --role admin >/dev/null
echo 'bt-password-1' | "$K" user add btappr --unit CT.BT --role approver >/dev/null
echo 'p1-password-1' | "$K" user add p1appr --unit CT.BT.P1 --role approver >/dev/null
echo 'ed-password-1' | "$K" user add btedit --unit CT.BT --role editor >/dev/null
echo 'dn-password-1' | "$K" user add dnappr --unit CT.DN --role approver >/dev/null

dossier C1
dossier C2
dossier C3
# C1 and C3: the cell votes on Monday 2025-06-02.
expect 0 "$K" step C1 cell_vote --date 2025-06-02 --for 5 --of 7
expect 0 "$K" step C3 cell_vote --date 2025-06-02 --for 5 --of 7
expect 0 "$K" step C3 committee_vote --date 2025-06-16 --for 7 --of 9
expect 0 "$K" step C3 decision --date 2025-07-01 --doc 12-QĐ/QU --org CT.BT

# 60 working days after Mon 2025-06-02 (no holiday from June to August):
# Jun 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19), Jun 30 (20), Jul 1-4 (24),
# 7-11 (29), 14-18 (34), 21-25 (39), Jul 28-Aug 1 (44), 4-8 (49),
# 11-15 (54), 18-22 (59), Mon Aug 25 (60).
report() { "$K" report deadlines --unit CT --as-of "$1" --format csv | grep "^C1,.*DL-DECISION"; }
same "no extension: the 60th working day" "$(report 2025-08-25)" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,0,due"
same "no extension: the 61st" "$(report 2025-08-26)" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,-1,overdue"

# ---- who may extend: the competent committee of KV1 is CT.BT ----
expect 1 env KETNAP_USER=btedit "$K" extend C1 --doc 40-QĐ/QU --date 2025-08-20
has err "DL-DECISION: btedit, editor of CT.BT, may not extend the decision deadline of Nguyễn Thị Kim Thảo (C1)"
has err "competent committee CT.BT"
expect 1 env KETNAP_USER=p1appr "$K" extend C1 --doc 40-QĐ/QU --date 2025-08-20
has err "p1appr, approver of CT.BT.P1, may not extend"
expect 1 env KETNAP_USER=dnappr "$K" extend C1 --doc 40-QĐ/QU --date 2025-08-20
has err "no person with ref C1"
same "nothing written by a refusal" "$(nx)" 0

# ---- when: after the cell vote, before the decision, not after today ----
expect 1 "$K" extend C2 --doc 40-QĐ/QU --date 2025-08-20
has err "The cell has not voted on Phạm Văn Tí (C2) yet (cell_vote)"
expect 1 "$K" extend C3 --doc 40-QĐ/QU --date 2025-08-20
has err "The admission decision of Võ Thị Lan (C3) was recorded on 2025-07-01"
expect 1 "$K" extend C1 --doc 40-QĐ/QU --date 2025-05-30
has err "before the cell vote of Nguyễn Thị Kim Thảo (C1) on 2025-06-02"
expect 1 "$K" extend C1 --doc 40-QĐ/QU --date 2025-10-21
has err "after today (2025-10-20)"
expect 2 "$K" extend C1 --date 2025-08-20
has err "--doc"
expect 2 "$K" extend C1 --doc 40-QĐ/QU --date 2025-02-30
expect 1 "$K" extend C9 --doc 40-QĐ/QU
has err "no person with ref C9"
same "nothing written by a refusal" "$(nx)" 0

# ---- the approver of CT.BT extends it on 2025-08-20 ----
# 90 working days: from the 60th (Mon Aug 25) on, Aug 26-29 (64), Mon Sep 1
# (65), Tue 2 and Wed 3 September holidays (Quốc khánh), Sep 4-5 (67),
# 8-12 (72), 15-19 (77), 22-26 (82), Sep 29-Oct 3 (87), Oct 6, 7, Wed 8 (90).
expect 0 env KETNAP_USER=btappr "$K" extend C1 --doc 40-QĐ/QU --date 2025-08-20
has out "extended: the decision deadline (DL-DECISION) of C1, Nguyễn Thị Kim Thảo on 2025-08-20 by CT.BT (40-QĐ/QU): due 2025-10-08 instead of 2025-08-25"
same "the row" "$(kn_sql "$KETNAP_DB" "SELECT x.date, x.doc_no, u.code, x.actor FROM decision_extensions x JOIN units u ON u.id = x.unit_id")" \
	"2025-08-20|40-QĐ/QU|CT.BT|btappr"
same "its audit entry" "$(kn_sql "$KETNAP_DB" "SELECT actor, action, entity, key, after FROM audit WHERE action = 'decision-extension'")" \
	"btappr|decision-extension|candidacy|C1|decision_extension,2025-08-20,40-QĐ/QU,CT.BT"
# once
expect 1 "$K" extend C1 --doc 41-QĐ/QU --date 2025-08-21
has err "was already extended on 2025-08-20 by CT.BT (40-QĐ/QU); it is extended once"
same "still one" "$(nx)" 1

# the report: as of a day before the extension it was not extended yet
same "before the extension's date" "$(report 2025-08-19)" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,4,due"
same "extended: the 61st working day" "$(report 2025-08-26)" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-10-08,29,due"
same "extended: the 90th working day" "$(report 2025-10-08)" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-10-08,0,due"
same "extended: the 91st" "$(report 2025-10-09)" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-10-08,-1,overdue"

# person show, today 2025-10-20: Oct 9, 10, 13-17, 20 are 8 working days late
expect 0 "$K" person show C1
has out "(DL-DECISION), due 2025-10-08: overdue by 8 working days"
has out "The decision deadline was extended on 2025-08-20 by CT.BT (40-QĐ/QU)."
expect 0 "$K" --lang vi person show C1
has out "08/10/2025"

# ---- the web: the person, the decisions queue, the dashboard ----
# The grassroots committee votes: the dossier now waits for CT.BT's decision.
expect 0 "$K" step C1 committee_vote --date 2025-09-15 --for 7 --of 9
web() { # web TODAY: a server seeing that day
	kn_web_stop
	KETNAP_TODAY=$1 kn_web_start "$KETNAP_DB" --access-log off || exit 1
}
TB=$("$K" user token btappr)
get() { curl -s -H "Authorization: Bearer $TB" "$KN_WEB_URL$1" >body; }
py() { python3 -c "import json,sys; d=json.load(open('body')); print($1)"; }
web 2025-10-08
get /api/v1/people/C1
same "api person on the 90th" "$(py '[(x["code"], x["due"], x["workdays_left"], x["status"], x.get("extended")) for x in d["deadlines"]]')" \
	"[('DL-DECISION', '2025-10-08', 0, 'due', True)]"
get /api/v1/decisions
same "decisions queue on the 90th" "$(py '[(x["ref"], x["due"], x["workdays_left"]) for x in d["queue"]]' 2>&1)" \
	"[('C1', '2025-10-08', 0)]"
[ "$(kn_web_login jar btappr bt-password-1)" = 303 ] && ok || bad "btappr signs in"
curl -s -b jar "$KN_WEB_URL/" >dash
curl -s -b jar "$KN_WEB_URL/decisions" >queue
# the dashboard's soon-due list and the decisions page (Vietnamese first):
# due 08/10/2025 today, not 25/08/2025 and overdue
has dash '<td class="nowrap">08/10/2025</td><td>đến hạn hôm nay</td>'
has queue 'data-label="Hạn quyết định">08/10/2025</td><td class="num">còn 0 ngày làm việc</td>'
lacks dash '25/08/2025'
lacks queue '25/08/2025'
web 2025-10-09
get /api/v1/people/C1
same "api person on the 91st" "$(py '[(x["due"], x["workdays_left"], x["status"]) for x in d["deadlines"]]')" \
	"[('2025-10-08', -1, 'overdue')]"
get /api/v1/decisions
same "decisions queue on the 91st" "$(py '[(x["ref"], x["due"], x["workdays_left"]) for x in d["queue"]]' 2>&1)" \
	"[('C1', '2025-10-08', -1)]"
[ "$(kn_web_login jar btappr bt-password-1)" = 303 ] && ok || bad "btappr signs in"
curl -s -b jar "$KN_WEB_URL/" >dash
has dash '<td class="nowrap">08/10/2025</td><td>quá hạn 1 ngày làm việc</td>'

# ---- the web action on the person page (server's today 2025-10-09) ----
expect 0 "$K" step C2 cell_vote --date 2025-09-01 --for 5 --of 7
[ "$(kn_web_login jar btappr bt-password-1)" = 303 ] && ok || bad "btappr signs in"
[ "$(kn_web_login pj p1appr p1-password-1)" = 303 ] && ok || bad "p1appr signs in"
[ "$(kn_web_login ej btedit ed-password-1)" = 303 ] && ok || bad "btedit signs in"
page() { code=$(curl -s -o page -w '%{http_code}' -b "$1" "$KN_WEB_URL/people/$2"); }
csrf() { grep -o 'name="csrf" value="[^"]*"' page | head -1 | sed 's/.*value="//;s/"$//'; }
extend() { # extend JAR CSRF REF DOC DATE
	code=$(curl -s -o page -w '%{http_code}' -b "$1" --data-urlencode "csrf=$2" \
		--data-urlencode "doc_no=$4" --data-urlencode "date=$5" "$KN_WEB_URL/extend/$3")
}
st() { same "$2: status" "$code" "$1"; }
page ej C2
lacks page 'action="/extend/C2"'
et=$(csrf)
extend ej "$et" C2 50-QĐ/QU 01/10/2025
st 403 "an editor extends"
page pj C2
lacks page 'action="/extend/C2"'
pt=$(csrf)
extend pj "$pt" C2 50-QĐ/QU 01/10/2025
st 403 "the approver of the grassroots unit (not the competent committee) extends"
has page "cấp ủy có thẩm quyền CT.BT"	# the web speaks Vietnamese first
page jar C1
lacks page 'action="/extend/C1"'	# extended already
has page "40-QĐ/QU"
page jar C2
has page 'action="/extend/C2"'
bt=$(csrf)
extend jar "" C2 50-QĐ/QU 01/10/2025
st 403 "without the CSRF token"
extend jar "$bt" C2 50-QĐ/QU 10/10/2025
st 422 "dated after the server's today"
same "nothing written by the refusals" "$(nx)" 1
extend jar "$bt" C2 '<i>50-QĐ/QU' 01/10/2025
st 303 "btappr extends C2"
same "C2's row" "$(kn_sql "$KETNAP_DB" "SELECT x.date, x.doc_no, u.code, x.actor FROM decision_extensions x JOIN units u ON u.id = x.unit_id JOIN candidacies c ON c.id = x.candidacy_id JOIN people p ON p.id = c.person_id WHERE p.ref = 'C2'")" \
	"2025-10-01|<i>50-QĐ/QU|CT.BT|btappr"
page jar C2
has page '&lt;i&gt;50-QĐ/QU'
lacks page '<i>50'
lacks page 'action="/extend/C2"'
# 60 working days after Mon 2025-09-01: Sep 2, 3 holidays; Sep 4-5 (2),
# 8-12 (7), 15-19 (12), 22-26 (17), Sep 29-Oct 3 (22), 6-10 (27), 13-17
# (32), 20-24 (37), 27-31 (42), Nov 3-7 (47), 10-14 (52), 17-21 (57),
# 24-26 (60): Wed 2025-11-26; 30 more: Nov 27-28 (2), Dec 1-5 (7), 8-12
# (12), 15-19 (17), 22-26 (22), Dec 29-31 (25), Jan 1 holiday, Jan 2 (26),
# 5-8 (30): Thu 2026-01-08.
curl -s -H "Authorization: Bearer $TB" "$KN_WEB_URL/api/v1/people/C2" >body
same "C2's deadline moved" "$(py '[(x["code"], x["due"], x.get("extended")) for x in d["deadlines"]]')" \
	"[('DL-DECISION', '2026-01-08', True)]"
extend jar "$bt" C2 51-QĐ/QU 02/10/2025
st 422 "a second extension"
kn_web_stop

check_done
