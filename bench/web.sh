#!/usr/bin/env bash
# Web speed on the `city` demo:
#  - server time of the dashboard and the candidate list pages (the
#    access log's own measure, median of 20 requests each);
#  - the dashboard API under 64 concurrent clients (wrk, 20 s), as a ratio
#    to nginx serving the same JSON bytes as a static file on this machine,
#    with the errors, the p99 latency and the server's peak memory.
#
#   bash bench/web.sh [path/to/ketnap]
set -euo pipefail
K=$(realpath "${1:-build/ketnap}")
DURATION=${DURATION:-20s}
dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KETNAP_DB="$dir/city.db" KETNAP_TODAY=2025-12-20 LANG=C
command -v wrk >/dev/null && command -v nginx >/dev/null || {
	echo "bench/web.sh needs wrk and nginx (apt-get install wrk nginx-light)" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$K" demo --size city --seed 1 >/dev/null
echo 'bench-password' | "$K" user add bench --unit CT --role admin >/dev/null
token=$("$K" user token bench)
port=$(free_port)
"$K" serve --listen 127.0.0.1:$port --access-log "$dir/access.log" >/dev/null 2>&1 &
spid=$!
pids+=("$spid")
for i in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

auth=(-H "Authorization: Bearer $token")
# Page server time: the access log's "N.Nms" of each request.
page_ms() {
	local path=$1 i
	: >"$dir/access.log"
	for i in $(seq 20); do curl -fs "${auth[@]}" "http://127.0.0.1:$port$path" >/dev/null; done
	sleep 0.2
	grep -o ' [0-9.]*ms ' "$dir/access.log" | tr -d ' ms' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
echo "dashboard page: $(page_ms /) ms server time (median of 20)"
echo "candidate list page: $(page_ms /candidates) ms server time (median of 20)"
echo "dashboard API: $(page_ms /api/v1/dashboard) ms server time (median of 20)"

# The same JSON bytes as a static file behind nginx.
curl -fs "${auth[@]}" "http://127.0.0.1:$port/api/v1/dashboard" >"$dir/dashboard.json"
nport=$(free_port)
mkdir -p "$dir/nginx/logs"
cat >"$dir/nginx.conf" <<NGINX
worker_processes auto;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$nport;
		location = /dashboard.json { root $dir; default_type application/json; }
	}
}
NGINX
nginx -c "$dir/nginx.conf" -p "$dir/nginx"
pids+=("$(cat "$dir/nginx/nginx.pid" 2>/dev/null || echo 0)")
sleep 0.3

run_wrk() { # URL [header]
	if [ $# -gt 1 ]; then wrk -t2 -c64 -d"$DURATION" --latency -H "$2" "$1"; else wrk -t2 -c64 -d"$DURATION" --latency "$1"; fi
}
: >"$dir/access.log"
ours=$(run_wrk "http://127.0.0.1:$port/api/v1/dashboard" "Authorization: Bearer $token")
theirs=$(run_wrk "http://127.0.0.1:$nport/dashboard.json")
kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true

rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1 == "99%" {print $2}'; }
errs() { echo "$1" | awk '/Non-2xx|Socket errors/ {print}' ; }
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$spid/status)
printf 'dashboard API, 64 clients: %s req/s, p99 %s; nginx static file: %s req/s, p99 %s; ratio %.3f\n' \
	"$(rps "$ours")" "$(p99 "$ours")" "$(rps "$theirs")" "$(p99 "$theirs")" \
	"$(echo "$(rps "$ours") / $(rps "$theirs")" | bc -l)"
e=$(errs "$ours"); echo "errors: ${e:-none}"
echo "server peak memory: $((peak_kb / 1024)) MB"
