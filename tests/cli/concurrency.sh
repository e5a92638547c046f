#!/usr/bin/env bash
# concurrency.sh — many writers on one database at once, as an office runs
# it: eight clerks' command-line loops recording 200 steps each on distinct
# candidates, the web server's worker threads recording steps for two API
# clients meanwhile, and two clerks racing to open a candidacy for the same
# 40 people. Nobody may see "database is locked" (or any storage failure,
# exit 3), nobody's write may be lost, and each race has exactly one
# winner. Runs on SQLite (cli/concurrency) and PostgreSQL
# (pg/cli/concurrency) through tests/lib/db.sh. Prints the counts.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
spid=
cleanup() {
	if [ -n "$spid" ]; then kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; fi
	kn_db_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db conc) KETNAP_TODAY=2025-06-30 LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_USER
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

CLERKS=8 EACH=200 API=2 API_EACH=100 RACE=40

# A province, a grassroots unit with one cell, and the people: P…
# for the clerks, A… for the API clients, R… for the race.
cat >units.csv <<'EOF'
code,parent,name,kind,may_admit,sector,special_area
X,,Đảng bộ tỉnh X,province,1,,0
X.G,X,Đảng bộ xã G,grassroots,1,commune,0
X.G.C,X.G,Chi bộ ấp C,cell,0,hamlet,0
EOF
{
	echo "ref,full_name,sex,birth_date,unit"
	for i in $(seq 1 $((CLERKS * EACH))); do printf 'P%04d,Người Thứ %d,M,1995-05-05,X.G.C\n' "$i" "$i"; done
	for i in $(seq 1 $((API * API_EACH))); do printf 'A%04d,Người Mạng %d,F,1996-06-06,X.G.C\n' "$i" "$i"; done
	for i in $(seq 1 $RACE); do printf 'R%04d,Người Đua %d,F,1997-07-07,X.G.C\n' "$i" "$i"; done
} >people.csv
"$K" init >/dev/null || { echo "init failed" >&2; exit 1; }
"$K" import units units.csv >/dev/null && "$K" import people people.csv >/dev/null ||
	{ echo "import failed" >&2; exit 1; }
before=$("$K" export steps | wc -l)

# The server and a token for the API clients (the account makes the
# database one with accounts: the clerks act as the admin).
echo 'admin-password-1' | "$K" user add admin --unit X --role admin >/dev/null
export KETNAP_USER=admin
TA=$("$K" user token admin)
port=
for p in $(seq 18900 18999 | shuf); do
	if python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', $p))" 2>/dev/null; then
		port=$p; break
	fi
done
[ -n "$port" ] || { echo "no free port in 18900-18999" >&2; exit 1; }
"$K" serve --listen 127.0.0.1:$port --threads 4 --access-log off >serve.out 2>&1 &
spid=$!
for i in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# clerk N: record `source` for its 200 people, one process per step;
# one line "REF STATUS" per step in clerkN.log, stderr in clerkN.err.
clerk() {
	local n=$1 i ref
	for i in $(seq $(((n - 1) * EACH + 1)) $((n * EACH))); do
		ref=$(printf 'P%04d' "$i")
		"$K" step "$ref" source --date 2025-03-01 --org youth_union >/dev/null 2>>"clerk$n.err"
		echo "$ref $?" >>"clerk$n.log"
	done
}
# api N: the same through POST /api/v1/steps/REF.
api() {
	local n=$1 i ref code
	for i in $(seq $(((n - 1) * API_EACH + 1)) $((n * API_EACH))); do
		ref=$(printf 'A%04d' "$i")
		code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TA" \
			-d '{"step":"source","date":"2025-03-01","org":"trade_union"}' \
			"http://127.0.0.1:$port/api/v1/steps/$ref")
		echo "$ref $code" >>"api$n.log"
	done
}
# racer N: open a candidacy for each of the race's people; the other
# racer tries the same person at the same moment.
racer() {
	local n=$1 i ref
	for i in $(seq 1 $RACE); do
		ref=$(printf 'R%04d' "$i")
		"$K" step "$ref" source --date 2025-03-02 --org cell >/dev/null 2>>"racer$n.err"
		echo "$ref $?" >>"racer$n.log"
	done
}

pids=()
for n in $(seq 1 $CLERKS); do clerk "$n" & pids+=($!); done
for n in $(seq 1 $API); do api "$n" & pids+=($!); done
racer 1 & pids+=($!)
racer 2 & pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done

# Every clerk's step was recorded (exit 0), none was told "locked".
clerk_ok=$(cat clerk*.log | awk '$2 == 0' | wc -l)
clerk_io=$(cat clerk*.log | awk '$2 == 3' | wc -l)
[ "$clerk_ok" -eq $((CLERKS * EACH)) ] && ok || bad "clerks: $clerk_ok of $((CLERKS * EACH)) steps recorded ($clerk_io storage failures)"
if cat clerk*.err racer*.err 2>/dev/null | grep -qi 'locked\|busy'; then
	bad "a clerk was told the database is locked or busy:"; grep -hi 'locked\|busy' clerk*.err racer*.err | head -3 >&2
else ok; fi
api_ok=$(cat api*.log | awk '$2 == 201' | wc -l)
[ "$api_ok" -eq $((API * API_EACH)) ] && ok ||
	bad "API: $api_ok of $((API * API_EACH)) steps answered 201 (others: $(cat api*.log | awk '$2 != 201 {print $2}' | sort | uniq -c | tr '\n' ' '))"
# Each race: one winner (exit 0) and one refusal (exit 1, KN-OPEN), never 3.
race_won=$(cat racer*.log | awk '$2 == 0' | wc -l)
race_lost=$(cat racer*.log | awk '$2 == 1' | wc -l)
race_other=$(cat racer*.log | awk '$2 != 0 && $2 != 1' | wc -l)
[ "$race_won" -eq $RACE ] && ok || bad "race: $race_won winners for $RACE people"
[ "$race_lost" -eq $RACE ] && ok || bad "race: $race_lost refused for $RACE people"
[ "$race_other" -eq 0 ] && ok || bad "race: $race_other ended otherwise than done or refused"
winners=$(cat racer*.log | awk '$2 == 0 {print $1}' | sort -u | wc -l)
[ "$winners" -eq $RACE ] && ok || bad "race: $winners distinct people won, wanted $RACE (one each)"

# Nothing lost: the database holds exactly the acknowledged steps.
after=$("$K" export steps | wc -l)
want=$((before + CLERKS * EACH + API * API_EACH + RACE))
[ "$after" -eq "$want" ] && ok || bad "steps in the database: $((after - before)), acknowledged $((want - before))"
# Each person has exactly one candidacy, and the audit log one entry per step.
dup=$("$K" export steps | awk -F, 'NR > 1 && $2 == "source" {print $1}' | sort | uniq -d | wc -l)
[ "$dup" -eq 0 ] && ok || bad "$dup people got two source steps"
steps_audited=$(kn_sql "$KETNAP_DB" "SELECT count(*) FROM audit WHERE action = 'step'")
[ "$steps_audited" -eq $((want - before)) ] && ok || bad "audit: $steps_audited step entries for $((want - before)) steps"

echo "concurrency: $((CLERKS * EACH)) CLI steps from $CLERKS processes, $((API * API_EACH)) API steps, $RACE races: $clerk_ok recorded, $clerk_io storage failures, $api_ok API 201, $race_won won / $race_lost refused"
check_done
