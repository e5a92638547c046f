#!/usr/bin/env bash
# End to end (issue 13: web lists at national scale), on the small demo:
#  - the candidates' list counts and filters from the candidacies' side
#    (the open ones through candidacies_one_open, a stage through
#    candidacies_open_stage, migration 013): the same figures as the walk
#    over everyone gave, written here by hand;
#  - the decisions queue reads only the candidacies that may wait, yet a
#    dossier whose decision is dated after the day asked about (its stage
#    moved on since) is still in that day's queue: 086203000169 (La Quốc
#    Quảng, committee vote 2025-11-11, decision 2025-12-11) waits on
#    2025-12-10 and not on 2025-12-20;
#  - the list's unit picker (a <datalist>) lists every unit of a small
#    subtree, and beyond KETNAP_DATALIST_MAX units (2,000 by default, here
#    made small) only the levels that fit, while a unit left out is still
#    found by its code; the decisions queue's unit filter too (the units
#    its dossiers are in and above them), the unit filtered on kept; and
#    the reports page's unit picker, the unit asked for kept.
# The small demo's tree: CT; CT.DN and CT.BT; 8 grassroots units; 18 cells
# (29 units). CT.BT: 4 grassroots units and 9 cells (14 units).
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
src=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/db.sh"
. "$src/tests/lib/web.sh"
dir=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
. "$src/tests/lib/check.sh"
export KN_DB_DIR=$dir
export KETNAP_TODAY=2025-12-20 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DATALIST_MAX KETNAP_LIST_PLAN
K=$KETNAP

export KETNAP_DB=$(kn_db lists)
"$K" demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
echo 'tester-password-1' | "$K" user add tester --unit CT --role admin >/dev/null
echo 'bt-password-1234' | "$K" user add bt --unit CT.BT --role viewer >/dev/null
TA=$("$K" user token tester)
TB=$("$K" user token bt)

# get TOKEN PATH: the page into ./page, its status printed.
get() {
	curl -s -o page -w '%{http_code}' -H "Authorization: Bearer $1" "$KN_WEB_URL$2"
}
# count: the figures of the list's "N candidates · showing A–B" line.
count() {
	grep -o 'class="count">[^<]*' page | tr -cd '0-9 –' | tr -s ' ' | sed 's/^ //;s/ $//'
}
# options: the datalist's unit codes, in order, on one line.
options() {
	sed -n 's/.*<datalist id="units-in-scope">\(.*\)<\/datalist>.*/\1/p' page |
		grep -o 'option value="[^"]*"' | sed 's/option value="//;s/"$//' | tr '\n' ' ' |
		sed 's/ $//'
}
# qoptions: the decisions queue's unit filter, its units' codes in order.
qoptions() {
	sed -n 's/.*<select name="unit">\(.*\)<\/select>.*/\1/p' page |
		grep -o 'option value="[^"]*"' | sed 's/option value="//;s/"$//' | grep -v '^$' |
		tr '\n' ' ' | sed 's/ $//'
}
# big: the decisions page's "N dossiers waiting" figure.
big() {
	grep -o '<div class="big">[0-9]*' page | head -1 | sed 's/.*>//'
}

# ---- counts and filters (KETNAP_TODAY 2025-12-20) ----
kn_web_start "$KETNAP_DB" --access-log off || exit 1
for p in "/candidates 19 1–19" "/candidates?step=applied 2 1–2" \
	 "/candidates?step=applied&unit=CT.BT 2 1–2" "/candidates?step=cell_vote 3 1–3" \
	 "/candidates?status=all&step=decision 1 1–1" "/candidates?q=thi 4 1–4"; do
	path=${p%% *}
	same "GET $path" "$(get "$TA" "$path")" 200
	same "count of $path" "$(count)" "${p#* }"
done
get "$TA" "/candidates?status=all&step=decision" >/dev/null
has page 086203000169
same "api step=applied" "$(get "$TA" "/api/v1/people?step=applied" >/dev/null;
	grep -o '"total":[0-9]*' page)" '"total":2'
same "api open committee_vote" "$(get "$TA" "/api/v1/people?open=1&step=committee_vote" \
	>/dev/null; grep -o '"total":[0-9]*' page)" '"total":1'

# ---- the decisions queue, today and on a day before a decision ----
same "GET /decisions" "$(get "$TA" /decisions)" 200
same "waiting on 2025-12-20" "$(big)" 1
lacks page 086203000169
same "GET /decisions (VT)" "$(get "$TA" "/decisions?unit=CT.DN.VT")" 200
lacks page 086203000169
kn_web_stop
KETNAP_TODAY=2025-12-10 kn_web_start "$KETNAP_DB" --access-log off || exit 1
same "GET /decisions on 2025-12-10" "$(get "$TA" /decisions)" 200
same "waiting on 2025-12-10" "$(big)" 2
has page 086203000169
get "$TA" "/decisions?unit=CT.DN.VT" >/dev/null
has page 086203000169
same "the queue's units on 2025-12-10" "$(qoptions)" "CT CT.DN CT.DN.MTD CT.DN.MTD.C02 CT.DN.VT CT.DN.VT.C01"
kn_web_stop
# The queue's unit filter under a limit (KETNAP_DATALIST_MAX): the levels
# that fit, and the unit filtered on whatever its depth. Its 6 units are
# CT; CT.DN; CT.DN.MTD and CT.DN.VT; a cell of each (the two dossiers):
# 2 down to the districts, 4 with the grassroots units.
for lim in "6:CT CT.DN CT.DN.MTD CT.DN.MTD.C02 CT.DN.VT CT.DN.VT.C01" \
	   "5:CT CT.DN CT.DN.MTD CT.DN.VT" "4:CT CT.DN CT.DN.MTD CT.DN.VT" "3:CT CT.DN" "1:CT"; do
	KETNAP_TODAY=2025-12-10 KETNAP_DATALIST_MAX=${lim%%:*} kn_web_start "$KETNAP_DB" --access-log off ||
		exit 1
	get "$TA" /decisions >/dev/null
	same "the queue's units under a limit of ${lim%%:*}" "$(qoptions)" "${lim#*:}"
	kn_web_stop
done
KETNAP_TODAY=2025-12-10 KETNAP_DATALIST_MAX=1 kn_web_start "$KETNAP_DB" --access-log off || exit 1
get "$TA" "/decisions?unit=CT.DN.VT" >/dev/null
same "a limit of 1 keeps the unit filtered on" "$(qoptions)" "CT CT.DN.VT"
has page 086203000169
kn_web_stop

# ---- the unit picker ----
all="CT CT.BT CT.BT.P01 CT.BT.P01.C01 CT.BT.P01.C02 CT.BT.P01.CQ CT.BT.P02 CT.BT.P02.C01"
all="$all CT.BT.P02.C02 CT.BT.P02.CQ CT.BT.P03 CT.BT.P03.C01 CT.BT.P03.C02 CT.BT.P03.CQ"
all="$all CT.BT.THPT CT.DN CT.DN.DHG CT.DN.DHG.C01 CT.DN.DHG.C02 CT.DN.DHG.C03"
all="$all CT.DN.DHG.C04 CT.DN.LH CT.DN.MTD CT.DN.MTD.C01 CT.DN.MTD.C02 CT.DN.VT"
all="$all CT.DN.VT.C01 CT.DN.VT.C02 CT.DN.VT.C03"
sorted() { tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//'; }
kn_web_start "$KETNAP_DB" --access-log off || exit 1
get "$TA" /candidates >/dev/null
same "every unit by default (29)" "$(options | sorted)" "$all"
kn_web_stop
# 3 units down to the districts, 11 with the grassroots units, 29 in all:
# a limit of 10 keeps the first two levels, 11 three, 29 every unit.
for lim in "10 3" "11 11" "28 11" "29 29"; do
	export KETNAP_DATALIST_MAX=${lim%% *}
	kn_web_start "$KETNAP_DB" --access-log off || exit 1
	get "$TA" /candidates >/dev/null
	same "units listed under a limit of ${lim%% *}" "$(options | wc -w)" "${lim#* }"
	kn_web_stop
done
export KETNAP_DATALIST_MAX=10
kn_web_start "$KETNAP_DB" --access-log off || exit 1
get "$TA" /candidates >/dev/null
same "the first two levels, in tree order" "$(options | sorted)" "CT CT.BT CT.DN"
# A unit left out of the picker is still found by its code.
same "a cell by its code" "$(get "$TA" "/candidates?unit=CT.DN.VT.C01&status=all")" 200
has page CT.DN.VT.C01
# CT.BT's viewer: 1 + 4 + 9 units; a limit of 10 keeps the first two levels.
get "$TB" /candidates >/dev/null
same "CT.BT's picker under a limit of 10" "$(options | sorted)" \
	"CT.BT CT.BT.P01 CT.BT.P02 CT.BT.P03 CT.BT.THPT"
# The reports page's unit picker (a <select>) under the same limit: the
# first two levels, and a deeper unit asked for is added, selected.
same "GET /reports" "$(get "$TA" /reports)" 200
same "the reports' picker under a limit of 10" "$(qoptions)" "CT CT.BT CT.DN"
same "GET /reports of a cell" "$(get "$TA" "/reports?kind=achievement&unit=CT.DN.VT.C01&year=2025")" 200
same "the reports' picker keeps the cell asked for" "$(qoptions)" "CT CT.BT CT.DN CT.DN.VT.C01"
has page '<option value="CT.DN.VT.C01" selected>'
kn_web_stop
unset KETNAP_DATALIST_MAX
kn_web_start "$KETNAP_DB" --access-log off || exit 1
get "$TA" /reports >/dev/null
same "the reports' picker: every unit by default (29), in tree order" "$(qoptions | wc -w)" 29
same "the reports' picker starts in tree order" "$(qoptions | cut -d' ' -f1-4)" "CT CT.BT CT.BT.P01 CT.BT.P01.C01"
kn_web_stop

check_done
