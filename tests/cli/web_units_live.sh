#!/bin/bash
# web_units_live.sh — a running `ketnap serve` keeps one unit tree for all
# its requests (core/treecache.h) and reads it again only when the units
# version moved (migration 008): a unit added, renamed or moved by
# `ketnap import units` in another process is on the very next request to
# the server, and counts for scope at once — a person of the new cell has
# a page, an account of the new cell signs in and sees its own subtree
# and nothing else. A step recorded meanwhile changes no unit and the
# pages stay right. On the small city of tests/lib/small_city.sh; both
# backends (cli/web_units_live, pg/cli/web_units_live). Two worker
# threads, each request repeated four times so that both answer. Needs
# $KETNAP and curl.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester KETNAP_TODAY=2025-12-20

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
tmp=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
KDB=$(KN_DB_DIR=$tmp kn_db units_live)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" "$@"; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
# get JAR PATH: $code and $body.
get() {
	body=$(curl -s -b "$1" -w '\n%{http_code}' "$KN_WEB_URL$2")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
# expect_page JAR PATH STATUS TEXT WHAT: four times (both workers), each
# answered STATUS with TEXT in the body (TEXT empty: not checked).
expect_page() {
	local i
	for i in 1 2 3 4; do
		get "$1" "$2"
		expect_eq "$code" "$3" "$5 (request $i)"
		if [ -n "$4" ]; then
			grep -qF -- "$4" <<<"$body" && ok || bad "$5 (request $i): no '$4' in the page"
		fi
	done
}
# expect_absent JAR PATH TEXT WHAT: four times, TEXT not in the body.
expect_absent() {
	local i
	for i in 1 2 3 4; do
		get "$1" "$2"
		grep -qF -- "$3" <<<"$body" && bad "$4 (request $i): '$3' in the page" || ok
	done
}

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/small_city.sh"
kn init >/dev/null || { echo "init failed" >&2; exit 1; }
for k in units people quotas steps; do
	kn import "$k" "$k.csv" >/dev/null 2>err || bad "import $k: $(cat err)"
done
echo 'secret123' | kn user add root --unit CT --role admin >/dev/null || bad "user add root"
export KETNAP_USER=root	# the database has accounts now

KN_WEB_LOG=$tmp/serve.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
expect_eq "$(kn_web_login root.jar root secret123)" 303 "sign in as root"

# Both workers have the tree of the seven units; the unit to come is not
# in it.
expect_page root.jar /people/092204000201 200 "Chi bộ khu vực 1" "a person of KV1"
expect_page root.jar /api/v1/units/CT.NK.AK.KV2 404 "" "the unit KV2 before it exists"
expect_page root.jar /people/092304000206 404 "" "a person before it exists"

# ---- a cell added by another process ----
cat >units2.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT.NK.AK.KV2,CT.NK.AK,Chi bộ khu vực 2,cell,0,hamlet,0
CSV
cat >people2.csv <<'CSV'
ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note
092304000206,Lâm Thị Thu,F,2004-10-02,CT.NK.AK.KV2,,,12/12,university,student,1,0,,,,
CSV
kn import units units2.csv >/dev/null 2>err || bad "import units2: $(cat err)"
expect_page root.jar /api/v1/units/CT.NK.AK.KV2 200 '"Chi bộ khu vực 2"' \
	"the unit KV2 on the next requests"
kn import people people2.csv >/dev/null 2>err || bad "import people2: $(cat err)"
expect_page root.jar /people/092304000206 200 "Chi bộ khu vực 2" "the person of KV2, by unit name"

# ---- scope: an account of the new cell ----
echo 'secret456' | kn user add kv2 --unit CT.NK.AK.KV2 --role editor >/dev/null ||
	bad "user add kv2"
expect_eq "$(kn_web_login kv2.jar kv2 secret456)" 303 "sign in as kv2"
expect_page kv2.jar /people/092304000206 200 "Lâm Thị Thu" "kv2 sees its own cell's person"
expect_page kv2.jar /people/092204000201 404 "" "kv2 does not see KV1's person"
expect_page kv2.jar /api/v1/units/CT.NK.AK 404 "" "kv2 does not see the unit above it"

# ---- a step changes no unit: the same answers ----
kn step 092205000205 committee_vote --date 2025-03-03 --for 7 --of 9 >/dev/null ||
	bad "committee vote"
expect_page kv2.jar /people/092304000206 200 "Chi bộ khu vực 2" "kv2's person after a step"
expect_page root.jar /people/092205000205 200 "Chi bộ ấp Thới Hòa" "the person of the step"

# ---- renamed, then moved, by another process ----
cat >units3.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT.NK.AK.KV2,CT.NK.AK,Chi bộ khu vực 2 (mới),cell,0,hamlet,0
CSV
kn import units units3.csv >/dev/null 2>err || bad "import units3: $(cat err)"
expect_page root.jar /people/092304000206 200 "Chi bộ khu vực 2 (mới)" "the new name"

# KV2 moved under Thới Hưng (Cờ Đỏ): its person leaves Ninh Kiều.
echo 'secret789' | kn user add nk --unit CT.NK --role viewer >/dev/null || bad "user add nk"
expect_eq "$(kn_web_login nk.jar nk secret789)" 303 "sign in as nk"
expect_page nk.jar /people/092304000206 200 "Lâm Thị Thu" "nk sees KV2's person while KV2 is in Ninh Kiều"
cat >units4.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT.NK.AK.KV2,CT.CD.TH,Chi bộ khu vực 2 (mới),cell,0,hamlet,0
CSV
kn import units units4.csv >/dev/null 2>err || bad "import units4: $(cat err)"
expect_page nk.jar /people/092304000206 404 "" "nk no longer sees KV2's person once it moved"
expect_page root.jar /people/092304000206 200 "Lâm Thị Thu" "root still does"
expect_absent kv2.jar /people/092204000201 "Trần Minh Khôi" "kv2 still does not see KV1's person"

kn_web_stop
grep -q "ERROR\|AddressSanitizer\|runtime error" "$tmp/serve.log" && bad "the server log: $(cat "$tmp/serve.log")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
