#!/bin/bash
# import_ahead.sh — the units, people and quotas imports write the rows
# they know are new without reading first (issue 13: store_unit_add,
# store_person_add, store_quota_add). On PostgreSQL (store_pg.c) new
# people and quotas go by COPY into a temporary table and one
# INSERT … SELECT, a first people import defers people's secondary
# indexes to the end, and new units go a depth of the tree at a time, up
# to 2,048 in one statement (store_units_add); a failure on the server is
# found later than the row that caused it, or names a batch of rows. So the test makes failures by
# hand that the importer cannot foresee — a unique index the schema does
# not have, on units' and people's names, with a clash past the first
# COPY piece (256 KB) or pipeline batch — and checks that the import
# fails whole with the server's message naming the row's key (PostgreSQL)
# and leaves units, people, audit and people's indexes as they were; then
# that a re-import mixing existing (changed) and new people, in
# alternation, writes exactly the file; then three kill -9 of a people
# import, each leaving none or all of it. Figures by hand. Runs on SQLite
# and, as pg/cli/import_ahead, on PostgreSQL (tests/lib/db.sh). Needs
# $KETNAP (and sqlite3 on SQLite).
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C.UTF-8 KETNAP_TODAY=2025-12-20
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"
. "$SRC/tests/lib/check.sh"

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "import_ahead.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

DB=$(KN_DB_DIR=$tmp kn_db ahead)
kn() { "$KETNAP" --db "$DB" "$@"; }
sql() { kn_sql "$DB" "$1"; }
pg() { [ -n "${KN_TEST_PG:-}" ]; }
if pg; then
	pindexes() { sql "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 'people' ORDER BY indexname"; }
else
	pindexes() { sql "SELECT name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' ORDER BY name"; }
fi
state() { sql "SELECT (SELECT COUNT(*) FROM units) || ' units, ' || (SELECT COUNT(*) FROM people) || ' people, ' || (SELECT COUNT(*) FROM quotas) || ' quotas, ' || (SELECT COUNT(*) FROM audit) || ' audit entries'"; }

# A province, a commune and 4,500 cells (three batches of cells: the
# third, lines 4,100 to 4,503, holds the clash); cell 4,400's name clashes
# with cell 1's once units' names must be unique.
{
	echo "code,parent,name,kind,may_admit,sector,special_area"
	echo "X,,Đảng bộ tỉnh X,province,1,,0"
	echo "X.G,X,Đảng bộ xã G,grassroots,1,commune,0"
	for i in $(seq 1 4500); do
		n=$i
		[ "$i" -eq 4400 ] && n=1
		printf 'X.G.C%04d,X.G,Chi bộ ấp %d,cell,0,hamlet,0\n' "$i" "$n"
	done
} >units.csv
# 3,000 people (some 450 KB by COPY: past the first 256 KB piece);
# P02900's name clashes with P00001's once people's names must be unique.
{
	echo "ref,full_name,sex,birth_date,unit"
	for i in $(seq 1 3000); do
		n=$i
		[ "$i" -eq 2900 ] && n=1
		printf 'P%05d,Người Thứ %d,F,1996-02-0%d,X.G.C%04d\n' "$i" "$n" $((i % 9 + 1)) $((i % 4500 + 1))
	done
} >people.csv
{
	echo "unit,year,category,target"
	for i in $(seq 1 300); do printf 'X.G.C%04d,2025,total,%d\n' "$i" $((i % 7)); done
} >quotas.csv

expect 0 kn init
empty=$(state)
same "the state at first" "$empty" "0 units, 0 people, 0 quotas, 1 audit entries"

# 1. A unit's insert refused past the first pipeline batch.
sql "CREATE UNIQUE INDEX kn_boom_unit ON units (name)" >/dev/null
expect 3 kn import units units.csv
if pg; then
	has err "units.csv:4100-4503: units_add: duplicate key value violates unique constraint"
	has err "kn_boom_unit"
	has err "Key (name)=(Chi bộ ấp 1) already exists"
else
	has err "UNIQUE constraint failed: units.name"
fi
same "the state after a refused unit" "$(state)" "$empty"
sql "DROP INDEX kn_boom_unit" >/dev/null
expect 0 kn import units units.csv
has out "4,502 rows, 4,502 added, 0 updated, 0 unchanged"
same "every unit's path, from its parent's" "$(sql "SELECT COUNT(*) FROM units u JOIN units p ON p.id = u.parent_id WHERE u.path = p.path || u.id || '/'")" "4501"
units_state=$(state)
same "the state after the units" "$units_state" "4502 units, 0 people, 0 quotas, 2 audit entries"

# 2. A person's insert refused past the first COPY piece: nothing kept,
# people's indexes as they were (a first import defers three of them).
idx_before=$(pindexes)
sql "CREATE UNIQUE INDEX kn_boom_person ON people (full_name)" >/dev/null
expect 3 kn import people people.csv
if pg; then
	has err "new rows sent ahead failed on the server"
	has err "Key (full_name)=(Người Thứ 1) already exists"
else
	has err "UNIQUE constraint failed: people.full_name"
fi
same "the state after a refused person" "$(state)" "$units_state"
sql "DROP INDEX kn_boom_person" >/dev/null
same "people's indexes after a refused person" "$(pindexes)" "$idx_before"
expect 0 kn import people people.csv
has out "3,000 rows, 3,000 added, 0 updated, 0 unchanged"
same "people's indexes after the import" "$(pindexes)" "$idx_before"
same "the people's ids in file order" "$(sql "SELECT ref FROM people ORDER BY id" | md5sum)" "$(sed 1d people.csv | cut -d, -f1 | md5sum)"
expect 0 kn export people -o people.out
same "the people exported as imported" "$(sed 1d people.out | cut -d, -f1,2,4 | sed -n '1p;2900p;3000p')" "P00001,Người Thứ 1,1996-02-02
P02900,Người Thứ 1,1996-02-03
P03000,Người Thứ 3000,1996-02-04"

# 3. Quotas, new, then a re-import changing one and adding one.
expect 0 kn import quotas quotas.csv
has out "300 rows, 300 added, 0 updated, 0 unchanged"
{ echo "unit,year,category,target"; echo "X.G.C0001,2025,total,9"; echo "X.G.C0001,2026,total,4"; } >q2.csv
expect 0 kn import quotas q2.csv
has out "2 rows, 1 added, 1 updated, 0 unchanged"
same "the quotas" "$(sql "SELECT COUNT(*) || ' ' || SUM(target) FROM quotas")" "301 $((9 + 4 + $(seq 2 300 | awk '{ s += $1 % 7 } END { print s }')))"

# 4. Existing (changed) and new people in alternation: each new row's
# COPY is ended by the next existing row's read.
{
	echo "ref,full_name,sex,birth_date,unit"
	for i in 1 2 3; do
		printf 'P%05d,Người Đổi Tên %d,M,1990-01-0%d,X.G.C0001\n' "$i" "$i" "$i"
		printf 'Q%05d,Người Mới %d,F,1991-01-0%d,X.G.C0002\n' "$i" "$i" "$i"
	done
} >mixed.csv
audit_before=$(sql "SELECT COUNT(*) FROM audit")
expect 0 kn import people mixed.csv
has out "6 rows, 3 added, 3 updated, 0 unchanged"
same "audit entries: three updates and the import's" "$(sql "SELECT COUNT(*) FROM audit")" "$((audit_before + 4))"
expect 0 kn export people -o people2.out
same "the mixed rows as written" "$(grep -E '^(P0000[123]|Q0000[123]),' people2.out | cut -d, -f1-4)" "P00001,Người Đổi Tên 1,M,1990-01-01
P00002,Người Đổi Tên 2,M,1990-01-02
P00003,Người Đổi Tên 3,M,1990-01-03
Q00001,Người Mới 1,F,1991-01-01
Q00002,Người Mới 2,F,1991-01-02
Q00003,Người Mới 3,F,1991-01-03"
same "people now" "$(sql "SELECT COUNT(*) FROM people")" "3003"

# 5. kill -9 of a first people import, three times: none or all of it,
# and people's indexes whole. (When the kill lands does not matter to
# what is checked.)
{
	echo "ref,full_name,sex,birth_date,unit"
	for i in $(seq 1 20000); do printf 'K%05d,Người Thứ %d,F,1996-02-0%d,X.G.C%04d\n' "$i" "$i" $((i % 9 + 1)) $((i % 4500 + 1)); done
} >big.csv
for t in 1 2 3; do
	KDB=$(KN_DB_DIR=$tmp kn_db "kill$t")
	"$KETNAP" --db "$KDB" init >/dev/null && "$KETNAP" --db "$KDB" import units units.csv >/dev/null ||
		bad "kill trial $t: setup"
	kidx=$(DB=$KDB pindexes)
	"$KETNAP" --db "$KDB" import people big.csv >/dev/null 2>&1 &
	pid=$!
	sleep "0.$((t * 3))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pg && sleep 0.5	# the server ends the dead client's backend
	n=$(kn_sql "$KDB" "SELECT COUNT(*) FROM people")
	echo "kill trial $t: $n of 20000 people after the kill"
	case $n in
	0 | 20000) ok ;;
	*) bad "kill trial $t: $n of 20000 people after the kill" ;;
	esac
	same "kill trial $t: people's indexes" "$(DB=$KDB pindexes)" "$kidx"
	expect 0 "$KETNAP" --db "$KDB" verify
done

check_done
