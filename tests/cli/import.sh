#!/bin/bash
# import.sh — end-to-end tests of `ketnap import` and `ketnap export`:
# every bad row reported as FILE:LINE: column: message and nothing written;
# BOM, ';' and CRLF accepted; NFC; re-import a no-op; a changed row an
# update with its audit entry; --dry-run; --override; exit statuses.
# Expected messages are written out by hand. Needs $KETNAP (the binary).
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY KETNAP_DB
export KETNAP_USER=tester

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"
KDB=$(KN_DB_DIR=$tmp kn_db k)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" "$@"; }
# run CMD… : sets $rc, $out (stdout) and $err (stderr).
run() {
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
expect_rc() { if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, expected $1 (stderr: $err)"; fi; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3"; diff <(echo "$2") <(echo "$1") >&2 || true; fi; }
snapshot() {
	mkdir -p "$1"
	for k in units people quotas holidays steps; do kn export "$k" -o "$1/$k.csv"; done
}
same_db() { if diff -r "$1" "$2" >/dev/null; then ok; else bad "$3: the database changed"; diff -r "$1" "$2" >&2 || true; fi; }
audit_count() { kn_sql "$KDB" 'SELECT COUNT(*) FROM audit'; }
have_sqlite3=0
command -v sqlite3 >/dev/null && have_sqlite3=1
[ -n "${KN_TEST_PG:-}" ] && have_sqlite3=1	# psql answers instead

# ---- the example city loads ----
kn init >/dev/null
for k in units people quotas holidays steps; do
	run kn import "$k" "$EX/$k.csv"
	expect_rc 0 "import $k"
done
expect_eq "$out" "$EX/steps.csv: 83 rows, 83 added, 0 updated, 0 unchanged" "steps summary"
snapshot before

# ---- a refused people file: every bad row, nothing written ----
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,nickname
092205000301,Nguyễn Văn An,M,2005-01-02,CT.BT.BTH.KV1,An
092301000302,Trần Thị Bình,F,31/02/2011,CT.BT.BTH.KV1,
092204000303,Lê Văn Cường,M,2004-03-04,CT.XX,
092204000304,"Phạm Thị Dung,F,2003-05-06,CT.BT.BTH.KV1,
092203000305,Hồ Văn Em,X,2003-05-06,CT.BT.BTH.KV1,
092205000301,Nguyễn Văn An,M,2005-01-02,CT.BT.BTH.KV1,
CSV
run kn import people people.csv
expect_rc 1 "refused people"
expect_eq "$err" "people.csv:1: nickname: unknown column; the columns of people files are ref, full_name, sex, birth_date, unit, ethnicity, religion, education, qualification, occupation, youth_union, trade_union, member_since, official_since, phone, note, left_on, left_reason, record_cleared_on, readmitted
people.csv:3: birth_date: 31/02/2011 is not a date; write YYYY-MM-DD or DD/MM/YYYY
people.csv:4: unit: no unit CT.XX in the database; import the units first
people.csv:5: row: unterminated quoted field
people.csv:6: sex: X is not a sex; write M or F (Nam or Nữ)
people.csv:7: ref: 092205000301 is also on line 2; a person appears once per file
ketnap: import refused: 6 problems; nothing was written" "people problems"
expect_eq "$out" "" "no summary for a refused import"
snapshot after1
same_db before after1 "refused people"

# ---- a refused steps file: rules judged as on the command line ----
cat >steps.csv <<'CSV'
person,step,date,doc_no,votes_for,votes_total
092203000201,trained,2025-10-01,CN-NTVĐ 301/2025,,
092302000202,applied,2025-05-01,,,
092302000202,verified,2025-07-01,,,
092300000204,cell_vote,2025-04-14,,7,5
092300000204,committee_vote,2025-04-28,,9,9
092099000203,introduced,2025-07-01,,,
092098000207,decision,2025-08-18,215-QĐ/ĐUK,,
092777000000,source,2025-01-01,,,
CSV
run kn import steps steps.csv
expect_rc 1 "refused steps"
expect_eq "$err" "steps.csv:3: step: KN-ORDER: The application of Trần Ngọc Bảo Anh is dated 2025-05-01, earlier than the Party awareness course already recorded on 2025-06-20; steps must be dated in order, so correct the date.
steps.csv:4: person: skipped: line 3, an earlier step of 092302000202, was refused, so this step cannot be judged
steps.csv:5: step: KN-CELL-VOTE: The cell meeting on 2025-04-14 records 7 votes for out of 5 full members, which is impossible (more votes than members); correct the figures.
steps.csv:6: person: skipped: line 5, an earlier step of 092300000204, was refused, so this step cannot be judged
steps.csv:7: introducer1: at least one introducer is required
steps.csv:9: org: the nominating organisation is required (youth_union, trade_union, women_union, farmers_union, veterans_union, cell, other)
ketnap: import refused: 6 problems; nothing was written" "steps problems"
snapshot after2
same_db before after2 "refused steps (line 2 was valid but must not be written)"

# ---- several files are one transaction ----
printf 'ref,full_name,sex,birth_date,unit\n092205000401,Nguyễn Văn Hai,M,2005-01-02,CT.BT.BTH.KV1\n' >good.csv
printf 'ref,full_name,sex,birth_date,unit\n092205000402,Nguyễn Văn Ba,M,2005-13-02,CT.BT.BTH.KV1\n' >bad.csv
run kn import people good.csv bad.csv
expect_rc 1 "good + bad file"
expect_eq "$err" "bad.csv:2: birth_date: 2005-13-02 is not a date; write YYYY-MM-DD or DD/MM/YYYY
ketnap: import refused: 1 problem; nothing was written" "good + bad problems"
snapshot after3
same_db before after3 "good + bad file"

# ---- header problems ----
printf 'code,name,parent\nX1,Chi bộ X,CT\n' >units.csv
run kn import units units.csv
expect_rc 1 "missing kind column"
expect_eq "$err" "units.csv:1: missing column \"kind\" (a units file needs the columns code, name, kind)
ketnap: import refused: 1 problem; nothing was written" "missing column"
printf 'code,parent,name,kind\nA1,B1,Chi bộ A,cell\nB1,A1,Chi bộ B,cell\nC1,CT.ZZ,Chi bộ C,cell\nD1,,Chi bộ D,cell\nE!,CT,Chi bộ E,cell\nF1,CT,Chi bộ F,town\n' >units.csv
run kn import units units.csv
expect_rc 1 "bad units"
expect_eq "$err" "units.csv:2: parent: A1 would be below itself (a cycle through its parent B1); correct the parent
units.csv:3: parent: B1 would be below itself (a cycle through its parent A1); correct the parent
units.csv:4: parent: no unit CT.ZZ in this file or the database
units.csv:5: parent: a value is required (only a province may be a root)
units.csv:6: code: E! is not a unit code; use 1 to 64 letters, digits, '.', '_' or '-'
units.csv:7: kind: town is not a unit kind; use province, upper, grassroots or cell
ketnap: import refused: 6 problems; nothing was written" "bad units"

# ---- invalid UTF-8 is refused ----
printf 'ref,full_name,sex,birth_date,unit\n092205000501,Nguy\xffn,M,2005-01-02,CT.BT.BTH.KV1\n' >utf.csv
run kn import people utf.csv
expect_rc 1 "invalid UTF-8"
expect_eq "$err" "utf.csv:2: full_name: not valid UTF-8 text; save the file as UTF-8
ketnap: import refused: 1 problem; nothing was written" "invalid UTF-8 message"

# ---- BOM, ';', CRLF, DD/MM/YYYY, có/không, Nữ, NFD text ----
nfd_name=$(printf 'Nguye\xcc\x82\xcc\x83n Thi\xcc\xa3 Hoa')
printf '\xef\xbb\xbfref;full_name;sex;birth_date;unit;youth_union;trade_union;note\r\n092304000601;%s;Nữ;05/09/2004;CT.BT.BTH.KV1;có;không;"ghi chú; có dấu chấm phẩy"\r\n' "$nfd_name" >bom.csv
run kn import people bom.csv
expect_rc 0 "BOM ; CRLF"
expect_eq "$out" "bom.csv: 1 row, 1 added, 0 updated, 0 unchanged" "BOM summary"
line=$(kn export people | grep "^092304000601," || true)
expect_eq "$line" '092304000601,Nguyễn Thị Hoa,F,2004-09-05,CT.BT.BTH.KV1,,,,,,1,0,,,,"ghi chú; có dấu chấm phẩy",,,,0' "BOM row stored NFC"
# Blank rows (",,,,") that spreadsheets leave are not rows.
printf 'date,workday,name\n,,\n2025-12-31,0,Nghỉ cuối năm\n' >hol.csv
run kn import holidays hol.csv
expect_eq "$out" "hol.csv: 1 row, 1 added, 0 updated, 0 unchanged" "blank row skipped"
snapshot before

# ---- re-import is a no-op ----
[ $have_sqlite3 = 1 ] && n0=$(audit_count)
for k in units people quotas holidays steps; do
	run kn import "$k" "$EX/$k.csv"
	expect_rc 0 "re-import $k"
	case $out in
	*" 0 added, 0 updated, "*" unchanged") ok ;;
	*) bad "re-import $k: $out" ;;
	esac
done
snapshot again
same_db before again "re-import"
if [ $have_sqlite3 = 1 ]; then expect_eq "$(audit_count)" "$n0" "re-import wrote audit entries"; fi

# ---- a changed row updates, with an audit entry; the import has its own ----
sed 's/^092203000201,\(.*\),0901 234 201,/092203000201,\1,0901 234 999,/' "$EX/people.csv" >changed.csv
run kn import people changed.csv
expect_rc 0 "changed row"
expect_eq "$out" "changed.csv: 44 rows, 0 added, 1 updated, 43 unchanged" "changed summary"
kn export people | grep -q '^092203000201,.*,0901 234 999,' && ok || bad "changed phone not exported"
if [ $have_sqlite3 = 1 ]; then
	# The change's entry with the record before and after, then the
	# import's: who, the file, its SHA-256 and the counts.
	expect_eq "$(audit_count)" "$((n0 + 2))" "one audit entry for one change, one for the import"
	expect_eq "$(kn_sql "$KDB" "SELECT action || ' ' || entity || ' ' || key FROM audit ORDER BY id DESC LIMIT 1 OFFSET 1")" \
		"update person 092203000201" "audit entry names the record"
	expect_eq "$(kn_sql "$KDB" "SELECT CASE WHEN before LIKE '%0901 234 201%' AND after LIKE '%0901 234 999%' THEN 'both' ELSE 'no' END FROM audit ORDER BY id DESC LIMIT 1 OFFSET 1")" \
		"both" "the change's entry has the record before and after"
	sum=$(sha256sum changed.csv | cut -d' ' -f1)
	expect_eq "$(kn_sql "$KDB" "SELECT actor || '|' || action || '|' || entity || '|' || key || '|' || COALESCE(before, 'NULL') || '|' || after FROM audit ORDER BY id DESC LIMIT 1")" \
		"tester|import|unit||NULL|kind=people; file=changed.csv; sha256=$sum; rows=44; added=0; updated=1; unchanged=43" \
		"the import's own entry"
	n0=$(audit_count)
fi
sed 's/^092201000205,cell_vote,2025-05-12,\(.*\),3,3,/092201000205,cell_vote,2025-05-12,\1,3,4,/' "$EX/steps.csv" >steps2.csv
run kn import steps steps2.csv
expect_eq "$out" "steps2.csv: 83 rows, 0 added, 1 updated, 82 unchanged" "changed step updates"
if [ $have_sqlite3 = 1 ]; then
	# An edited step is audited by the ledger, with before and after.
	expect_eq "$(audit_count)" "$((n0 + 2))" "a changed step: its entry and the import's"
	expect_eq "$(kn_sql "$KDB" "SELECT action || ' ' || key || ' ' || CASE WHEN before IS NULL THEN 'new' ELSE 'before' END FROM audit ORDER BY id DESC LIMIT 1 OFFSET 1")" \
		"update 092201000205 before" "the changed step's entry"
	sum=$(sha256sum steps2.csv | cut -d' ' -f1)
	expect_eq "$(kn_sql "$KDB" "SELECT after FROM audit ORDER BY id DESC LIMIT 1")" \
		"kind=steps; file=steps2.csv; sha256=$sum; rows=83; added=0; updated=1; unchanged=82" \
		"the steps import's entry"
fi
kn import steps "$EX/steps.csv" >/dev/null

# ---- --dry-run validates and writes nothing ----
snapshot before
printf 'ref,full_name,sex,birth_date,unit\n092301000701,Đặng Thị Thu,F,2001-02-03,CT.DCD.STC\n' >dry.csv
run kn import people dry.csv --dry-run
expect_rc 0 "dry run"
expect_eq "$out" "dry.csv: 1 row, 1 added, 0 updated, 0 unchanged
dry run: the files are valid; nothing was written" "dry run summary"
snapshot after4
same_db before after4 "dry run"

# ---- --override records a step that breaks a rule; re-import is a no-op ----
printf 'person,step,date\n092302000202,applied,2025-05-01\n' >late.csv
run kn import steps late.csv --override "Hồ sơ nộp muộn, đã được Đảng ủy chấp thuận"
expect_rc 0 "override"
expect_eq "$out" "late.csv: 1 row, 1 added, 0 updated, 0 unchanged" "override summary"
run kn import steps late.csv --override "Hồ sơ nộp muộn, đã được Đảng ủy chấp thuận"
expect_eq "$out" "late.csv: 1 row, 0 added, 0 updated, 1 unchanged" "override re-import"
kn export steps | grep -q '^092302000202,applied,2025-05-01,,,,,,,,,,,"Hồ sơ nộp muộn, đã được Đảng ủy chấp thuận",$' && ok || bad "override reason exported"

# ---- exit statuses ----
run kn import people no-such-file.csv
expect_rc 3 "unreadable file"
expect_eq "$err" "ketnap: cannot read no-such-file.csv: No such file or directory" "unreadable message"
run kn import pets people.csv
expect_rc 2 "unknown kind"
run kn import people
expect_rc 2 "no file"
run kn export people extra
expect_rc 2 "export usage"
run "$KETNAP" --db "$(KN_DB_DIR=$tmp kn_db_missing none)" import people good.csv
expect_rc 1 "no database"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
