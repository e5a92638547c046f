#!/usr/bin/env bash
# list_cpu.sh — server CPU (user + system, from /proc/PID/stat, 10 ms
# ticks) of each page of the candidates' list and /api/v1/people asked
# once (nothing cached: every path differs), at the root, a province and a
# district, typed page numbers and the pager's links, with a search and
# the other filters. Issue 13's goal: any page <= 100 ms.
#
#   bash bench/list_cpu.sh KETNAP DB [ROOT PROVINCE DISTRICT [NAME]]
#
# DB gets the user `reader` (admin at ROOT) if it has none: use a copy of
# the national demo (never /work/data/nat.db itself). Prints one line a
# path: "ms path". Defaults: VN VN.T01 VN.T01.H01 nguyen. PATHS=FILE:
# the paths of FILE (one a line) instead.
set -euo pipefail
K=$(realpath "$1")
DB=$2
root=${3:-VN} prov=${4:-VN.T01} dist=${5:-VN.T01.H01} name=${6:-nguyen}
export LANG=C LC_ALL=C KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=bench
unset LC_MESSAGES LANGUAGE KETNAP_DB
dir=$(mktemp -d)
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
echo 'reader-password' | "$K" --db "$DB" user add reader --unit "$root" --role admin \
	>/dev/null 2>&1 || true
token=$("$K" --db "$DB" --user reader user token reader)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$K" --db "$DB" serve --listen 127.0.0.1:$port >"$dir/serve.out" 2>&1 &
spid=$!
for i in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
ticks() { awk '{ print $14 + $15 }' "/proc/$spid/stat"; }
hz=$(getconf CLK_TCK)
get() { curl -fs -o "$dir/last" -H "Authorization: Bearer $token" "http://127.0.0.1:$port$1" || echo "FAILED $1" >&2; }
# the tree loaded and the datalists cached first
get "/candidates?page=1&unit=$root"
get "/candidates?unit=$prov&page=1"
get "/candidates?unit=$dist&page=1"
one() {
	local t0 t1
	t0=$(ticks)
	get "$1"
	t1=$(ticks)
	printf '%6d %s\n' $(( (t1 - t0) * 1000 / hz )) "$1"
}
# a "next" link of the page just read
next_of() { grep -o 'href="[^"]*" rel="next"' "$dir/last" | sed 's/href="//; s/" rel=.*//; s/&amp;/\&/g'; }
# PATHS=FILE: those paths (one a line) instead of the table below
if [ -n "${PATHS:-}" ]; then
	while read -r p; do one "$p"; done <"$PATHS"
	exit 0
fi
for u in "" "unit=$prov&" "unit=$dist&" "q=$name&" "unit=$prov&q=$name&" "status=all&" \
	 "status=closed&" "step=applied&" "unit=$prov&step=verified&" "q=xyzxyz&" "category=women&"; do
	for p in 1 2 5 7 20 100 1000 5000; do
		one "/candidates?${u}page=$p"
		if [ "$p" = 5 ]; then l=$(next_of || true); [ -n "$l" ] && one "$l"; fi
	done
done
for p in 1 2 100 2000 20000; do one "/api/v1/people?page=$p"; done
one "/api/v1/people?open=1&page=2000"
one "/api/v1/people?q=$name&page=1"
one "/api/v1/people?q=$name&page=200"
one "/api/v1/people?unit=$prov&page=50"
