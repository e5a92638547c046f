#!/usr/bin/env bash
# kill9.sh — crash safety, tested by killing (issue 11). Three kinds of
# work are killed with SIGKILL at a random moment, $KN_CRASH_TRIALS times
# each (default 20; 100 for the full run, by hand):
#
#   import  a steps import of 24,000 rows (6,000 on PostgreSQL) into a
#           database holding the units and people: afterwards it holds
#           none or all of them, and the steps table has its indexes as
#           before (on SQLite the import drops the date indexes of the
#           empty table and builds them again before its commit:
#           store_bulk_begin);
#   demo    `ketnap demo --size city` (small on PostgreSQL; one
#           transaction): afterwards the
#           database holds no candidacy or every one of them;
#   web     a client recording steps one by one through the JSON API while
#           the server is killed: every step the client was told was
#           recorded (201) is there, and at most the one in flight besides.
#
# After every kill: `PRAGMA integrity_check` is ok (SQLite), `ketnap
# verify` passes (invariants and the audit hash chain), and the counts
# above hold. Prints the tally per kind. Runs on SQLite (crash/kill9) and
# PostgreSQL (pg/crash/kill9, when $KN_TEST_PG is set) via tests/lib/db.sh.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
TRIALS=${KN_CRASH_TRIALS:-20}
dir=$(mktemp -d)
spid=
cleanup() {
	if [ -n "$spid" ]; then kill -9 "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; fi
	kn_db_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KN_DB_DIR=$dir KETNAP_TODAY=2025-12-20 LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_USER KETNAP_DB
K=$KETNAP
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
pg() { [ -n "${KN_TEST_PG:-}" ]; }

# A random delay in seconds, from 0 to $1 (a decimal), for sleep.
rnd() { awk -v max="$1" -v r="$RANDOM" 'BEGIN { printf "%.3f", max * r / 32767 }'; }
# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# A fresh database that is a copy of database $1 (SQLite: the file;
# PostgreSQL: CREATE DATABASE … TEMPLATE).
copy_db() {
	local from=$1 name=$2
	if pg; then
		local to
		to=$(kn_db "$name") || return 1
		local tname=${to%%\?*}; tname=${tname##*/}
		local fname=${from%%\?*}; fname=${fname##*/}
		psql "$KN_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE \"$tname\"" \
			-c "CREATE DATABASE \"$tname\" TEMPLATE \"$fname\"" >/dev/null || return 1
		echo "$to"
	else
		local to="$dir/$name.db"
		rm -f "$to" "$to-wal" "$to-shm"
		cp "$from" "$to" && echo "$to"
	fi
}

# check_db URL WHAT: the checks that follow every kill.
corrupt=0 unverified=0
check_db() {
	local url=$1 what=$2
	if ! pg; then
		local ic
		ic=$(sqlite3 "$url" 'PRAGMA integrity_check' 2>&1)
		if [ "$ic" = ok ]; then ok; else bad "$what: integrity_check: $ic"; corrupt=$((corrupt + 1)); fi
	fi
	if "$K" --db "$url" --user admin verify >verify.out 2>&1; then ok; else
		bad "$what: verify failed:"; head -5 verify.out >&2; unverified=$((unverified + 1))
	fi
}

# ---- the base: a province, a commune, two cells and their people ----
cat >units.csv <<'EOF'
code,parent,name,kind,may_admit,sector,special_area
X,,Đảng bộ tỉnh X,province,1,,0
X.G,X,Đảng bộ xã G,grassroots,1,commune,0
X.G.C1,X.G,Chi bộ ấp Một,cell,0,hamlet,0
X.G.C2,X.G,Chi bộ ấp Hai,cell,0,hamlet,0
EOF
# PostgreSQL writes are several times slower (one round trip a row): a
# smaller import and the small demo keep its run in minutes.
if pg; then NPEOPLE=2000 DEMO=small; else NPEOPLE=8000 DEMO=city; fi
{
	echo "ref,full_name,sex,birth_date,unit"
	for i in $(seq 1 $NPEOPLE); do printf 'P%05d,Người Thứ %d,F,1996-02-0%d,X.G.C%d\n' "$i" "$i" $((i % 9 + 1)) $((i % 2 + 1)); done
} >people.csv
# Three steps for each person (24,000 rows on SQLite).
{
	echo "person,step,date,doc_no,org"
	for i in $(seq 1 $NPEOPLE); do
		printf 'P%05d,source,2025-01-10,,youth_union\nP%05d,trained,2025-02-10,CN %d/2025,\nP%05d,applied,2025-03-03,,\n' "$i" "$i" "$i" "$i"
	done
} >steps.csv
NSTEPS=$((NPEOPLE * 3))
base=$(kn_db base)
"$K" --db "$base" init >/dev/null &&
	"$K" --db "$base" import units units.csv >/dev/null &&
	"$K" --db "$base" import people people.csv >/dev/null || { echo "base database failed" >&2; exit 1; }
nsteps() { kn_sql "$1" "SELECT count(*) FROM steps"; }
# The steps table's indexes and their definitions.
if pg; then
	indexes() { kn_sql "$1" "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 'steps' ORDER BY indexname"; }
else
	indexes() { kn_sql "$1" "SELECT name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'steps' ORDER BY name"; }
fi
base_indexes=$(indexes "$base")

# ---- import ----
# One uninterrupted import, timed, to know when to kill.
t0=$(now_ms)
db=$(copy_db "$base" imp) && "$K" --db "$db" import steps steps.csv >/dev/null || { echo "import failed" >&2; exit 1; }
dur=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.3f", ms / 1000 * 1.3 }')
[ "$(nsteps "$db")" -eq $NSTEPS ] && ok || bad "an uninterrupted import wrote $(nsteps "$db") of $NSTEPS steps"
[ "$(indexes "$db")" = "$base_indexes" ] && ok || bad "an uninterrupted import left the steps indexes as: $(indexes "$db")"
imp_none=0 imp_all=0 imp_partial=0 imp_noindex=0
for t in $(seq "$TRIALS"); do
	db=$(copy_db "$base" "imp$t") || { bad "copy for import trial $t"; continue; }
	"$K" --db "$db" import steps steps.csv >/dev/null 2>&1 &
	p=$!
	sleep "$(rnd "$dur")"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	n=$(nsteps "$db")
	case $n in
	0) imp_none=$((imp_none + 1)); ok ;;
	"$NSTEPS") imp_all=$((imp_all + 1)); ok ;;
	*) imp_partial=$((imp_partial + 1)); bad "import trial $t: $n of $NSTEPS steps after the kill" ;;
	esac
	if [ "$(indexes "$db")" = "$base_indexes" ]; then ok; else
		imp_noindex=$((imp_noindex + 1)); bad "import trial $t: the steps indexes after the kill: $(indexes "$db")"
	fi
	check_db "$db" "import trial $t"
	pg && kn_sql "$KN_TEST_PG" "DROP DATABASE IF EXISTS \"$(kn_db_pg_name "imp$t")\" WITH (FORCE)" >/dev/null
	pg || rm -f "$db" "$db-wal" "$db-shm"
done
echo "kill9 import: $TRIALS trials: $imp_none none, $imp_all all, $imp_partial partial, $imp_noindex without their indexes"

# ---- demo ----
t0=$(now_ms)
db=$(kn_db demo0)
"$K" --db "$db" demo --size $DEMO >/dev/null || { echo "demo failed" >&2; exit 1; }
dur=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.3f", ms / 1000 * 1.1 }')
full=$(kn_sql "$db" "SELECT count(*) FROM candidacies")
[ "$full" -gt 0 ] && ok || bad "an uninterrupted demo made no candidacy"
demo_none=0 demo_all=0 demo_partial=0
for t in $(seq "$TRIALS"); do
	db=$(kn_db "demo$t")
	"$K" --db "$db" demo --size $DEMO >/dev/null 2>&1 &
	p=$!
	sleep "$(rnd "$dur")"
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	# Killed during `init`'s migrations (each its own transaction, on
	# PostgreSQL): the schema stops at an earlier version, and the
	# documented recovery, `ketnap init` again, completes it.
	"$K" --db "$db" --user admin init >/dev/null 2>&1
	# Killed before the schema was made: nothing to check but that.
	if ! "$K" --db "$db" --user admin verify >/dev/null 2>&1 && ! kn_sql "$db" "SELECT 1 FROM candidacies LIMIT 1" >/dev/null 2>&1; then
		demo_none=$((demo_none + 1)); ok
	else
		n=$(kn_sql "$db" "SELECT count(*) FROM candidacies")
		case $n in
		0) demo_none=$((demo_none + 1)); ok ;;
		"$full") demo_all=$((demo_all + 1)); ok ;;
		*) demo_partial=$((demo_partial + 1)); bad "demo trial $t: $n of $full candidacies after the kill" ;;
		esac
		check_db "$db" "demo trial $t"
	fi
	pg && kn_sql "$KN_TEST_PG" "DROP DATABASE IF EXISTS \"$(kn_db_pg_name "demo$t")\" WITH (FORCE)" >/dev/null
	pg || rm -f "$db" "$db-wal" "$db-shm"
done
echo "kill9 demo: $TRIALS trials: $demo_none none, $demo_all all, $demo_partial partial"

# ---- web ----
db=$(copy_db "$base" web) || { echo "copy for web failed" >&2; exit 1; }
echo 'admin-password-1' | "$K" --db "$db" user add admin --unit X --role admin >/dev/null
TA=$("$K" --db "$db" --user admin user token admin)
port=
for pp in $(seq 18800 18899 | shuf); do
	if python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', $pp))" 2>/dev/null; then
		port=$pp; break
	fi
done
[ -n "$port" ] || { echo "no free port in 18800-18899" >&2; exit 1; }
next=1 acked_total=0 lost=0 web_extra=0
for t in $(seq "$TRIALS"); do
	"$K" --db "$db" serve --listen 127.0.0.1:$port --threads 4 --access-log off >>serve.out 2>&1 &
	spid=$!
	for i in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
	# The client: one step after another; a ref goes to acked only once
	# the server answered 201.
	: >acked
	(
		i=$next
		while [ "$i" -le $NPEOPLE ]; do
			ref=$(printf 'P%05d' "$i")
			code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TA" \
				-d '{"step":"source","date":"2025-04-01","org":"cell"}' \
				"http://127.0.0.1:$port/api/v1/steps/$ref")
			[ "$code" = 201 ] && echo "$ref" >>acked
			i=$((i + 1))
		done
	) &
	cpid=$!
	sleep "$(rnd 1.5)"
	kill -9 "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	n_acked=$(wc -l <acked)
	acked_total=$((acked_total + n_acked))
	# Every acknowledged step is there.
	kn_sql "$db" "SELECT p.ref FROM steps s JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id WHERE s.step = 'source'" | sort >present
	missing=$(sort acked | comm -23 - present | wc -l)
	if [ "$missing" -eq 0 ]; then ok; else lost=$((lost + missing)); bad "web trial $t: $missing of $n_acked acknowledged steps lost"; fi
	# Nothing beyond them but the one in flight when the server died.
	recorded=$(kn_sql "$db" "SELECT count(*) FROM steps")
	extra=$((recorded - acked_total - web_extra))
	if [ "$extra" -le 1 ] && [ "$extra" -ge 0 ]; then ok; else bad "web trial $t: $extra steps beyond the acknowledged ones"; fi
	web_extra=$((web_extra + extra))
	next=$(( $(kn_sql "$db" "SELECT count(*) FROM candidacies") + 1 ))
	check_db "$db" "web trial $t"
done
echo "kill9 web: $TRIALS trials: $acked_total acknowledged steps, $lost lost, $web_extra recorded in flight"

echo "kill9 tally: $corrupt corrupt databases, $((imp_partial + demo_partial)) partial imports or demos, $lost lost acknowledged writes, $unverified failed verify"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
