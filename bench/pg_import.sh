#!/usr/bin/env bash
# pg_import.sh — the four imports of an exported organisation (units,
# people, quotas, steps, in that order), each into an empty SQLite file
# and an empty PostgreSQL database, timed side by side (issue 13: the
# import on PostgreSQL ≤ 2× SQLite).
#
#   bash bench/pg_import.sh [path/to/ketnap] [CSVDIR]
#
# CSVDIR holds units.csv, people.csv, quotas.csv and steps.csv (as
# `ketnap export` writes them; /work/data/natcsv for the national one).
# Without it, `ketnap demo --size $SIZE --seed 1` (SIZE=province by
# default: ≈300 k people, ≈400 k steps) is made and exported first,
# untimed. Each line: SQLite's wall and CPU, PostgreSQL's wall, the
# client's CPU and the server's CPU (the backend's user+sys, read from the
# postmaster's reaped children, so wall − client − server is roughly the
# time spent waiting on round trips), then PostgreSQL's wall as a ratio
# to SQLite's from the same run, and its CPU (client + server) as a ratio
# to SQLite's CPU. Each kind's export from the two
# databases is then compared byte for byte.
#
# The cluster is scripts/pg-cluster.sh's bench flavour (fsync on,
# synchronous_commit off), private, stopped at the end whatever happens.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
K=$(realpath "${1:-$here/../build/ketnap}")
CSV=${2:-}
SIZE=${SIZE:-province}
KINDS=${KINDS:-units people quotas steps}	# a prefix of them, in that order
export LANG=C LC_ALL=C KETNAP_TODAY=2025-12-20 KETNAP_USER=bench
unset LC_MESSAGES LANGUAGE KETNAP_DB

dir=$(mktemp -d /tmp/kn-bench-pgimp.XXXXXX)
chmod 755 "$dir"
trap 'sh "$here/../scripts/pg-cluster.sh" stop "$dir/pg" >/dev/null 2>&1; rm -rf "$dir"' EXIT
base=$(sh "$here/../scripts/pg-cluster.sh" start "$dir/pg" bench)
psql "$base" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE kn_import" >/dev/null
prefix=${base%%\?*}
P="${prefix%/*}/kn_import${base#"$prefix"}"
S=$dir/s.db
pmid=$(head -1 "$dir/pg/data/postmaster.pid")

if [ -z "$CSV" ]; then
	CSV=$dir/csv
	mkdir -p "$CSV"
	"$K" --db "$dir/demo.db" demo --size "$SIZE" --seed 1 >/dev/null
	for k in units people quotas steps; do
		"$K" --db "$dir/demo.db" export "$k" -o "$CSV/$k.csv" >/dev/null
	done
	rm -f "$dir/demo.db" "$dir"/demo.db-*
fi

# The postmaster's reaped children's CPU (cutime + cstime), in ticks.
server_ticks() {
	awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$pmid/stat"
}

timed() {	# timed CMD…: "wall cpu server" seconds of one run (output dropped)
	local a b t0 t1
	t0=$(server_ticks)
	a=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$dir/cpu" "$@" >/dev/null 2>"$dir/err" ||
		{ echo "failed: $*" >&2; cat "$dir/err" >&2; exit 1; }
	b=$(date +%s%N)
	sleep 0.2	# the backend's exit, reaped by the postmaster
	t1=$(server_ticks)
	awk -v w="$(( (b - a) / 1000000 ))" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
		'{ printf "%.3f %.3f %.3f", w / 1000, $1 + $2, t / hz }' "$dir/cpu"
}

"$K" --db "$S" init >/dev/null
"$K" --db "$P" init >/dev/null
echo "imports, ketnap on PostgreSQL ($(psql "$base" -qAtX -c 'SHOW server_version')) vs SQLite, $(nproc) CPUs, $CSV"
printf '%-8s %9s %8s | %8s %8s %8s | %9s %9s\n' "" "SQLite s" "cpu" "PG s" "client" "server" "PG/SQLite" "by CPU"
for k in $KINDS; do
	read -r sw sc _ <<<"$(timed "$K" --db "$S" import "$k" "$CSV/$k.csv")"
	read -r pw pc ps <<<"$(timed "$K" --db "$P" import "$k" "$CSV/$k.csv")"
	awk -v l="$k" -v sw="$sw" -v sc="$sc" -v pw="$pw" -v pc="$pc" -v ps="$ps" 'BEGIN {
		printf "%-8s %9.3f %8.3f | %8.3f %8.3f %8.3f | %8.2fx %8.2fx\n", l, sw, sc, pw, pc, ps,
			(sw > 0 ? pw / sw : 0), (sc > 0 ? (pc + ps) / sc : 0) }'
done
same=1
for k in $KINDS; do
	"$K" --db "$S" export "$k" -o "$dir/s.csv" >/dev/null
	"$K" --db "$P" export "$k" -o "$dir/p.csv" >/dev/null
	cmp -s "$dir/s.csv" "$dir/p.csv" || { echo "WARNING: the exports of $k differ"; same=0; }
done
[ $same = 1 ] && echo "(the exports of $KINDS from both databases are byte-identical)"
