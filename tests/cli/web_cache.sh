#!/usr/bin/env bash
# End to end (issue 13): the server's answer cache under a stream of
# writes (src/web/cache.c), on the small demo, with KETNAP_CACHE_LAG=3600
# so that no check depends on how fast it runs. The root dashboard lists
# its districts by name; the clerk (tester) renames CT.DN with
# `ketnap import units`, another process, as a script would:
#  - a first rename is on the reader's next dashboard (a quiet database:
#    the next request rebuilds), and so is a second;
#  - two rebuilds for writes in a row make the entry hot: after a third
#    rename the reader is still shown the second name (the documented lag,
#    here an hour; by default 1–30 s);
#  - but the clerk who wrote is shown the third (the audit says they wrote
#    since the text was built), and that rebuild serves the reader too;
#  - the count of the candidates' list likewise: the clerk's new candidate
#    counted on the clerk's next list, while the reader's count lags;
#  - then, with a lag of 5 s: a hot entry past its lag is rebuilt in the
#    background; the request that finds it so is answered with the text
#    it has at once (the national root dashboard's rebuild took 7–12 s,
#    and that request waited past wrk's timeout), and a later request
#    gets the rebuilt one.
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

export KETNAP_DB=$(kn_db cache)
"$K" demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
echo 'tester-password-1' | "$K" user add tester --unit CT --role admin >/dev/null
echo 'reader-password-1' | "$K" user add reader --unit CT --role admin >/dev/null
TW=$("$K" user token tester)
TR=$("$K" user token reader)

# get TOKEN PATH: the page into ./page, its status printed.
get() {
	curl -s -o page -w '%{http_code}' -H "Authorization: Bearer $1" "$KN_WEB_URL$2"
}
# rename NAME: CT.DN renamed through `ketnap import units` (as tester).
"$K" export units -o units.csv || exit 1
rename() {
	awk -F, -v OFS=, -v name="$1" '$1 == "CT.DN" { $3 = name } { print }' units.csv >renamed.csv
	expect 0 "$K" import units renamed.csv
}
# count: the list's "N candidates" figure.
count() {
	grep -o 'class="count">[^<]*' page | tr -cd '0-9 ' | awk '{ print $1 }'
}

same "CT.DN's name, the third column" "$(awk -F, '$1 == "CT.DN" { print $3 }' units.csv)" \
	'Đảng bộ Khối Doanh nghiệp'
KETNAP_CACHE_LAG=3600 kn_web_start "$KETNAP_DB" --access-log off || exit 1
same "GET / (reader)" "$(get "$TR" /)" 200
has page 'Đảng bộ Khối Doanh nghiệp</a>'
lacks page 'Đảng bộ thử'

rename 'Đảng bộ thử một'
get "$TR" / >/dev/null
has page 'Đảng bộ thử một</a>'
rename 'Đảng bộ thử hai'
get "$TR" / >/dev/null
has page 'Đảng bộ thử hai</a>'
# Hot now: the third rename lags for the reader ...
rename 'Đảng bộ thử ba'
get "$TR" / >/dev/null
has page 'Đảng bộ thử hai</a>'
lacks page 'Đảng bộ thử ba'
# ... not for the clerk who made it, whose request rebuilds it for all.
same "GET / (the clerk)" "$(get "$TW" /)" 200
has page 'Đảng bộ thử ba</a>'
get "$TR" / >/dev/null
has page 'Đảng bộ thử ba</a>'

# The candidates' list's count (19 open candidacies): three new
# candidates, one at a time, each followed by the reader's list; the
# third lags for the reader, not for the clerk.
get "$TR" /candidates >/dev/null
same "the reader's count" "$(count)" 19
n=0
for ref in 086200999001 086200999002 086200999003; do
	n=$((n + 1))
	printf 'ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note\n%s,Thử Văn %s,M,2000-01-0%s,CT.DN.VT.C01,,,12/12,university,worker,1,0,,,,\n' \
		"$ref" "$n" "$n" >p.csv
	printf 'person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note\n%s,source,2025-12-01,,youth_union,,,,,,,,,,\n' \
		"$ref" >s.csv
	expect 0 "$K" import people p.csv
	expect 0 "$K" import steps s.csv
	get "$TR" /candidates >/dev/null
	case $n in
	3) same "the reader's count after the third (lags)" "$(count)" 21 ;;
	*) same "the reader's count after candidate $n" "$(count)" $((19 + n)) ;;
	esac
done
get "$TW" /candidates >/dev/null
same "the clerk's count after the third" "$(count)" 22
get "$TR" /candidates >/dev/null
same "the reader's count after the clerk's list" "$(count)" 22
kn_web_stop

# Background rebuilds: a lag of 5 s (each rename below is one short
# command, well within it, so the entry gets hot as above).
KETNAP_CACHE_LAG=5 kn_web_start "$KETNAP_DB" --access-log off || exit 1
get "$TR" / >/dev/null
has page 'Đảng bộ thử ba</a>'
rename 'Đảng bộ thử bốn'
get "$TR" / >/dev/null
has page 'Đảng bộ thử bốn</a>'
rename 'Đảng bộ thử năm'
get "$TR" / >/dev/null
has page 'Đảng bộ thử năm</a>'
rename 'Đảng bộ thử sáu'
get "$TR" / >/dev/null
has page 'Đảng bộ thử năm</a>'		# hot: within its lag
sleep 5.5
same "GET / past the lag (reader)" "$(get "$TR" /)" 200
has page 'Đảng bộ thử năm</a>'		# answered at once, rebuilt behind
lacks page 'Đảng bộ thử sáu'
for i in $(seq 100); do
	get "$TR" / >/dev/null
	grep -q 'Đảng bộ thử sáu</a>' page && break
	sleep 0.2
done
has page 'Đảng bộ thử sáu</a>'		# the background build's text
kn_web_stop
check_done
