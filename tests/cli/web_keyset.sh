#!/usr/bin/env bash
# End to end: the candidates' list and /api/v1/people are read one page at
# a time from the database in Vietnamese name order (given name, middle,
# family name), the next page starting after the last row of the previous
# one (issue 13). On the small demo plus people made through the API, all
# named "Keyz …" so that the search `keyz` isolates them: Ánh < Bình < Dung
# < Đức (refs in the opposite order), two namesakes "Keyz Văn Hà" across a
# page boundary, a row added between two page loads, exactly one page (50
# on the HTML list) and one more than a page, the last page, an empty
# list — once for each way the store may read a page (walking the name
# index, sorting a scan, sorting a subtree read by unit; KETNAP_LIST_PLAN
# forces one). Expected orders are written by hand.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
dir=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_TODAY=2025-12-20 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
same() { # same WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', wanted '$3'"; fi
}

# The whole walk once per plan of the store (store.h's enum cand_plan):
# the same rows must come whichever way the database reads them.
one_plan() {
	export KETNAP_DB=$(kn_db "keyset_$KETNAP_LIST_PLAN")
	"$K" demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
	echo 'tester-password-1' | "$K" user add tester --unit CT --role admin >/dev/null
	TA=$("$K" user token tester)
	kn_web_start "$KETNAP_DB" --access-log off || exit 1
	base=$KN_WEB_URL
	api=$base/api/v1

	# mk REF NAME: a person with an open candidacy (a source step).
	mk() {
		local code
		code=$(curl -s -o mk.out -w '%{http_code}' -X POST -H "Authorization: Bearer $TA" \
			-d "{\"ref\":\"$1\",\"full_name\":\"$2\",\"sex\":\"M\",\"birth_date\":\"2001-02-03\",\"unit\":\"CT.BT.P01.C01\",\"source\":{\"date\":\"2025-12-01\",\"org\":\"youth_union\"}}" \
			"$api/people")
		[ "$code" = 201 ] || bad "POST people $1: $code $(head -c 300 mk.out)"
	}
	# apiwalk PER_PAGE: every page of /api/v1/people?q=keyz by `next`, one
	# line of refs per page. $WALK: more query (unit=…).
	WALK=
	apiwalk() {
		local after="" n=0
		while :; do
			curl -s -G -o body -H "Authorization: Bearer $TA" --data-urlencode "q=keyz" ${WALK:+-d "$WALK"} \
				--data-urlencode "per_page=$1" ${after:+--data-urlencode "after=$after"} \
				"$api/people"
			python3 -c "import json; d=json.load(open('body')); print(' '.join(p['ref'] for p in d['people']))"
			after=$(python3 -c "import json; d=json.load(open('body')); print(d['next'] or '')")
			[ -n "$after" ] || break
			n=$((n + 1))
			[ $n -lt 200 ] || { bad "apiwalk does not end"; break; }
		done
	}
	# follow REL URL: the HTML list's pages from URL on by its rel=REL
	# links (next or prev); prints one line of refs per page; REL.urls
	# gets the links followed, last.url the page it ended on.
	follow() {
		local rel=$1 url=$2 n=0 link
		: >"$rel.urls"
		while :; do
			curl -s -o list.html -H "Authorization: Bearer $TA" "$url"
			grep -o 'href="/people/[^"]*"' list.html | sed 's/href="\/people\///;s/"$//' | tr '\n' ' ' | sed 's/ $//'
			echo
			link=$(grep -o "<a href=\"[^\"]*\" rel=\"$rel\"" list.html | sed "s/<a href=\"//;s/\" rel=\"$rel\"//;s/&amp;/\\&/g")
			[ -n "$link" ] || break
			echo "$link" >>"$rel.urls"
			url="$base$link"
			n=$((n + 1))
			[ $n -lt 50 ] || { bad "follow $rel does not end"; break; }
		done
		echo "$url" >last.url
	}
	# htmlwalk [MORE]: every page of /candidates?q=keyz[&MORE] by the
	# rel="next" links. htmlback: from the page htmlwalk ended on back to
	# the first by the rel="prev" links, the last page first.
	htmlwalk() { follow next "$base/candidates?q=keyz${1:+&$1}"; }
	htmlback() { follow prev "$(cat last.url)"; }

	# ---- empty ----
	same "empty API list" "$(apiwalk 5)" ""
	curl -s -o list.html -H "Authorization: Bearer $TA" "$base/candidates?q=keyz"
	grep -q "Không có ai phù hợp với điều kiện lọc." list.html && ok || bad "empty list page lacks its message"
	grep -q 'rel="next"' list.html && bad "empty list has a next link" || ok

	# ---- Vietnamese order, refs in the opposite order ----
	mk KS-1 "Keyz Văn Đức"
	mk KS-2 "Keyz Văn Dung"
	mk KS-3 "Keyz Thị Bình"
	mk KS-4 "Keyz Thị Ánh"
	same "Ánh < Bình < Dung < Đức, one per page" "$(apiwalk 1 | tr '\n' ' ')" "KS-4 KS-3 KS-2 KS-1 "
	same "exactly one page of 4" "$(apiwalk 4)" "KS-4 KS-3 KS-2 KS-1"
	same "one more than a page (3 + 1)" "$(apiwalk 3 | tr '\n' '|')" "KS-4 KS-3 KS-2|KS-1|"

	# ---- namesakes across a page boundary: ordered by ref ----
	mk KS-H2 "Keyz Văn Hà"
	mk KS-H1 "Keyz  Văn   Hà"
	same "namesakes split 5 | 1" "$(apiwalk 5 | tr '\n' '|')" "KS-4 KS-3 KS-2 KS-1 KS-H1|KS-H2|"
	same "namesakes split 4 | 2" "$(apiwalk 4 | tr '\n' '|')" "KS-4 KS-3 KS-2 KS-1|KS-H1 KS-H2|"
	# the same within the cell (a search brings people without a candidacy
	# too, so this is still the walk in name order; the HTML list below reads
	# the cell by unit)
	WALK=unit=CT.BT.P01.C01
	same "in the cell: namesakes split 5 | 1" "$(apiwalk 5 | tr '\n' '|')" "KS-4 KS-3 KS-2 KS-1 KS-H1|KS-H2|"
	same "in the cell: one per page" "$(apiwalk 1 | tr '\n' ' ')" "KS-4 KS-3 KS-2 KS-1 KS-H1 KS-H2 "
	WALK=
	# the old page numbers still work, and total counts the whole list
	curl -s -G -o body -H "Authorization: Bearer $TA" -d q=keyz -d per_page=4 -d page=2 "$api/people"
	same "page=2 of 4" "$(python3 -c "import json; d=json.load(open('body')); print(' '.join(p['ref'] for p in d['people']), d['total'], d['total_exact'], d['page'], d['next'])")" \
		"KS-H1 KS-H2 6 True 2 None"

	# ---- a row added between two page loads ----
	curl -s -G -o body -H "Authorization: Bearer $TA" -d q=keyz -d per_page=3 "$api/people"
	after=$(python3 -c "import json; d=json.load(open('body')); print(d['next'])")
	same "first page's cursor" "$after" "KS-2"
	mk KS-0 "Keyz Văn An"	# before the cursor: not on later pages
	mk KS-9 "Keyz Văn Yến"	# after everything: on the last page
	curl -s -G -o body -H "Authorization: Bearer $TA" -d q=keyz -d per_page=3 -d "after=$after" "$api/people"
	same "the page after KS-2, rows added meanwhile" \
		"$(python3 -c "import json; d=json.load(open('body')); print(' '.join(p['ref'] for p in d['people']), d['next'])")" \
		"KS-1 KS-H1 KS-H2 KS-H2"
	curl -s -G -o body -H "Authorization: Bearer $TA" -d q=keyz -d per_page=3 -d "after=KS-H2" "$api/people"
	same "the last page" "$(python3 -c "import json; d=json.load(open('body')); print(' '.join(p['ref'] for p in d['people']), d['next'])")" \
		"KS-9 None"

	# ---- the HTML list: 50 rows a page (the page speaks Vietnamese) ----
	# 8 so far (An, Ánh, Bình, Dung, Đức, Hà, Hà, Yến) + 42 namesakes "Xuân"
	# = 50: exactly one page.
	for i in $(seq -w 1 42); do mk "KS-X$i" "Keyz Văn Xuân"; done
	xs() { seq -w "$1" "$2" | sed 's/^/KS-X/' | tr '\n' ' ' | sed 's/ $//'; }
	same "exactly one page of 50" "$(htmlwalk)" "KS-0 KS-4 KS-3 KS-2 KS-1 KS-H1 KS-H2 $(xs 1 42) KS-9"
	grep -q '50 quần chúng ưu tú' list.html && ok || bad "the count of 50 is missing"
	grep -q 'rel="next"' list.html && bad "one page has a next link" || ok
	# two more namesakes: 52, the break among the namesakes
	mk KS-X43 "Keyz Văn Xuân"
	mk KS-X44 "Keyz Văn Xuân"
	same "52 rows: 50 | 2, namesakes across the break" "$(htmlwalk | tr '\n' '|')" \
		"KS-0 KS-4 KS-3 KS-2 KS-1 KS-H1 KS-H2 $(xs 1 43)|KS-X44 KS-9|"
	grep -q '52 quần chúng ưu tú' list.html && ok || bad "the count of 52 is missing"
	same "by unit: 52 rows: 50 | 2" "$(htmlwalk unit=CT.BT.P01.C01 | tr '\n' '|')" \
		"KS-0 KS-4 KS-3 KS-2 KS-1 KS-H1 KS-H2 $(xs 1 43)|KS-X44 KS-9|"
	grep -q 'đang xem 51–52' list.html && ok || bad "second page's range"
	curl -s -o list.html -H "Authorization: Bearer $TA" "$base/candidates?q=keyz&page=2"
	same "page=2 by number" "$(grep -o 'href="/people/[^"]*"' list.html | sed 's/href="\/people\///;s/"$//' | tr '\n' ' ')" "KS-X44 KS-9 "
	# a person added before the cursor between two loads is not shown again
	# on the next page, nor is any row of the first page
	curl -s -o list.html -H "Authorization: Bearer $TA" "$base/candidates?q=keyz"
	next=$(grep -o '<a href="[^"]*" rel="next"' list.html | sed 's/<a href="//;s/" rel="next"//;s/&amp;/\&/g')
	mk KS-X00 "Keyz Văn Xuân"
	curl -s -o list.html -H "Authorization: Bearer $TA" "$base$next"
	same "next page after an insert before it" "$(grep -o 'href="/people/[^"]*"' list.html | sed 's/href="\/people\///;s/"$//' | tr '\n' ' ')" "KS-X44 KS-9 "

	# ---- more than the count's cap (1 000): 1 000 more "Keyz Thị Lan"
	# (namesakes, by ref), imported; the count says "more than", the
	# pages go on by their next links to the end, every ref once, in order
	{
		echo "ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note"
		for i in $(seq -w 0 999); do
			echo "KS-L$i,Keyz Thị Lan,F,2001-02-03,CT.BT.P01.C01,,,12/12,university,worker,1,0,,,,"
		done
	} >lan.csv
	{
		echo "person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note"
		for i in $(seq -w 0 999); do echo "KS-L$i,source,2025-12-01,,youth_union,,,,,,,,,,"; done
	} >lan-steps.csv
	"$K" import people lan.csv >/dev/null || bad "import 1 000 people"
	"$K" import steps lan-steps.csv >/dev/null || bad "import their source steps"
	curl -s -o list.html -H "Authorization: Bearer $TA" "$base/candidates?q=keyz"
	grep -q 'hơn 1.000 quần chúng ưu tú' list.html && ok || bad "no 'more than 1.000' count"
	htmlwalk | tr ' ' '\n' | grep -v '^$' >walk.refs
	# Lan < Xuân < Yến: An, Ánh, Bình, Dung, Đức, Hà, Hà, the Lans, the Xuâns, Yến
	{
		printf '%s\n' KS-0 KS-4 KS-3 KS-2 KS-1 KS-H1 KS-H2
		seq -w 0 999 | sed 's/^/KS-L/'
		seq -w 0 44 | sed 's/^/KS-X/'
		echo KS-9
	} >want.refs
	cmp -s walk.refs want.refs && ok || bad "1 052 rows walked by next links: $(diff want.refs walk.refs | head -5 | tr '\n' ' ')"
	# and back from the last page by the previous links: the same pages,
	# the first of them a whole page again (50 rows before the second
	# page's first row: the start of the list) — on the lists read in
	# name order by the keyset backwards (before=), on a scan by number
	htmlback | tac | tr ' ' '\n' | grep -v '^$' >back.refs
	cmp -s back.refs want.refs && ok || bad "1 052 rows walked back by previous links: $(diff want.refs back.refs | head -5 | tr '\n' ' ')"
	same "pages walked back" "$(wc -l <prev.urls)" 21
	case $KETNAP_LIST_PLAN in
	scan) same "previous links by number" "$(grep -c 'before=' prev.urls)" 0 ;;
	*) same "previous links by keyset" "$(grep -c '?q=keyz&before=KS-[LX0-9]*&page=' prev.urls)" 21 ;;
	esac
	curl -s -G -o body -H "Authorization: Bearer $TA" -d q=keyz -d per_page=3 "$api/people"
	same "API total at the cap" "$(python3 -c "import json; d=json.load(open('body')); print(d['total'], d['total_exact'])")" "1000 False"
	kn_web_stop
}
for KETNAP_LIST_PLAN in walk scan unit; do
	export KETNAP_LIST_PLAN
	before=$fail
	one_plan
	[ "$fail" = "$before" ] || echo "  (with KETNAP_LIST_PLAN=$KETNAP_LIST_PLAN)" >&2
done
echo "web_keyset: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
