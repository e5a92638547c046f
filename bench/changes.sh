#!/usr/bin/env bash
# What "did anything change?" costs a request, with an audit table of
# national size (issue 13: 7.3 M rows at ×200), on SQLite:
#  - the small demo, then AUDIT_ROWS (default 7,300,000) filler audit rows
#    added with one INSERT … SELECT (they break the hash chain: this
#    database is for timing only);
#  - in the sqlite3 shell, the median of 5 runs each of what every list
#    request and /healthz asked before migration 005 (SELECT COUNT(*) FROM
#    audit) and what they ask now (the change counter's row), and their
#    ratio;
#  - through `ketnap serve`, /healthz's server time (the access log's own
#    measure, median of 20) and the dashboard's, first (built) and cached,
#    beside the COUNT(*) above.
#
# With PG=1, the same two queries on PostgreSQL too: a private cluster
# (scripts/pg-cluster.sh, bench settings), the small demo and the same
# filler rows, the median of 5 of psql's \timing each.
#
#   bash bench/changes.sh [path/to/ketnap]
#   PG=1 bash bench/changes.sh [path/to/ketnap]
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
K=$(realpath "${1:-build/ketnap}")
ROWS=${AUDIT_ROWS:-7300000}
dir=$(mktemp -d)
pgdir=
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -n "$pgdir" ] && sh "$SRC/scripts/pg-cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KETNAP_DB="$dir/k.db" KETNAP_TODAY=2025-12-20 LANG=C
command -v sqlite3 >/dev/null || { echo "bench/changes.sh needs sqlite3" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$K" demo --size small --seed 1 >/dev/null
sqlite3 "$KETNAP_DB" "WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < $ROWS)
	INSERT INTO audit (at, actor, action, entity, key, before, after, hash)
	SELECT '2025-01-01T00:00:00Z', 'bench', 'filler', 'step', printf('%09d', x), NULL, 'x', NULL
	FROM i"
echo "audit rows: $(sqlite3 "$KETNAP_DB" 'SELECT COUNT(*) FROM audit')"

# ms QUERY: the median of 5 runs' wall time in the sqlite3 shell, in ms.
ms() {
	local i
	for i in 1 2 3 4 5; do
		printf '.timer on\n%s;\n' "$1" | sqlite3 "$KETNAP_DB" |
			awk '/^Run Time/ {printf "%.2f\n", $4 * 1000}'
	done | sort -n | sed -n 3p
}
count=$(ms "SELECT COUNT(*) FROM audit")
counter=$(ms "SELECT n FROM changes WHERE one = 1")
echo "SELECT COUNT(*) FROM audit (before): $count ms (median of 5)"
echo "SELECT n FROM changes (now):         $counter ms (median of 5)"
# The shell's timer has a resolution of about 1 ms: a counter read at or
# below it makes the ratio a lower bound.
awk -v a="$count" -v b="$counter" 'BEGIN { if (b > 1) printf "ratio count/counter: %.0f×\n", a / b;
	else printf "ratio count/counter: at least %.0f× (the counter read is at the shell timer'"'"'s resolution)\n", a / (b > 0 ? b : 1) }'

echo 'bench-password' | "$K" user add bench --unit CT --role admin >/dev/null
export KETNAP_USER=bench
token=$("$K" user token bench)
port=$(free_port)
"$K" serve --listen 127.0.0.1:$port --threads 2 --access-log "$dir/access.log" >/dev/null 2>&1 &
spid=$!
for i in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
auth=(-H "Authorization: Bearer $token")
# page_ms PATH N: the median server time of N requests (the access log's).
page_ms() {
	local i
	: >"$dir/access.log"
	for i in $(seq "$2"); do curl -fs "${auth[@]}" "http://127.0.0.1:$port$1" >/dev/null; done
	sleep 0.2
	grep -o ' [0-9.]*ms ' "$dir/access.log" | tr -d ' ms' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
echo "/healthz: $(page_ms /healthz 20) ms server time (median of 20; was a COUNT(*) of audit)"
echo "dashboard API, first request (built): $(page_ms /api/v1/dashboard 1) ms server time"
echo "dashboard API, cached: $(page_ms /api/v1/dashboard 20) ms server time (median of 20)"

[ "${PG:-}" = 1 ] || exit 0
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
spid=
pgdir=$(mktemp -d /tmp/kn-pg-bench.XXXXXX)
base=$(cd /tmp && sh "$SRC/scripts/pg-cluster.sh" start "$pgdir" bench)
cd /tmp	# the cluster's owner may not enter $dir
psql "$base" -qAtX -c "CREATE DATABASE kn_bench_changes" >/dev/null
prefix=${base%%\?*}
url="${prefix%/*}/kn_bench_changes${base#"$prefix"}"
"$K" --db "$url" demo --size small --seed 1 >/dev/null
# ketnap gives audit ids itself (the chain's order), not the sequence.
psql "$url" -qAtX -v ON_ERROR_STOP=1 -c "INSERT INTO audit (id, at, actor, action, entity, key, before, after, hash)
	SELECT m.id + x, '2025-01-01T00:00:00Z', 'bench', 'filler', 'step', lpad(x::text, 9, '0'), NULL, 'x', NULL
	FROM generate_series(1, $ROWS) x, (SELECT MAX(id) AS id FROM audit) m" -c "VACUUM ANALYZE audit" >/dev/null
echo "PostgreSQL audit rows: $(psql "$url" -qAtX -c 'SELECT COUNT(*) FROM audit')"
pg_ms() {
	local i
	for i in 1 2 3 4 5; do
		psql "$url" -qX -c '\timing on' -c "$1" | awk '/^Time:/ {print $2}'
	done | sort -n | sed -n 3p
}
pcount=$(pg_ms "SELECT COUNT(*) FROM audit")
pcounter=$(pg_ms "SELECT n FROM changes WHERE one = 1")
echo "PostgreSQL SELECT COUNT(*) FROM audit (before): $pcount ms (median of 5)"
echo "PostgreSQL SELECT n FROM changes (now):         $pcounter ms (median of 5)"
awk -v a="$pcount" -v b="$pcounter" 'BEGIN { printf "PostgreSQL ratio count/counter: %.0f×\n", a / (b > 0 ? b : 0.001) }'
