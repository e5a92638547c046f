#!/bin/bash
# review_print.sh — the year-end review as a commission prints it and
# sends it up. On the small city of report_html.sh (four admitted in 2025
# and not yet sworn in, a fifth still waiting for the decision since the
# cell vote of 17/02/2025; the pipeline as of the year end, 31/12/2025):
# the review page and workbook show the overdue deadlines counted per unit (worked out by hand:
# Chi bộ khu vực 1 has 3 ceremonies overdue, Chi bộ ấp Thới Hòa 1 decision
# and 1 ceremony, 5 in all), not the list of every open deadline, which
# stays in the deadlines report, unchanged; the workbooks of summary,
# achievement and funnel carry charts drawn from their tables' cells, and
# LibreOffice still converts them. Then the demo city's review, printed to
# A4 by headless Chromium, is at most 8 pages (223 when it listed all
# ~3,800 open deadlines; now 4 in English, 6 in Vietnamese, whose column
# headers are longer). Without chromium, soffice or pdfinfo those
# checks are skipped (said on stderr). $KETNAP is the built binary.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
OUT=${KN_BUILD:-$(pwd)}
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY KETNAP_DB
export KETNAP_USER=tester
export KETNAP_TODAY=2026-01-15

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
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi; }

# ---- the city ----
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/small_city.sh"
kn init >/dev/null
for k in units people quotas steps; do
	if kn import "$k" "$k.csv" >/dev/null 2>err; then ok; else bad "import $k: $(cat err)"; fi
done

# ---- the deadlines report itself: every open deadline, as before ----
kn report deadlines --unit CT --year 2025 --format csv >dl.csv
cat >dl.want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
092203000203,Võ Quốc Bảo,CT.NK.AK.KV1,DL-CEREMONY,2025-05-08,-167,overdue
092204000201,Trần Minh Khôi,CT.NK.AK.KV1,DL-CEREMONY,2025-05-08,-167,overdue
092303000204,Huỳnh Thị Mỹ Duyên,CT.CD.TH.A1,DL-CEREMONY,2025-05-08,-167,overdue
092304000202,Phạm Thị Ngọc Hân,CT.NK.AK.KV1,DL-CEREMONY,2025-05-08,-167,overdue
092205000205,Đặng Văn Tài,CT.CD.TH.A1,DL-DECISION,2025-05-15,-162,overdue
CSV
if cmp -s dl.csv dl.want; then ok; else bad "deadlines csv changed: $(diff dl.want dl.csv)"; fi
LANG=vi_VN.UTF-8 kn report deadlines --unit CT --year 2025 --format html -o dl.html
has dl.html '<td>092205000205</td>' "the deadlines page lists each person"

# ---- the review page: overdue counted per unit ----
LANG=vi_VN.UTF-8 kn report summary --unit CT --year 2025 --format html -o all.html
has all.html '<h2>Các việc quá hạn theo đơn vị — Đảng bộ thành phố Cần Thơ, tính đến ngày 31/12/2025</h2>' "overdue table title"
has all.html '<th class="code">đơn vị</th><th class="text">tên</th><th class="num">quyết định kết nạp</th><th class="num">lễ kết nạp</th>' "overdue table head"
# unit, name, decision, ceremony, probation vote, official, certificate, introductions, in all
has all.html '<tr><td>CT.CD.TH.A1</td><td>Chi bộ ấp Thới Hòa</td><td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">2</td></tr>' "Thới Hòa row"
has all.html '<tr><td>CT.NK.AK.KV1</td><td>Chi bộ khu vực 1</td><td class="num">0</td><td class="num">3</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">3</td></tr>' "khu vực 1 row"
has all.html '<tr><td>CT</td><td>Tổng số</td><td class="num">1</td><td class="num">4</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">5</td></tr>' "total row"
if [ "$(grep -c '^<tr><td>CT' all.html)" -eq 3 ]; then ok; else bad "overdue table: not 2 units and the total"; fi
hasnt all.html '092205000205' "the review lists no person"
hasnt all.html 'Các thời hạn đang theo dõi' "the review has no full deadlines list"
has all.html 'th.text { min-width:' "print CSS: names keep a width"
has all.html 'word-break: normal' "print CSS: names wrap between words"

# ---- the workbooks: charts on the tables' cells ----
# chartfs FILE CHART: the cell references of a chart, one a line.
chartfs() { unzip -p "$1" "xl/charts/$2" | grep -o '<c:f>[^<]*</c:f>' | sed 's/<c:f>//; s/<\/c:f>//'; }
LANG=vi_VN.UTF-8 kn report summary --unit CT --year 2025 --format xlsx -o all.xlsx
kn report achievement --unit CT --year 2025 --format xlsx -o ach.xlsx
kn report funnel --unit CT --year 2025 --format xlsx -o fun.xlsx
unzip -l all.xlsx >all.list
has all.list xl/charts/chart1.xml "review workbook: achievement chart"
has all.list xl/charts/chart2.xml "review workbook: funnel chart"
hasnt all.list xl/charts/chart3.xml "review workbook: two charts only"
# Achievement: title A1, header row 3, the city and its two districts in
# rows 4-6; name in B, percent in F. Funnel: 11 steps in rows 4-14.
chartfs all.xlsx chart1.xml >c1
printf '%s\n' "'Kết quả kết nạp'!\$A\$1" "'Kết quả kết nạp'!\$F\$3" \
	"'Kết quả kết nạp'!\$B\$4:\$B\$6" "'Kết quả kết nạp'!\$F\$4:\$F\$6" >c1.want
if cmp -s c1 c1.want; then ok; else bad "review chart1 refs: $(cat c1)"; fi
chartfs all.xlsx chart2.xml >c2
printf '%s\n' "'Các bước'!\$A\$1" "'Các bước'!\$B\$3" "'Các bước'!\$A\$4:\$A\$14" \
	"'Các bước'!\$B\$4:\$B\$14" >c2.want
if cmp -s c2 c2.want; then ok; else bad "review chart2 refs: $(cat c2)"; fi
unzip -p all.xlsx xl/charts/chart1.xml >c1.xml
has c1.xml '<c:barDir val="bar"/>' "achievement: horizontal bars"
unzip -p all.xlsx xl/charts/chart2.xml >c2.xml
has c2.xml '<c:barDir val="col"/>' "funnel: columns"
# The deadlines sheet of the review counts overdue per unit too.
unzip -p all.xlsx xl/sharedStrings.xml >ss.xml
has ss.xml 'Các việc quá hạn theo đơn vị' "review workbook: overdue per unit"
hasnt ss.xml '092205000205' "review workbook lists no person"
unzip -l ach.xlsx >ach.list
has ach.list xl/charts/chart1.xml "achievement workbook: chart"
chartfs ach.xlsx chart1.xml >a1
printf '%s\n' "Achievement!\$A\$1" "Achievement!\$F\$3" "Achievement!\$B\$4:\$B\$6" \
	"Achievement!\$F\$4:\$F\$6" >a1.want
if cmp -s a1 a1.want; then ok; else bad "achievement chart refs: $(cat a1)"; fi
chartfs fun.xlsx chart1.xml >f1
printf '%s\n' "Funnel!\$A\$1" "Funnel!\$B\$3" "Funnel!\$A\$4:\$A\$14" "Funnel!\$B\$4:\$B\$14" >f1.want
if cmp -s f1 f1.want; then ok; else bad "funnel chart refs: $(cat f1)"; fi
kn report deadlines --unit CT --year 2025 --format xlsx -o dl.xlsx
if unzip -l dl.xlsx | grep -q xl/charts/; then bad "deadlines workbook has a chart"; else ok; fi
unzip -p dl.xlsx xl/sharedStrings.xml >dss.xml
has dss.xml '092205000205' "the deadlines workbook still lists each person"

if command -v soffice >/dev/null 2>&1; then
	mkdir -p conv
	for w in all ach fun; do
		HOME=$(mktemp -d -p "$tmp") timeout 180 soffice --headless \
			--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir conv "$w.xlsx" >/dev/null 2>&1 || true
		if [ -s "conv/$w.csv" ]; then ok; else bad "LibreOffice could not convert $w.xlsx"; fi
	done
	tr -d '"' <conv/ach.csv >conv/ach.plain
	grep -F "CT.NK," conv/ach.plain >row || true
	has row ",2,3,150" "achievement read back: Ninh Kiều 3 of 2"
else
	echo "review_print.sh: soffice not installed; workbooks not read back" >&2
fi

# ---- the demo city's review, printed ----
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] || ! command -v pdfinfo >/dev/null; then
	echo "review_print.sh: chromium or pdfinfo not installed; printing not checked" >&2
else
	CDB=$(KN_DB_DIR=$tmp kn_db city)
	if "$KETNAP" demo --size city --db "$CDB" >/dev/null 2>err; then ok; else bad "demo city: $(cat err)"; fi
	KETNAP_TODAY=2025-12-20 LANG=vi_VN.UTF-8 "$KETNAP" --db "$CDB" report summary --year 2025 \
		--format html -o city.html
	KETNAP_TODAY=2025-12-20 "$KETNAP" --db "$CDB" report deadlines --year 2025 --format csv >city-dl.csv
	# The full list is long; the review counts what is overdue of it.
	if [ "$(wc -l <city-dl.csv)" -gt 1000 ]; then ok; else bad "demo city: expected thousands of open deadlines"; fi
	# DL-TRANSFER (issue 15) is in the deadlines report, not yet in the
	# review's table of the candidacies' deadlines: left out until they
	# agree (the demo city has transfers since issue 15).
	late=$(awk -F, '$NF == "overdue" && $4 != "DL-TRANSFER"' city-dl.csv | wc -l)
	has city.html "<td>Tổng số</td>" "city review: total row"
	if grep -qE "<td>Tổng số</td>(<td class=\"num\">[0-9.]+</td>){6}<td class=\"num\">$late</td>" city.html; then ok; else
		bad "city review: total overdue is not the $late of the deadlines report"; fi
	prof=$(mktemp -d -p "$tmp")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --no-pdf-header-footer --print-to-pdf="$OUT/review-city.pdf" \
		"file://$tmp/city.html" >/dev/null 2>&1 || true
	pages=$(pdfinfo "$OUT/review-city.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	if [ "${pages:-0}" -ge 2 ] && [ "${pages:-0}" -le 8 ]; then ok; else
		bad "city review prints on ${pages:-no} pages, not 2-8"; fi
	echo "review_print.sh: the demo city's review prints on ${pages:-?} A4 pages" >&2
	if command -v pdftoppm >/dev/null; then
		rm -f "$OUT"/review-city-*.png
		pdftoppm -r 60 -png "$OUT/review-city.pdf" "$OUT/review-city"
		if ls "$OUT"/review-city-*.png >/dev/null 2>&1; then ok; else bad "no PNG of the city review"; fi
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
