#!/bin/bash
# roundtrip.sh — export → import into an empty database → export gives
# byte-identical files, for the example city, the demo city (`demo --size
# small`) and a generated bigger one, people's member dates included (the
# people list, with the dates from the steps, is imported before the
# steps: KN-OPEN judges membership on the source step's date);
# and a `kill -9` in the middle of a large import leaves the database as
# it was (the import is one transaction). Needs $KETNAP and python3.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY KETNAP_DB
export KETNAP_USER=tester
KINDS="units people quotas holidays steps"

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"
A=$(kn_db a) B=$(kn_db b) C=$(kn_db c) D=$(kn_db d)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# load DB DIR: init DB and import the five files of DIR in order.
load() {
	rm -f "$1" "$1-wal" "$1-shm"
	"$KETNAP" --db "$1" init >/dev/null
	for k in $KINDS; do
		if "$KETNAP" --db "$1" import "$k" "$2/$k.csv" >/dev/null; then ok; else bad "import $2/$k.csv into $1"; fi
	done
}
# dump DB DIR: export the five lists of DB into DIR.
dump() {
	mkdir -p "$2"
	for k in $KINDS; do "$KETNAP" --db "$1" export "$k" -o "$2/$k.csv"; done
}
same() {
	for k in $KINDS; do
		if cmp -s "$1/$k.csv" "$2/$k.csv"; then ok; else bad "$3: $k.csv differs"; diff "$1/$k.csv" "$2/$k.csv" | head -5 >&2 || true; fi
	done
}

# dated DIR: people.csv carries, for everyone admitted through the steps
# of steps.csv, member_since = the decision date and official_since = the
# ceremony + 12 months once `official` is recorded; none after struck_off
# (spec/FORMATS.md, people.csv). The probation end is worked out here from
# the file, independently of the program (12 months: the default policy,
# clamped to the month's end as the rules count months).
dated() {
	local got
	got=$(python3 - "$1" <<'PY'
import csv, sys, calendar
d = sys.argv[1]
steps = {}
for r in csv.DictReader(open(d + "/steps.csv", encoding="utf-8")):
    steps.setdefault(r["person"], []).append(r)
def plus12(iso):
    y, m, dd = map(int, iso.split("-"))
    y += 1
    return "%04d-%02d-%02d" % (y, m, min(dd, calendar.monthrange(y, m)[1]))
want = {}
for ref, rows in steps.items():
    ms = os_ = ""
    cand = None
    for r in rows:
        if r["step"] == "source":
            cand = {}
        cand[r["step"]] = r["date"]
        if r["step"] == "decision":
            ms, os_ = r["date"], ""
        if r["step"] == "official":
            os_ = plus12(cand["ceremony"])
        if r["step"] == "struck_off":
            ms = os_ = ""
        want[ref] = (ms, os_)
bad = n = 0
for r in csv.DictReader(open(d + "/people.csv", encoding="utf-8")):
    if r["ref"] in want and any(s["step"] == "decision" for s in steps[r["ref"]]):
        n += 1
        if (r["member_since"], r["official_since"]) != want[r["ref"]]:
            bad += 1
            print("%s: %s,%s wanted %s,%s" % (r["ref"], r["member_since"], r["official_since"],
                  *want[r["ref"]]), file=sys.stderr)
print(n if bad == 0 else -1)
PY
)
	if [ "${got:-0}" -gt 0 ]; then ok; else bad "$1/people.csv: member dates ($got admitted checked)"; fi
}

# ---- the example city: the files are already in export form ----
load "$A" "$SRC/examples"
dump "$A" ex1
same "$SRC/examples" ex1 "examples → export"
dated ex1
load "$B" ex1
dump "$B" ex2
same ex1 ex2 "examples round trip"

# ---- the demo city (demo --size small) ----
Ds=$(kn_db ds) Dt=$(kn_db dt)
if "$KETNAP" --db "$Ds" demo --size small >/dev/null 2>&1; then ok; else bad "demo --size small"; fi
dump "$Ds" demo1
dated demo1
load "$Dt" demo1
dump "$Dt" demo2
same demo1 demo2 "demo round trip"

# ---- a generated city (smaller than a city-year, to keep the test quick) ----
python3 "$SRC/bench/gen_city.py" gen --seed 7 --scale 0.3 >/dev/null
load "$C" gen
dump "$C" gen1
load "$D" gen1
dump "$D" gen2
same gen1 gen2 "generated round trip"
if [ "$(wc -l <gen1/steps.csv)" -gt 5000 ]; then ok; else bad "generated set too small"; fi

# ---- kill -9 in the middle of a large import ----
python3 "$SRC/bench/gen_city.py" big --seed 3 --scale 3 >/dev/null
E=$(kn_db e)
"$KETNAP" --db "$E" init >/dev/null
"$KETNAP" --db "$E" import units big/units.csv >/dev/null
"$KETNAP" --db "$E" import people big/people.csv >/dev/null
dump "$E" kill0
killed=0
for delay in 0.5 0.3 0.15; do
	"$KETNAP" --db "$E" import steps big/steps.csv >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
		killed=1
		break
	fi
	# It finished before the kill: start again from the state before.
	wait "$pid" || true
	E=$(kn_db e)
	"$KETNAP" --db "$E" init >/dev/null
	"$KETNAP" --db "$E" import units big/units.csv >/dev/null
	"$KETNAP" --db "$E" import people big/people.csv >/dev/null
done
if [ $killed = 1 ]; then ok; else bad "the import finished before it could be killed"; fi
dump "$E" kill1
same kill0 kill1 "after kill -9"
if [ -z "${KN_TEST_PG:-}" ] && command -v sqlite3 >/dev/null; then
	r=$(sqlite3 "$E" 'PRAGMA integrity_check')
	if [ "$r" = ok ]; then ok; else bad "integrity_check: $r"; fi
fi
# The database still works: the same import now completes.
if "$KETNAP" --db "$E" import steps big/steps.csv >/dev/null; then ok; else bad "import after kill"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
