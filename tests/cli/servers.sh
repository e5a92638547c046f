#!/bin/bash
# servers.sh — several `ketnap serve` processes on one database, as
# docs/deploy.md runs them behind nginx: two servers, A and B, on the small
# city of tests/lib/small_city.sh (on PostgreSQL, pg/cli/servers: one
# cluster; on SQLite, cli/servers: one file). Sessions live in the
# database, so a browser signed in through A is signed in on B too (no
# sticky sessions), and signing out through B ends it on A. Each server
# builds and caches the dashboard (4 admitted in 2025); a committee vote and
# the decision recorded through A's step form make the very next request
# to B show 5 admitted — B's cached dashboard included, rebuilt because the
# change counter moved, not because it expired: a unit renamed behind both
# servers' backs while B's entry was fresh is not on B's second answer
# (checked when the requests were under 9 s apart; the cache's safety limit
# is 10 s) — and B's person page shows the decision. Needs $KETNAP and curl.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester KETNAP_TODAY=2025-12-20

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
tmp=$(mktemp -d)
A_PID=
# web.sh keeps one server (B, the last started); A is stopped here.
stop_a() {
	local b=$KN_WEB_PID
	[ -n "$A_PID" ] || return 0
	KN_WEB_PID=$A_PID
	A_PID=
	kn_web_stop
	KN_WEB_PID=$b
}
cleanup() {
	stop_a
	kn_db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
KDB=$(KN_DB_DIR=$tmp kn_db servers)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" "$@"; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
# get URL JAR PATH: $code and $body.
get() {
	body=$(curl -s -b "$2" -w '\n%{http_code}' "$1$3")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
by_id() { grep -o "id=\"$2\">[^<]*" <<<"$1" | head -1 | sed 's/.*>//'; }
field() { # field URL JAR PATH NAME: the value of the form field NAME on the page
	curl -s -b "$2" "$1$3" | grep -o "name=\"$4\" value=\"[^\"]*\"" | head -1 |
		sed 's/.*value="//;s/"$//'
}
# step URL JAR REF STEP FIELD=VALUE...: record through that server's step
# form (its CSRF token and the person's version); $code.
step() {
	local url=$1 jar=$2 ref=$3 s=$4 csrf version args=() f
	shift 4
	csrf=$(field "$url" "$jar" /candidates csrf)
	version=$(field "$url" "$jar" "/people/$ref" version)
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	code=$(curl -s -o step.html -w '%{http_code}' -b "$jar" --data-urlencode "csrf=$csrf" \
		--data-urlencode "step=$s" --data-urlencode action=record \
		--data-urlencode "version=$version" "${args[@]}" "$url/step/$ref")
}

# ---- the city, and two servers on it ----
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/small_city.sh"
kn init >/dev/null || { echo "init failed" >&2; exit 1; }
for k in units people quotas steps; do
	kn import "$k" "$k.csv" >/dev/null 2>err || bad "import $k: $(cat err)"
done
echo 'secret123' | kn user add root --unit CT --role admin >/dev/null || bad "user add"
export KETNAP_USER=root	# the database has accounts now

KN_WEB_LOG=$tmp/a.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
A=$KN_WEB_URL
A_PID=$KN_WEB_PID
KN_WEB_PID=
KN_WEB_LOG=$tmp/b.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
B=$KN_WEB_URL
[ "$A" != "$B" ] && ok || bad "two servers on two ports"

# ---- sessions are the database's ----
KN_WEB_URL=$A
expect_eq "$(kn_web_login a.jar root secret123)" 303 "sign in on A"
KN_WEB_URL=$B
expect_eq "$(kn_web_login b.jar root secret123)" 303 "sign in on B"
get "$B" a.jar /
expect_eq "$code" 200 "A's session on B"
get "$A" b.jar /
expect_eq "$code" 200 "B's session on A"
cp b.jar out.jar
csrf=$(field "$B" out.jar /candidates csrf)
code=$(curl -s -o /dev/null -w '%{http_code}' -b out.jar -c out.jar --data-urlencode "csrf=$csrf" \
	"$B/logout")
expect_eq "$code" 303 "sign out on B"
get "$A" b.jar /
expect_eq "$code" 303 "the session signed out on B is gone on A"
expect_eq "$(kn_web_login b.jar root secret123)" 303 "sign in on B again"

# ---- each server's cached dashboard ----
get "$A" a.jar /
expect_eq "$(by_id "$body" admitted)" 4 "A: admitted in 2025"
get "$B" b.jar /
built=$(date +%s)
expect_eq "$(by_id "$body" admitted)" 4 "B: admitted in 2025"
kn_sql "$KDB" "UPDATE units SET name = 'Huyện Cờ Đỏ (mới)' WHERE code = 'CT.CD'" >/dev/null
get "$B" b.jar /
if [ $(($(date +%s) - built)) -lt 9 ]; then
	grep -qF 'Đảng bộ huyện Cờ Đỏ</a>' <<<"$body" && ok ||
		bad "B's second dashboard was not served from its cache"
else
	echo "note: the requests were more than 9 s apart; the cache check is skipped" >&2
fi

# ---- a step through A, seen on B's next request ----
step "$A" a.jar 092205000205 committee_vote date=2025-03-03 votes_for=7 votes_total=9
expect_eq "$code" 303 "the committee vote through A"
step "$A" a.jar 092205000205 decision date=2025-03-24 doc_no=205-QĐ/HU org=CT.CD
expect_eq "$code" 303 "the decision through A"
get "$B" b.jar /
expect_eq "$code" 200 "B's dashboard after A's steps"
expect_eq "$(by_id "$body" admitted)" 5 "B: admitted in 2025 after A's decision"
grep -qF 'Huyện Cờ Đỏ (mới)</a>' <<<"$body" && ok || bad "B's rebuilt dashboard has the new name"
get "$B" b.jar /people/092205000205
grep -qF '205-QĐ/HU' <<<"$body" && ok || bad "B's person page shows the decision"
get "$A" a.jar /
expect_eq "$(by_id "$body" admitted)" 5 "A: admitted in 2025 after its own decision"
expect_eq "$(kn report achievement --unit CT --year 2025 --format csv | sed -n 2p | cut -d, -f5)" 5 \
	"the report agrees"

# ---- holidays changed by another process reach B's calendar ----
# Each worker keeps the calendar in memory; a holiday imported by the
# command line (another process) must be in B's next answer, which reads
# the calendar, not the table (the change counter moved).
# The holidays page lists the days off from the worker's calendar, then the
# recorded changes from the table: the imported holiday must be in both
# (two lines). Several requests first, so that every worker thread of A
# and B has built its calendar (a thread's first request builds a fresh
# one anyway).
for i in 1 2 3 4 5 6 7 8; do
	get "$B" b.jar "/admin/holidays?year=2025"
	grep -qF 'Nghỉ bù thử' <<<"$body" && bad "the holiday is on B before it is imported"
	get "$A" a.jar "/admin/holidays?year=2025"
done
printf 'date,workday,name\n2025-11-14,0,Nghỉ bù thử\n' >holidays.csv
kn import holidays holidays.csv >/dev/null 2>err || bad "import holidays: $(cat err)"
for i in 1 2 3 4; do
	get "$B" b.jar "/admin/holidays?year=2025"
	expect_eq "$(grep -cF 'Nghỉ bù thử' <<<"$body")" 2 \
		"B's calendar has the holiday imported by the CLI (request $i)"
	get "$A" a.jar "/admin/holidays?year=2025"
	expect_eq "$(grep -cF 'Nghỉ bù thử' <<<"$body")" 2 \
		"A's calendar has the holiday imported by the CLI (request $i)"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
