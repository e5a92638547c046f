#!/usr/bin/env bash
# pg_steps.sh — the steps import alone, PostgreSQL against SQLite, at a few
# sizes of bench/gen_city.py (issue 13's goal on PostgreSQL: ≤ 2× SQLite).
# The quick variant of bench/pg.sh for work on the PostgreSQL bulk path.
#
#   bash bench/pg_steps.sh [path/to/ketnap]     (SCALES="1 10" by default)
#
# For each scale: the generated city's units, people, holidays and
# transfers are imported untimed into a fresh SQLite file and a fresh
# PostgreSQL database, then its steps.csv is imported into each and timed
# (one whole `ketnap` process: wall, and the client's user+sys CPU, so
# that the time spent waiting for the server shows as wall − CPU). Each
# line ends with PostgreSQL's wall time as a ratio to SQLite's from the
# same run. The two `export steps` are compared byte for byte.
#
# The cluster is scripts/pg-cluster.sh's bench flavour (fsync on,
# synchronous_commit off), private, stopped at the end whatever happens.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
K=$(realpath "${1:-$here/../build/ketnap}")
SCALES=${SCALES:-1 10}
export LANG=C LC_ALL=C
unset LC_MESSAGES LANGUAGE KETNAP_DB KETNAP_TODAY
export KETNAP_USER=bench

dir=$(mktemp -d /tmp/kn-bench-pgsteps.XXXXXX)
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

timed() {	# timed CMD…: "wall cpu" seconds of one run (output dropped)
	local a b
	a=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$dir/cpu" "$@" >/dev/null
	b=$(date +%s%N)
	awk -v w="$(( (b - a) / 1000000 ))" '{ printf "%.3f %.3f", w / 1000, $1 + $2 }' "$dir/cpu"
}

echo "steps import, ketnap on PostgreSQL ($(psql "$base" -qAtX -c 'SHOW server_version')) vs SQLite, $(nproc) CPUs"
printf '%-26s %8s %8s %8s %8s %9s\n' "" "SQLite s" "cpu" "PG s" "cpu" "PG/SQLite"
for scale in $SCALES; do
	rm -rf "$dir/city"
	python3 "$here/gen_city.py" "$dir/city" --seed 1 --scale "$scale" >/dev/null
	S=$dir/s$scale.db
	P=$(pgdb "kn_steps_$scale")
	"$K" --db "$S" init >/dev/null
	"$K" --db "$P" init >/dev/null
	for k in units people holidays transfers; do
		[ -f "$dir/city/$k.csv" ] || continue
		# (the generator's chance namesakes warn: not for the figures)
		"$K" --db "$S" import "$k" "$dir/city/$k.csv" >/dev/null 2>&1
		"$K" --db "$P" import "$k" "$dir/city/$k.csv" >/dev/null 2>&1
	done
	read -r sw sc <<<"$(timed "$K" --db "$S" import steps "$dir/city/steps.csv")"
	read -r pw pc <<<"$(timed "$K" --db "$P" import steps "$dir/city/steps.csv")"
	awk -v l="×$scale ($(($(wc -l <"$dir/city/steps.csv") - 1)) steps)" \
		-v sw="$sw" -v sc="$sc" -v pw="$pw" -v pc="$pc" 'BEGIN {
		printf "%-26s %8.3f %8.3f %8.3f %8.3f %8.2fx\n", l, sw, sc, pw, pc,
			(sw > 0 ? pw / sw : 0) }'
	"$K" --db "$S" export steps -o "$dir/s.csv" >/dev/null
	"$K" --db "$P" export steps -o "$dir/p.csv" >/dev/null
	if cmp -s "$dir/s.csv" "$dir/p.csv"; then echo "  (the two exports are byte-identical)"
	else echo "  WARNING: the exports of steps differ"; fi
	psql "$base" -qAtX -c "DROP DATABASE kn_steps_$scale" >/dev/null 2>&1 || true
	rm -f "$S" "$S"-*
done
