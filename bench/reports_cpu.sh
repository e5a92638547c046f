#!/usr/bin/env bash
# The root reports' CPU (user + sys of the whole process, /usr/bin/time),
# an old binary and a new one alternating, each the median of RUNS, beside
# the CPU of the hand-written SQL of bench/national.sh (ach_sql and the
# structure, funnel and summary queries, taken from that script) run by
# the sqlite3 shell in the same loop. CPU rather than wall time: the
# machine is shared.
#
#   bash bench/reports_cpu.sh OLD_KETNAP NEW_KETNAP DB [YEAR]
#
# RUNS (default 3). Prints one line per report: old, new, SQL, new/SQL.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
DB=$(realpath "$3")
YEAR=${4:-2024}
RUNS=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
export LANG=C LC_ALL=C KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=${KETNAP_USER:-bench}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
root=$(sqlite3 -readonly -cmd ".timeout 10000" "$DB" "SELECT code FROM units WHERE parent_id IS NULL ORDER BY code LIMIT 1")
# The hand SQL of bench/national.sh, as it writes it.
eval "$(sed -n '/^subtree() {/,/^}/p;/^ach_sql() {/,/^}/p' "$here/national.sh")"
ach_sql 1 u.code >ach1.sql
ach_sql 3 u.code >ach3.sql
ach_sql 1 "pct DESC, u.code" >ranking.sql
eval "$(sed -n '/^cat >structure.sql <<SQL/,/^SQL$/p;/^cat >funnel.sql <<SQL/,/^SQL$/p;/^cat >summary.sql <<SQL/,/^SQL$/p' "$here/national.sh")"

cpu() {	# cpu CMD…: user + sys seconds of one run
	/usr/bin/time -f '%U %S' -o t "$@" >/dev/null 2>&1 || true
	awk '{ printf "%.2f\n", $1 + $2 }' t
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-22s %8s %8s %8s %9s\n' "root $root, $YEAR" old new "hand SQL" "new/SQL"
while read -r label sql args; do
	: >o; : >n; : >q
	for _ in $(seq "$RUNS"); do
		# shellcheck disable=SC2086
		cpu "$old" --db "$DB" report $args --year "$YEAR" --format csv >>o
		# shellcheck disable=SC2086
		cpu "$new" --db "$DB" report $args --year "$YEAR" --format csv >>n
		cpu sqlite3 -readonly -cmd ".timeout 10000" -csv "$DB" ".read $sql" >>q
	done
	o=$(median <o); n=$(median <n); q=$(median <q)
	printf '%-22s %8s %8s %8s %9s\n' "$label" "$o" "$n" "$q" \
		"$(awk -v a="$n" -v b="$q" 'BEGIN { if (b > 0) printf "x%.2f", a / b; else print "-" }')"
done <<'LIST'
achievement_depth_1 ach1.sql achievement --depth 1
achievement_depth_3 ach3.sql achievement --depth 3
structure structure.sql structure
funnel funnel.sql funnel
ranking ranking.sql ranking
summary summary.sql summary
LIST
echo "load: $(uptime | sed 's/.*load average: //')"
