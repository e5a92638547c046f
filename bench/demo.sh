#!/bin/bash
# demo.sh — how fast `ketnap demo --size province` (or SIZE=national)
# builds its database, against the same demo writing its steps in date
# order without the ledger's deferred writes (KETNAP_DEMO_DATE_ORDER=1,
# the way it wrote them before issue 13's record_grouped()) as the
# baseline, and whether both give the same database.
#
#   [SIZE=province] [SEEDS="1 7"] bash bench/demo.sh [BUILD/ketnap]
#
# For each seed, prints e.g.
#   seed 1: demo 14.6 s (13.1 s CPU), peak 232 MB, 207 MB file; date order 27.5 s (26.8 s CPU), peak 223 MB; ratio 0.53 (CPU 0.49)
#   seed 1: same database (exports of units, people, quotas, steps, holidays, transfers; candidacies by id; steps by candidacy and seq; indexes)
# and exits 1 when the two databases differ in anything but the steps'
# ids (which follow the order they were written in) and the times the
# rows were recorded at.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ketnap=${1:-${KETNAP:-$here/../build/ketnap}}
size=${SIZE:-province}
seeds=${SEEDS:-1 7}
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY KETNAP_DB KETNAP_DEMO_DATE_ORDER

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run OUT DB [VAR=VALUE]: the demo into DB; OUT gets "W C M" (wall and CPU
# seconds, peak MB).
run() {
	local out=$1 db=$2
	shift 2
	env "$@" /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" \
		"$ketnap" --db "$db" demo --size "$size" --seed "$seed" >/dev/null
	awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 / 1024 }' "$tmp/time" >"$out"
}

# dump DB PREFIX: everything the two runs must share, one file each.
dump() {
	local db=$1 p=$2
	for k in units people quotas steps holidays transfers; do
		"$ketnap" --db "$db" export "$k" >"$p.$k.csv"
	done
	sqlite3 "$db" "SELECT c.id, p.ref, u.code, c.stage, c.is_open, c.version, c.readmission
		FROM candidacies c JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id
		ORDER BY c.id" >"$p.cand"
	sqlite3 "$db" "SELECT candidacy_id, seq, step, date, doc_no, org, member_id, intro1_id,
		intro1_since, intro2_id, intro2_since, votes_for, votes_total, consent, override,
		override_by, note, unit_id, recorded_by FROM steps ORDER BY candidacy_id, seq" >"$p.steps"
	sqlite3 "$db" "SELECT * FROM people ORDER BY id" >"$p.people"
	sqlite3 "$db" "SELECT version, COUNT(*) FROM schema_migrations GROUP BY 1" >"$p.schema"
	# The deferred indexes (store_bulk_begin) back, as they were.
	sqlite3 "$db" "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name" >"$p.indexes"
}

rc=0
for seed in $seeds; do
	run "$tmp/new" "$tmp/new.db"
	run "$tmp/old" "$tmp/old.db" KETNAP_DEMO_DATE_ORDER=1
	read -r nw nc nm <"$tmp/new"
	read -r ow oc om <"$tmp/old"
	size_mb=$(( $(stat -c %s "$tmp/new.db") / 1048576 ))
	awk -v s="$seed" -v nw="$nw" -v nc="$nc" -v nm="$nm" -v ow="$ow" -v oc="$oc" -v om="$om" \
		-v f="$size_mb" 'BEGIN { printf "seed %s: demo %.1f s (%.1f s CPU), peak %d MB, %d MB file; date order %.1f s (%.1f s CPU), peak %d MB; ratio %.2f (CPU %.2f)\n", s, nw, nc, nm, f, ow, oc, om, nw / ow, nc / oc }'
	dump "$tmp/new.db" "$tmp/n"
	dump "$tmp/old.db" "$tmp/o"
	differ=
	for f in units.csv people.csv quotas.csv steps.csv holidays.csv transfers.csv cand steps people schema indexes; do
		cmp -s "$tmp/n.$f" "$tmp/o.$f" || differ="$differ $f"
	done
	if [ -z "$differ" ]; then
		echo "seed $seed: same database (exports of units, people, quotas, steps, holidays, transfers; candidacies by id; steps by candidacy and seq; indexes)"
	else
		echo "seed $seed: the databases differ:$differ"
		rc=1
	fi
	rm -f "$tmp"/new.db* "$tmp"/old.db*
done
exit $rc
