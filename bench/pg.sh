#!/usr/bin/env bash
# pg.sh — PostgreSQL against SQLite on the same work: the `city` demo
# created, the generated city-year of bench/gen_city.py imported (units,
# people, steps), and each report (csv, median of RUNS whole-process runs)
# on the demo city; every PostgreSQL time printed as a ratio to SQLite's.
#
#   bash bench/pg.sh [path/to/ketnap]      (RUNS=5 by default)
#
# bench/pg_steps.sh is the quick variant for the steps import alone, at
# gen_city scales 1 and 10 (SCALES=…), with the client's CPU beside the
# wall time.
#
# PostgreSQL runs in a private cluster (scripts/pg-cluster.sh start DIR
# bench: a unix socket in a temporary directory, fsync on,
# synchronous_commit off — what SQLite's WAL + synchronous=NORMAL
# promises), stopped at the end whatever happens. Both sides are whole
# `ketnap` processes, start-up and connection included.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
K=$(realpath "${1:-$here/../build/ketnap}")
RUNS=${RUNS:-5}
export LANG=C LC_ALL=C
unset LC_MESSAGES LANGUAGE KETNAP_DB KETNAP_TODAY
export KETNAP_USER=bench

dir=$(mktemp -d /tmp/kn-bench-pg.XXXXXX)
chmod 755 "$dir"
trap 'sh "$here/../scripts/pg-cluster.sh" stop "$dir/pg" >/dev/null 2>&1; rm -rf "$dir"' EXIT
base=$(sh "$here/../scripts/pg-cluster.sh" start "$dir/pg" bench)
cd "$dir"

pgdb() {	# pgdb NAME: a fresh database, its URL on stdout
	psql "$base" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $1" \
		-c "CREATE DATABASE $1" >/dev/null 2>&1
	local prefix=${base%%\?*}
	echo "${prefix%/*}/$1${base#"$prefix"}"
}

secs() {	# secs CMD…: wall seconds of one run (output dropped)
	local a b
	a=$(date +%s%N)
	"$@" >/dev/null
	b=$(date +%s%N)
	echo "$(( (b - a) / 1000000 ))" | awk '{ printf "%.3f", $1 / 1000 }'
}

median() {	# median CMD…: median wall seconds of RUNS runs
	local i t=()
	for ((i = 0; i < RUNS; i++)); do t+=("$(secs "$@")"); done
	printf '%s\n' "${t[@]}" | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2)'
}

row() {		# row LABEL SQLITE PG
	awk -v l="$1" -v s="$2" -v p="$3" 'BEGIN {
		printf "%-28s %9.3f %9.3f %8.2fx\n", l, s, p, (s > 0 ? p / s : 0) }'
}

echo "ketnap on PostgreSQL ($(psql "$base" -qAtX -c 'SHOW server_version')) vs SQLite $(sqlite3 --version | cut -d' ' -f1), $(nproc) CPUs"
printf '%-28s %9s %9s %9s\n' "" "SQLite s" "PG s" "PG/SQLite"

# ---- the city demo ----
S_DEMO=$dir/demo.db
P_DEMO=$(pgdb kn_bench_demo)
row "demo --size city" "$(secs "$K" --db "$S_DEMO" demo --size city --seed 1)" \
	"$(secs "$K" --db "$P_DEMO" demo --size city --seed 1)"
# What autovacuum would have done by the time anyone asks for a report.
psql "$P_DEMO" -qAtX -c ANALYZE

# ---- import of a generated city-year ----
python3 "$here/gen_city.py" "$dir/city" --seed 1 >/dev/null
S_IMP=$dir/imp.db
P_IMP=$(pgdb kn_bench_import)
"$K" --db "$S_IMP" init >/dev/null
"$K" --db "$P_IMP" init >/dev/null
total_s=0 total_p=0
for k in units people holidays steps; do
	[ -f "$dir/city/$k.csv" ] || continue
	s=$(secs "$K" --db "$S_IMP" import "$k" "$dir/city/$k.csv")
	p=$(secs "$K" --db "$P_IMP" import "$k" "$dir/city/$k.csv")
	row "import $k ($(($(wc -l <"$dir/city/$k.csv") - 1)) rows)" "$s" "$p"
	total_s=$(echo "$total_s + $s" | bc -l)
	total_p=$(echo "$total_p + $p" | bc -l)
done
row "import, all files" "$total_s" "$total_p"
row "re-import steps (no-op)" "$(secs "$K" --db "$S_IMP" import steps "$dir/city/steps.csv")" \
	"$(secs "$K" --db "$P_IMP" import steps "$dir/city/steps.csv")"
row "export steps" "$(median "$K" --db "$S_IMP" export steps -o "$dir/s.csv")" \
	"$(median "$K" --db "$P_IMP" export steps -o "$dir/p.csv")"
if cmp -s "$dir/s.csv" "$dir/p.csv"; then echo "  (the two exports are byte-identical)"; else
	echo "  WARNING: the exports differ"; fi

psql "$P_IMP" -qAtX -c ANALYZE

# ---- reports on the demo city (median of $RUNS) ----
for r in achievement structure funnel deadlines ranking summary; do
	row "report $r (csv)" \
		"$(median "$K" --db "$S_DEMO" report "$r" --year 2025 --format csv -o "$dir/r.csv")" \
		"$(median "$K" --db "$P_DEMO" report "$r" --year 2025 --format csv -o "$dir/r.csv")"
done
