#!/bin/bash
# migrate.sh — `ketnap migrate-to URL`: a SQLite database (the small demo
# city, with its audit log) copied into a fresh PostgreSQL one gives
# byte-identical exports of every kind and the same reports; the audit
# log, candidacy ids and versions come across as they are; the copy can
# be written to afterwards (its id sequences moved past the copied ids);
# a target that has data is refused (exit 1) and an unreachable server is
# an I/O error (exit 3) whose message hides the password. Runs only with
# $KN_TEST_PG (pg/cli/migrate); without it, it says it skipped.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
if [ -z "${KN_TEST_PG:-}" ]; then
	echo "skipped: no PostgreSQL"
	echo "0 passed, 0 failed"
	exit 0
fi
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester KETNAP_TODAY=2025-12-20
KINDS="units people quotas holidays steps"

tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# status WANT CMD...: run CMD (output in out/err), check its exit status.
status() {
	local want=$1 got=0
	shift
	"$@" >out 2>err || got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "exit $got (wanted $want): $*"; sed 's/^/  stderr: /' err >&2; fi
}
dump() {
	mkdir -p "$2"
	for k in $KINDS; do "$KETNAP" --db "$1" export "$k" -o "$2/$k.csv"; done
	for r in achievement structure funnel deadlines ranking summary; do
		"$KETNAP" --db "$1" report "$r" --year 2025 --format csv -o "$2/report-$r.csv"
	done
}
same() {
	for f in "$1"/*; do
		if cmp -s "$f" "$2/${f##*/}"; then ok; else bad "$3: ${f##*/} differs"; diff "$f" "$2/${f##*/}" | head -5 >&2 || true; fi
	done
}

SRC_DB=$tmp/src.db
T=$(kn_db target)
status 0 "$KETNAP" --db "$SRC_DB" demo --size small --seed 7
status 0 "$KETNAP" --db "$SRC_DB" migrate-to "$T"
if grep -q "rows into .*PostgreSQL" out; then ok; else bad "no summary: $(cat out)"; fi

dump "$SRC_DB" a
dump "$T" b
same a b "SQLite → PostgreSQL"
if [ "$(wc -l <a/steps.csv)" -gt 100 ]; then ok; else bad "too few steps to mean anything"; fi

# The tables as they are: audit log, candidacies with ids and versions.
for q in "SELECT id, at, actor, action, entity, key, before, after FROM audit ORDER BY id" \
	"SELECT id, person_id, unit_id, stage, is_open, version FROM candidacies ORDER BY id" \
	"SELECT id, candidacy_id, seq, step, date, recorded_by, recorded_at FROM steps ORDER BY id" \
	"SELECT key, from_date, value FROM policy ORDER BY key, from_date"; do
	kn_sql "$SRC_DB" "$q" >x1
	kn_sql "$T" "$q" >x2
	if [ -s x1 ] && cmp -s x1 x2; then ok; else bad "differs: $q"; diff x1 x2 | head -5 >&2 || true; fi
done

# New rows get new ids after the copied ones.
root=$(sed -n 2p a/units.csv | cut -d, -f1)
printf 'code,parent,name,kind\nNEW.AFTER,%s,Chi bộ mới,grassroots\n' "$root" >new.csv
status 0 "$KETNAP" --db "$T" import units new.csv
n1=$(kn_sql "$SRC_DB" "SELECT MAX(id) FROM units")
n2=$(kn_sql "$T" "SELECT id FROM units WHERE code = 'NEW.AFTER'")
if [ "$n2" -gt "$n1" ]; then ok; else bad "new unit id $n2 not after $n1"; fi

# Only into an empty database.
status 1 "$KETNAP" --db "$SRC_DB" migrate-to "$T"
if grep -q "already has data" err; then ok; else bad "no reason: $(cat err)"; fi
# A server that is not there: exit 3, the URL named without its password.
status 3 "$KETNAP" --db "$SRC_DB" migrate-to "postgresql://clerk:s3cret@/ketnap?host=$tmp/nowhere"
if grep -q "postgresql://clerk:\*\*\*@/ketnap" err && ! grep -q s3cret err; then ok; else
	bad "message: $(cat err)"; fi
# backup says which tool it used.
status 0 "$KETNAP" --db "$T" backup "$tmp/t.dump"
if grep -q "pg_dump" out && [ "$(head -c 5 "$tmp/t.dump")" = PGDMP ]; then ok; else bad "backup: $(cat out)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
