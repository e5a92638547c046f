#!/usr/bin/env bash
# lists.sh — the candidates' list and /api/v1/people at SCALE× the city
# (bench/gen_city.py --scale), on SQLite: server time of each page (the
# access log's own measure, median of 9 requests) and the server's peak
# resident memory, for the program under test beside a baseline program
# (an older build, e.g. one without keyset pages) on the same data.
#
#   SCALE=10 bash bench/lists.sh [NEW/ketnap] [BASE/ketnap]
#
# The database is imported by the baseline program, measured with it,
# then upgraded by `NEW init` (timed: migration 007 makes every person's
# name key) and measured with the new one. Prints each figure and its
# ratio new/base. Pages: the first page; page 200 by number (skips rows
# in the query); the page after a person near the end (the keyset link
# `after=REF`, NEW only: the baseline has no cursor and answers page 1);
# a search; one ward; the overdue filter; a stage (few pass); the API's
# first page, its page 200 and its page after a cursor; the decisions
# queue of the root and of a ward (issue 13: read from the candidacies at
# a vote, migration 013).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
NEW=$(realpath "${1:-$here/../build/ketnap}")
BASE=$(realpath "${2:-$NEW}")
SCALE=${SCALE:-10}
N=${N:-9}
dir=$(mktemp -d)
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
export KETNAP_DB="$dir/k.db" LANG=C.UTF-8 KETNAP_USER=bench
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
secs() { python3 -c 'import time; print(time.time())'; }

python3 "$here/gen_city.py" "$dir/city" --seed 1 --scale "$SCALE" >/dev/null
t0=$(secs)
"$BASE" init >/dev/null
"$BASE" import units "$dir/city/units.csv" >/dev/null
echo 'bench-password' | "$BASE" user add bench --unit HP --role admin >/dev/null
for f in people holidays steps; do "$BASE" import "$f" "$dir/city/$f.csv" >/dev/null; done
t1=$(secs)
people=$(sqlite3 "$KETNAP_DB" 'SELECT COUNT(*) FROM people')
token=$("$BASE" user token bench)
ward=$(sqlite3 "$KETNAP_DB" "SELECT code FROM units WHERE kind = 'grassroots' ORDER BY code LIMIT 1")
late=$(sqlite3 "$KETNAP_DB" 'SELECT ref FROM people ORDER BY full_name DESC LIMIT 1')
printf 'scale %s: %s people, imported by the baseline in %.0f s\n' "$SCALE" "$people" \
	"$(echo "$t1 - $t0" | bc)"

# measure PROGRAM: fills the array fig[] in the order of `paths`
paths=("/candidates" "/candidates?page=200" "/candidates?status=all&after=$late"
       "/candidates?q=nguyen%20van" "/candidates?unit=$ward" "/candidates?overdue=1"
       "/candidates?step=verified"
       "/api/v1/people" "/api/v1/people?page=200" "/api/v1/people?after=$late"
       "/decisions" "/decisions?unit=$ward")
measure() {
	local port i p out=()
	port=$(free_port)
	"$1" serve --listen 127.0.0.1:$port --access-log "$dir/access.log" >/dev/null 2>&1 &
	spid=$!
	for i in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	for p in "${paths[@]}"; do
		: >"$dir/access.log"
		for i in $(seq "$N"); do
			curl -s -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port$p"
		done
		sleep 0.2
		out+=("$(grep -o ' [0-9.]*ms ' "$dir/access.log" | tr -d ' ms' | sort -n |
			awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')")
	done
	out+=("$(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$spid/status)")
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	spid=
	echo "${out[@]}"
}
read -r -a base <<<"$(measure "$BASE")"
t0=$(secs)
"$NEW" init >/dev/null
t1=$(secs)
printf 'NEW init (its migrations since BASE; 007 makes every name key): %.1f s\n' "$(echo "$t1 - $t0" | bc)"
read -r -a new <<<"$(measure "$NEW")"
for i in "${!paths[@]}"; do
	printf '%-45s base %8s ms   new %8s ms   new/base %s\n' "${paths[$i]}" "${base[$i]}" \
		"${new[$i]}" "$(echo "scale=3; ${new[$i]} / ${base[$i]}" | bc)"
done
i=${#paths[@]}
printf '%-45s base %8s MB   new %8s MB   new/base %s\n' "serve peak RSS" "${base[$i]}" \
	"${new[$i]}" "$(echo "scale=3; ${new[$i]} / ${base[$i]}" | bc)"
