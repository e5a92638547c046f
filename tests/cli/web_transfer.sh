#!/bin/bash
# web_transfer.sh — transfers on the web (issue 15, RULES.md §8) against
# `ketnap serve`, with curl: the person page's transfer form for an editor
# of the sending unit (POST /transfer/REF, CSRF, the rules' refusal shown
# with 422 and nothing written, free text escaped), the destination's
# dashboard listing the person in transit with an Accept form for its
# editor (POST /arrive/REF), and the two scopes meeting only on that
# person: the destination's editor sees no other person of the sending
# district (404, as an unknown ref), its viewer may not accept (403), the
# sending editor may not accept for the destination (403), and after the
# arrival the person is the destination's and no longer the sender's.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_TODAY=2024-12-31

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
tmp=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
KDB=$(KN_DB_DIR=$tmp kn_db transfer)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" --user root --lang en "$@"; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
expect_in() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: '$2' not found"; fi; }
expect_not_in() { if grep -qF -- "$2" <<<"$1"; then bad "$3: '$2' found"; else ok; fi; }
unit_of() { kn_sql "$KDB" "SELECT u.code FROM people p JOIN units u ON u.id = p.unit_id WHERE p.ref = '$1'"; }
ntransfers() { kn_sql "$KDB" "SELECT COUNT(*) FROM transfers"; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Thành phố,province,1,,0
CT.A,CT,Quận A,upper,1,,0
CT.A.P1,CT.A,Phường 1,grassroots,0,ward,0
CT.A.P1.K1,CT.A.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.B,CT,Quận B,upper,1,,0
CT.B.P2,CT.B,Phường 2,grassroots,0,ward,0
CT.B.P2.K1,CT.B.P2,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education
C1,Nguyễn Thị Kim Thảo,F,1990-05-10,CT.A.P1.K1,12/12
C2,Phạm Văn Tí,M,1993-07-01,CT.A.P1.K1,12/12
C3,Đặng Thị Hoa,F,1995-01-01,CT.A.P1.K1,12/12
CSV
kn init >/dev/null && kn import units units.csv >/dev/null &&
	kn import people people.csv >/dev/null || { echo "setup failed" >&2; exit 1; }
for u in "root CT admin" "edA CT.A editor" "edB CT.B editor" "vwB CT.B viewer"; do
	set -- $u
	echo 'secret123' | kn user add "$1" --unit "$2" --role "$3" >/dev/null || bad "user add $1"
done
kn step C1 source --date 2024-02-01 --org cell >/dev/null || bad "C1 source"

KN_WEB_LOG=$tmp/serve.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
URL=$KN_WEB_URL
login() { kn_web_login "$1.jar" "$1" secret123; }
get() { # get USER PATH: $code, $body
	body=$(curl -s -b "$1.jar" -H 'Accept-Language: en' -w '\n%{http_code}' "$URL$2")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
post() { # post USER PATH FIELD=VALUE…: $code, $body (with the user's CSRF token)
	local who=$1 path=$2 csrf
	shift 2
	csrf=$(kn_web_csrf "$who.jar" /)
	local args=(--data-urlencode "csrf=$csrf")
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	body=$(curl -s -b "$who.jar" -H 'Accept-Language: en' -w '\n%{http_code}' "${args[@]}" "$URL$path")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
for u in root edA edB vwB; do expect_eq "$(login $u)" 303 "sign in as $u"; done

# ---- the sending side: the form, the rules, CSRF ----
get edA "/people/C1?lang=en"
expect_eq "$code" 200 "A's editor sees C1"
expect_in "$body" 'action="/transfer/C1"' "the transfer form"
get vwB /people/C1
expect_eq "$code" 404 "B's viewer does not see A's C1"
# a grassroots unit with cells is not a considering cell: 422, nothing written
post edA /transfer/C1 to=CT.B.P2 date=15/03/2024
expect_eq "$code" 422 "KN-TRANSFER-DEST refused"
expect_in "$body" "KN-TRANSFER-DEST" "the rule's code on the page"
expect_eq "$(ntransfers)" 0 "nothing written by a refusal"
# without the CSRF token: 403, nothing written
code=$(curl -s -o /dev/null -w '%{http_code}' -b edA.jar --data 'to=CT.B.P2.K1&date=15/03/2024' "$URL/transfer/C1")
expect_eq "$code" 403 "a POST without CSRF"
expect_eq "$(ntransfers)" 0 "nothing written without CSRF"
# B's editor cannot send A's person anywhere: not found
post edB /transfer/C1 to=CT.B.P2.K1 date=15/03/2024
expect_eq "$code" 404 "B's editor: A's person is unknown"
# the letter, its note escaped on the page
post edA /transfer/C1 to=CT.B.P2.K1 date=15/03/2024 doc_no=15-GT "note=<script>alert(1)</script>"
expect_eq "$code" 303 "the letter recorded"
expect_eq "$(ntransfers)" 1 "one transfer"
expect_eq "$(unit_of C1)" CT.A.P1.K1 "in transit: still A's"
get edA "/people/C1?lang=en"
expect_in "$body" "in transit" "the person page says in transit"
expect_not_in "$body" 'action="/transfer/C1"' "no second letter before the arrival"

# ---- the destination: the arriving list, the scopes ----
get edB /
expect_eq "$code" 200 "B's dashboard"
expect_in "$body" 'id="arriving"' "the arriving list"
expect_in "$body" "Nguyễn Thị Kim Thảo" "C1 on B's arriving list"
expect_in "$body" 'action="/arrive/C1"' "an Accept form for B's editor"
expect_not_in "$body" "Phạm Văn Tí" "no other person of A"
get vwB /
expect_in "$body" "Nguyễn Thị Kim Thảo" "B's viewer sees who is arriving"
expect_not_in "$body" 'action="/arrive/C1"' "but no Accept form"
get edA /
expect_not_in "$body" 'id="arriving"' "A's dashboard has no arriving list"
post vwB /arrive/C1 date=20/03/2024
expect_eq "$code" 403 "B's viewer may not accept"
post edA /arrive/C1 date=20/03/2024
expect_eq "$code" 403 "A's editor may not accept for B"
post edB /arrive/C2 date=20/03/2024
expect_eq "$code" 404 "C2 is not in transit to B: unknown"
post edB /arrive/NOPE date=20/03/2024
expect_eq "$code" 404 "an unknown ref"
get edB "/people/C1?lang=en"
expect_eq "$code" 404 "B's editor does not read C1's page before the arrival"
post edB /arrive/C1 date=10/03/2024
expect_eq "$code" 422 "an arrival before the letter"
post edB /arrive/C1 date=20/03/2024
expect_eq "$code" 303 "B's editor accepts C1"
expect_eq "$(unit_of C1)" CT.B.P2.K1 "C1 is B's now"
expect_eq "$(kn_sql "$KDB" "SELECT in_date FROM transfers")" 2024-03-20 "the arrival's date"
get edB "/people/C1?lang=en"
expect_eq "$code" 200 "B's editor reads C1's page now"
expect_in "$body" "Units over time" "the units over time"
expect_in "$body" "&lt;script&gt;alert(1)&lt;/script&gt;" "the note escaped"
expect_not_in "$body" "<script>alert(1)" "no markup from the note"
get edA "/people/C1?lang=en"
expect_eq "$code" 404 "A no longer sees C1"
get edB /
expect_not_in "$body" 'action="/arrive/C1"' "nobody arriving any more"
expect_eq "$(kn_sql "$KDB" "SELECT COUNT(*) FROM audit WHERE entity = 'transfer'")" 2 "two audit entries"

kn_web_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
