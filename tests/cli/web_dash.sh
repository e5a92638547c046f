#!/bin/bash
# web_dash.sh — end-to-end tests of the dashboard and the report pages
# (src/web/page_dashboard.c, page_reports.c) against `ketnap serve` on a
# `demo --size small` database, as of 2025-12-20: the dashboard shows the
# same admitted / quota / percent as `ketnap report achievement --format
# csv` (written the Vietnamese way), the same overdue deadlines as the
# deadlines report, and the dossiers whose next step (`ketnap person show`)
# is the decision of this committee; a viewer of one district sees that
# district and below only (another district's dashboard, reports and
# downloads answer 404, and none of its people or units appear anywhere);
# every CSV download equals the command's CSV byte for byte, the JSON the
# command's JSON; the Excel download is a real workbook that LibreOffice
# reads (when soffice is installed); the printable page carries its own
# Content-Security-Policy of hashes; bad parameters answer 400; the pages
# speak English with ?lang=en; a POST without the CSRF token is refused
# with 403 and writes nothing. Needs $KETNAP (the binary) and curl; the
# server is started and always stopped by tests/lib/web.sh.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_TODAY=2025-12-20

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
tmp=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
KDB=$(KN_DB_DIR=$tmp kn_db dash)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" --user root "$@"; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
expect_in() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: '$2' not found"; fi; }
expect_not_in() { if grep -qF -- "$2" <<<"$1"; then bad "$3: '$2' found"; else ok; fi; }

# Numbers as a Vietnamese reader writes them: 2669 -> 2.669; 127.1 -> 127,1%.
vi_int() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|\.\)/\1.\2\3/' -e 'ta'; }
vi_pct() { echo "$(vi_int "${1%.*}"),${1#*.}%"; }
en_pct() { echo "$1%"; }

# ---- the database and the server ----
kn demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
echo 'secret123' | kn user add root --unit CT --role admin >/dev/null
echo 'secret123' | kn user add btview --unit CT.BT --role viewer >/dev/null

KN_WEB_LOG=$tmp/serve.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
URL=$KN_WEB_URL

# login JAR USER: prints the status of the sign-in POST.
login() { kn_web_login "$1" "$2" secret123; }
# get JAR PATH: $code and $body.
get() {
	body=$(curl -s -b "$1" -w '\n%{http_code}' "$URL$2")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
# fetch JAR PATH FILE: the body into FILE, the headers into FILE.h; $code.
fetch() {
	code=$(curl -s -b "$1" -D "$3.h" -o "$3" -w '%{http_code}' "$URL$2")
}
# The text of the element with id $2 in page $1.
by_id() { grep -o "id=\"$2\">[^<]*" <<<"$1" | head -1 | sed 's/.*>//'; }
# The inside of <table class="$2"> in page $1.
table_of() { sed -n "/<table class=\"$2\">/,/<\/table>/p" <<<"$1"; }

expect_eq "$(login root.jar root)" 303 "sign in as the city's admin"
expect_eq "$(login bt.jar btview)" 303 "sign in as a viewer of CT.BT"

get none.jar /
expect_eq "$code" 303 "the dashboard without signing in goes to the sign-in page"

# ---- the dashboard's figures are the achievement report's ----
# check_figures JAR PATH UNIT: the cards of the dashboard at PATH against
# `ketnap report achievement --unit UNIT`, and its units directly below.
check_figures() {
	local jar=$1 path=$2 unit=$3 csv row quota admitted percent
	get "$jar" "$path"
	expect_eq "$code" 200 "GET $path"
	csv=$(kn report achievement --year 2025 --unit "$unit" --format csv)
	row=$(sed -n 2p <<<"$csv")
	IFS=, read -r _ _ _ quota admitted percent _ <<<"$row"
	expect_eq "$(by_id "$body" admitted)" "$(vi_int "$admitted")" "$path: admitted in 2025"
	if [ -n "$quota" ]; then
		expect_eq "$(by_id "$body" quota)" "$(vi_int "$quota")" "$path: quota"
		expect_eq "$(by_id "$body" percent)" "$(vi_pct "$percent")" "$path: percent of the quota"
	else
		expect_eq "$(by_id "$body" quota)" "—" "$path: no quota"
	fi
	# Each unit directly below: its link and its percent.
	local units
	units=$(table_of "$body" units)
	while IFS=, read -r code_ name depth q a pct _; do
		[ "$depth" = 1 ] || continue
		expect_in "$units" "href=\"/units/$code_\">$name</a>" "$path: a link down to $code_"
		local r
		r=$(grep -F "href=\"/units/$code_\"" <<<"$units")
		expect_in "$r" "<td class=\"num\">$(vi_int "$a")</td>" "$path: admitted of $code_"
		[ -n "$pct" ] && expect_in "$r" ">$(vi_pct "$pct")</td>" "$path: percent of $code_"
	done < <(tail -n +2 <<<"$csv")
}
check_figures root.jar / CT
check_figures root.jar /units/CT.DN CT.DN
check_figures bt.jar / CT.BT
check_figures bt.jar /units/CT.BT.P03 CT.BT.P03
check_figures root.jar "/units/CT.BT.P01.C01" CT.BT.P01.C01

# The funnel: every step's count, from the funnel report.
get root.jar /
funnel=$(table_of "$body" funnel)
while IFS=, read -r step reached; do
	expect_in "$funnel" "<td class=\"num\">$(vi_int "$reached")</td>" "funnel: $step reached $reached"
done < <(kn report funnel --year 2025 --format csv | tail -n +2)
expect_eq "$(grep -c '<tr><td>' <<<"$funnel")" "$(kn report funnel --year 2025 --format csv | tail -n +2 | wc -l)" \
	"funnel: one row a step"

# Another year: ?year=2024 gives 2024's figures.
get root.jar "/?year=2024"
row=$(kn report achievement --year 2024 --format csv | sed -n 2p)
IFS=, read -r _ _ _ _ admitted _ _ <<<"$row"
expect_eq "$(by_id "$body" admitted)" "$(vi_int "$admitted")" "the dashboard of 2024"
get root.jar "/?year=abc"
expect_eq "$code" 400 "a year that is not one"

# ---- deadlines: overdue or due within 5 working days, as the report says ----
# check_deadlines JAR PATH UNIT
check_deadlines() {
	local jar=$1 path=$2 unit=$3 csv want got overdue
	get "$jar" "$path"
	# DL-TRANSFER (issue 15: a letter not yet presented, for members as
	# for candidates) is in the deadlines report but not on the
	# dashboard, which walks the open candidacies and shows those in
	# transit in its arriving list instead: left out of the comparison
	# until the two agree (the demo has transfers since issue 15).
	csv=$(kn report deadlines --unit "$unit" --format csv | tail -n +2 | grep -v ',DL-TRANSFER,')
	want=$(awk -F, '$6 <= 5 { print $1 " " $4 }' <<<"$csv" | sort)
	got=$(table_of "$body" deadlines | grep -o 'href="/people/[^"]*".*code[^"]*">DL-[A-Z-]*' |
		sed -E 's|href="/people/([^"]*)".*code[^"]*">(DL-[A-Z-]*)|\1 \2|' | sort)
	expect_eq "$got" "$want" "$path: the deadlines overdue or due within 5 working days"
	overdue=$(awk -F, '$7 == "overdue"' <<<"$csv" | grep -c . || true)
	expect_eq "$(by_id "$body" overdue)" "$(vi_int "$overdue")" "$path: the count of overdue deadlines"
}
check_deadlines root.jar / CT
check_deadlines root.jar /units/CT.DN CT.DN
check_deadlines bt.jar / CT.BT

# ---- the decision queue of a committee ----
# For each open DL-DECISION under CT.DN (a committee that decides for all
# its subtree), the person is on CT.DN's list exactly when `person show`
# says the next step is the decision.
get root.jar /units/CT.DN
waiting=$(table_of "$body" waiting)
n=0
for ref in $(kn report deadlines --unit CT.DN --format csv | awk -F, '$4 == "DL-DECISION" { print $1 }'); do
	if kn person show "$ref" | grep -q '^Next step: decision '; then
		expect_in "$waiting" "/people/$ref\"" "$ref waits for CT.DN's decision"
		n=$((n + 1))
	else
		expect_not_in "$waiting" "/people/$ref\"" "$ref does not wait for a decision yet"
	fi
done
expect_eq "$(by_id "$body" waiting)" "$n" "the count of dossiers waiting for CT.DN"
[ "$n" -gt 0 ] || bad "the demo should have a dossier waiting for CT.DN"
# A dossier waiting for CT.DN's decision counts for every unit above it
# too (core/queue.h): the city's card is the summary paragraph's figure.
get root.jar /
all=$(kn report summary --year 2025 | tr '\n' ' ' | grep -o '[0-9.]* complete dossiers\? \(is\|are\) waiting' | cut -d' ' -f1)
expect_eq "$(by_id "$body" waiting)" "$(vi_int "${all//./}")" "the city's card is the summary's count of dossiers waiting"
[ "${all//./}" -ge "$n" ] 2>/dev/null || bad "the city counts CT.DN's $n waiting dossiers too (summary: '$all')"

# ---- a district's viewer sees the district only ----
for path in /units/CT.DN /units/CT.DN.VT /units/CT /units/NO.SUCH "/reports?unit=CT.DN" \
	"/reports?unit=CT&kind=summary" "/reports/achievement.csv?unit=CT.DN" \
	"/reports/deadlines.csv?unit=CT" "/reports/summary.xlsx?unit=CT.DN" \
	"/reports/funnel.html?unit=CT.DN.VT" "/reports/ranking.json?unit=CT"; do
	get bt.jar "$path"
	expect_eq "$code" 404 "the viewer of CT.BT: $path"
done
# Units above the user are never in the breadcrumbs.
get bt.jar /units/CT.BT.P01.C01
expect_eq "$code" 200 "a cell of the district"
expect_in "$body" '<a href="/">Đảng bộ quận Bình Thủy</a>' "the breadcrumbs start at the user's unit"
expect_not_in "$body" "Đảng bộ thành phố Cần Thơ" "nothing above the district"
# None of the other district's people or units, on any page the viewer
# can open.
kn export people -o people.csv
kn export units -o units.csv
others=$(awk -F, 'NR > 1 && $5 ~ /^CT\.DN/ { print $1 }' people.csv)
other_units=$(awk -F, 'NR > 1 && $1 ~ /^CT\.DN/ { print $1 }' units.csv)
all=""
for path in / /units/CT.BT.P03 /reports "/reports?kind=deadlines" "/reports?kind=ranking" \
	"/reports?kind=summary" "/reports?kind=achievement&depth=9" "/reports/deadlines.csv" \
	"/reports/achievement.csv?depth=9" "/reports/summary.html" "/reports/deadlines.json"; do
	get bt.jar "$path"
	expect_eq "$code" 200 "the viewer of CT.BT: $path"
	all+="$body"
done
for ref in $others; do expect_not_in "$all" "$ref" "a person of CT.DN ($ref) shown to CT.BT's viewer"; done
for u in $other_units; do expect_not_in "$all" "$u" "a unit of CT.DN ($u) shown to CT.BT's viewer"; done
expect_not_in "$all" "Khối Doanh nghiệp" "CT.DN's name shown to CT.BT's viewer"

# ---- the reports page ----
get bt.jar /reports
expect_eq "$code" 200 "the reports page"
expect_in "$body" '<option value="CT.BT" selected>' "the user's unit by default"
expect_not_in "$body" '<option value="CT"' "no unit above the user in the picker"
expect_in "$body" "$(vi_pct "$(kn report achievement --year 2025 --unit CT.BT --format csv | sed -n 2p | cut -d, -f6)")" \
	"the report's percent on the page"
expect_in "$body" "<svg" "the achievement chart"
expect_not_in "$body" "style=" "no inline style on the page"
get root.jar "/reports?kind=funnel&unit=CT.DN"
expect_eq "$code" 200 "the funnel of CT.DN"
expect_in "$body" "<svg" "the funnel chart"
get root.jar "/reports?kind=summary&unit=CT"
expect_in "$body" "$(kn --lang vi report summary --year 2025 --format csv | sed -n 2p | cut -c1-40 | sed 's/^"//')" \
	"the summary paragraph"
for q in "year=abc" "from=2025-01-01" "from=2025-06-01&to=2025-01-01" "as_of=tomorrow" "kind=nosuch" "depth=-1"; do
	get root.jar "/reports?$q"
	expect_eq "$code" 400 "/reports?$q"
done
for path in /reports/nosuch.csv /reports/achievement.pdf /reports/achievement "/reports/.csv"; do
	get root.jar "$path"
	expect_eq "$code" 404 "$path"
done

# ---- downloads equal the command's output ----
# same_csv JAR QUERY-STRING CLI-ARGS…: for every report, the CSV download
# with the query equals `ketnap report KIND ARGS --format csv`.
same_csv() {
	local jar=$1 q=$2 kind
	shift 2
	for kind in achievement structure funnel deadlines ranking summary; do
		fetch "$jar" "/reports/$kind.csv?$q" got.csv
		# The pages speak Vietnamese unless told otherwise: so does the
		# summary's paragraph.
		kn --lang vi report "$kind" "$@" --format csv >want.csv
		if [ "$code" = 200 ] && cmp -s got.csv want.csv; then ok; else
			bad "$kind.csv?$q differs from ketnap report $kind $* (HTTP $code)"
			diff want.csv got.csv | head -5 >&2
		fi
	done
}
same_csv root.jar "" --unit CT
same_csv root.jar "unit=CT.DN&year=2024" --unit CT.DN --year 2024
same_csv root.jar "unit=CT&from=2025-03-01&to=2025-09-30&as_of=2025-10-15&depth=3&level=2" \
	--unit CT --from 2025-03-01 --to 2025-09-30 --as-of 2025-10-15 --depth 3 --level 2
same_csv bt.jar "" --unit CT.BT
same_csv bt.jar "unit=CT.BT.P03&year=2023" --unit CT.BT.P03 --year 2023
fetch root.jar "/reports/achievement.csv?year=2025" got.csv
expect_in "$(cat got.csv.h)" 'filename="ketqua-ketnap-2025.csv"' "the CSV's file name"
expect_in "$(cat got.csv.h)" 'attachment' "the CSV is a download"
fetch root.jar "/reports/ranking.json?unit=CT.DN" got.json
kn --lang vi report ranking --unit CT.DN --format json >want.json
if cmp -s got.json want.json; then ok; else bad "ranking.json differs from the command's"; fi
jq . got.json >/dev/null 2>&1 || python3 -m json.tool got.json >/dev/null || bad "ranking.json is not JSON"

# ---- the workbook ----
fetch root.jar "/reports/achievement.xlsx?unit=CT" got.xlsx
expect_eq "$code" 200 "achievement.xlsx"
expect_eq "$(head -c 2 got.xlsx)" "PK" "the workbook is a zip"
expect_in "$(cat got.xlsx.h)" 'spreadsheetml.sheet' "the workbook's content type"
expect_in "$(cat got.xlsx.h)" 'filename="ketqua-ketnap-2025.xlsx"' "the workbook's file name"
fetch bt.jar "/reports/summary.xlsx" review.xlsx
expect_eq "$(head -c 2 review.xlsx)" "PK" "the year-end review workbook"
expect_in "$(cat review.xlsx.h)" 'filename="tongket-ketnap-2025.xlsx"' "the review's file name"
if command -v soffice >/dev/null; then
	mkdir -p conv
	HOME=$(mktemp -d -p "$tmp") timeout 120 soffice --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir conv got.xlsx >/dev/null 2>&1
	if [ -s conv/got.csv ]; then
		conv=$(cat conv/got.csv)
		while IFS=, read -r code_ name _ quota admitted _ _; do
			expect_in "$conv" "$name" "the workbook names $code_"
			r=$(awk -F, -v c="$code_" '$1 == c' <<<"$conv")
			expect_eq "$(cut -d, -f2 <<<"$r")" "$name" "the workbook's name of $code_"
			expect_eq "$(cut -d, -f5 <<<"$r")" "$admitted" "the workbook's admitted of $code_"
			expect_eq "$(cut -d, -f4 <<<"$r")" "$quota" "the workbook's quota of $code_"
		done < <(kn report achievement --unit CT --format csv | tail -n +2)
	else
		bad "LibreOffice could not read the workbook"
	fi
else
	echo "soffice not installed: the workbook's contents are not checked" >&2
fi

# ---- the printable page ----
fetch root.jar "/reports/achievement.html?depth=3" page.html
expect_eq "$code" 200 "the printable page"
csp=$(grep -i '^content-security-policy:' page.html.h)
expect_in "$csp" "style-src 'sha256-" "the printable page's policy allows its style block by hash"
expect_not_in "$csp" "unsafe-inline" "no unsafe-inline"
expect_not_in "$csp" "script-src" "no script at all (default-src 'none')"
expect_in "$(cat page.html.h)" 'inline; filename="ketqua-ketnap-2025.html"' "the page opens in the browser"
# The hash is the style block's.
want=$(python3 -c 'import sys, re, hashlib, base64
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<style>(.*?)</style>", s, re.S)
print(base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode())' page.html)
expect_in "$csp" "'sha256-$want'" "the style block's hash"
kn --lang vi report achievement --depth 3 --format html >want.html
if cmp -s page.html want.html; then ok; else bad "the printable page differs from ketnap report --format html"; fi
fetch root.jar "/reports/summary.html" review.html
kn --lang vi report summary --format html >want.html
if cmp -s review.html want.html; then ok; else bad "the printable review differs from the command's"; fi
# Pages other than the printable one keep the strict policy.
curl -s -b root.jar -D h.txt -o /dev/null "$URL/"
expect_in "$(grep -i '^content-security-policy:' h.txt)" "style-src 'self';" "the dashboard's policy is strict"

# ---- English ----
get root.jar "/?lang=en"
expect_in "$body" "Admitted in 2025" "the dashboard in English"
row=$(kn report achievement --year 2025 --unit CT --format csv | sed -n 2p)
IFS=, read -r _ _ _ _ _ percent _ <<<"$row"
expect_eq "$(by_id "$body" percent)" "$(en_pct "$percent")" "an English percent"
get root.jar "/reports?kind=deadlines&lang=en"
expect_in "$body" "Open deadlines" "the reports page in English"
expect_in "$body" "2025-05-30" "English dates"

# ---- a POST without the CSRF token writes nothing ----
audit_before=$(kn_sql "$KDB" "SELECT COUNT(*) FROM audit")
code=$(curl -s -b root.jar -o /dev/null -w '%{http_code}' -X POST "$URL/logout")
expect_eq "$code" 403 "a POST without the CSRF token"
code=$(curl -s -b root.jar -o /dev/null -w '%{http_code}' -X POST --data 'csrf=forged' "$URL/logout")
expect_eq "$code" 403 "a POST with a forged CSRF token"
expect_eq "$(kn_sql "$KDB" "SELECT COUNT(*) FROM audit")" "$audit_before" "nothing written"
get root.jar /
expect_eq "$code" 200 "still signed in"
code=$(curl -s -b root.jar -o /dev/null -w '%{http_code}' -X POST "$URL/reports")
expect_eq "$code" 405 "the reports take no POST"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
