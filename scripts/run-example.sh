#!/bin/sh
# run-example.sh — load the sample city of examples/ into a fresh database
# and show it. Called by `make run` as
#   sh scripts/run-example.sh BUILD/ketnap DBFILE
# The files are imported in dependency order: units before the people who
# belong to them, holidays before the steps whose deadlines they move.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: sh scripts/run-example.sh KETNAP DBFILE" >&2
	exit 2
fi
ketnap=$1
db=$2
examples=$(cd "$(dirname "$0")/../examples" && pwd)

rm -f "$db" "$db-wal" "$db-shm"
"$ketnap" --db "$db" init
for kind in units people quotas holidays steps; do
	"$ketnap" --db "$db" import "$kind" "$examples/$kind.csv"
done
echo
"$ketnap" --db "$db" unit tree
echo
# Thạch Thị Sô Phia: admitted in 2025, on probation since the ceremony.
"$ketnap" --db "$db" person show 092304000208
