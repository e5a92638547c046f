#!/bin/bash
# changes.sh — the change counter (migration 005, store_changes()) across
# processes, end to end: on the small city of tests/lib/small_city.sh,
# `init` and each import are one write transaction each (the counter reads
# 1, then 2 … 5), a report, a refused step and a refused `user add` move
# nothing, a user added, a sign-in and a recorded step move it by one. Then `ketnap serve` on the same
# database: the dashboard is built once and then served from the server's
# cache (a unit renamed behind the program's back, which no counter sees,
# is not shown — while the cache entry is younger than its 10 s safety
# limit), /healthz answers from the counter; a step recorded by the
# command line, another process, makes the very next request rebuild the
# dashboard: 5 admitted in 2025 instead of 4, and the new name. Last, a
# database of schema 4 (the table dropped, the migration forgotten) is
# carried forward by `init`: the counter starts at the audit chain's count.
# Both backends (cli/changes, pg/cli/changes). Needs $KETNAP and curl.
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
KDB=$(KN_DB_DIR=$tmp kn_db changes)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" "$@"; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
counter() { kn_sql "$KDB" "SELECT COALESCE((SELECT n FROM changes WHERE one = 1), 0)"; }
# get PATH: $code and $body, as root.
get() {
	body=$(curl -s -b root.jar -w '\n%{http_code}' "$KN_WEB_URL$1")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
by_id() { grep -o "id=\"$2\">[^<]*" <<<"$1" | head -1 | sed 's/.*>//'; }

# ---- one write transaction, one step of the counter ----
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/small_city.sh"
kn init >/dev/null || { echo "init failed" >&2; exit 1; }
expect_eq "$(counter)" 1 "init (the default policy)"
n=1
for k in units people quotas steps; do
	kn import "$k" "$k.csv" >/dev/null 2>err || bad "import $k: $(cat err)"
	n=$((n + 1))
	expect_eq "$(counter)" $n "after importing $k"
done
kn report achievement --unit CT --year 2025 --format csv >/dev/null || bad "report"
expect_eq "$(counter)" 5 "a report writes nothing"
echo short | kn user add root --unit CT --role admin >/dev/null 2>&1 && bad "a short password taken"
expect_eq "$(counter)" 5 "a refused user add"
kn step 092205000205 decision --date 2025-03-24 --doc 205-QĐ/HU --org CT.CD >/dev/null 2>&1 &&
	bad "a decision before the committee vote taken"
expect_eq "$(counter)" 5 "a refused step"
echo 'secret123' | kn user add root --unit CT --role admin >/dev/null || bad "user add"
expect_eq "$(counter)" 6 "user add"
export KETNAP_USER=root	# the database has accounts now

# ---- the server's cache and the command line ----
KN_WEB_LOG=$tmp/serve.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
expect_eq "$(kn_web_login root.jar root secret123)" 303 "sign in"
expect_eq "$(counter)" 7 "signing in (a session and its audit entry)"
health=$(curl -s "$KN_WEB_URL/healthz")
case $KDB in
postgres*) expect_eq "$health" "ok PostgreSQL" "/healthz" ;;
*) expect_eq "$health" "ok SQLite" "/healthz" ;;
esac

get /
built=$(date +%s)
expect_eq "$code" 200 "the dashboard"
expect_eq "$(by_id "$body" admitted)" 4 "admitted in 2025, first build"
grep -qF 'Đảng bộ huyện Cờ Đỏ</a>' <<<"$body" && ok || bad "the dashboard names CT.CD"
# Behind the program's back: no transaction of ketnap's, no counter.
kn_sql "$KDB" "UPDATE units SET name = 'Huyện Cờ Đỏ (mới)' WHERE code = 'CT.CD'" >/dev/null
get /
expect_eq "$(by_id "$body" admitted)" 4 "admitted in 2025, again"
if [ $(($(date +%s) - built)) -lt 9 ]; then
	grep -qF 'Đảng bộ huyện Cờ Đỏ</a>' <<<"$body" && ok ||
		bad "the second request was not served from the cache"
else
	echo "note: the requests were more than 9 s apart; the cache check is skipped" >&2
fi
expect_eq "$(counter)" 7 "reading pages writes nothing the counter sees"

# Another process records the committee vote and the decision.
kn step 092205000205 committee_vote --date 2025-03-03 --for 7 --of 9 >/dev/null ||
	bad "committee vote"
expect_eq "$(counter)" 8 "a step"
kn step 092205000205 decision --date 2025-03-24 --doc 205-QĐ/HU --org CT.CD >/dev/null ||
	bad "decision"
expect_eq "$(counter)" 9 "another step"
get /
expect_eq "$code" 200 "the dashboard after the steps"
expect_eq "$(by_id "$body" admitted)" 5 "admitted in 2025 after the CLI's decision"
grep -qF 'Huyện Cờ Đỏ (mới)</a>' <<<"$body" && ok || bad "the rebuilt dashboard has the new name"
expect_eq "$(by_id "$body" admitted)" \
	"$(kn report achievement --unit CT --year 2025 --format csv | sed -n 2p | cut -d, -f5)" \
	"the dashboard is the report"
kn_web_stop

# ---- a database of schema 4 carried forward ----
# Migration 011's (issue 15: identity) index and table.
kn_sql "$KDB" "DROP TABLE merged_refs" >/dev/null
kn_sql "$KDB" "DROP INDEX people_dup" >/dev/null
# Migration 008's triggers on units use the table: they go with it.
case $KDB in
postgres://* | postgresql://*)
	kn_sql "$KDB" "DROP TRIGGER units_version ON units" >/dev/null
	kn_sql "$KDB" "DROP FUNCTION units_version_bump()" >/dev/null ;;
*)
	for t in insert update delete; do
		kn_sql "$KDB" "DROP TRIGGER units_version_$t" >/dev/null
	done ;;
esac
kn_undo_018 "$KDB" >/dev/null	# 018's (issue 13)
kn_undo_016 "$KDB" >/dev/null	# 016's (issue 13)
kn_sql "$KDB" "DROP TABLE changes" >/dev/null
# and migration 014's (steps_step_date as it was: it covers unit_id now;
# steps_date back)
# and 009's (transfers, the steps' own unit)
for q in "DROP INDEX steps_step_date" "CREATE INDEX steps_step_date ON steps(step, date)" \
	 "CREATE INDEX steps_date ON steps(date, step, candidacy_id)" \
	 "DROP TABLE transfers" "DROP INDEX steps_unit" "DROP INDEX steps_candidacy" \
	 "CREATE INDEX steps_candidacy ON steps(candidacy_id, seq, step, date)" \
	 "ALTER TABLE steps DROP COLUMN unit_id"; do
	kn_sql "$KDB" "$q" >/dev/null
done
# and migration 007's (the people's name keys)
# and migration 006's (the units' paths), and 010's (re-admission: the
# people's and candidacies' new columns); a later migration that adds to
# the schema adds its undoing here too
for q in "DROP INDEX people_name_key" "DROP INDEX candidacies_unit" \
	 "ALTER TABLE people DROP COLUMN name_key" "DROP TABLE name_key_version" \
	 "DROP INDEX candidacies_unit_open" "DROP INDEX units_path" \
	 "ALTER TABLE units DROP COLUMN path" \
	 "DROP TABLE decision_extensions" "DROP INDEX candidacies_open_stage" \
	 "ALTER TABLE people DROP COLUMN left_on" "ALTER TABLE people DROP COLUMN left_reason" \
	 "ALTER TABLE people DROP COLUMN record_cleared_on" \
	 "ALTER TABLE people DROP COLUMN readmitted" \
	 "ALTER TABLE candidacies DROP COLUMN readmission"; do
	kn_sql "$KDB" "$q" >/dev/null
done
kn_sql "$KDB" "DELETE FROM schema_migrations WHERE version >= 5" >/dev/null
kn init >/dev/null 2>err || bad "init of a schema 4 database: $(cat err)"
# The newest migration of the source tree (src/store/sql/NNN-name.sql).
latest=$(ls "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"/src/store/sql/[0-9]*.sql |
	sed 's|.*/0*\([0-9]*\)-.*|\1|' | sort -n | tail -1)
expect_eq "$(kn_sql "$KDB" "SELECT MAX(version) FROM schema_migrations")" "$latest" \
	"migrated to the newest migration ($latest)"
expect_eq "$(counter)" "$(kn_sql "$KDB" "SELECT n FROM audit_head")" \
	"the counter starts at the audit entries' count"
expect_eq "$(kn_sql "$KDB" "SELECT COUNT(*) FROM audit")" "$(counter)" "which is the count"
kn verify >/dev/null 2>err || bad "verify after the migration: $(cat err)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
