#!/usr/bin/env bash
# national.sh — issue 13's table at national (or province) scale, every
# figure beside its goal and its baseline from the same run:
#  - `ketnap demo --size $SIZE`: wall time and peak RSS (/usr/bin/time -v),
#    beside the city demo's time per step;
#  - export of that demo, and its import into an empty database (units,
#    people, steps, quotas; the steps import's time and peak RSS beside the
#    sqlite3 shell's `.import` of the same file into a bare table);
#  - the root's reports (achievement depth 1 and 3, structure, funnel,
#    ranking, summary) and the deadlines of a district and of the root,
#    each beside hand-written SQL for the same figures in the sqlite3 shell
#    (median of RUNS whole processes on both sides);
#  - the web: server time of the root's dashboard (first request after
#    start, nothing cached), the candidate list, the decisions queue and
#    /api/v1/people; wrk with 64 connections for DURATION on those four
#    while a writer records steps through `ketnap step`; the server's
#    resident memory;
#  - with PG=1 (a private cluster, as bench/pg.sh) or PG=postgresql://…
#    (an empty database there), the import and the same reports on
#    PostgreSQL, each as a ratio to SQLite.
#
#   SIZE=national|province bash bench/national.sh [path/to/ketnap]
#
# Knobs: SIZE (national), SEED (1), RUNS (3), DURATION (60s), PG (unset),
# PARTS (which parts run: "demo import reports web", the default, or some
# of them; without demo, DEMO_DB is needed; PG needs import and reports),
# DEMO_DB (an existing demo database of SIZE to use instead of creating
# one; its demo line is then not measured), KEEP (a directory to keep the
# databases and CSVs in; default a temporary one, removed at the end).
# Needs /usr/bin/time, sqlite3, curl, wrk. A benchmark, never a test: at
# national size it takes an hour or more and ~10 GB of disk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
K=$(realpath "${1:-$here/../build/ketnap}")
SIZE=${SIZE:-national}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
DURATION=${DURATION:-60s}
YEAR=2024
export LANG=C LC_ALL=C KETNAP_TODAY=2025-12-20 KETNAP_USER=bench
unset LC_MESSAGES LANGUAGE KETNAP_DB

case $SIZE in national|province) ;; *) echo "SIZE must be national or province" >&2; exit 2;; esac
PARTS=${PARTS:-demo import reports web}
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
if ! want demo && [ -z "${DEMO_DB:-}" ]; then echo "PARTS without demo needs DEMO_DB" >&2; exit 2; fi
for t in /usr/bin/time sqlite3 curl wrk; do
	command -v "$t" >/dev/null || { echo "bench/national.sh needs $t" >&2; exit 2; }
done

if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; dir=$(realpath "$KEEP"); else dir=$(mktemp -d /tmp/kn-national.XXXXXX); fi
chmod 755 "$dir"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "${PG:-}" = 1 ]; then sh "$here/../scripts/pg-cluster.sh" stop "$dir/pg" >/dev/null 2>&1 || true; fi
	[ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"

# ---- measuring ----

# timed NAME CMD…: run CMD once under /usr/bin/time -v; NAME.s gets the
# wall seconds, NAME.mb the peak RSS in MB; the command's stdout in NAME.out.
timed() {
	local name=$1
	shift
	/usr/bin/time -v -o "$name.time" "$@" >"$name.out" || echo "  $name: exit status $? ($(tail -c 300 "$name.out"))" >&2
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f\n", s }' "$name.time" >"$name.s"
	awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$name.time" >"$name.mb"
	awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f\n", s }' "$name.time" >"$name.cpu"
}

secs() {	# secs CMD…: wall seconds of one run (output dropped)
	local a b
	a=$(date +%s%N)
	"$@" >/dev/null 2>&1
	b=$(date +%s%N)
	awk -v d=$(( (b - a) / 1000000 )) 'BEGIN { printf "%.3f", d / 1000 }'
}

median() {	# median CMD…: median wall seconds of RUNS runs
	local i t=()
	for ((i = 0; i < RUNS; i++)); do t+=("$(secs "$@")"); done
	printf '%s\n' "${t[@]}" | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2)'
}

# row FIGURE VALUE GOAL BASELINE [NOTE]: one line of the table.
row() {
	printf '%-44s %14s  %-22s %s\n' "$1" "$2" "$3" "$4${5:+  $5}"
}
# ratio A B: A / B to two places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# verdict VALUE LIMIT: "ok" or "MISSED ×N".
verdict() {
	awk -v v="$1" -v l="$2" 'BEGIN { if (v <= l) print "ok"; else printf "MISSED x%.1f\n", v / l }'
}

echo "bench/national.sh: SIZE=$SIZE SEED=$SEED RUNS=$RUNS, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "ketnap $("$K" --version 2>/dev/null | head -1 || echo "?"), SQLite $(sqlite3 --version | cut -d' ' -f1)"
printf '%-44s %14s  %-22s %s\n' figure value goal "baseline (same run) / verdict"

# ---- the demo ----
DB=$dir/demo.db
if want demo && [ -z "${DEMO_DB:-}" ]; then
	timed city "$K" --db "$dir/city.db" demo --size city --seed "$SEED"
	city_steps=$(sqlite3 "$dir/city.db" 'SELECT COUNT(*) FROM steps')
	city_us=$(awk -v s="$(cat city.s)" -v n="$city_steps" 'BEGIN { printf "%.0f", s * 1e6 / n }')
fi
if [ -n "${DEMO_DB:-}" ]; then
	DB=$(realpath "$DEMO_DB")
	row "demo --size $SIZE" "(given)" "<= 900 s, <= 1024 MB" "DEMO_DB=$DB"
else
	rm -f "$DB" "$DB-wal" "$DB-shm"
	timed demo "$K" --db "$DB" demo --size "$SIZE" --seed "$SEED"
	nsteps=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM steps')
	us=$(awk -v s="$(cat demo.s)" -v n="$nsteps" 'BEGIN { printf "%.0f", s * 1e6 / n }')
	echo "  $(cat demo.out)"
	row "demo --size $SIZE: wall" "$(cat demo.s) s" "<= 900 s" \
		"city $(cat city.s) s; $us us/step vs city $city_us us/step" "$(verdict "$(cat demo.s)" 900)"
	# On a shared machine the wall time is what the others left over.
	row "demo --size $SIZE: CPU (user + system)" "$(cat demo.cpu) s" "-" "city $(cat city.cpu) s"
	row "demo --size $SIZE: peak RSS" "$(cat demo.mb) MB" "<= 1024 MB" "city $(cat city.mb) MB" \
		"$(verdict "$(cat demo.mb)" 1024)"
fi
printf '  %s units, %s people, %s candidacies, %s steps, %s quotas; database %s MB\n' \
	"$(sqlite3 "$DB" 'SELECT COUNT(*) FROM units')" "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM people')" \
	"$(sqlite3 "$DB" 'SELECT COUNT(*) FROM candidacies')" "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM steps')" \
	"$(sqlite3 "$DB" 'SELECT COUNT(*) FROM quotas')" "$(( $(stat -c %s "$DB") / 1048576 ))"

# ---- export, and import into an empty database ----
if want import; then
mkdir -p csv
for k in units people quotas steps; do
	timed "export-$k" "$K" --db "$DB" export "$k" -o "csv/$k.csv"
done
row "export (units, people, quotas, steps)" \
	"$(awk '{ s += $1 } END { printf "%.1f s", s }' export-*.s)" "-" \
	"steps.csv $(( $(stat -c %s csv/steps.csv) / 1048576 )) MB, $(($(wc -l <csv/steps.csv) - 1)) rows"
IMP=$dir/import.db
rm -f "$IMP" "$IMP-wal" "$IMP-shm"
"$K" --db "$IMP" init >/dev/null
for k in units people steps quotas; do
	timed "import-$k" "$K" --db "$IMP" import "$k" "csv/$k.csv"
done
# The sqlite3 shell's .import of the same file into a bare table.
rm -f bare.db
secs_bare=$(secs sqlite3 bare.db -cmd '.mode csv' ".import $dir/csv/steps.csv steps")
row "import people" "$(cat import-people.s) s" "-" "peak RSS $(cat import-people.mb) MB"
row "import steps: wall" "$(cat import-steps.s) s" "<= 3x sqlite3 .import" \
	"sqlite3 .import ${secs_bare} s: x$(ratio "$(cat import-steps.s)" "$secs_bare")" \
	"$(verdict "$(ratio "$(cat import-steps.s)" "$secs_bare")" 3)"
row "import steps: CPU (user + system)" "$(cat import-steps.cpu) s" "-" "-"
row "import steps: peak RSS" "$(cat import-steps.mb) MB" "<= 500 MB" "-" \
	"$(verdict "$(cat import-steps.mb)" 500)"
"$K" --db "$IMP" export steps -o reimported.csv
if cmp -s csv/steps.csv reimported.csv; then echo "  (the re-imported steps export byte-identical: every step obeyed the rules)"; else
	echo "  WARNING: the re-imported steps differ from the demo's"; fi
fi

# ---- reports, beside hand-written SQL ----
root=$(sqlite3 "$DB" "SELECT code FROM units WHERE parent_id IS NULL ORDER BY code LIMIT 1")
# A district (the first by code), not a bloc.
district=$(sqlite3 "$DB" "SELECT code FROM units WHERE kind = 'upper' AND code LIKE '%.H__'
	ORDER BY code LIMIT 1")
declare -A SQLITE_S
if want reports; then
subtree() {	# subtree CODE: a recursive CTE "sub(id)" of the subtree of CODE
	echo "sub(id) AS (SELECT id FROM units WHERE code = '$1'
	   UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)"
}
# achievement to depth N: each unit down to N levels under the root, its
# quota and the decisions of the year in its subtree.
ach_sql() {
	cat <<SQL
WITH RECURSIVE
  top(id, depth) AS (SELECT id, 0 FROM units WHERE code = '$root'
      UNION ALL SELECT u.id, top.depth + 1 FROM units u JOIN top ON u.parent_id = top.id WHERE top.depth < $1),
  sub(top, id) AS (SELECT id, id FROM top UNION ALL SELECT sub.top, u.id FROM units u JOIN sub ON u.parent_id = sub.id),
  adm(unit_id, n) AS (SELECT c.unit_id, COUNT(*) FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
      WHERE s.step = 'decision' AND s.date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31' GROUP BY c.unit_id)
SELECT u.code, u.name, q.target, COALESCE(SUM(adm.n), 0) AS admitted,
       CASE WHEN q.target > 0 THEN ROUND(100.0 * COALESCE(SUM(adm.n), 0) / q.target, 1) END AS pct
FROM sub JOIN units u ON u.id = sub.top LEFT JOIN adm ON adm.unit_id = sub.id
LEFT JOIN quotas q ON q.unit_id = sub.top AND q.year = $YEAR AND q.category = 'total'
GROUP BY sub.top ORDER BY $2;
SQL
}
ach_sql 1 u.code >ach1.sql
ach_sql 3 u.code >ach3.sql
ach_sql 1 "pct DESC, u.code" >ranking.sql
# The subtree as "IN (SELECT id FROM sub)": the planner then starts from
# the indexed steps, not from the units.
cat >structure.sql <<SQL
WITH RECURSIVE $(subtree "$root")
SELECT COUNT(*), SUM(p.sex = 'F'), SUM(p.ethnicity IS NOT NULL AND p.ethnicity <> 'Kinh'),
       SUM(s.date < date(p.birth_date, '+31 years')), SUM(p.occupation = 'worker'),
       SUM(u.sector = 'nonstate_enterprise'), SUM(u.sector = 'hamlet')
FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id
WHERE s.step = 'decision' AND s.date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'
  AND c.unit_id IN (SELECT id FROM sub);
SQL
cat >funnel.sql <<SQL
WITH RECURSIVE $(subtree "$root")
SELECT s.step, COUNT(DISTINCT s.candidacy_id) FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
WHERE s.date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31' AND c.unit_id IN (SELECT id FROM sub)
GROUP BY s.step;
SQL
cat >summary.sql <<SQL
WITH RECURSIVE $(subtree "$root")
SELECT (SELECT COUNT(*) FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
        WHERE s.step = 'decision' AND s.date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'
          AND c.unit_id IN (SELECT id FROM sub)),
       (SELECT target FROM quotas q JOIN units u ON u.id = q.unit_id
        WHERE u.code = '$root' AND q.year = $YEAR AND q.category = 'total'),
       (SELECT COUNT(*) FROM candidacies c WHERE c.is_open = 1
          AND c.stage IN ('cell_vote', 'committee_vote') AND c.unit_id IN (SELECT id FROM sub));
SQL
deadlines_sql() {
	cat <<SQL
WITH RECURSIVE $(subtree "$1")
SELECT c.id, p.ref, p.full_name, u.code, c.stage, MAX(s.date)
FROM candidacies c JOIN people p ON p.id = c.person_id
JOIN units u ON u.id = c.unit_id JOIN steps s ON s.candidacy_id = c.id
WHERE c.is_open = 1 AND c.unit_id IN (SELECT id FROM sub) GROUP BY c.id ORDER BY 6;
SQL
}
deadlines_sql "$district" >deadlines-district.sql
deadlines_sql "$root" >deadlines-root.sql

# report LABEL SQLFILE GOALRATIO ARGS…: ketnap's report on $DB beside the SQL.
report() {
	local label=$1 sql=$2 goal=$3 ours best r
	shift 3
	ours=$(median "$K" --db "$DB" report "$@" --format csv -o "$dir/r.csv")
	best=$(median sqlite3 -csv "$DB" ".read $dir/$sql")
	SQLITE_S[$label]=$ours
	r=$(ratio "$ours" "$best")
	row "report $label" "$ours s" "<= 1 s, <= ${goal}x SQL" "hand SQL $best s: x$r" \
		"$(verdict "$ours" 1); $(verdict "$r" "$goal")"
}
echo "reports (root $root, district $district, year $YEAR; median of $RUNS)"
report "achievement --depth 1" ach1.sql 1.5 achievement --depth 1 --year $YEAR
report "achievement --depth 3" ach3.sql 1.5 achievement --depth 3 --year $YEAR
report "structure" structure.sql 1.5 structure --year $YEAR
report "funnel" funnel.sql 1.5 funnel --year $YEAR
report "ranking" ranking.sql 1.5 ranking --year $YEAR
report "summary" summary.sql 1.5 summary --year $YEAR
report "deadlines (district)" deadlines-district.sql 2 deadlines --unit "$district" --as-of 2025-12-20
report "deadlines (root)" deadlines-root.sql 2 deadlines --as-of 2025-12-20
# The achievement figures must agree with the SQL's.
pick='import csv, sys; [print(r[int(sys.argv[1])], r[int(sys.argv[2])]) for r in csv.reader(sys.stdin)]'
"$K" --db "$DB" report achievement --depth 1 --year $YEAR --format csv | tail -n +2 |
	python3 -c "$pick" 0 4 | sort >ours.txt || true
sqlite3 -csv "$DB" ".read $dir/ach1.sql" | python3 -c "$pick" 0 3 | sort >best.txt || true
if cmp -s ours.txt best.txt; then echo "  (achievement: ketnap and the SQL agree on every unit's admissions)"; else
	echo "  WARNING: achievement: ketnap and the SQL disagree:"; diff ours.txt best.txt | head -5; fi

fi

# ---- the web ----
if want web; then
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo 'bench-password' | "$K" --db "$DB" user add bench --unit "$root" --role admin >/dev/null 2>&1 || true
# The pages are read as another account than the writer's (bench): the
# server's cache gives a user who wrote a text built after their write
# (src/web/cache.c), so that a clerk sees their own step; the 64
# connections stand for the other people reading meanwhile.
echo 'reader-password' | "$K" --db "$DB" user add reader --unit "$root" --role admin >/dev/null 2>&1 || true
token=$("$K" --db "$DB" user token reader)
port=$(free_port)
"$K" --db "$DB" serve --listen 127.0.0.1:$port --access-log "$dir/access.log" >serve.out 2>&1 &
spid=$!
pids+=("$spid")
for i in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
auth=(-H "Authorization: Bearer $token")
# page_ms PATH N: the median of N requests' server time (the access log's own "N.Nms").
page_ms() {
	local path=$1 n=$2 i
	: >"$dir/access.log"
	for i in $(seq "$n"); do curl -fs -o /dev/null "${auth[@]}" "http://127.0.0.1:$port$path" || true; done
	sleep 0.2
	grep -o ' [0-9.]*ms ' "$dir/access.log" | tr -d ' ms' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
echo "web (ketnap serve on the $SIZE database; server time from the access log)"
first=$(page_ms / 1)
again=$(page_ms / 5)
row "dashboard of the root, first (uncached)" "$first ms" "<= 500 ms" "cached: $again ms" "$(verdict "$first" 500)"
for p in "/candidates" "/candidates?page=50" "/decisions" "/api/v1/people"; do
	ms=$(page_ms "$p" 10)
	row "page $p" "$ms ms" "<= 100 ms" "-" "$(verdict "$ms" 100)"
done
# The pager's own links from page 50: "next" (after=) and "previous"
# (before=) read by the keyset, where a typed page=50 skips 2,450 rows.
curl -fs "${auth[@]}" "http://127.0.0.1:$port/candidates?page=50" >p50.html || true
for rel in next prev; do
	link=$(grep -o "href=\"[^\"]*\" rel=\"$rel\"" p50.html | sed 's/href="//; s/" rel=.*//; s/&amp;/\&/g')
	[ -n "$link" ] || continue
	ms=$(page_ms "$link" 10)
	row "page 50's $rel link (${link%%&*})" "$ms ms" "<= 100 ms" "-" "$(verdict "$ms" 100)"
done
row "serve resident memory (idle, after pages)" "$(( $(awk '/VmRSS/ { print $2 }' /proc/$spid/status) / 1024 )) MB" \
	"<= 200 MB" "-" "$(verdict $(( $(awk '/VmRSS/ { print $2 }' /proc/$spid/status) / 1024 )) 200)"

# wrk: the four pages in turn, 64 connections, while one writer records
# mentor steps (allowed at any time while a candidacy is open) through the
# command line, one process per step, as a clerk's script would.
# Where wrk's p99 came from (province, 2026-12, perf and the access log):
# not locks nor SQLite's busy waits but CPU per request (a cached
# dashboard 11 ms, 95% in the transfers-arriving query; the lists' count
# two thirds of /candidates and /api/v1/people; the decisions queue read
# on every request) and, with 64 closed-loop connections, the queue that
# CPU makes (latency ≈ connections / req/s); then libmicrohttpd's pool of
# two threads, each answering its 32 connections in turn, so that every
# cache rebuild (0.6–4 s for the root dashboard among busy threads, once
# per write under a writer) held up a thread's connections. Now ~1 ms of
# server CPU a request, rebuilds at most once per lag under a writer, and
# a thread per connection (src/web/server.c, src/web/cache.c).
cat >mix.lua <<LUA
local paths = { "/", "/candidates", "/decisions", "/api/v1/people" }
local i = 0
request = function()
	i = i + 1
	return wrk.format("GET", paths[(i % #paths) + 1], { ["Authorization"] = "Bearer $token" })
end
LUA
sqlite3 -csv "$DB" "SELECT p.ref, m.ref FROM candidacies c JOIN people p ON p.id = c.person_id
	JOIN steps s ON s.candidacy_id = c.id AND s.step = 'mentor' JOIN people m ON m.id = s.member_id
	WHERE c.is_open = 1 GROUP BY c.id LIMIT 5000" >writer.csv
(
	n=0 bad=0
	while IFS=, read -r ref mref; do
		[ -e "$dir/stop-writer" ] && break
		if "$K" --db "$DB" step "$ref" mentor --date 2025-12-20 --member "$mref" >/dev/null 2>>writer.err; then
			n=$((n + 1)); else bad=$((bad + 1)); fi
		echo "$n $bad" >writer.count
	done <writer.csv
) &
wpid=$!
pids+=("$wpid")
# The server's CPU (user + system, in clock ticks) around the run: its
# cost per request, whatever else the machine was doing.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$spid/stat"; }
cpu0=$(cpu_ticks)
: >"$dir/access.log"
wrk -t2 -c64 -d"$DURATION" --timeout 10s --latency -s mix.lua "http://127.0.0.1:$port" >wrk.out 2>&1 || true
cpu1=$(cpu_ticks)
touch stop-writer
wait "$wpid" 2>/dev/null || true
# Each page's server time during the run (from the headers read to the
# answer queued: a wait for a free worker included), by path.
cp "$dir/access.log" wrk-access.log
for p in / /candidates /decisions /api/v1/people; do
	row "wrk: server time of $p" "$(awk -v p="$p" '$4 == p { t = $7; sub(/ms/, "", t); print t }' wrk-access.log |
		sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "p50 %s ms, p99 %s ms", a[int(NR * 0.5) + 1], a[int(NR * 0.99) + 1]; else print "-" }')" "-" \
		"$(awk -v p="$p" '$4 == p' wrk-access.log | wc -l) requests"
done
rps=$(awk '/Requests\/sec/ { print $2 }' wrk.out)
p99=$(awk '$1 == "99%" { print $2 }' wrk.out)
reqs=$(awk '/requests in/ { print $1 }' wrk.out)
errs=$(awk '/Non-2xx|Socket errors/' wrk.out | tr '\n' ' ')
row "wrk 64 conn $DURATION: p99" "${p99:-?}" "<= 250 ms" "$reqs requests, $rps req/s"
row "wrk: server CPU per request" "$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="${reqs:-0}" \
	'BEGIN { if (n > 0) printf "%.2f ms", t * 1000 / hz / n; else print "-" }')" "-" \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
row "wrk: errors" "${errs:-none}" "0" "writer: $(awk '{ print $1 " steps recorded, " $2 " refused" }' writer.count 2>/dev/null || echo 'no steps')"
peak=$(( $(awk '/VmHWM/ { print $2 }' /proc/$spid/status) / 1024 ))
row "serve peak resident memory" "$peak MB" "<= 200 MB" "-" "$(verdict "$peak" 200)"
kill "$spid" 2>/dev/null || true
fi

# ---- PostgreSQL ----
if [ -n "${PG:-}" ] && want import && want reports; then
	if [ "$PG" = 1 ]; then
		base=$(sh "$here/../scripts/pg-cluster.sh" start "$dir/pg" bench)
		psql "$base" -qAtX -c "DROP DATABASE IF EXISTS kn_national" -c "CREATE DATABASE kn_national" >/dev/null
		prefix=${base%%\?*}
		PURL="${prefix%/*}/kn_national${base#"$prefix"}"
	else
		PURL=$PG
	fi
	echo "PostgreSQL ($(psql "$PURL" -qAtX -c 'SHOW server_version')): the same import and reports"
	"$K" --db "$PURL" init >/dev/null
	for k in units people steps quotas; do
		timed "pg-import-$k" "$K" --db "$PURL" import "$k" "csv/$k.csv"
		row "PG import $k" "$(cat "pg-import-$k.s") s" "<= 2x SQLite" \
			"SQLite $(cat "import-$k.s") s: x$(ratio "$(cat "pg-import-$k.s")" "$(cat "import-$k.s")")"
	done
	# The reports as they run once autovacuum has been round after the
	# load: statistics, and the visibility map, without which PostgreSQL
	# cannot answer from an index alone (right after the import the
	# funnel read the steps' heap for every step of the year: x3 SQLite,
	# x1 after VACUUM).
	psql "$PURL" -qAtX -c "VACUUM (ANALYZE)" >/dev/null
	pg_report() {
		local label=$1 ours
		shift
		ours=$(median "$K" --db "$PURL" report "$@" --format csv -o "$dir/r.csv")
		row "PG report $label" "$ours s" "<= 2x SQLite" \
			"SQLite (demo db) ${SQLITE_S[$label]} s: x$(ratio "$ours" "${SQLITE_S[$label]}")"
	}
	pg_report "achievement --depth 1" achievement --depth 1 --year $YEAR
	pg_report "achievement --depth 3" achievement --depth 3 --year $YEAR
	pg_report "structure" structure --year $YEAR
	pg_report "funnel" funnel --year $YEAR
	pg_report "ranking" ranking --year $YEAR
	pg_report "summary" summary --year $YEAR
	pg_report "deadlines (district)" deadlines --unit "$district" --as-of 2025-12-20
	pg_report "deadlines (root)" deadlines --as-of 2025-12-20
fi
echo "done $(date -u '+%H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
