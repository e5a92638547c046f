#!/usr/bin/env bash
# output.sh — where `-o FILE` writes. A regular file is replaced whole
# through a temporary file and a rename (no half-written export, no
# temporary file left behind); a device or a pipe is written through and
# stays what it was: the rename used to turn `-o /dev/null` into a plain
# file for every program on the machine (found when a test run left
# /dev/null a regular file). Checked here with a FIFO, so the test never
# risks the real /dev/null; an unwritable place is a storage failure
# (exit 3) that names the path. Report and search CSVs guard names
# against spreadsheet formulas, as exports do.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir KETNAP_TODAY=2025-12-20 LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_USER
export KETNAP_DB=$(kn_db out)
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

"$K" demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
nunits=$(("$(kn_sql "$KETNAP_DB" "SELECT count(*) FROM units")" + 1))

# A pipe: written through, still a pipe afterwards.
for cmd in "export units" "report achievement --year 2025 --format csv"; do
	rm -f pipe got
	mkfifo pipe
	timeout 10 cat pipe >got &
	reader=$!
	# shellcheck disable=SC2086
	if "$K" $cmd -o pipe 2>err; then ok; else bad "$cmd -o pipe: exit $?"; cat err >&2; fi
	wait "$reader"
	[ -p pipe ] && ok || bad "$cmd -o pipe: the pipe was replaced by a $(stat -c %F pipe)"
	[ -s got ] && ok || bad "$cmd -o pipe: the reader got nothing"
done
[ "$(wc -l <got)" -eq 4 ] && ok || bad "achievement through the pipe: $(wc -l <got) lines, wanted 4 (header, root, 2 districts)"

# A regular file: replaced whole, nothing else left in the directory.
mkdir d
echo "old content" >d/units.csv
"$K" export units -o d/units.csv && ok || bad "export units -o d/units.csv"
[ "$(wc -l <d/units.csv)" -eq "$nunits" ] && ok || bad "units.csv has $(wc -l <d/units.csv) lines, wanted $nunits"
[ "$(ls d)" = units.csv ] && ok || bad "left in the directory: $(ls d | tr '\n' ' ')"
[ "$(stat -c %a d/units.csv)" = 644 ] && ok || bad "units.csv mode $(stat -c %a d/units.csv), wanted 644"

# An unwritable place: exit 3, the path named.
"$K" export units -o "$dir/no/such/dir/u.csv" 2>err
[ $? -eq 3 ] && ok || bad "export to a missing directory: wanted exit 3"
grep -q "no/such/dir/u.csv" err && ok || bad "the message does not name the path: $(cat err)"

# Report CSVs and `person find --format csv` guard names against
# spreadsheet formulas, as exports do (a leading ' before = + - @).
child=$(kn_sql "$KETNAP_DB" "SELECT code FROM units WHERE parent_id = (SELECT id FROM units WHERE parent_id IS NULL) ORDER BY code LIMIT 1")
kn_sql "$KETNAP_DB" "UPDATE units SET name = '=SUM(1)' WHERE code = '$child'" >/dev/null
"$K" report achievement --year 2025 --format csv >ach.csv
grep -q "^$child,'=SUM(1)," ach.csv && ok || bad "achievement CSV: the unit name is not guarded: $(grep "^$child," ach.csv)"
cell=$(kn_sql "$KETNAP_DB" "SELECT code FROM units WHERE kind = 'cell' ORDER BY code LIMIT 1")
printf 'ref,full_name,sex,birth_date,unit\nF1,"=HYPERLINK(""http://x"",""y"")",F,1990-01-01,%s\n' "$cell" >f.csv
"$K" import people f.csv >/dev/null && ok || bad "import of a formula-like name"
"$K" person find hyperlink --format csv >find.csv
grep -qF "F1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" find.csv && ok || bad "person find CSV: the name is not guarded: $(cat find.csv)"

# Deadlines are named in words with the code beside for people, by code
# in CSV (FORMATS.md).
"$K" --lang vi report deadlines --unit CT >dl.txt
grep -q "Hạn cấp ủy có thẩm quyền quyết định kết nạp (DL-DECISION)\|(DL-" dl.txt && ok || bad "deadlines table: no deadline in words: $(head -3 dl.txt)"
if grep -q "^ *[0-9]* .* DL-[A-Z-]* " dl.txt; then bad "deadlines table: a bare code"; else ok; fi
"$K" report deadlines --unit CT --format csv >dl.csv
if grep -q "Deadline\|Hạn" dl.csv; then bad "deadlines CSV carries words"; else ok; fi
grep -q ",DL-" dl.csv && ok || bad "deadlines CSV lacks the codes"

check_done
