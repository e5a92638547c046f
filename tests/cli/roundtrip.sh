#!/bin/bash
# roundtrip.sh — export → import into an empty database → export gives
# byte-identical files, for the example city and a generated bigger one;
# and a `kill -9` in the middle of a large import leaves the database as
# it was (the import is one transaction). Needs $KETNAP and python3.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY KETNAP_DB
export KETNAP_USER=tester
KINDS="units people quotas holidays steps"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

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

# ---- the example city: the files are already in export form ----
load a.db "$SRC/examples"
dump a.db ex1
same "$SRC/examples" ex1 "examples → export"
load b.db ex1
dump b.db ex2
same ex1 ex2 "examples round trip"

# ---- a generated city (smaller than a city-year, to keep the test quick) ----
python3 "$SRC/bench/gen_city.py" gen --seed 7 --scale 0.3 >/dev/null
load c.db gen
dump c.db gen1
load d.db gen1
dump d.db gen2
same gen1 gen2 "generated round trip"
if [ "$(wc -l <gen1/steps.csv)" -gt 5000 ]; then ok; else bad "generated set too small"; fi

# ---- kill -9 in the middle of a large import ----
python3 "$SRC/bench/gen_city.py" big --seed 3 --scale 3 >/dev/null
rm -f e.db e.db-wal e.db-shm
"$KETNAP" --db e.db init >/dev/null
"$KETNAP" --db e.db import units big/units.csv >/dev/null
"$KETNAP" --db e.db import people big/people.csv >/dev/null
dump e.db kill0
killed=0
for delay in 0.5 0.3 0.15; do
	"$KETNAP" --db e.db import steps big/steps.csv >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
		killed=1
		break
	fi
	# It finished before the kill: start again from the state before.
	wait "$pid" || true
	rm -f e.db e.db-wal e.db-shm
	"$KETNAP" --db e.db init >/dev/null
	"$KETNAP" --db e.db import units big/units.csv >/dev/null
	"$KETNAP" --db e.db import people big/people.csv >/dev/null
done
if [ $killed = 1 ]; then ok; else bad "the import finished before it could be killed"; fi
dump e.db kill1
same kill0 kill1 "after kill -9"
if command -v sqlite3 >/dev/null; then
	r=$(sqlite3 e.db 'PRAGMA integrity_check')
	if [ "$r" = ok ]; then ok; else bad "integrity_check: $r"; fi
fi
# The database still works: the same import now completes.
if "$KETNAP" --db e.db import steps big/steps.csv >/dev/null; then ok; else bad "import after kill"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
