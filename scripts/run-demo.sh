#!/bin/sh
# run-demo.sh — what `make run` does after building: create the demo city
# (a realistic synthetic Cần Thơ, `ketnap demo --size city`) in DBFILE when
# there is no database there yet, print its year-end summary, give the
# `admin` account a fresh one-time password, and serve the web application
# until Ctrl-C. The commands after `demo` act as the `admin` account
# (--user admin), which exists from the second start on.
#   sh scripts/run-demo.sh BUILD/ketnap DBFILE [ADDR:PORT]
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: sh scripts/run-demo.sh KETNAP DBFILE [ADDR:PORT]" >&2
	exit 2
fi
ketnap=$1
db=$2
listen=${3:-127.0.0.1:8080}
# The demo's calendar stops on 20/12/2025 (core/demo.c): seen from that day,
# its dashboards, deadlines and decisions queue are current.
: "${KETNAP_TODAY:=2025-12-20}"
export KETNAP_TODAY
year=2025
# Vietnamese first; `make run LANG=en_US.UTF-8` shows it in English.
case "${LANG:-}" in en*) lang=en ;; *) lang=vi ;; esac

# The greeting's lines, in the language of the rest (gettext, the ketnap
# catalogue built beside the binary; English when it cannot be found).
locale=${KETNAP_LOCALEDIR:-$(dirname "$ketnap")/locale}
say() { # say MSGID ARGS…: printf of the translated MSGID, then a newline
	fmt=$(LC_ALL=C.UTF-8 LANGUAGE=$lang TEXTDOMAINDIR=$locale gettext -d ketnap -- "$1" 2>/dev/null) ||
		fmt=$1
	shift
	# shellcheck disable=SC2059
	printf "$fmt\n" "$@"
}

if [ ! -e "$db" ]; then
	"$ketnap" --db "$db" --lang "$lang" demo --size city --seed 1
	echo
fi
"$ketnap" --db "$db" --user admin --lang "$lang" report summary --year "$year"
echo

# A one-time password for the city's administrator, new at every start.
root=$("$ketnap" --db "$db" --user admin unit tree --depth 0 | awk 'NR == 1 { print $1 }')
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
if "$ketnap" --db "$db" --user admin user list | awk 'NR > 2 { print $1 }' | grep -qx admin; then
	echo "$password" | "$ketnap" --db "$db" --user admin user passwd admin >/dev/null
else
	echo "$password" | "$ketnap" --db "$db" --user admin user add admin --unit "$root" --role admin >/dev/null
fi
dbpath=$(cd "$(dirname "$db")" && pwd)/$(basename "$db")
today=$(echo "$KETNAP_TODAY" | awk -F- -v lang="$lang" '{ print lang == "vi" ? $3 "/" $2 "/" $1 : $0 }')
say "The database: %s (the demo city, seen as of %s)." "$dbpath" "$today"
say "Sign in as admin with the one-time password: %s" "$password"
say "Open http://%s/ in a browser; Ctrl-C stops the server." "$listen"
echo
exec "$ketnap" --db "$db" --lang "$lang" serve --listen "$listen"
