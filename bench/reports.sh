#!/usr/bin/env bash
# Report speed on the `city` demo: every report in every format, and the
# root's achievement report as a ratio to the best single SQL query for the
# same figures run by the sqlite3 shell in this same script. Both sides
# are whole processes (start-up included), each the median of RUNS runs.
#
#   bash bench/reports.sh [path/to/ketnap]
set -euo pipefail
K=$(realpath "${1:-build/ketnap}")
RUNS=${RUNS:-9}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export KETNAP_DB="$dir/city.db" LANG=C

t0=$(date +%s.%N)
"$K" demo --size city --seed 1 >/dev/null
t1=$(date +%s.%N)
printf 'demo --size city: %.2f s\n' "$(echo "$t1 - $t0" | bc -l)"
year=2025

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

printf '%-12s %8s %8s %8s %8s %8s  (ms, median of %d)\n' report table csv json xlsx html "$RUNS"
for r in achievement structure funnel deadlines ranking summary; do
	line=$(printf '%-12s' "$r")
	for f in table csv json xlsx html; do
		ms=$(median_ms "$K" report "$r" --year $year --format $f -o "$dir/out.$f")
		line="$line $(printf '%8s' "$ms")"
	done
	echo "$line"
done

root=$(sqlite3 "$KETNAP_DB" "SELECT code FROM units WHERE parent_id IS NULL ORDER BY code LIMIT 1")
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
