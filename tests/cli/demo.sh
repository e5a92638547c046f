#!/bin/bash
# demo.sh — `ketnap demo`: the same size and seed give byte-identical
# exports, another seed gives another city; the exported steps re-import
# into an empty database (after its units and people) without a single
# refusal, which proves every generated step obeys the rules (the
# transfers, imported before the steps as docs/formats.md says, too); a database
# that already has data is refused (exit 1); bad options are usage errors
# (exit 2); the city is city-sized. Needs $KETNAP.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester
# The demo is seen from 2025-12-20 whatever the real date; the re-import
# is judged on the same day.
export KETNAP_TODAY=2025-12-20
KINDS="units people quotas transfers steps"

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"
A=$(kn_db a) B=$(kn_db b) C=$(kn_db c) R=$(kn_db r) CITY=$(kn_db city) X=$(kn_db_missing x)

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
# dump DB DIR: export the lists of DB into DIR.
dump() {
	mkdir -p "$2"
	for k in $KINDS; do "$KETNAP" --db "$1" export "$k" -o "$2/$k.csv"; done
}

# ---- deterministic for a seed ----
status 0 "$KETNAP" --db "$A" demo --size small --seed 7
if grep -q "units" out; then ok; else bad "no summary line: $(cat out)"; fi
status 0 "$KETNAP" --db "$B" demo --size small --seed 7
dump "$A" a
dump "$B" b
for k in $KINDS; do
	if cmp -s "a/$k.csv" "b/$k.csv"; then ok; else
		bad "seed 7 twice: $k.csv differs"; diff "a/$k.csv" "b/$k.csv" | head -5 >&2 || true; fi
done
status 0 "$KETNAP" --db "$C" demo --size small --seed 8
dump "$C" c
if cmp -s a/people.csv c/people.csv; then bad "seeds 7 and 8 gave the same people"; else ok; fi
if cmp -s a/steps.csv c/steps.csv; then bad "seeds 7 and 8 gave the same steps"; else ok; fi

# ---- small is small, and has candidacies at every stage ----
units=$(($(wc -l <a/units.csv) - 1))
cands=$(grep -c ',source,' a/steps.csv || true)
if [ "$units" -ge 20 ] && [ "$units" -le 60 ]; then ok; else bad "small: $units units"; fi
if [ "$cands" -ge 40 ] && [ "$cands" -le 100 ]; then ok; else bad "small: $cands candidacies"; fi
for s in decision official withdrawn; do
	if grep -q ",$s," a/steps.csv; then ok; else bad "small: no $s step"; fi
done
if [ "$(tail -n +2 a/quotas.csv | wc -l)" -gt 0 ]; then ok; else bad "small: no quotas"; fi
if grep -q ',Khmer,\|,Hoa,' a/people.csv c/people.csv; then ok; else bad "no Khmer or Hoa people"; fi
if awk -F, 'NR > 1 && $3 > "2025-12-20" { exit 1 }' a/steps.csv; then ok; else bad "a step dated after 2025-12-20"; fi

# ---- every step obeys the rules: re-import into an empty database ----
"$KETNAP" --db "$R" init >/dev/null
status 0 "$KETNAP" --db "$R" import units a/units.csv
status 0 "$KETNAP" --db "$R" import people a/people.csv
# The transfers before the steps (docs/formats.md): each step is judged
# by the unit of its date.
status 0 "$KETNAP" --db "$R" import transfers a/transfers.csv
status 0 "$KETNAP" --db "$R" import steps a/steps.csv
status 0 "$KETNAP" --db "$R" import quotas a/quotas.csv
dump "$R" r
for k in $KINDS; do
	if cmp -s "a/$k.csv" "r/$k.csv"; then ok; else bad "re-import: $k.csv differs"; fi
done

# ---- refusals ----
status 1 "$KETNAP" --db "$A" demo --size small --seed 9
if grep -q "already has" err; then ok; else bad "no reason for the refusal: $(cat err)"; fi
dump "$A" a2
if cmp -s a/steps.csv a2/steps.csv && cmp -s a/people.csv a2/people.csv; then ok; else
	bad "a refused demo changed the database"; fi
status 2 "$KETNAP" --db "$X" demo --size huge
if grep -q "province or national" err; then ok; else bad "the sizes are not named: $(cat err)"; fi
# The province size is demo_province.sh's (a minute), the national one
# bench/national.sh's; here only that they are known sizes: on a database
# that has units they are refused like any other size, not as usage errors.
status 1 "$KETNAP" --db "$A" demo --size province
status 1 "$KETNAP" --db "$A" demo --size national
status 2 "$KETNAP" --db "$X" demo --seed abc
status 2 "$KETNAP" --db "$X" demo extra

# ---- the city ----
status 0 "$KETNAP" --db "$CITY" demo --size city --seed 1
dump "$CITY" city
units=$(($(wc -l <city/units.csv) - 1))
cands=$(grep -c ',source,' city/steps.csv || true)
adm=$(grep -c ',decision,2024-' city/steps.csv || true)
if [ "$units" -ge 300 ]; then ok; else bad "city: only $units units"; fi
if [ "$cands" -ge 2000 ]; then ok; else bad "city: only $cands candidacies"; fi
if [ "$adm" -ge 1000 ]; then ok; else bad "city: only $adm admissions in 2024"; fi
if grep -q '^CT,' city/quotas.csv; then ok; else bad "city: no quota for the root"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
