#!/bin/bash
# people_stream.sh — a people import checks and writes each row as it reads
# it (issue 13: the national file is 6.5 M rows, never all in memory), and
# must still read as the import that kept every row did: a ref given twice
# far apart is refused on its later line naming the earlier one; a problem
# on the last row, after thousands of rows already written, leaves the
# database as it was (people, audit); an update import counts, audits and
# warns of each row as before; the possible duplicates of a first import
# (asked of the written table at the end) are warned of in the order of
# their folded name and birth date, each row against the rows before it.
# Expected figures are written by hand. Runs on SQLite and, as
# pg/cli/people_stream, on PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
export LANG=C KETNAP_TODAY=2025-12-20 KETNAP_USER=tester
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB

. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "people_stream.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

DB=$(KN_DB_DIR=$tmp kn_db stream)
K=$KETNAP
kn() { "$K" --db "$DB" "$@"; }
sql() { kn_sql "$DB" "$1"; }
people() { sql "SELECT COUNT(*) FROM people"; }
# The indexes of the tables a first import fills in bulk on SQLite (its
# people indexes dropped and built again at the end): never missing
# after it, whether it wrote or was refused.
if [ -n "${KN_TEST_PG:-}" ]; then
	indexes() { sql "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename IN ('people', 'candidacies', 'steps') ORDER BY indexname"; }
else
	indexes() { sql "SELECT name || ': ' || COALESCE(sql, 'auto') FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ('people', 'candidacies', 'steps') ORDER BY name"; }
fi
audits() { sql "SELECT COUNT(*) FROM audit"; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
X,,Đảng bộ tỉnh X,province,1,,0
X.G,X,Đảng bộ xã G,grassroots,1,commune,0
X.G.C1,X.G,Chi bộ ấp Một,cell,0,hamlet,0
X.G.C2,X.G,Chi bộ ấp Hai,cell,0,hamlet,0
CSV

# 5,000 people P00001…P05000 on lines 2…5001, each their own name, but
# for two runs of possible duplicates written in by hand:
#   Lê Thị Bình, 1985-03-03: P00050 (line 51), P03000 (line 3001, spelt
#     "le thi  BINH": the same folded name);
#   Trần Văn An, 1990-05-05: P00100 (line 101), P02000 (2001), P04000
#     (4001); P04001 (4002) has the name but another birth date.
# A row's unit: X.G.C1 for an even number, X.G.C2 for an odd one.
awk 'BEGIN {
	print "ref,full_name,sex,birth_date,unit,phone"
	for (i = 1; i <= 5000; i++) {
		name = "Người Thứ " i; bd = sprintf("1970-01-%02d", i % 28 + 1)
		if (i == 50) { name = "Lê Thị Bình"; bd = "1985-03-03" }
		if (i == 3000) { name = "le thi  BINH"; bd = "1985-03-03" }
		if (i == 100 || i == 2000 || i == 4000) { name = "Trần Văn An"; bd = "1990-05-05" }
		if (i == 4001) { name = "Trần Văn An"; bd = "1990-05-06" }
		printf "P%05d,%s,%s,%s,X.G.C%d,\n", i, name, i % 2 ? "M" : "F", bd, i % 2 ? 2 : 1
	}
}' >first.csv

expect 0 kn init
expect 0 kn import units units.csv
a0=$(audits)
idx0=$(indexes)
has_index() {
	case "$idx0" in
	*"$1"*) ok "index $1 there before the import" ;;
	*) bad "index $1 missing before the import: $idx0" ;;
	esac
}
for i in people_unit people_name_key people_dup; do has_index "$i"; done
[ -n "${KN_TEST_PG:-}" ] || has_index steps_dates_insert

# ---- a ref twice, far apart: refused on each later line ----
{ cat first.csv; echo "P00007,Người Khác,M,1970-01-01,X.G.C1,"; echo "P00007,Người Khác Nữa,M,1970-01-01,X.G.C1,"; } >twice.csv
expect 1 kn import people twice.csv
has err "twice.csv:5002: ref: P00007 is also on line 8; a person appears once per file"
has err "twice.csv:5003: ref: P00007 is also on line 5002; a person appears once per file"
has err "import refused: 2 problems; nothing was written"
lacks err "warning"
same "people after a refused first import" "$(people)" 0
same "audit after a refused first import" "$(audits)" "$a0"
same "indexes after a refused first import" "$(indexes)" "$idx0"

# ---- a problem on the last row of a first import ----
{ cat first.csv; echo "P05001,Người Cuối,X,1970-01-01,X.G.C1,"; } >lastbad.csv
expect 1 kn import people lastbad.csv
has err "lastbad.csv:5002: sex: X is not a sex; write M or F (Nam or Nữ)"
has err "import refused: 1 problem; nothing was written"
same "people after a refused first import (last row)" "$(people)" 0
same "audit after a refused first import (last row)" "$(audits)" "$a0"
same "indexes after a refused first import (last row)" "$(indexes)" "$idx0"

# ---- the first import: its possible duplicates, in key order ----
expect 0 kn import people first.csv
has out "first.csv: 5,000 rows, 5,000 added, 0 updated, 0 unchanged"
same "the first import's warnings" "$(grep warning err)" \
"first.csv:3001: warning: P03000 (le thi  BINH) may be the same person as P00050 (Lê Thị Bình, X.G.C1): the same name and date of birth 1985-03-03; if so, \`ketnap person merge\` the two records
first.csv:2001: warning: P02000 (Trần Văn An) may be the same person as P00100 (Trần Văn An, X.G.C1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records
first.csv:4001: warning: P04000 (Trần Văn An) may be the same person as P00100 (Trần Văn An, X.G.C1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records
first.csv:4001: warning: P04000 (Trần Văn An) may be the same person as P02000 (Trần Văn An, X.G.C1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records"
same "people after the first import" "$(people)" 5000
same "indexes after the first import" "$(indexes)" "$idx0"
# The import's own entry, none per new person.
a1=$(audits)
same "audit after the first import" "$a1" $((a0 + 1))

# ---- the same file again: nothing changes, nothing is audited ----
expect 0 kn import people first.csv
has out "first.csv: 5,000 rows, 0 added, 0 updated, 5,000 unchanged"
lacks err "warning"
same "audit after a re-import" "$(audits)" "$a1"

# ---- an update import: three rows changed, two added, the rest as they were ----
#   P00200 (line 201) takes the name and birth date of the Lê Thị Bình run;
#   P00300 (line 301) gets a phone; P00400 (line 401) another birth date;
#   P05001 (line 5002) is new; P05002 (line 5003) is new and a Trần Văn An.
awk -F, 'BEGIN { OFS = "," }
	NR == 201 { $2 = "Lê Thị Bình"; $4 = "1985-03-03" }
	NR == 301 { $6 = "0912345678" }
	NR == 401 { $4 = "1971-07-07" }
	{ print }
	END {
		print "P05001,Người Mới,F,1999-09-09,X.G.C1,"
		print "P05002,Trần Văn An,M,1990-05-05,X.G.C2,"
	}' first.csv >update.csv
# ... and the same rows with a last one refused: nothing of it is written.
{ cat update.csv; echo "P05003,Người Cuối,M,31/02/1999,X.G.C1,"; } >updbad.csv
expect 1 kn import people updbad.csv
has err "updbad.csv:5004: birth_date:"
has err "import refused: 1 problem; nothing was written"
lacks err "warning"
same "people after a refused update" "$(people)" 5000
same "audit after a refused update" "$(audits)" "$a1"
same "P00300's phone after a refused update" "$(sql "SELECT COALESCE(phone, '') FROM people WHERE ref = 'P00300'")" ""

expect 0 kn import people update.csv
has out "update.csv: 5,002 rows, 2 added, 3 updated, 4,997 unchanged"
# Against the people stored (by ref), the file's earlier rows included.
same "the update's warnings" "$(grep warning err)" \
"update.csv:201: warning: P00200 (Lê Thị Bình) may be the same person as P00050 (Lê Thị Bình, X.G.C1): the same name and date of birth 1985-03-03; if so, \`ketnap person merge\` the two records
update.csv:201: warning: P00200 (Lê Thị Bình) may be the same person as P03000 (le thi  BINH, X.G.C1): the same name and date of birth 1985-03-03; if so, \`ketnap person merge\` the two records
update.csv:5003: warning: P05002 (Trần Văn An) may be the same person as P00100 (Trần Văn An, X.G.C1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records
update.csv:5003: warning: P05002 (Trần Văn An) may be the same person as P02000 (Trần Văn An, X.G.C1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records
update.csv:5003: warning: P05002 (Trần Văn An) may be the same person as P04000 (Trần Văn An, X.G.C1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records"
same "people after the update" "$(people)" 5002
# Three update entries and the import's own.
same "audit after the update" "$(audits)" $((a1 + 4))
same "the updated refs audited" \
	"$(sql "SELECT key FROM audit WHERE action = 'update' AND entity = 'person' ORDER BY key")" \
	"P00200
P00300
P00400"
same "P00300's audit entry" \
	"$(sql "SELECT before || ' => ' || after FROM audit WHERE action = 'update' AND key = 'P00300'")" \
	"P00300,Người Thứ 300,F,1970-01-21,X.G.C1,,,,,,0,0,,,,,,,,0 => P00300,Người Thứ 300,F,1970-01-21,X.G.C1,,,,,,0,0,,,0912345678,,,,,0"
same "the people changed" \
	"$(sql "SELECT ref || ' ' || full_name || ' ' || birth_date || ' ' || COALESCE(phone, '-') FROM people WHERE ref IN ('P00200', 'P00300', 'P00400', 'P00401', 'P05001', 'P05002') ORDER BY ref")" \
	"P00200 Lê Thị Bình 1985-03-03 -
P00300 Người Thứ 300 1970-01-21 0912345678
P00400 Người Thứ 400 1971-07-07 -
P00401 Người Thứ 401 1970-01-10 -
P05001 Người Mới 1999-09-09 -
P05002 Trần Văn An 1990-05-05 -"

check_done
