#!/usr/bin/env bash
# Report speed: every report in every format, and the root's achievement
# and funnel reports as ratios to the best single SQL query for the same
# figures run by the sqlite3 shell in this same script. Both sides are
# whole processes (start-up included), each the median of RUNS runs.
#
#   bash bench/reports.sh [path/to/ketnap]
#   SCALE=10 bash bench/reports.sh build/ketnap
#
# Without SCALE the database is the `city` demo (seed 1, year 2025). With
# SCALE=N it is bench/gen_city.py --scale N (seed 1) imported through
# `ketnap import`, the year 2024 (the sizes of issue 13's table). The
# reports of a district (the root's first child by code) are timed too.
# FORMATS (default "table csv json xlsx html") and RUNS (default 9) make
# a big scale quicker.
set -euo pipefail
K=$(realpath "${1:-build/ketnap}")
RUNS=${RUNS:-9}
SCALE=${SCALE:-}
FORMATS=${FORMATS:-table csv json xlsx html}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export KETNAP_DB="$dir/city.db" LANG=C

t0=$(date +%s.%N)
if [ -z "$SCALE" ]; then
	"$K" demo --size city --seed 1 >/dev/null
	what="demo --size city"
	year=2025
else
	python3 "$here/gen_city.py" "$dir/gen" --seed 1 --scale "$SCALE" >/dev/null
	"$K" init >/dev/null
	for f in units people quotas holidays steps; do
		"$K" import "$f" "$dir/gen/$f.csv" >/dev/null
	done
	what="gen_city.py --scale $SCALE, imported"
	year=2024
fi
t1=$(date +%s.%N)
printf '%s: %.2f s (%s units, %s people, %s steps)\n' "$what" "$(echo "$t1 - $t0" | bc -l)" \
	"$(sqlite3 "$KETNAP_DB" 'SELECT COUNT(*) FROM units')" \
	"$(sqlite3 "$KETNAP_DB" 'SELECT COUNT(*) FROM people')" \
	"$(sqlite3 "$KETNAP_DB" 'SELECT COUNT(*) FROM steps')"

# median wall time in milliseconds of a command run $RUNS times
median_ms() {
	local i times=()
	for ((i = 0; i < RUNS; i++)); do
		local a b
		a=$(date +%s%N)
		"$@" >/dev/null 2>&1
		b=$(date +%s%N)
		times+=($(( (b - a) / 1000 )))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2) { printf "%.1f", $1 / 1000 }'
}

root=$(sqlite3 "$KETNAP_DB" "SELECT code FROM units WHERE parent_id IS NULL ORDER BY code LIMIT 1")
district=$(sqlite3 "$KETNAP_DB" "SELECT u.code FROM units u JOIN units r ON r.id = u.parent_id
	WHERE r.code = '$root' ORDER BY u.code LIMIT 1")

header=$(printf '%-12s' report)
for f in $FORMATS; do header="$header $(printf '%8s' "$f")"; done
printf '%s  (ms, median of %d; root %s)\n' "$header" "$RUNS" "$root"
for r in achievement structure funnel deadlines ranking summary; do
	line=$(printf '%-12s' "$r")
	for f in $FORMATS; do
		ms=$(median_ms "$K" report "$r" --year $year --format $f -o "$dir/out.$f")
		line="$line $(printf '%8s' "$ms")"
	done
	echo "$line"
done
printf 'district %s (csv, ms):' "$district"
for r in achievement structure funnel deadlines ranking summary; do
	printf ' %s %s' "$r" "$(median_ms "$K" report "$r" --unit "$district" --year $year --format csv)"
done
echo
printf 'achievement --depth 3 (root, csv): %s ms\n' \
	"$(median_ms "$K" report achievement --depth 3 --year $year --format csv)"

cat >best.sql <<SQL
WITH RECURSIVE
  top(id) AS (SELECT id FROM units WHERE code = '$root'
              UNION ALL SELECT u.id FROM units u JOIN units r ON u.parent_id = r.id WHERE r.code = '$root'),
  sub(top, id) AS (SELECT id, id FROM top
                   UNION ALL SELECT sub.top, u.id FROM units u JOIN sub ON u.parent_id = sub.id),
  adm(unit_id, n) AS (SELECT c.unit_id, COUNT(*) FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
                      WHERE s.step = 'decision' AND s.date BETWEEN '$year-01-01' AND '$year-12-31'
                      GROUP BY c.unit_id)
SELECT u.code, u.name, q.target, COALESCE(SUM(adm.n), 0) AS admitted,
       CASE WHEN q.target > 0 THEN ROUND(100.0 * COALESCE(SUM(adm.n), 0) / q.target, 1) END
FROM sub JOIN units u ON u.id = sub.top
LEFT JOIN adm ON adm.unit_id = sub.id
LEFT JOIN quotas q ON q.unit_id = sub.top AND q.year = $year AND q.category = 'total'
GROUP BY sub.top ORDER BY u.code;
SQL
ours=$(median_ms "$K" report achievement --year $year --format csv)
best=$(median_ms sqlite3 -csv "$KETNAP_DB" ".read best.sql")
# The two must agree on the admitted figures.
pick='import csv, sys; [print(r[int(sys.argv[1])], r[int(sys.argv[2])]) for r in csv.reader(sys.stdin)]'
"$K" report achievement --year $year --format csv | tail -n +2 | python3 -c "$pick" 0 4 | sort >ours.txt
sqlite3 -csv "$KETNAP_DB" ".read best.sql" | python3 -c "$pick" 0 3 | sort >best.txt
if ! cmp -s ours.txt best.txt; then echo "MISMATCH between ketnap and the SQL query:"; diff ours.txt best.txt; exit 1; fi
printf 'achievement (root, csv): %s ms; sqlite3 best single query: %s ms; ratio %.2fx\n' \
	"$ours" "$best" "$(echo "$ours / $best" | bc -l)"

# The funnel: the candidacies of the root's subtree that reached each step
# in the year, one GROUP BY.
cat >funnel.sql <<SQL
WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE code = '$root'
                           UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
SELECT s.step, COUNT(DISTINCT s.candidacy_id) FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
WHERE s.date BETWEEN '$year-01-01' AND '$year-12-31' AND c.unit_id IN (SELECT id FROM sub)
GROUP BY s.step;
SQL
ours=$(median_ms "$K" report funnel --year $year --format csv)
best=$(median_ms sqlite3 -csv "$KETNAP_DB" ".read funnel.sql")
"$K" report funnel --year $year --format csv | tail -n +2 | python3 -c "$pick" 0 1 | awk '$2 > 0' | sort >ours.txt
sqlite3 -csv "$KETNAP_DB" ".read funnel.sql" | python3 -c "$pick" 0 1 | grep -Ev '^(mentor|withdrawn|rejected|struck_off) ' | sort >best.txt
if ! cmp -s ours.txt best.txt; then echo "MISMATCH between ketnap's funnel and the SQL query:"; diff ours.txt best.txt; exit 1; fi
printf 'funnel (root, csv): %s ms; sqlite3 best single query: %s ms; ratio %.2fx\n' \
	"$ours" "$best" "$(echo "$ours / $best" | bc -l)"
