#!/usr/bin/env bash
# Deadlines identity (issue 13, migration 016): the deadlines report and
# the dashboard of one or more databases, made by an old binary and a new
# one, compared byte for byte (cmp), over many as-of dates: the 1st and
# the 15th (DAYS) of every month (MONTHS) of YEARS (default 2021–2026).
#
#   bash bench/deadlines_identity.sh OLD_KETNAP NEW_KETNAP DB…
#
# For each date: `report deadlines --as-of` in each of FORMATS (default
# "table csv json html xlsx"; xlsx compared by the files it holds, but
# docProps/core.xml) for the root, the first two units below it (by
# code) and the unit of the deepest level with the most candidacies; and,
# with both binaries serving the database with KETNAP_TODAY set to that
# date, the dashboard page (/ and /units/CODE of those units, ?lang=vi
# and ?lang=en) and /api/v1/dashboard (root and ?unit=). WEB=0 leaves
# the web out. The database must be at the new binary's schema (`ketnap
# init` with the new one first: the old one reads it). The user
# KETNAP_USER (default bench) is added to each database as an admin of
# the root when missing. Prints one line per database; exits 1 on
# the first difference, naming it. Each report is made in each of LANGS
# (--lang; default "vi en") and as each of USERS (--user; default
# "$KETNAP_USER", "-" for none). DATES, when set, replaces YEARS, MONTHS
# and DAYS (e.g. "2024-06-30 2025-12-20" for a nation's root).
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
YEARS=${YEARS:-2021 2022 2023 2024 2025 2026}
DAYS=${DAYS:-01 15}
MONTHS=${MONTHS:-01 02 03 04 05 06 07 08 09 10 11 12}
FORMATS=${FORMATS:-table csv json html xlsx}
LANGS=${LANGS:-vi en}
WEB=${WEB:-1}
export KETNAP_USER=${KETNAP_USER:-bench} LANG=${LANG:-C}
USERS=${USERS:-$KETNAP_USER}
# both binaries speak from the same catalogues (the new one's build)
export KETNAP_LOCALEDIR=${KETNAP_LOCALEDIR:-$(dirname "$new")/locale}
dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

same() { # what
	if ! cmp -s "$dir/old" "$dir/new" || ! cmp -s "$dir/old.err" "$dir/new.err"; then
		echo "DIFFERENT: $db: $1"
		cmp "$dir/old" "$dir/new" || true
		diff "$dir/old.err" "$dir/new.err" || true
		exit 1
	fi
	rm -f "$dir/old" "$dir/new"
	n=$((n + 1))
}

serve() { # binary port -> pid in spid
	KETNAP_TODAY=$date "$1" --db "$db" serve --listen 127.0.0.1:"$2" >/dev/null 2>&1 &
	spid=$!
	pids+=("$spid")
	for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
	echo "the server did not start" >&2
	exit 2
}

for db in "$@"; do
	root=$(sqlite3 -readonly "$db" "SELECT MIN(code) FROM units WHERE parent_id IS NULL")
	below=$(sqlite3 -readonly "$db" "SELECT u.code FROM units u JOIN units r ON r.id = u.parent_id
		WHERE r.parent_id IS NULL ORDER BY u.code LIMIT 2")
	deep=$(sqlite3 -readonly "$db" "SELECT u.code FROM units u JOIN candidacies c ON c.unit_id = u.id
		WHERE length(u.path) = (SELECT MAX(length(path)) FROM units w JOIN candidacies d
		ON d.unit_id = w.id) GROUP BY u.id ORDER BY COUNT(*) DESC, u.code LIMIT 1")
	units="$root $below $deep ${EXTRA_UNITS:-}"
	if [ "$WEB" = 1 ]; then
		sqlite3 "$db" "SELECT 1 FROM users WHERE name = '$KETNAP_USER'" | grep -q 1 ||
			echo 'idcheck-password' | "$new" --db "$db" user add "$KETNAP_USER" \
				--unit "$root" --role admin >/dev/null
		token=$("$new" --db "$db" user token "$KETNAP_USER")
	fi
	n=0
	dates=${DATES:-$(for year in $YEARS; do for month in $MONTHS; do for day in $DAYS; do
		echo "$year-$month-$day"; done; done; done)}
	for date in $dates; do
				for unit in $units; do
				for fmt in $FORMATS; do
				for lang in $LANGS; do
				for user in $USERS; do
					if [ "$user" = - ]; then as=(env -u KETNAP_USER); else as=(env KETNAP_USER="$user"); fi
					set -- --lang "$lang" report deadlines --unit "$unit" --as-of "$date" --format "$fmt"
					rm -f "$dir/old" "$dir/new"
					"${as[@]}" KETNAP_TODAY="$date" "$old" --db "$db" "$@" -o "$dir/old" >"$dir/old.err" 2>&1 || echo "exit $?" >>"$dir/old.err"
					"${as[@]}" KETNAP_TODAY="$date" "$new" --db "$db" "$@" -o "$dir/new" >"$dir/new.err" 2>&1 || echo "exit $?" >>"$dir/new.err"
					touch "$dir/old" "$dir/new"
					if [ "$fmt" = xlsx ] && [ -s "$dir/old" ]; then
						rm -rf "$dir/xo" "$dir/xn"
						unzip -q "$dir/old" -d "$dir/xo" && unzip -q "$dir/new" -d "$dir/xn" &&
							diff -r -x core.xml "$dir/xo" "$dir/xn" >/dev/null && cp "$dir/old" "$dir/new"
					fi
					# the same text on standard output (tables through text_printable)
					[ "$fmt" = xlsx ] || {
						"${as[@]}" KETNAP_TODAY="$date" "$old" --db "$db" "$@" >>"$dir/old" 2>>"$dir/old.err" || echo "exit $?" >>"$dir/old.err"
						"${as[@]}" KETNAP_TODAY="$date" "$new" --db "$db" "$@" >>"$dir/new" 2>>"$dir/new.err" || echo "exit $?" >>"$dir/new.err"
					}
					same "user $user: $*"
				done
				done
				done
				done
				[ "$WEB" = 1 ] || continue
				po=$(free_port); serve "$old" "$po"; opid=$spid
				pn=$(free_port); serve "$new" "$pn"; npid=$spid
				paths="/api/v1/dashboard"
				for unit in $units; do
					paths="$paths /api/v1/dashboard?unit=$unit /units/$unit?lang=vi /units/$unit?lang=en"
				done
				paths="$paths /?lang=vi /?lang=en"
				for p in $paths; do
					curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$po$p" >"$dir/old" 2>"$dir/old.err" || echo "exit $?" >>"$dir/old.err"
					curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$pn$p" >"$dir/new" 2>"$dir/new.err" || echo "exit $?" >>"$dir/new.err"
					same "GET $p on $date"
				done
				kill "$opid" "$npid"
				wait "$opid" "$npid" 2>/dev/null || true
	done
	echo "$db: $n outputs identical (units:" $units"; dates" $dates"; langs $LANGS; users $USERS)"
done
