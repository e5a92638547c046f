#!/bin/bash
# import_units_batch.sh — the units import writes its new units a batch at
# a time, one statement a batch (issue 13: store_units_add, S_UNITS_ADD:
# a depth of the tree at a time, at most KETNAP_IMPORT_BATCH units), each
# unit of the database that the file changes by itself, and nothing for
# a unit the file leaves as it is. Each file is imported into two
# databases, with batches of two units (A) and of one (B: a statement a
# unit, as before): the same exit status, summary, problems and database.
# The cases, with figures by hand: a child listed before its parent; a
# depth of three cells split across two batches; a row refused for an
# unknown parent, with its line number, and nothing written; then a
# re-import mixing a unit left as it is, units that move (one under a
# new province written in the same import, its cell's path with it),
# a renamed unit and new units at three depths, whose ids follow the
# order of the writes. Runs on SQLite and, as pg/cli/import_units_batch,
# on PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C.UTF-8 KETNAP_TODAY=2025-12-20
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB KETNAP_IMPORT_BATCH
export KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"
. "$SRC/tests/lib/check.sh"

A=$(KN_DB_DIR=$tmp kn_db batch_a)
B=$(KN_DB_DIR=$tmp kn_db batch_b)
expect 0 "$KETNAP" --db "$A" init
expect 0 "$KETNAP" --db "$B" init

# both NAME FILE: the import on A in batches of two units and on B one
# unit at a time; exit status, stdout and stderr compared, A's kept as
# NAME.out, NAME.err.
both() {
	local rca=0 rcb=0
	KETNAP_IMPORT_BATCH=2 "$KETNAP" --db "$A" import units "$2" >"$1.out" 2>"$1.err" || rca=$?
	KETNAP_IMPORT_BATCH=1 "$KETNAP" --db "$B" import units "$2" >"$1.b.out" 2>"$1.b.err" ||
		rcb=$?
	same "$1: the exit status in batches and one by one" "$rca" "$rcb"
	same "$1: the summary in batches and one by one" "$(cat "$1.out")" "$(cat "$1.b.out")"
	same "$1: the problems in batches and one by one" "$(cat "$1.err")" "$(cat "$1.b.err")"
	echo "$rca" >"$1.rc"
}
# The units as text: id, code, parent's code, name, path, by id.
dump() {
	kn_sql "$1" "SELECT u.id || ' ' || u.code || ' ' || COALESCE(p.code, '-') || ' ' || u.name \
|| ' ' || COALESCE(u.path, 'NULL') FROM units u LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.id"
}
audits() {
	kn_sql "$1" "SELECT action || ' ' || entity || ' ' || key FROM audit \
WHERE action = 'update' ORDER BY id"
}

# 1. Refused: an unknown parent on line 8; nothing written.
cat >u1.csv <<'EOF'
code,parent,name,kind,may_admit,sector,special_area
A.G1.C1,A.G1,Chi bộ 1,cell,0,hamlet,0
A,,Đảng bộ tỉnh A,province,1,,0
A.G1,A,Đảng bộ xã 1,grassroots,1,commune,0
A.G2,A,Đảng bộ xã 2,grassroots,1,commune,0
A.G1.C2,A.G1,Chi bộ 2,cell,0,hamlet,0
A.G2.C1,A.G2,Chi bộ 3,cell,0,hamlet,0
A.G3,B,Đảng bộ xã 3,grassroots,1,commune,0
EOF
both refused u1.csv
same "refused: exit status" "$(cat refused.rc)" 1
has refused.err "u1.csv:8: parent: no unit B in this file or the database"
same "refused: no unit written" "$(dump "$A")" ""

# 2. The same without line 8: parents first (A, then its two communes,
# then the three cells in two batches), in file order within a depth.
sed '/^A.G3,/d' u1.csv >u2.csv
both first u2.csv
same "first: exit status" "$(cat first.rc)" 0
has first.out "u2.csv: 6 rows, 6 added, 0 updated, 0 unchanged"
same "first: the units" "$(dump "$A")" "1 A - Đảng bộ tỉnh A /1/
2 A.G1 A Đảng bộ xã 1 /1/2/
3 A.G2 A Đảng bộ xã 2 /1/3/
4 A.G1.C1 A.G1 Chi bộ 1 /1/2/4/
5 A.G1.C2 A.G1 Chi bộ 2 /1/2/5/
6 A.G2.C1 A.G2 Chi bộ 3 /1/3/6/"
same "first: batches and one by one" "$(dump "$A")" "$(dump "$B")"

# 3. A re-import. In write order (depth, then line): A as it is (line 5);
# B new (6); A.G1 moved under B (2), its cell A.G1.C1 with it; B.G4 and
# B.G5 new (4, 10); A.G1.C2 moved to A.G2 (3); A.G2.C3 new (7); A.G2.C1
# renamed (8); B.G4.C1 new (9), under a unit new in this import.
cat >u3.csv <<'EOF'
code,parent,name,kind,may_admit,sector,special_area
A.G1,B,Đảng bộ xã 1,grassroots,1,commune,0
A.G1.C2,A.G2,Chi bộ 2,cell,0,hamlet,0
B.G4,B,Đảng bộ xã 4,grassroots,1,commune,0
A,,Đảng bộ tỉnh A,province,1,,0
B,,Đảng bộ tỉnh B,province,1,,0
A.G2.C3,A.G2,Chi bộ 5,cell,0,hamlet,0
A.G2.C1,A.G2,Chi bộ ba,cell,0,hamlet,0
B.G4.C1,B.G4,Chi bộ 6,cell,0,hamlet,0
B.G5,B,Đảng bộ xã 5,grassroots,1,commune,0
EOF
both again u3.csv
same "again: exit status" "$(cat again.rc)" 0
has again.out "u3.csv: 9 rows, 5 added, 3 updated, 1 unchanged"
same "again: the units" "$(dump "$A")" "1 A - Đảng bộ tỉnh A /1/
2 A.G1 B Đảng bộ xã 1 /7/2/
3 A.G2 A Đảng bộ xã 2 /1/3/
4 A.G1.C1 A.G1 Chi bộ 1 /7/2/4/
5 A.G1.C2 A.G2 Chi bộ 2 /1/3/5/
6 A.G2.C1 A.G2 Chi bộ ba /1/3/6/
7 B - Đảng bộ tỉnh B /7/
8 B.G4 B Đảng bộ xã 4 /7/8/
9 B.G5 B Đảng bộ xã 5 /7/9/
10 A.G2.C3 A.G2 Chi bộ 5 /1/3/10/
11 B.G4.C1 B.G4 Chi bộ 6 /7/8/11/"
same "again: batches and one by one" "$(dump "$A")" "$(dump "$B")"
same "again: an audit entry for each unit changed" "$(audits "$A")" "update unit A.G1
update unit A.G1.C2
update unit A.G2.C1"
same "again: the audit entries, batches and one by one" "$(audits "$A")" "$(audits "$B")"

# 4. The same file again: every unit as it is, nothing written.
both same u3.csv
has same.out "u3.csv: 9 rows, 0 added, 0 updated, 9 unchanged"
same "same: the units unchanged" "$(dump "$A")" "$(dump "$B")"

check_done
