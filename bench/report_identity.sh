#!/usr/bin/env bash
# Report identity: every report of one or more databases, made by an old
# binary and a new one, compared byte for byte (cmp). Each kind in each
# format, for the root and a unit of each level below it (the first by
# code), for each YEARS year; achievement at depth 1 and 3, ranking at
# level 1 and 2, deadlines as of 31 December of the year.
#
#   bash bench/report_identity.sh OLD_KETNAP NEW_KETNAP DB…
#
# KETNAP_TODAY and KETNAP_USER are set here (2025-12-20, bench) unless
# given. YEARS (default "2022 2024 2025") and FORMATS (default "table csv
# json xlsx html") narrow it. Prints one line per database and exits 1 on
# the first difference, naming the command. An xlsx file is compared by
# the files it holds but docProps/core.xml: its zip entries and that file
# carry the time of writing.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
YEARS=${YEARS:-2022 2024 2025}
FORMATS=${FORMATS:-table csv json xlsx html}
export KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=${KETNAP_USER:-bench} LANG=${LANG:-C}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for db in "$@"; do
	# the root, then the first unit (by code) of each level below it
	units=$(sqlite3 "$db" "WITH RECURSIVE t(id, code, d) AS (SELECT id, code, 0 FROM units
		WHERE parent_id IS NULL UNION ALL SELECT u.id, u.code, t.d + 1 FROM units u
		JOIN t ON u.parent_id = t.id) SELECT MIN(code) FROM t GROUP BY d ORDER BY d")
	n=0
	for unit in $units; do
		for year in $YEARS; do
			for args in "achievement --depth 1" "achievement --depth 3" structure funnel \
				sources "deadlines --as-of $year-12-31" "ranking --level 1" \
				"ranking --level 2" summary; do
				for fmt in $FORMATS; do
					# shellcheck disable=SC2086
					set -- report $args --unit "$unit" --year "$year" --format "$fmt"
					"$old" --db "$db" "$@" -o "$dir/old" >"$dir/old.err" 2>&1 || echo "exit $?" >>"$dir/old.err"
					"$new" --db "$db" "$@" -o "$dir/new" >"$dir/new.err" 2>&1 || echo "exit $?" >>"$dir/new.err"
					touch "$dir/old" "$dir/new"
					if [ "$fmt" = xlsx ] && [ -s "$dir/old" ]; then
						# the zip's entries carry the time they were written:
						# compare what they hold
						rm -rf "$dir/xo" "$dir/xn"
						unzip -q "$dir/old" -d "$dir/xo" && unzip -q "$dir/new" -d "$dir/xn" &&
							diff -r -x core.xml "$dir/xo" "$dir/xn" >/dev/null && cp "$dir/old" "$dir/new"
					fi
					if ! cmp -s "$dir/old" "$dir/new" || ! cmp -s "$dir/old.err" "$dir/new.err"; then
						echo "DIFFERENT: $db: $*"; cmp "$dir/old" "$dir/new" || true; diff "$dir/old.err" "$dir/new.err" || true
						exit 1
					fi
					rm -f "$dir/old" "$dir/new"
					n=$((n + 1))
				done
			done
		done
	done
	echo "$db: $n reports identical ($(echo $units | wc -w) units: $units)"
done
