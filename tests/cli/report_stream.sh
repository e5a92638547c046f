#!/usr/bin/env bash
# End to end (issue 13): `report deadlines` writes its rows as they come
# (each kept as a few ids until written, the output flushed every 64 KB;
# KETNAP_REPORT_FLUSH_BYTES sets that, here 1 byte: a flush a row, and
# 300: some rows a flush, a row cut by no flush), in every format, with
# the bytes the whole report gave: csv and the table as worked out by
# hand below, json as the API's (which builds the report whole and dumps
# it with jansson) and as Python lays it out, html and xlsx with a row
# per deadline; to a file (replaced only once whole), to standard output
# and to a device that fills up; and a report that fails writes nothing.
#
# 25 candidates trained five years ago, their certificates expiring
# (60 months later) around the as-of date, Friday 14/11/2025 (no holiday
# in November): B01-B10 on Wed 12/11 (2 working days late: 13 and 14),
# B11-B20 on Fri 14/11 (0 left, due), B21-B25 on Fri 21/11 (5 left:
# 17-21). In the report's order: by due date, then by ref.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
. "$SRC/tests/lib/web.sh"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
command -v unzip >/dev/null || { echo "unzip is needed" >&2; exit 77; }
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db rs) KETNAP_TODAY=2025-11-14 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
name() { # REF: the full name (B03's needs quoting in CSV and escaping in JSON and HTML)
	case $1 in
	B03) echo 'Lê "Tí", Văn <Út>' ;;
	*) echo "Người Thứ ${1#B}" ;;
	esac
}
trained() { # N: the training date
	if [ "$1" -le 10 ]; then echo 2020-11-12; elif [ "$1" -le 20 ]; then echo 2020-11-14
	else echo 2020-11-21; fi
}
# Written (so numbered by the database) in the reverse order of the refs.
{
	echo "ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since"
	for i in $(seq 25 -1 1); do
		ref=$(printf 'B%02d' "$i")
		n=$(name "$ref")
		printf '%s,"%s",F,1996-02-01,CT.BT.P1.KV1,12/12,1,,\n' "$ref" "${n//\"/\"\"}"
	done
} >people.csv
{
	echo "person,step,date,doc_no,org"
	for i in $(seq 1 25); do
		printf 'B%02d,source,2020-11-02,,youth_union\nB%02d,trained,%s,CN %d/2020,\n' \
			"$i" "$i" "$(trained "$i")" "$i"
	done
} >steps.csv
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import steps steps.csv

# The rows by hand: ref, name, unit, code, due, left, status.
rows() {
	for i in $(seq 1 25); do
		ref=$(printf 'B%02d' "$i")
		if [ "$i" -le 10 ]; then due=2025-11-12 left=-2 st=overdue
		elif [ "$i" -le 20 ]; then due=2025-11-14 left=0 st=due
		else due=2025-11-21 left=5 st=due; fi
		printf '%s\t%s\tCT.BT.P1.KV1\tDL-CERT-EXPIRY\t%s\t%s\t%s\n' "$ref" "$(name "$ref")" \
			"$due" "$left" "$st"
	done
}
want_csv=$(echo "person,full_name,unit,due,due_date,workdays_left,status"
	rows | while IFS=$'\t' read -r ref n unit code due left st; do
		case $n in *[\",]*) n="\"${n//\"/\"\"}\"" ;; esac
		echo "$ref,$n,$unit,$code,$due,$left,$st"
	done)

for flush in "" 1 300; do
	export KETNAP_REPORT_FLUSH_BYTES=$flush
	expect 0 "$K" report deadlines --unit CT --format csv
	same "csv (flush ${flush:-64 KB})" "$(tr -d '\r' <out)" "$want_csv"
	expect 0 "$K" report deadlines --unit CT --format csv -o r.csv
	same "csv file (flush ${flush:-64 KB})" "$(tr -d '\r' <r.csv)" "$want_csv"
	ls r.csv.* >/dev/null 2>&1 && bad "a temporary file is left: $(ls r.csv.*)" || ok
done
unset KETNAP_REPORT_FLUSH_BYTES

# The table: the columns as wide as their widest cell (the deadline's
# words, 56 characters; B03's name, 17), numbers to the right.
label="The awareness class certificate expires (DL-CERT-EXPIRY)"
want_table=$(printf '%s\n\n' "Open deadlines — Đảng bộ thành phố Cần Thơ, as of 2025-11-14"
	printf '%-3s  %-17s  %-12s  %-56s  %-10s  %17s  %s\n' ref "full name" unit deadline \
		"due on" "working days left" status
	printf '%s  %s  %s  %s  %s  %s  %s\n' --- ----------------- ------------ \
		"$(printf '%056d' 0 | tr 0 -)" ---------- ----------------- -------
	rows | while IFS=$'\t' read -r ref n unit code due left st; do
		# a name's width is its characters' count (no wide ones here)
		pad=$((17 - $(printf "%s" "$n" | LC_ALL=C.UTF-8 wc -m)))
		printf '%s  %s%*s  %s  %s  %s  %17s  %s\n' "$ref" "$n" "$pad" "" "$unit" "$label" \
			"$due" "$left" "$st"
	done)
for flush in "" 1 300; do
	KETNAP_REPORT_FLUSH_BYTES=$flush expect 0 "$K" report deadlines --unit CT
	same "table (flush ${flush:-64 KB})" "$(cat out)" "$want_table"
done

# JSON: as the API writes the report built whole, and as Python lays out
# the rows worked out by hand (jansson's and Python's indent-2 layouts are
# the same).
echo 'secret-rs-1' | "$K" user add rs --unit CT --role admin >/dev/null || bad "user add"
export KETNAP_USER=rs
token=$("$K" user token rs)
KN_WEB_LOG=$dir/serve.log kn_web_start "$KETNAP_DB" --threads 2 --access-log off || exit 1
curl -s -H "Authorization: Bearer $token" \
	"$KN_WEB_URL/api/v1/reports/deadlines?unit=CT&as_of=2025-11-14&from=2025-01-01&to=2025-12-31" \
	>api.json
kn_web_stop
rows >rows.tsv
python3 - rows.tsv >want.json <<'PY' || bad "python"
import json, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    ref, name, unit, code, due, left, st = line.rstrip("\n").split("\t")
    rows.append({"person": ref, "full_name": name, "unit": unit, "due": code,
                 "due_date": due, "workdays_left": int(left), "status": st})
doc = {"report": "deadlines", "unit": "CT", "unit_name": "Đảng bộ thành phố Cần Thơ",
       "from": "2025-01-01", "to": "2025-12-31", "as_of": "2025-11-14", "rows": rows}
print(json.dumps(doc, indent=2, ensure_ascii=False))
PY
same "the API's json" "$(cat api.json)" "$(cat want.json)"
for flush in "" 1 300; do
	KETNAP_REPORT_FLUSH_BYTES=$flush expect 0 "$K" report deadlines --unit CT --format json
	cmp -s out want.json && ok || { bad "json (flush ${flush:-64 KB})"; diff out want.json | head -5 >&2; }
done
# No rows: "rows": [] (the week before the first training).
python3 -c 'import json; print(json.dumps({"report": "deadlines", "unit": "CT",
  "unit_name": "Đảng bộ thành phố Cần Thơ", "from": "2020-01-01", "to": "2020-12-31",
  "as_of": "2020-10-26", "rows": []}, indent=2, ensure_ascii=False))' >empty.json
expect 0 "$K" report deadlines --unit CT --format json --as-of 2020-10-26
cmp -s out empty.json && ok || { bad "json without rows"; diff out empty.json >&2; }
expect 0 "$K" report deadlines --unit CT --as-of 2020-10-26
same "a table without rows" "$(cat out)" "Open deadlines — Đảng bộ thành phố Cần Thơ, as of 2020-10-26

(nothing to report)"

# HTML: a row a deadline, escaped; the same page whatever the flushes.
for flush in "" 1; do
	KETNAP_REPORT_FLUSH_BYTES=$flush expect 0 "$K" report deadlines --unit CT --format html -o r$flush.html
done
cmp -s r.html r1.html && ok || bad "html flushed a row at a time differs"
same "html rows" "$(grep -c '^<tr><td>B' r.html)" 25
has r.html '<tr><td>B03</td><td>Lê &quot;Tí&quot;, Văn &lt;Út&gt;</td><td>CT.BT.P1.KV1</td><td>The awareness class certificate expires (DL-CERT-EXPIRY)</td><td>2025-11-12</td><td class="num">-2</td><td>overdue</td></tr>'
has r.html '<tr><td>B25</td><td>Người Thứ 25</td><td>CT.BT.P1.KV1</td><td>The awareness class certificate expires (DL-CERT-EXPIRY)</td><td>2025-11-21</td><td class="num">5</td><td>due</td></tr>'
has r.html '</tbody>
</table>
</section>
</body>
</html>'

# XLSX: title, subtitle, header, then a row a deadline.
expect 0 "$K" report deadlines --unit CT --format xlsx -o r.xlsx
unzip -q -o r.xlsx -d x || bad "unzip"
same "xlsx rows" "$(grep -o '<row r="[0-9]*"' x/xl/worksheets/sheet1.xml | wc -l)" 28
has x/xl/sharedStrings.xml 'Lê "Tí", Văn &lt;Út&gt;'
has x/xl/sharedStrings.xml 'Người Thứ 25'

# A failed write: a full device (flushed a row at a time, so mid-report),
# an unwritable place; a failed report: an unknown unit leaves the file.
if [ -w /dev/full ]; then
	KETNAP_REPORT_FLUSH_BYTES=1 expect 3 "$K" report deadlines --unit CT --format csv -o /dev/full
	has err "cannot write /dev/full"
	KETNAP_REPORT_FLUSH_BYTES=1 expect 3 sh -c '"$0" report deadlines --unit CT >/dev/full' "$K"
	has err "cannot write the report"
fi
expect 3 "$K" report deadlines --unit CT --format csv -o nowhere/r.csv
has err "cannot write nowhere/r.csv"
echo keep >kept.csv
expect 1 "$K" report deadlines --unit XX --format csv -o kept.csv
has err "no unit with code XX"
same "a failed report leaves the file" "$(cat kept.csv)" keep
same "no temporary file left" "$(ls kept.csv.* r.csv.* 2>/dev/null)" ""

check_done
