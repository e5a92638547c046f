#!/usr/bin/env bash
# Issue 13: the CPU time of the root's deadlines report and of the
# uncached root dashboard, an old binary on its database against a new
# one on its own (a copy made at the new binary's schema: `ketnap init`),
# run back to back, RUNS times each (default 3), each figure the least.
#
#   bash bench/deadlines_cpu.sh OLD_KETNAP OLD_DB NEW_KETNAP NEW_DB [UNIT]
#
# UNIT: the report's unit (default: the first root). The dashboard is
# timed in the server: its CPU time (user+sys from /proc) over the first
# request of each page after a start (nothing cached): the HTML page /,
# then /api/v1/dashboard. The user KETNAP_USER (default bench) must be an
# admin of the root in both databases when they have accounts.
set -euo pipefail
old=$(realpath "$1") odb=$2 new=$(realpath "$3") ndb=$4
RUNS=${RUNS:-3}
export KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=${KETNAP_USER:-bench} LANG=${LANG:-C}
unit=${5:-$(sqlite3 "$odb" "SELECT MIN(code) FROM units WHERE parent_id IS NULL")}
dir=$(mktemp -d)
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }	# ms, at 100 ticks a second

report() { # binary db -> "cpu_s rss_kb"
	/usr/bin/time -f "%U %S %M" -o "$dir/t" "$1" --db "$2" report deadlines --unit "$unit" \
		--format csv -o "$dir/out.csv"
	awk '{printf "%.2f %d\n", $1 + $2, $3}' "$dir/t"
}

dashboard() { # binary db -> "html_ms api_ms"
	local port token a b c
	port=$(free_port)
	token=$("$1" --db "$2" user token "$KETNAP_USER")
	"$1" --db "$2" serve --listen 127.0.0.1:"$port" >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	a=$(cpu "$spid")
	curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/?lang=vi" >/dev/null
	b=$(cpu "$spid")
	curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/dashboard" >/dev/null
	c=$(cpu "$spid")
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	spid=
	echo "$((b - a)) $((c - b))"
}

best() { sort -n | head -1; }
for side in old new; do
	if [ $side = old ]; then k=$old db=$odb; else k=$new db=$ndb; fi
	: >"$dir/r.$side"
	: >"$dir/d.$side"
	for _ in $(seq "$RUNS"); do
		report "$k" "$db" >>"$dir/r.$side"
		dashboard "$k" "$db" >>"$dir/d.$side"
	done
done
for side in old new; do
	echo "$side: deadlines --unit $unit: $(cut -d' ' -f1 "$dir/r.$side" | best) s CPU," \
		"peak $(cut -d' ' -f2 "$dir/r.$side" | best) KB; dashboard (uncached):" \
		"page $(cut -d' ' -f1 "$dir/d.$side" | best) ms CPU, API $(cut -d' ' -f2 "$dir/d.$side" | best) ms CPU"
done
echo "load: $(uptime | sed 's/.*load average: //')"
