#!/usr/bin/env bash
# The unit tree in `ketnap serve` (issue 13): a baseline binary that reads
# every unit on every request that checks scope, against one that keeps a
# shared snapshot (core/treecache.h), on the same `bench/gen_city.py`
# city (default --scale 50: about 30 thousand units, 250 thousand people;
# units and people are imported, steps only with STEPS=1, since the
# figures here do not depend on them and the import of 1.5 M steps takes
# minutes). For each binary, with --threads 2:
#  - the server time of a person page and of a step check
#    (POST /api/v1/check/REF), from the access log, median of 30 each;
#  - the server's resident memory (VmRSS) after those requests and its
#    peak (VmHWM), in MB.
# Every figure is printed beside the baseline's from the same run, with
# the ratio.
#
#   bash bench/tree.sh BASELINE_KETNAP NEW_KETNAP [SCALE]
#   CITY=dir   reuse a city generated before (gen_city.py's output dir)
set -euo pipefail
BASE=$(realpath "${1:?baseline ketnap}")
NEW=$(realpath "${2:?new ketnap}")
SCALE=${3:-50}
N=${N:-30}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
export KETNAP_TODAY=2025-12-20 LANG=C.UTF-8 KETNAP_USER=bench
unset KETNAP_DB

city=${CITY:-$dir/city}
if [ ! -f "$city/units.csv" ]; then
	mkdir -p "$city"
	python3 "$here/gen_city.py" --scale "$SCALE" "$city" >&2
fi
db=$dir/base.db
"$BASE" --db "$db" init >/dev/null
kinds="units people"
[ "${STEPS:-0}" = 1 ] && kinds="units people quotas steps"
for k in $kinds; do
	"$BASE" --db "$db" import "$k" "$city/$k.csv" >/dev/null
done
root=$(sed -n 2p "$city/units.csv" | cut -d, -f1)
echo 'bench-password' | "$BASE" --db "$db" user add bench --unit "$root" --role admin >/dev/null
# The new binary on its own copy, migrated (008: the units version).
cp "$db" "$dir/new.db"
"$NEW" --db "$dir/new.db" init >/dev/null
ref=$(sed -n 1000p "$city/people.csv" | cut -d, -f1)
units=$(($(wc -l <"$city/units.csv") - 1))
people=$(($(wc -l <"$city/people.csv") - 1))
echo "city: $units units, $people people (scale $SCALE)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run BINARY DB: sets person_ms, check_ms, rss_mb, hwm_mb.
run() {
	local k=$1 d=$2 port token log=$dir/access.log i
	token=$("$k" --db "$d" user token bench)
	port=$(free_port)
	"$k" --db "$d" serve --listen 127.0.0.1:$port --threads 2 --access-log "$log" >/dev/null 2>&1 &
	spid=$!
	for i in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	local auth=(-H "Authorization: Bearer $token")
	: >"$log"
	for i in $(seq "$N"); do
		curl -fs "${auth[@]}" "http://127.0.0.1:$port/people/$ref" >/dev/null
	done
	sleep 0.3
	person_ms=$(grep -o ' [0-9.]*ms ' "$log" | tr -d ' ms' | median)
	: >"$log"
	for i in $(seq "$N"); do
		curl -fs "${auth[@]}" -H 'Content-Type: application/json' \
			-d '{"step":"source","date":"2025-12-01","org":"youth_union"}' \
			"http://127.0.0.1:$port/api/v1/check/$ref" >/dev/null
	done
	sleep 0.3
	check_ms=$(grep -o ' [0-9.]*ms ' "$log" | tr -d ' ms' | median)
	rss_mb=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' /proc/$spid/status)
	hwm_mb=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' /proc/$spid/status)
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	spid=
}

run "$BASE" "$db"
b_person=$person_ms b_check=$check_ms b_rss=$rss_mb b_hwm=$hwm_mb
run "$NEW" "$dir/new.db"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
printf '%-34s %10s %10s %8s\n' figure baseline new ratio
printf '%-34s %10s %10s %8s\n' "person page, ms (median of $N)" "$b_person" "$person_ms" "$(ratio "$person_ms" "$b_person")"
printf '%-34s %10s %10s %8s\n' "step check API, ms (median of $N)" "$b_check" "$check_ms" "$(ratio "$check_ms" "$b_check")"
printf '%-34s %10s %10s %8s\n' "serve VmRSS after, MB" "$b_rss" "$rss_mb" "$(ratio "$rss_mb" "$b_rss")"
printf '%-34s %10s %10s %8s\n' "serve VmHWM (peak), MB" "$b_hwm" "$hwm_mb" "$(ratio "$hwm_mb" "$b_hwm")"
