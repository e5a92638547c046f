#!/usr/bin/env bash
# End to end: the candidates' pages and the decisions queue of `ketnap
# serve`, driven with curl on the small demo (KETNAP_TODAY=2025-12-20) by
# users of several roles and units. The list and its search agree with
# `ketnap person find` (accents or not, Vietnamese order); another ward's
# viewer never sees this ward's people (404 on their pages, absent from
# lists and searches); a candidate entered through the form is walked from
# source to decision with POSTs (a refused cell vote says KN-CELL-VOTE with
# 422 and writes nothing; an editor may not record the decision; the
# competent committee's approver clears it from /decisions); a POST
# without or with a wrong CSRF token is 403 and writes nothing; a stale
# form is 409; user text comes back escaped. The server is started and
# always stopped by tests/lib/web.sh.
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
export KETNAP_DB=$(kn_db web) KETNAP_TODAY=2025-12-20 KETNAP_USER=admin LANG=C
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

has() { # has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; fi
}
lacks() {
	if grep -qF -- "$2" "$1"; then bad "$1 has: $2"; else ok; fi
}
same() { # same WHAT A B
	if [ "$2" = "$3" ]; then ok; else bad "$1: '$2' != '$3'"; fi
}

# ---- the database, the users, the server ----
"$K" demo --size small >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
for u in "admin CT admin" "bt CT.BT approver" "ed1 CT.BT.P01 editor" "vw1 CT.BT.P01 viewer" \
	 "vw2 CT.BT.P02 viewer" "dn CT.DN approver"; do
	set -- $u
	echo secret123 | "$K" user add "$1" --unit "$2" --role "$3" >/dev/null || bad "user add $1"
done

kn_web_start "$KETNAP_DB" --access-log "$dir/access.log" || exit 1
base=$KN_WEB_URL

login() { # login USER : cookies in USER.jar
	kn_web_login "$1.jar" "$1" secret123 >/dev/null
}
# get USER PATH [OUT] : GET, body in OUT (page.html), status in $code
get() {
	code=$(curl -s -o "${3:-page.html}" -w '%{http_code}' -b "$1.jar" "$base$2")
}
csrf_of() { # the CSRF token of USER's session, from a page
	kn_web_csrf "$1.jar" /candidates
}
# post USER PATH FIELD=VALUE... : POST with USER's CSRF token; status in
# $code, body in page.html, Location in $loc
post() {
	local who=$1 path=$2 args=() f
	shift 2
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	local out
	out=$(curl -s -o page.html -w '%{http_code} %{redirect_url}' -b "$who.jar" \
		--data-urlencode "csrf=${CSRF[$who]}" "${args[@]}" "$base$path")
	code=${out%% *}
	loc=${out#* }
}
text_has() { # text_has TEXT : page.html, its tags removed, has TEXT
	sed 's/<[^>]*>//g' page.html >page.txt
	has page.txt "$1"
}
status() { # status WANT WHAT
	if [ "$code" = "$1" ]; then ok; else bad "$2: HTTP $code, wanted $1"; sed 's/^/  | /' page.html | grep -E 'error|violations|<li>' | head -5 >&2; fi
}
# Refs listed on the /candidates pages (every page) for USER, the search
# TEXT (may be empty) and more query FIELD=VALUE pairs.
list_refs() {
	local who=$1 q=$2 n=1 args=()
	shift 2
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	while :; do
		curl -s -G -o list.html -b "$who.jar" --data-urlencode "q=$q" --data-urlencode "status=all" "${args[@]}" \
			--data-urlencode "page=$n" "$base/candidates"
		grep -o 'href="/people/[^"]*"' list.html | sed 's/href="\/people\///;s/"$//'
		grep -q 'rel="next"' list.html || break
		n=$((n + 1))
	done
}
steps_snapshot() { "$K" export steps >steps.before 2>/dev/null; }
steps_unchanged() {
	"$K" export steps >steps.now 2>/dev/null
	if cmp -s steps.before steps.now; then ok; else bad "steps changed: $*"; fi
}

declare -A CSRF
for u in admin bt ed1 vw1 vw2 dn; do
	login "$u"
	CSRF[$u]=$(csrf_of "$u")
	[ -n "${CSRF[$u]}" ] && ok || bad "no CSRF token for $u"
done

# ---- the list: subtree, order, search ----
# People with a candidacy, and their units.
"$K" export steps | tail -n +2 | cut -d, -f1 | sort -u >cand.refs
"$K" export people | tail -n +2 | awk -F, '{print $1" "$5}' >units.txt
# Vietnamese order as `person find` gives it (every person: the empty search).
"$K" person find "" --format csv | tail -n +2 | cut -d, -f1 >find.all
grep -Fxf cand.refs find.all >find.cands
list_refs admin "" >web.all
same "admin sees every candidate in Vietnamese order" "$(cat find.cands)" "$(cat web.all)"
get admin "/candidates?status=all"
status 200 "GET /candidates?status=all"
has page.html "$(wc -l <cand.refs) quần chúng ưu tú" # the count, in Vietnamese
# viewer of ward P02: only P02's people, the rest 404
list_refs vw2 "" >web.vw2
awk '$2 ~ /^CT\.BT\.P02(\.|$)/ {print $1}' units.txt | grep -Fxf cand.refs | sort >p02.refs
same "vw2 lists exactly ward P02's candidates" "$(cat p02.refs)" "$(sort web.vw2)"
p01ref=$(awk '$2 ~ /^CT\.BT\.P01\./ {print $1}' units.txt | grep -Fxf cand.refs | head -1)
p01name=$("$K" export people | awk -F, -v r="$p01ref" '$1 == r {print $2}')
get vw2 "/people/$p01ref"
status 404 "vw2 on a P01 person"
lacks page.html "$p01name"
get vw2 "/edit/$p01ref"
status 403 "vw2 (viewer) on the edit form"
get vw2 "/candidates?unit=CT.BT.P01"
status 404 "vw2 filtering by ward P01"
q=$(echo "$p01name" | cut -d' ' -f1-2)
list_refs vw2 "$q" >web.vw2q
if grep -qFx "$p01ref" web.vw2q; then bad "vw2 finds $p01ref by searching"; else ok; fi
get vw1 "/people/$p01ref"
status 200 "vw1 (ward P01) on a P01 person"
has page.html "$p01name"

# search with and without accents = person find
search_same() { # search_same TEXT [TEXT TYPED ON THE PAGE]
	"$K" person find "$1" --format csv | tail -n +2 | cut -d, -f1 | grep -Fxf cand.refs >find.q
	list_refs admin "${2:-$1}" >web.q
	same "search '$1' like person find" "$(cat find.q)" "$(cat web.q)"
	[ -s web.q ] && ok || bad "search '$1' found nobody"
}
search_same "nguyen"
search_same "Nguyễn"
search_same "duc"
search_same "Đức"
search_same "dinh" "ĐINH"
search_same "thi tuyet"
search_same "van" "VĂN"
list_refs admin "nguyen" >a.q
list_refs admin "Nguyễn" >b.q
same "accented and plain searches agree" "$(cat a.q)" "$(cat b.q)"

# filters: unit, stage, category, overdue, a bad value
get admin "/candidates?unit=CT.DN"
status 200 "filter by unit"
grep -o 'muted code">CT[^<]*' page.html | sed 's/.*">//' | grep -v '^CT\.DN' >other.units
[ -s other.units ] && bad "unit filter lets other units through: $(head -1 other.units)" || ok
get admin "/candidates?step=ceremony"
status 200 "filter by stage"
n_cer=$(grep -c '<td><a href="/people/' page.html)
[ "$n_cer" -gt 0 ] && ok || bad "no candidate at ceremony"
get admin "/candidates?category=female"
status 200 "filter by category"
get admin "/candidates?overdue=1"
status 200 "overdue filter"
get admin "/candidates?step=nonsense"
status 400 "unknown stage"
get admin "/candidates?unit=NOPE"
status 404 "unknown unit"
# the search text comes back escaped
get admin "/candidates?q=%3Cscript%3E%22x%27"
has page.html 'value="&lt;script&gt;&quot;x&#39;"'
lacks page.html '<script>"x'

# ---- a new candidate through the form ----
read -r m1 m2 <<<"$("$K" export people | awk -F, '$5 == "CT.BT.P01.C01" && $14 != "" && $14 < "2020-01-01" {print $1}' | head -2 | tr '\n' ' ')"
[ -n "$m2" ] && ok || bad "no two full members in CT.BT.P01.C01"
name='Nguyễn Văn <script>alert("x")</script> Dũng'
get vw1 /candidates/new
status 403 "a viewer asks for the new-candidate form"
get ed1 /candidates/new
status 200 "new-candidate form"
has page.html 'name="csrf"'
has page.html 'CT.BT.P01.C01'
lacks page.html 'value="CT.BT.P02.C01"'
steps_snapshot
# missing and bad fields: shown beside each field, typed values kept
post ed1 /candidates/new ref=WEB-0001 "full_name=$name" sex= birth_date=31/02/1995 \
	unit=CT.BT.P02.C01 source_date=2024-01-10 org=youth_union "note=a \"quoted\" <b>note</b>"
status 422 "an incomplete new candidate"
has page.html 'id="err-sex"'
has page.html 'id="err-birth_date"'
has page.html 'id="err-unit"'
has page.html 'value="Nguyễn Văn &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Dũng"'
lacks page.html '<script>alert'
steps_unchanged "a refused new candidate"
# a source date in the future: refused by the rules, nothing written
post ed1 /candidates/new ref=WEB-0001 "full_name=$name" sex=M birth_date=15/03/1995 \
	unit=CT.BT.P01.C01 education=12/12 youth_union=1 source_date=2026-01-10 org=youth_union
status 422 "a source step in the future"
has page.html "KN-ORDER"
"$K" person show WEB-0001 >/dev/null 2>&1 && bad "WEB-0001 written by a refused form" || ok
post ed1 /candidates/new ref=WEB-0001 "full_name=$name" sex=M birth_date=15/03/1995 \
	unit=CT.BT.P01.C01 education=12/12 youth_union=1 source_date=2024-01-10 \
	org=youth_union "note=a \"quoted\" <b>note</b>" "source_note=Phong trào <i>"
status 303 "a new candidate"
same "redirect to the person" "$loc" "$base/people/WEB-0001?done=created"
"$K" person show WEB-0001 >show.txt 2>&1
has show.txt "Nguyễn Văn <script>alert(\"x\")</script> Dũng (WEB-0001)"
has show.txt "organisation: Youth Union"
has show.txt "CT.BT.P01.C01"
# the same ref again
post ed1 /candidates/new ref=WEB-0001 "full_name=Lê Văn B" sex=M birth_date=1990-01-01 \
	unit=CT.BT.P01.C01 source_date=2024-01-10 org=cell
status 422 "a ref taken"
has page.html 'id="err-ref"'
# the page shows it, escaped
get ed1 /people/WEB-0001
status 200 "the candidate's page"
has page.html "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
has page.html "a &quot;quoted&quot; &lt;b&gt;note&lt;/b&gt;"
lacks page.html "<script>alert"
lacks page.html "<b>note"
has page.html 'name="step" value="trained"'
get vw2 /people/WEB-0001
status 404 "another ward's viewer on the new candidate"
list_refs vw2 "dung" >web.vw2d
if grep -qFx WEB-0001 web.vw2d; then bad "vw2 finds WEB-0001"; else ok; fi
list_refs vw1 "nguyen van" >web.vw1d
if grep -qFx WEB-0001 web.vw1d; then ok; else bad "vw1 does not find WEB-0001 by 'nguyen van'"; fi
list_refs vw1 "DŨNG" >web.vw1d
if grep -qFx WEB-0001 web.vw1d; then ok; else bad "vw1 does not find WEB-0001 by 'DŨNG'"; fi

version() { # the step form's version field on the person's page
	curl -s -b ed1.jar "$base/people/$1" | grep -o 'name="version" value="[^"]*"' | head -1 |
		sed 's/.*value="//;s/"$//'
}
step() { # step USER REF STEP FIELD=VALUE... : record, with the page's version
	local who=$1 ref=$2 s=$3
	shift 3
	post "$who" "/step/$ref" "step=$s" action=record "version=$(version "$ref")" "$@"
}

# ---- walking the steps ----
step ed1 WEB-0001 trained date=2024-03-01 doc_no=CN-2024/17
status 303 "trained"
same "back to the page with a notice" "$loc" "$base/people/WEB-0001?done=recorded&step=trained"
get ed1 "/people/WEB-0001?done=recorded&step=trained"
has page.html 'class="notice"'
step ed1 WEB-0001 applied date=2024-04-01
status 303 "applied"
step ed1 WEB-0001 verified date=15/05/2024
status 303 "verified"
# check: what the introduction still needs, nothing saved
steps_snapshot
post ed1 /step/WEB-0001 step=introduced action=check "version=$(version WEB-0001)" date=2024-06-01
status 200 "check the introduction without introducers"
text_has "introducer1: "
steps_unchanged "a check"
# a check that a rule refuses: an introducer who has known them for a month
post ed1 /step/WEB-0001 step=introduced action=check "version=$(version WEB-0001)" date=2024-06-01 \
	"introducer1=$m1" introducer1_since=2024-05-01 "introducer2=$m2" introducer2_since=2019-01-01
status 200 "check a too-short acquaintance"
text_has "KN-INTRO-TIME: "
LANG=vi_VN.UTF-8 "$K" check WEB-0001 introduced --date 2024-06-01 --introducer "$m1:2024-05-01" \
	--introducer "$m2:2019-01-01" >check.out 2>check.err
msg=$(grep '^KN-INTRO-TIME: ' check.err | head -1 | sed 's/&/\&amp;/g;s/</\&lt;/g;s/>/\&gt;/g;s/"/\&quot;/g'"; s/'/\&#39;/g")
[ -n "$msg" ] && text_has "$msg" || bad "the CLI gives no KN-INTRO-TIME"
steps_unchanged "a refused check"
step ed1 WEB-0001 introduced date=2024-06-01 "introducer1=$m1" introducer1_since=2019-01-01 \
	"introducer2=$m2" introducer2_since=2019-06-01
status 303 "introduced"
# the cell vote with 1 of 3 votes: refused, 422, nothing written
steps_snapshot
step ed1 WEB-0001 cell_vote date=2024-07-01 votes_for=1 votes_total=3 "note=<i>vote</i>"
status 422 "a cell vote with 1 vote of 3"
text_has "KN-CELL-VOTE: "
has page.html 'name="votes_for" value="1"'
has page.html "&lt;i&gt;vote&lt;/i&gt;"
lacks page.html "<i>vote</i>"
lacks page.html 'name="override"'   # an editor may not override
steps_unchanged "a refused cell vote"
# a stale version: someone recorded a step since the form was drawn
old=$(version WEB-0001)
step ed1 WEB-0001 mentor date=2024-06-15 "member=$m1"
status 303 "mentor"
steps_snapshot
post ed1 /step/WEB-0001 step=cell_vote action=record "version=$old" date=2024-07-01 \
	votes_for=3 votes_total=3
status 409 "a stale form"
steps_unchanged "a stale form"
step ed1 WEB-0001 cell_vote date=2024-07-01 votes_for=3 votes_total=3
status 303 "cell vote"
step ed1 WEB-0001 committee_vote date=2024-07-15 votes_for=9 votes_total=9
status 303 "committee vote"
# an editor may not record the decision
steps_snapshot
step ed1 WEB-0001 decision date=2024-08-01 doc_no=99-QĐ/QU
status 403 "an editor records the decision"
steps_unchanged "an editor's decision"
get ed1 /decisions
status 403 "an editor on /decisions"

# ---- the decisions queue ----
get bt /decisions
status 200 "the queue of the district committee"
has page.html 'action="/decisions/WEB-0001"'
get dn /decisions
status 200 "the queue of another committee"
lacks page.html 'WEB-0001'
steps_snapshot
post dn /decisions/WEB-0001 doc_no=1-QĐ date=2024-08-01
status 404 "another committee's approver decides"
# without a CSRF token, and with a wrong one: 403, nothing written
code=$(curl -s -o page.html -w '%{http_code}' -b bt.jar --data-urlencode doc_no=1-QĐ \
	--data-urlencode date=2024-08-01 "$base/decisions/WEB-0001")
status 403 "a decision without a CSRF token"
code=$(curl -s -o page.html -w '%{http_code}' -b bt.jar --data-urlencode doc_no=1-QĐ \
	--data-urlencode date=2024-08-01 --data-urlencode "csrf=${CSRF[ed1]}" "$base/decisions/WEB-0001")
status 403 "a decision with another session's CSRF token"
code=$(curl -s -o page.html -w '%{http_code}' -b ed1.jar --data-urlencode step=applied \
	--data-urlencode action=record "$base/step/WEB-0001")
status 403 "a step without a CSRF token"
code=$(curl -s -o page.html -w '%{http_code}' -b ed1.jar --data-urlencode ref=WEB-0009 \
	--data-urlencode "full_name=X Y" --data-urlencode csrf=0123 "$base/candidates/new")
status 403 "a new candidate with a wrong CSRF token"
steps_unchanged "POSTs without a valid CSRF token"
"$K" export people | grep -q '^WEB-0009,' && bad "WEB-0009 written without CSRF" || ok
# a decision refused by the rules (a date before the committee vote)
post bt /decisions/WEB-0001 doc_no=12-QĐ/QU date=2024-07-01
status 422 "a decision dated before the committee vote"
text_has "KN-ORDER: "
steps_unchanged "a refused decision"
post bt /decisions/WEB-0001 doc_no=12-QĐ/QU date=2024-08-01
status 303 "the decision"
same "back to the queue" "$loc" "$base/decisions?done=WEB-0001"
get bt /decisions?done=WEB-0001
has page.html 'class="notice"'
lacks page.html 'action="/decisions/WEB-0001"'
"$K" person show WEB-0001 >show.txt 2>&1
has show.txt "document: 12-QĐ/QU; organisation: CT.BT"
has show.txt "ceremony"

# ---- ending a candidacy, editing a person ----
post ed1 /candidates/new ref=WEB-0002 "full_name=Đặng Thị Ánh" sex=F birth_date=2000-02-02 \
	unit=CT.BT.P01.C02 source_date=2025-01-05 org=women_union
status 303 "a second candidate"
steps_snapshot
step ed1 WEB-0002 withdrawn date=2025-02-01
status 422 "an ending without a reason"
steps_unchanged "an ending without a reason"
step ed1 WEB-0002 withdrawn date=2025-02-01 "note=Chuyển công tác"
status 303 "withdrawn"
"$K" person show WEB-0002 >show.txt 2>&1
has show.txt "withdrawn"
has show.txt "note: Chuyển công tác"
list_refs admin "đặng thị ánh" >web.e
same "search finds the withdrawn candidate" "$(cat web.e)" "WEB-0002"

get ed1 /edit/WEB-0002
status 200 "edit form"
stamp=$(grep -o 'name="stamp" value="[^"]*"' page.html | sed 's/.*value="//;s/"$//')
post ed1 /edit/WEB-0002 "stamp=$stamp" "full_name=Đặng Thị Ánh" sex=F birth_date=2000-02-02 \
	unit=CT.BT.P01.C02 phone=0909123456 "note=<em>ok</em>"
status 303 "edit"
"$K" export people | grep -q '^WEB-0002,.*0909123456' && ok || bad "the phone was not saved"
post ed1 /edit/WEB-0002 "stamp=$stamp" "full_name=Đặng Thị Ánh" sex=F birth_date=2000-02-02 \
	unit=CT.BT.P01.C02 phone=0000
status 409 "an edit from a stale form"
"$K" export people | grep -q '^WEB-0002,.*0909123456' && ok || bad "a stale edit overwrote the phone"
post ed1 /edit/WEB-0002 "stamp=$stamp" "full_name=Đặng Thị Ánh" sex=F birth_date=2000-02-02 \
	unit=CT.BT.P02.C01
status 409 "moving a person out of the subtree (stale)"
get ed1 /edit/WEB-0002
stamp=$(grep -o 'name="stamp" value="[^"]*"' page.html | sed 's/.*value="//;s/"$//')
post ed1 /edit/WEB-0002 "stamp=$stamp" "full_name=Đặng Thị Ánh" sex=F birth_date=2000-02-02 \
	unit=CT.BT.P02.C01
status 422 "moving a person out of the subtree"
has page.html 'id="err-unit"'
"$K" export people | grep -q '^WEB-0002,.*CT.BT.P01.C02' && ok || bad "moved out of the subtree"

# ---- the access log: every request answered ----
[ -s access.log ] && ok || bad "no access log"

check_done
