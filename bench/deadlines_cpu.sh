#!/usr/bin/env bash
# Issue 13: the CPU time of the root's deadlines report and of the
# uncached root dashboard, an old binary on its database against a new
# one on its own (a copy made at the new binary's schema: `ketnap init`),
# and of bench/national.sh's hand SQL for the report's rows (the sqlite3
# shell on the new database), RUNS rounds (default 3) of old, new, SQL
# back to back; each figure the median (and the least) of its runs.
#
#   bash bench/deadlines_cpu.sh OLD_KETNAP OLD_DB NEW_KETNAP NEW_DB [UNIT]
#
# UNIT: the report's unit (default: the first root). The dashboard is
# timed in the server: its CPU time (user+sys from /proc) over the first
# request of each page after a start (nothing cached): the HTML page /,
# then /api/v1/dashboard. The user KETNAP_USER (default bench) must be an
# admin of the root in both databases when they have accounts.
set -euo pipefail
old=$(realpath "$1") odb=$2 new=$(realpath "$3") ndb=$4
RUNS=${RUNS:-3}
export KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=${KETNAP_USER:-bench} LANG=${LANG:-C}
unit=${5:-$(sqlite3 "$odb" "SELECT MIN(code) FROM units WHERE parent_id IS NULL")}
dir=$(mktemp -d)
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }	# ms, at 100 ticks a second

report() { # binary db -> "cpu_s rss_kb"
	/usr/bin/time -f "%U %S %M" -o "$dir/t" "$1" --db "$2" report deadlines --unit "$unit" \
		--format csv -o "$dir/out.csv"
	awk '{printf "%.2f %d\n", $1 + $2, $3}' "$dir/t"
}

dashboard() { # binary db -> "html_ms api_ms"
	local port token a b c
	port=$(free_port)
	token=$("$1" --db "$2" user token "$KETNAP_USER")
	"$1" --db "$2" serve --listen 127.0.0.1:"$port" >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	a=$(cpu "$spid")
	curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/?lang=vi" >/dev/null
	b=$(cpu "$spid")
	curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/dashboard" >/dev/null
	c=$(cpu "$spid")
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	spid=
	echo "$((b - a)) $((c - b))"
}

best() { sort -n | head -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
both() { echo "$(median <"$1") (least $(best <"$1"))"; }
# bench/national.sh's deadlines_sql: the open candidacies of the subtree
# with their person, unit, stage and latest step date, by that date.
cat >"$dir/hand.sql" <<SQL
WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE code = '$unit'
   UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
SELECT c.id, p.ref, p.full_name, u.code, c.stage, MAX(s.date)
FROM candidacies c JOIN people p ON p.id = c.person_id
JOIN units u ON u.id = c.unit_id JOIN steps s ON s.candidacy_id = c.id
WHERE c.is_open = 1 AND c.unit_id IN (SELECT id FROM sub) GROUP BY c.id ORDER BY 6;
SQL
hand() { # db -> cpu_s
	/usr/bin/time -f "%U %S" -o "$dir/t" sqlite3 -readonly -csv "$1" ".read $dir/hand.sql" \
		>/dev/null
	awk '{printf "%.2f\n", $1 + $2}' "$dir/t"
}
for side in old new; do : >"$dir/r.$side"; : >"$dir/d.$side"; done
: >"$dir/sql"
for _ in $(seq "$RUNS"); do
	for side in old new; do
		if [ $side = old ]; then k=$old db=$odb; else k=$new db=$ndb; fi
		report "$k" "$db" >>"$dir/r.$side"
		dashboard "$k" "$db" >>"$dir/d.$side"
	done
	hand "$ndb" >>"$dir/sql"
done
for side in old new; do
	cut -d' ' -f1 "$dir/r.$side" >"$dir/rc.$side"
	cut -d' ' -f2 "$dir/r.$side" >"$dir/rm.$side"
	cut -d' ' -f1 "$dir/d.$side" >"$dir/dp.$side"
	cut -d' ' -f2 "$dir/d.$side" >"$dir/da.$side"
	echo "$side: deadlines --unit $unit: $(both "$dir/rc.$side") s CPU, peak" \
		"$(median <"$dir/rm.$side") KB; dashboard (uncached): page $(both "$dir/dp.$side") ms" \
		"CPU, API $(both "$dir/da.$side") ms CPU"
done
echo "hand SQL (bench/national.sh's deadlines_sql): $(both "$dir/sql") s CPU"
echo "load: $(uptime | sed 's/.*load average: //')"
