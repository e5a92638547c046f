#!/bin/bash
# demo_province.sh — `ketnap demo --size province` (issue 13), on SQLite:
# the figures of seed 2 as main printed them before the demo wrote its
# steps one candidacy after another (written here by hand); the same
# database as the demo writing in date order (KETNAP_DEMO_DATE_ORDER=1):
# exports, candidacies with their ids, versions and stages, the steps of
# each candidacy by number; every index back after the load that
# deferred them (store_bulk_begin's STORE_BULK_FILL), as a fresh database
# has them; and a demo killed with -9 at any point leaves either nothing
# or everything, every index there. About a minute: the province is
# 300,000 people. PostgreSQL (pg/cli/demo_province) skips it: its bulk
# load defers only the steps' date indexes, as for an import, which
# pg/cli/import_bulk and pg/crash/kill9 check. Needs $KETNAP and sqlite3.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
export LANG=C.UTF-8 KETNAP_TODAY=2025-12-20
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB KETNAP_DEMO_DATE_ORDER
export KETNAP_USER=tester

if [ -n "${KN_TEST_PG:-}" ]; then
	echo "demo_province.sh: SQLite only (see its opening comment): skipped" >&2
	exit 0
fi
if ! command -v sqlite3 >/dev/null; then
	echo "demo_province.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

indexes() { sqlite3 "$1" "SELECT name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master WHERE type = 'index' ORDER BY name"; }
# dump DB P: what the two orders must share, one file each.
dump() {
	for k in units people quotas steps transfers; do "$KETNAP" --db "$1" export "$k" -o "$2.$k.csv"; done
	sqlite3 "$1" "SELECT c.id, p.ref, u.code, c.stage, c.is_open, c.version, c.readmission
		FROM candidacies c JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id
		ORDER BY c.id" >"$2.cand"
	sqlite3 "$1" "SELECT candidacy_id, seq, step, date, doc_no, org, member_id, intro1_id,
		intro1_since, intro2_id, intro2_since, votes_for, votes_total, consent, override,
		override_by, note, unit_id FROM steps ORDER BY candidacy_id, seq" >"$2.steps"
	sqlite3 "$1" "SELECT * FROM people ORDER BY id" >"$2.people"
}

"$KETNAP" --db fresh.db init >/dev/null
indexes fresh.db >fresh.idx
if grep -q '^people_name_key: ' fresh.idx && grep -q '^steps_step_date: ' fresh.idx &&
   grep -q '^candidacies_open_stage: ' fresh.idx; then ok; else bad "a fresh database's indexes: $(cat fresh.idx)"; fi

# ---- the figures, and every index back ----
rc=0
"$KETNAP" --db a.db demo --size province --seed 2 >out 2>err || rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "demo: exit $rc: $(cat err)"; fi
want="a.db: demo province-sized (seed 2): 16,414 units, 333,165 people, 41,293 candidacies, 437,127 steps, as of 2025-12-20"
if [ "$(cat out)" = "$want" ]; then ok; else bad "demo: '$(cat out)', expected '$want'"; fi
indexes a.db >a.idx
if cmp -s fresh.idx a.idx; then ok; else bad "indexes after the demo:"; diff fresh.idx a.idx >&2 || true; fi
check=$(sqlite3 a.db "PRAGMA integrity_check")
if [ "$check" = ok ]; then ok; else bad "integrity_check: $check"; fi

# ---- the same database as in date order ----
rc=0
KETNAP_DEMO_DATE_ORDER=1 "$KETNAP" --db b.db demo --size province --seed 2 >out 2>err || rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "demo in date order: exit $rc: $(cat err)"; fi
dump a.db a
dump b.db b
for f in units.csv people.csv quotas.csv steps.csv transfers.csv cand steps people; do
	if cmp -s "a.$f" "b.$f"; then ok; else bad "one candidacy after another and date order: $f differs"; fi
done

# ---- kill -9: nothing or everything, every index there ----
# Killed two seconds in, wherever the demo is by then (its migrations
# take milliseconds): the units are written in its first second, the
# indexes dropped before them, built again at the end.
"$KETNAP" --db k.db demo --size province --seed 2 >/dev/null 2>&1 &
pid=$!
sleep 2
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=
indexes k.db >k.idx
if cmp -s fresh.idx k.idx; then ok; else bad "indexes after kill -9:"; diff fresh.idx k.idx >&2 || true; fi
n=$(sqlite3 k.db "SELECT (SELECT COUNT(*) FROM units) || ' ' || (SELECT COUNT(*) FROM people) || ' ' || (SELECT COUNT(*) FROM steps)")
case "$n" in
"0 0 0" | "16414 333165 437127") ok ;;
*) bad "after kill -9: units, people, steps: $n" ;;
esac
check=$(sqlite3 k.db "PRAGMA integrity_check")
if [ "$check" = ok ]; then ok; else bad "integrity_check after kill -9: $check"; fi

check_done
