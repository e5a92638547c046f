#!/bin/bash
# import_bad.sh — files that are not what they claim to be, on every front
# end: `ketnap import`, the web import page and POST /api/v1/imports/KIND.
# Every kind is given every other kind's example file, an empty file, a
# header-only file and binary garbage: each is refused by its header in one
# line (exit 1 / 422), nothing is written and the server keeps serving.
# Then the limits (a 100,000-character ref, a 50 MB name, a 50 MB header
# name, control characters, invalid UTF-8 in any column), the holidays file
# without `date`, and the formula guard of CSV exports: a person named
# =HYPERLINK("http://x","y") with the note @SUM(1) is exported with a
# leading "'", byte for byte, re-imported, and exported identical.
# Expected messages are written out by hand. Needs $KETNAP; curl for the web.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_TODAY=2025-12-20 KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
tmp=$(mktemp -d)
server=
cleanup() {
	# Stop the server this test started, by its own PID.
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null
		wait "$server" 2>/dev/null
	fi
	kn_db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
KDB=$(KN_DB_DIR=$tmp kn_db k)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" "$@"; }
run() {
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
expect_rc() { if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, expected $1 (stderr: ${err:0:300})"; fi; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3"; diff <(echo "$2") <(echo "$1") | cut -c1-300 >&2 || true; fi; }
expect_in() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: '$2' not found in '${1:0:300}'"; fi; }
snapshot() {
	mkdir -p "$1"
	for k in units people quotas holidays steps; do kn export "$k" -o "$1/$k.csv"; done
}
same_db() { if diff -r "$1" "$2" >/dev/null; then ok; else bad "$3: the database changed"; diff -r "$1" "$2" | head -20 >&2; fi; }

kinds="units people quotas steps holidays"
for k in $kinds; do cp "$EX/$k.csv" "$k.csv"; done

# What each kind says of each other kind's example file (written by hand).
want() {
	case "$1<$2" in
	"units<people") echo 'missing columns "code", "name", "kind" (this looks like a people file: did you mean import people?)' ;;
	"units<quotas") echo 'missing columns "code", "name", "kind" (this looks like a quotas file: did you mean import quotas?)' ;;
	"units<steps") echo 'missing columns "code", "name", "kind" (this looks like a steps file: did you mean import steps?)' ;;
	"units<holidays") echo 'missing columns "code", "kind" (this looks like a holidays file: did you mean import holidays?)' ;;
	"people<units") echo 'missing columns "ref", "full_name", "sex", "birth_date", "unit" (this looks like a units file: did you mean import units?)' ;;
	"people<quotas") echo 'missing columns "ref", "full_name", "sex", "birth_date" (this looks like a quotas file: did you mean import quotas?)' ;;
	"people<steps") echo 'missing columns "ref", "full_name", "sex", "birth_date", "unit" (this looks like a steps file: did you mean import steps?)' ;;
	"people<holidays") echo 'missing columns "ref", "full_name", "sex", "birth_date", "unit" (this looks like a holidays file: did you mean import holidays?)' ;;
	"quotas<units") echo 'missing columns "unit", "year", "target" (this looks like a units file: did you mean import units?)' ;;
	"quotas<people") echo 'missing columns "year", "target" (this looks like a people file: did you mean import people?)' ;;
	"quotas<steps") echo 'missing columns "unit", "year", "target" (this looks like a steps file: did you mean import steps?)' ;;
	"quotas<holidays") echo 'missing columns "unit", "year", "target" (this looks like a holidays file: did you mean import holidays?)' ;;
	"steps<units") echo 'missing columns "person", "step", "date" (this looks like a units file: did you mean import units?)' ;;
	"steps<people") echo 'missing columns "person", "step", "date" (this looks like a people file: did you mean import people?)' ;;
	"steps<quotas") echo 'missing columns "person", "step", "date" (this looks like a quotas file: did you mean import quotas?)' ;;
	"steps<holidays") echo 'missing columns "person", "step" (this looks like a holidays file: did you mean import holidays?)' ;;
	"holidays<units") echo 'missing column "date" (this looks like a units file: did you mean import units?)' ;;
	"holidays<people") echo 'missing column "date" (this looks like a people file: did you mean import people?)' ;;
	"holidays<quotas") echo 'missing column "date" (this looks like a quotas file: did you mean import quotas?)' ;;
	"holidays<steps") echo 'unknown columns "person", "step", "doc_no", "org", "member", … (this looks like a steps file: did you mean import steps?)' ;;
	esac
}

# Files that are no CSV of any kind.
: >empty.csv
printf '\x89PNG\x00\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00' >garbage-nul.csv
printf '\xff\xfe\x80\x81abc,\xc3\x28\n\xde\xad\xbe\xef\n\xde\xad\xbe\xef\n' >garbage-utf.csv
head -c 65536 /dev/urandom >garbage-random.csv
want_garbage() {
	case $1 in
	empty.csv) echo 'header: the file is empty; the first line must name the columns' ;;
	garbage-nul.csv) echo 'header: NUL byte in field' ;;
	garbage-utf.csv) echo 'header: the column names are not UTF-8 text; is this a CSV file? Save the spreadsheet as "CSV UTF-8"' ;;
	esac
}

# ---- the command line ----
kn init >/dev/null
snapshot empty
for k in $kinds; do
	for f in $kinds; do
		[ "$k" = "$f" ] && continue
		run kn import "$k" "$f.csv"
		expect_rc 1 "import $k $f.csv"
		expect_eq "$err" "$f.csv:1: $(want "$k" "$f")
ketnap: import refused: 1 problem; nothing was written" "import $k $f.csv: one line"
	done
	for f in empty.csv garbage-nul.csv garbage-utf.csv; do
		run kn import "$k" "$f"
		expect_rc 1 "import $k $f"
		expect_eq "$err" "$f:1: $(want_garbage "$f")
ketnap: import refused: 1 problem; nothing was written" "import $k $f"
	done
	run kn import "$k" garbage-random.csv
	expect_rc 1 "import $k of random bytes"
	# Random bytes are mostly not UTF-8 ("header: ..."), but a short first
	# line can be valid UTF-8 by chance: then it is a header of unknown
	# columns, refused by name (CI once drew a first line of six bytes).
	case $err in
	*"garbage-random.csv:"*": header: "*"nothing was written") ok ;;
	"garbage-random.csv:"*": missing column"*"nothing was written") ok ;;
	*) bad "import $k of random bytes: ${err:0:300}" ;;
	esac
	# The header of the right kind and no row: nothing to do, not an error.
	head -1 "$k.csv" >"header-$k.csv"
	run kn import "$k" "header-$k.csv"
	expect_rc 0 "import $k of a header alone"
	expect_eq "$out" "header-$k.csv: 0 rows, 0 added, 0 updated, 0 unchanged" "header alone"
done
# A header of valid UTF-8 with control characters (an escape sequence, C1
# NEL): the names are echoed with U+FFFD in place of each control character,
# so the terminal reading stderr is not driven by the file.
printf '\x1b[31mred,\xc2\x85x,code\n1,2,3\n' >garbage-ctl.csv
run kn import units garbage-ctl.csv
expect_rc 1 "import units garbage-ctl.csv"
expect_eq "$err" 'garbage-ctl.csv:1: missing columns "name", "kind" (a units file needs the columns code, name, kind)
garbage-ctl.csv:1: �[31mred: unknown column; the columns of units files are code, parent, name, kind, may_admit, sector, special_area
garbage-ctl.csv:1: �x: unknown column; the columns of units files are code, parent, name, kind, may_admit, sector, special_area
ketnap: import refused: 3 problems; nothing was written' "control characters in the header are not echoed"
snapshot after
same_db empty after "wrong files"

# The example city, for the rest.
for k in $kinds; do kn import "$k" "$k.csv" >/dev/null || bad "example $k does not load"; done
snapshot before

# A holidays file without `date`: the missing column, no garbage.
printf 'workday,name\n0,Nghỉ A\n0,Nghỉ B\n' >hol-nodate.csv
run kn import holidays hol-nodate.csv
expect_rc 1 "holidays without date"
expect_eq "$err" 'hol-nodate.csv:1: missing column "date" (a holidays file needs the columns date)
ketnap: import refused: 1 problem; nothing was written' "holidays without date"

# ---- limits ----
python3 - <<'PY'
big = 50 * 1024 * 1024
with open('long.csv', 'w') as f:
    f.write('ref,full_name,sex,birth_date,unit,phone,note\n')
    f.write('9' * 100000 + ',Lê Văn Dài,M,2000-01-01,CT.BT.BTH.KV1,,\n')
    f.write('092200009002,' + 'Tên' * (big // 3) + ',M,2000-01-01,CT.BT.BTH.KV1,,\n')
    f.write('092200009003,Lê \x1b[31mĐỏ,M,2000-01-01,CT.BT.BTH.KV1,,\n')
    f.write('092200009004,Lê Văn Bốn,M,2000-01-01,CT.BT.BTH.KV1,' + '0' * 101 + ',\n')
    f.write('092200009005,Lê Văn Năm,M,2000-01-01,CT.BT.BTH.KV1,,"' + 'x' * 2001 + '"\n')
with open('bighead.csv', 'w') as f:
    f.write('ref,full_name,sex,birth_date,unit,' + 'X' * big + '\n')
    f.write('092200009006,Lê Văn Sáu,M,2000-01-01,CT.BT.BTH.KV1,\n')
PY
run kn import people long.csv
expect_rc 1 "over-long cells"
expect_eq "$err" "long.csv:2: ref: 100000 characters, longer than the 64 allowed in this column; shorten it
long.csv:3: full_name: 52428798 characters, longer than the 200 allowed in this column; shorten it
long.csv:4: full_name: contains a control character (U+001B); remove it
long.csv:5: phone: 101 characters, longer than the 100 allowed in this column; shorten it
long.csv:6: note: 2001 characters, longer than the 2000 allowed in this column; shorten it
ketnap: import refused: 5 problems; nothing was written" "over-long cells"
run kn import people bighead.csv
expect_rc 1 "a 50 MB header name"
expect_eq "$err" "bighead.csv:1: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX…: unknown column; the columns of people files are ref, full_name, sex, birth_date, unit, ethnicity, religion, education, qualification, occupation, youth_union, trade_union, member_since, official_since, phone, note, left_on, left_reason, record_cleared_on, readmitted
ketnap: import refused: 1 problem; nothing was written" "the header name is cut at 40 characters"
# Invalid UTF-8 in a column that is not a name.
printf 'person,step,date,doc_no,note\n092203000201,trained,2025-10-01,CN\xe1\x80,\n092203000201,applied,2025-10-02,,gh\xffi\n' >utf.csv
run kn import steps utf.csv
expect_rc 1 "invalid UTF-8 in steps"
expect_eq "$err" "utf.csv:2: doc_no: not valid UTF-8 text; save the file as UTF-8
utf.csv:3: note: not valid UTF-8 text; save the file as UTF-8
utf.csv:3: person: skipped: line 2, an earlier step of 092203000201, was refused, so this step cannot be judged
ketnap: import refused: 3 problems; nothing was written" "invalid UTF-8 in steps"
snapshot after
same_db before after "refused limits"

# ---- the formula guard ----
cat >formula.csv <<'CSV'
ref,full_name,sex,birth_date,unit,phone,note
092200009101,"=HYPERLINK(""http://x"",""y"")",M,2000-01-01,CT.BT.BTH.KV1,+84 90 123,@SUM(1)
092300009102,Lê Thị Thường,F,2000-01-01,CT.BT.BTH.KV1,-,'=1+1
CSV
run kn import people formula.csv
expect_rc 0 "formula-like text imported"
kn export people >export1.csv
expect_eq "$(grep -E '^(092200009101|092300009102),' export1.csv)" "092200009101,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",M,2000-01-01,CT.BT.BTH.KV1,,,,,,0,0,,,'+84 90 123,'@SUM(1),,,,0
092300009102,Lê Thị Thường,F,2000-01-01,CT.BT.BTH.KV1,,,,,,0,0,,,'-,'=1+1,,,,0" "export guards formula-like cells"
# Byte for byte: the first row's cells as written.
expect_eq "$(grep '^092200009101,' export1.csv | od -An -c | tr -s ' ' | tr -d '\n')" \
	" 0 9 2 2 0 0 0 0 9 1 0 1 , \" ' = H Y P E R L I N K ( \" \" h t t p : / / x \" \" , \" \" y \" \" ) \" , M , 2 0 0 0 - 0 1 - 0 1 , C T . B T . B T H . K V 1 , , , , , , 0 , 0 , , , ' + 8 4 9 0 1 2 3 , ' @ S U M ( 1 ) , , , , 0 \n" \
	"the guarded row, byte by byte"
# Steps: a note and a doc number.
printf 'person,step,date,doc_no,note\n092302000202,applied,2025-10-02,=CN-1,@ghi chú\n' >fsteps.csv
run kn import steps fsteps.csv
expect_rc 0 "formula-like step cells"
expect_in "$(kn export steps)" "092302000202,applied,2025-10-02,'=CN-1,,,,,,,,,,,'@ghi chú" "step cells guarded"
kn export steps >steps1.csv
# Re-import of the export: nothing changes, and a fresh database gets the
# same bytes.
run kn import people export1.csv
expect_eq "$out" "export1.csv: 46 rows, 0 added, 0 updated, 46 unchanged" "re-import of the guarded export"
kn export people >export2.csv
cmp -s export1.csv export2.csv && ok || bad "export -> import -> export differs"
KDB2=$(KN_DB_DIR=$tmp kn_db k2)
"$KETNAP" --db "$KDB2" init >/dev/null
for k in units people quotas holidays; do kn export "$k" -o "fresh-$k.csv"; done
cp steps1.csv fresh-steps.csv
for k in units people quotas holidays steps; do
	"$KETNAP" --db "$KDB2" import "$k" "fresh-$k.csv" >/dev/null || bad "fresh import of $k"
done
for k in people steps; do
	"$KETNAP" --db "$KDB2" export "$k" >"fresh-out-$k.csv"
	cmp -s "fresh-$k.csv" "fresh-out-$k.csv" && ok || bad "$k: export -> import into an empty database -> export differs"
done

# ---- the web: the import page and the API ----
if ! command -v curl >/dev/null; then
	bad "curl is needed for the web part"
	echo "$pass passed, $fail failed"
	exit 1
fi
echo 'mat-khau-admin-2025' | kn user add webadmin --unit CT --role admin >/dev/null
# The database has an account now: the command line acts as it.
export KETNAP_USER=webadmin
TOKEN=$(kn user token webadmin)
port=
for p in $(seq 18700 18799 | shuf); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port in 18700-18799" >&2; exit 1; }
URL=http://127.0.0.1:$port
# The binary itself in the background (not the kn function, whose
# subshell would get the PID), so that $server is the server's own PID.
"$KETNAP" --db "$KDB" serve --listen "127.0.0.1:$port" --threads 2 --access-log off >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
	curl -sf "$URL/healthz" >/dev/null && break
	sleep 0.1
done
curl -sf "$URL/healthz" >/dev/null || { bad "the server did not start: $(cat "$tmp/serve.log")"; echo "$pass passed, $fail failed"; exit 1; }

jar=$tmp/jar
pre=$(curl -s -c "$jar" -b "$jar" "$URL/login" | grep -o 'name="pre" value="[^"]*"' | sed 's/.*value="//;s/"$//')
code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "pre=$pre" \
	--data-urlencode "name=webadmin" --data-urlencode "password=mat-khau-admin-2025" "$URL/login")
expect_eq "$code" 303 "sign in"
CSRF=$(curl -s -b "$jar" "$URL/import" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$CSRF" ] && ok || bad "no CSRF token on /import"
unhtml() { sed -e 's/<[^>]*>//g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&amp;/\&/g'; }
page() {	# page KIND FILE: POST /import; $code, $body
	body=$(curl -s -b "$jar" -w '\n%{http_code}' -F "csrf=$CSRF" -F "kind=$1" -F "file=@$2" "$URL/import?lang=${3:-en}")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
api() {	# api KIND FILE: POST /api/v1/imports/KIND; $code, ./body
	code=$(curl -s -o body -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: text/csv' --data-binary "@$2" "$URL/api/v1/imports/$1?dry_run=$3&lang=en")
}
problems() { python3 -c "import json; d=json.load(open('body')); print('\n'.join('%s|%s|%s' % (p['line'], p['column'], p['message']) for p in d['error']['problems']))" 2>&1; }

snapshot before
for k in $kinds; do
	for f in $kinds; do
		[ "$k" = "$f" ] && continue
		page "$k" "$f.csv"
		expect_eq "$code" 422 "page: $f.csv as $k"
		expect_eq "$(grep '^<li>' <<<"$body" | unhtml)" "$f.csv:1: $(want "$k" "$f")" "page: $f.csv as $k: the problem on the page"
		for dry in 1 0; do
			api "$k" "$f.csv" $dry
			expect_eq "$code" 422 "api: $f.csv as $k (dry_run=$dry)"
			expect_eq "$(problems)" "1|None|$(want "$k" "$f")" "api: $f.csv as $k: the problem"
		done
	done
	for f in empty.csv garbage-nul.csv garbage-utf.csv garbage-random.csv; do
		page "$k" "$f"
		# An empty upload is "choose a file" (400); the rest are refused.
		if [ "$f" = empty.csv ]; then expect_eq "$code" 400 "page: empty file as $k"; else expect_eq "$code" 422 "page: $f as $k"; fi
		api "$k" "$f" 0
		expect_eq "$code" 422 "api: $f as $k"
		[ "$f" = garbage-random.csv ] && continue
		m=$(want_garbage "$f")
		expect_eq "$(problems)" "1|header|${m#header: }" "api: $f as $k: the problem"
		[ "$f" = empty.csv ] || expect_eq "$(grep '^<li>' <<<"$body" | unhtml)" "$f:1: $m" "page: $f as $k: the problem"
	done
done
page holidays hol-nodate.csv
expect_eq "$(grep '^<li>' <<<"$body" | unhtml)" 'hol-nodate.csv:1: missing column "date" (a holidays file needs the columns date)' "page: holidays without date"
# In Vietnamese, the page's default.
page people units.csv vi
expect_eq "$(grep '^<li>' <<<"$body" | unhtml)" 'units.csv:1: thiếu cột "ref", "full_name", "sex", "birth_date", "unit" (tệp này giống tệp units: có phải bạn muốn import units?)' "page: the problem in Vietnamese"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")
expect_eq "$code" 200 "the server still serves"
kill -0 "$server" 2>/dev/null && ok || bad "ketnap serve died"
expect_in "$(tr '\0' ' ' </proc/$server/cmdline 2>/dev/null)" "serve --listen 127.0.0.1:$port" "\$server is the server's own PID"
snapshot after
same_db before after "refused uploads"
# Stop it now, and read what it said (a sanitizer's report, a crash).
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=
if grep -qE 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:' "$tmp/serve.log"; then
	bad "ketnap serve reported: $(grep -m1 -E 'ERROR: (Address|Leak|Thread)Sanitizer|runtime error:' "$tmp/serve.log")"
else
	ok
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
