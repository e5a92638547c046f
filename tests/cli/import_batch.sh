#!/bin/bash
# import_batch.sh — the steps import reads its people ahead in batches
# (issue 13: ledger_read_ahead(), store_person_records(): the people of
# the next KETNAP_IMPORT_BATCH people's rows, their candidacies with
# steps, their transfers, and the introducers and mentors those rows
# name, in four statements a batch instead of some three reads a person)
# and changes nothing but the time. Each file is imported with batches
# of three people (A: a file of a few people crosses several boundaries),
# and with the per-person reads (B: KETNAP_IMPORT_NOMEMO=1, which reads
# nothing ahead): the same exit status, summary, problems word for word
# and database. The hand-written cases, with figures by hand: an
# introducer admitted in the same batch as the two people they introduce,
# one judged before their admission (refused but for an override) and one
# after (accepted: the record read ahead is dropped once a step of theirs
# is written); a person whose rows are split across the file (the import
# groups them); a transfer, the steps before the arrival counted for the
# unit left; a ref that is in no database, at a batch boundary, and a row
# refused in the last batch, each with its line numbers and the later
# rows of the same person skipped. Then a small generated city, as it is
# and shuffled, and with refusals. Runs on SQLite and, as
# pg/cli/import_batch, on PostgreSQL (tests/lib/db.sh). Needs $KETNAP and
# python3.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
# The generated city's steps run into 2026.
export LANG=C.UTF-8 KETNAP_TODAY=2027-06-30
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB KETNAP_IMPORT_NOMEMO KETNAP_IMPORT_BATCH
export KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/k1_fixture.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
same_file() { if cmp -s "$1" "$2"; then ok; else bad "$3"; diff "$1" "$2" | head -20 >&2 || true; fi; }

on() { local db=$1; shift; "$KETNAP" --db "$db" "$@"; }
# both NAME ARGS…: the same import on A in batches of three people and on B
# person by person; exit status, stdout and stderr compared, A's kept as
# NAME.*.
both() {
	local name=$1 rca=0 rcb=0
	shift
	KETNAP_IMPORT_BATCH=3 on "$A" "$@" >"$name.a.out" 2>"$name.a.err" || rca=$?
	KETNAP_IMPORT_NOMEMO=1 on "$B" "$@" >"$name.b.out" 2>"$name.b.err" || rcb=$?
	expect_eq "$rca" "$rcb" "$name: the exit status in batches and person by person"
	same_file "$name.a.out" "$name.b.out" "$name: the summary in batches and person by person"
	same_file "$name.a.err" "$name.b.err" "$name: the problems in batches and person by person"
	echo "$rca" >"$name.rc"
}
# The database as text: the steps as exported, each step's own unit, the
# candidacies' derived columns, by person ref.
dump() {
	on "$1" export steps -o "$2.steps.csv"
	kn_sql "$1" "SELECT p.ref || '|' || s.step || '|' || s.date || '|' || COALESCE(u.code, '-') FROM steps s JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id LEFT JOIN units u ON u.id = s.unit_id ORDER BY p.ref, s.candidacy_id, s.seq" >"$2.units"
	kn_sql "$1" "SELECT p.ref || '|' || c.stage || '|' || c.is_open || '|' || c.version FROM candidacies c JOIN people p ON p.id = c.person_id ORDER BY p.ref, c.id" >"$2.cands"
}
same_db() {
	dump "$A" "$1.a"
	dump "$B" "$1.b"
	same_file "$1.a.steps.csv" "$1.b.steps.csv" "$1: the steps in batches and person by person"
	same_file "$1.a.units" "$1.b.units" "$1: the steps' units in batches and person by person"
	same_file "$1.a.cands" "$1.b.cands" "$1: the candidacies in batches and person by person"
}

# ---- hand-written ----
cat >units.csv <<'EOF'
code,parent,name,kind,may_admit,sector,special_area
X,,Đảng bộ tỉnh X,province,1,,0
X.G,X,Đảng bộ xã G,grassroots,1,commune,0
X.G.C1,X.G,Chi bộ ấp Một,cell,0,hamlet,0
X.G.C2,X.G,Chi bộ ấp Hai,cell,0,hamlet,0
EOF
cat >people.csv <<'EOF'
ref,full_name,sex,birth_date,unit,education,member_since,official_since
M1,Trần Văn Một,M,1970-01-01,X.G.C1,12/12,1995-05-01,1996-05-01
M2,Lê Thị Hai,F,1972-02-02,X.G.C1,12/12,1998-03-01,1999-03-01
K1,Ngô Quốc Tâm,M,1994-12-27,X.G.C1,12/12,,
A0,Nguyễn Thị Ba,F,1999-03-03,X.G.C1,12/12,,
T1,Đỗ Văn Năm,M,2001-05-05,X.G.C1,12/12,,
KZ,Phạm Văn Bốn,M,2000-04-04,X.G.C1,12/12,,
EOF
cat >transfers.csv <<'EOF'
person,date,from,to,arrived,doc_no,note,override
T1,2020-09-01,X.G.C1,X.G.C2,2020-09-10,GT 1/2020,,
EOF
# In ref order the people are A0, K1, KZ | T1 (batches of three; M1 and
# M2 are only named). A0's introduction by K1 is judged before K1's steps
# are written (K1 no member yet: KN-INTRO-FULL, recorded with an
# override), KZ's after K1's official step, in the same batch: accepted
# as it is (had K1's record read ahead been kept, refused as A0's). T1's rows
# are at the head and at the tail of the file; two of them are dated
# before T1 arrived in X.G.C2.
{
	echo "person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note"
	cat <<'EOF'
T1,source,2020-08-03,,youth_union,,,,,,,,,,
T1,mentor,2020-08-10,,,M1,,,,,,,,,
EOF
	k1_admitted
	for p in A0 KZ; do k1_introduces "$p"; done
	cat <<'EOF'
T1,trained,2020-09-07,CN 2/2020,,,,,,,,,,,
T1,applied,2020-09-14,,,,,,,,,,,,
T1,verified,2020-09-28,,,,,,,,,,,,
EOF
} >steps.csv
# The same file with a person who is in no database (N5: between KZ and
# T1 in ref order, the head of the second batch; lines 4 and 32) and KZ's
# course dated before KZ's source (line 25, the end of the first batch).
{
	head -3 steps.csv
	echo "N5,source,2020-08-03,,youth_union,,,,,,,,,,"
	sed -n '4,$p' steps.csv | sed 's/^KZ,trained,2020-09-07,/KZ,trained,2020-08-01,/'
	echo "N5,mentor,2020-08-10,,,M1,,,,,,,,,"
} >refused.csv

A=$(KN_DB_DIR=$tmp kn_db batch)
B=$(KN_DB_DIR=$tmp kn_db single)
for db in "$A" "$B"; do
	on "$db" init >/dev/null
	on "$db" import units units.csv >/dev/null
	on "$db" import people people.csv >/dev/null
	on "$db" import transfers transfers.csv >/dev/null
done

both refused import steps refused.csv
expect_eq "$(cat refused.rc)" 1 "the refused file"
expect_eq "$(cat refused.a.err)" "refused.csv:4: person: no person with ref N5; check the ref or import the person first
refused.csv:23: person: skipped: line 25, an earlier step of KZ, was refused, so this step cannot be judged
refused.csv:24: person: skipped: line 25, an earlier step of KZ, was refused, so this step cannot be judged
refused.csv:25: step: KN-ORDER: Phạm Văn Bốn has no open candidacy, so the Party awareness course cannot be recorded; record source first.
refused.csv:26: person: skipped: line 25, an earlier step of KZ, was refused, so this step cannot be judged
refused.csv:27: person: skipped: line 25, an earlier step of KZ, was refused, so this step cannot be judged
refused.csv:28: person: skipped: line 25, an earlier step of KZ, was refused, so this step cannot be judged
refused.csv:32: person: skipped: line 4, an earlier step of N5, was refused, so this step cannot be judged
ketnap: import refused: 8 problems; nothing was written" "the refused file's problems"
expect_eq "$(kn_sql "$A" "SELECT COUNT(*) FROM steps")" 0 "the refused file wrote nothing"

both hand import steps steps.csv
expect_eq "$(cat hand.rc)" 0 "the hand-written file"
expect_eq "$(cat hand.a.out)" "steps.csv: 29 rows, 29 added, 0 updated, 0 unchanged" \
	"the hand-written file's summary"
same_db hand
# A0 and KZ at introduced (version 6: six steps), K1 admitted (official,
# closed, 12), T1 at verified (5).
expect_eq "$(tr '\n' ' ' <hand.a.cands)" \
	"A0|introduced|1|6 K1|official|0|12 KZ|introduced|1|6 T1|verified|1|5 " \
	"the candidacies' stage, open flag and version"
# The introductions by K1: A0's with its override, KZ's without.
expect_eq "$(grep ',introduced,2020-10-05,' hand.a.steps.csv | cut -d, -f1,7,14)" \
	"A0,K1,K1 chưa là đảng viên chính thức
KZ,K1," "the introductions by K1 before and after K1's admission"
# T1's steps before the arrival (2020-09-10) count for X.G.C1, the later
# ones for the candidacy's unit (-).
expect_eq "$(grep '^T1|' hand.a.units | tr '\n' ' ')" \
	"T1|source|2020-08-03|X.G.C1 T1|mentor|2020-08-10|X.G.C1 T1|trained|2020-09-07|X.G.C1 T1|applied|2020-09-14|- T1|verified|2020-09-28|- " \
	"T1's steps and their units"
both hand-again import steps steps.csv
expect_eq "$(cat hand-again.a.out)" "steps.csv: 29 rows, 0 added, 0 updated, 29 unchanged" \
	"the re-import"
same_db hand-again

# ---- a small generated city ----
if ! command -v python3 >/dev/null; then
	echo "import_batch.sh: python3 not installed: the generated city skipped" >&2
	echo "import_batch.sh: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi
python3 "$SRC/bench/gen_city.py" city --seed 5 --scale 0.1 >/dev/null
# Its rows shuffled (each person's split across the file), and with
# refusals (a date moved to the first of its month, a mentor nobody
# knows).
python3 - city/steps.csv shuffled.csv refused2.csv <<'EOF'
import csv, random, sys
random.seed(13)
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
head, body = rows[0], rows[1:]
random.shuffle(body)
for name, bad in ((sys.argv[2], False), (sys.argv[3], True)):
    w = csv.writer(open(name, "w", encoding="utf-8", newline=""), lineterminator="\n")
    w.writerow(head)
    for r in body:
        r = list(r)
        x = random.random()
        if bad and x < 0.02:
            r[2] = r[2][:8] + "01"
        elif bad and x < 0.03:
            r[5] = "NOSUCH"
        w.writerow(r)
EOF
A=$(KN_DB_DIR=$tmp kn_db city_batch)
B=$(KN_DB_DIR=$tmp kn_db city_single)
for db in "$A" "$B"; do
	on "$db" init >/dev/null
	on "$db" import units city/units.csv >/dev/null
	on "$db" import people city/people.csv >/dev/null
	on "$db" import holidays city/holidays.csv >/dev/null
done
both city-refused import steps refused2.csv
expect_eq "$(cat city-refused.rc)" 1 "the city with refusals"
both city import steps shuffled.csv
expect_eq "$(cat city.rc)" 0 "the shuffled city"
rows=$(($(wc -l <city/steps.csv) - 1))
n=$(python3 -c "print(f'{$rows:,}')")
expect_eq "$(cat city.a.out)" "shuffled.csv: $n rows, $n added, 0 updated, 0 unchanged" \
	"the shuffled city's summary"
same_db city
# Whatever the order of its rows, the file's steps are recorded.
on "$A" export steps -o city.sorted.csv
sort city/steps.csv >city.expected
sort city.sorted.csv >city.got
same_file city.got city.expected "the shuffled city's steps as exported are the file's"

echo "import_batch.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
