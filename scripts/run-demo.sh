#!/bin/sh
# run-demo.sh — what `make run` does after building: create the demo city
# (a realistic synthetic Cần Thơ, `ketnap demo --size city`) in DBFILE when
# there is no database there yet, then print the year-end summary and the
# achievement report of its last year.
#   sh scripts/run-demo.sh BUILD/ketnap DBFILE
set -eu

if [ $# -ne 2 ]; then
	echo "usage: sh scripts/run-demo.sh KETNAP DBFILE" >&2
	exit 2
fi
ketnap=$1
db=$2
# The demo's calendar stops on 20/12/2025 (core/demo.c), so its last full
# year of figures is 2025.
year=2025
# Vietnamese first; `make run LANG=en_US.UTF-8` shows it in English.
case "${LANG:-}" in en*) lang=en ;; *) lang=vi ;; esac

if [ ! -e "$db" ]; then
	"$ketnap" --db "$db" demo --size city --seed 1
	echo
else
	echo "$db exists: showing it (remove it to create the demo city afresh)"
	echo
fi
"$ketnap" --db "$db" --lang "$lang" report summary --year "$year"
echo
"$ketnap" --db "$db" --lang "$lang" report achievement --year "$year"
