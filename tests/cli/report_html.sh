#!/bin/bash
# report_html.sh — end-to-end test of `ketnap report … --format html`: a
# small city imported from CSV written here (one district over its quota,
# one under, a unit name with an HTML injection attempt), the achievement,
# funnel and whole-review pages written with -o, checked for Vietnamese
# figures worked out by hand (4 admitted of a quota of 3 = 133,3%), for
# escaping, the charts and no outside resources; then each page is rendered
# by headless Chromium to a PNG and printed to an A4 PDF, which must exist
# and have at least one page. Without chromium the rendering checks are
# skipped (said on stderr), not failed. $KETNAP is the built binary.
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
# has FILE TEXT WHAT / hasnt FILE TEXT WHAT: a fixed string is (not) in FILE.
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi; }

# ---- the city ----
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.NK,CT,Đảng bộ quận <b>Ninh Kiều</b>,upper,1,,0
CT.NK.AK,CT.NK,Đảng bộ phường An Khánh,grassroots,0,ward,0
CT.NK.AK.KV1,CT.NK.AK,Chi bộ khu vực 1,cell,0,hamlet,0
CT.CD,CT,Đảng bộ huyện Cờ Đỏ,upper,1,,0
CT.CD.TH,CT.CD,Đảng bộ xã Thới Hưng,grassroots,0,commune,0
CT.CD.TH.A1,CT.CD.TH,Chi bộ ấp Thới Hòa,cell,0,hamlet,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note
092071000101,Nguyễn Văn Hùng,M,1971-07-20,CT.NK.AK.KV1,,,12/12,university,civil_servant,0,1,1999-04-14,2000-04-14,,
092072000102,Lê Thị Hoa,F,1972-03-02,CT.CD.TH.A1,,,12/12,college,public_employee,0,1,1998-05-19,1999-05-19,,
092004000201,Trần Minh Khôi,M,2004-05-20,CT.NK.AK.KV1,,,12/12,university,student,1,0,,,,
092004000202,Phạm Thị Ngọc Hân,F,2004-06-11,CT.NK.AK.KV1,,,12/12,university,student,1,0,,,,
092003000203,Võ Quốc Bảo,M,2003-09-01,CT.NK.AK.KV1,,,12/12,college,worker,1,0,,,,
092003000204,Huỳnh Thị Mỹ Duyên,F,2003-12-24,CT.CD.TH.A1,,,12/12,vocational,farmer,1,0,,,,
092005000205,Đặng Văn Tài,M,2005-02-14,CT.CD.TH.A1,,,12/12,none,farmer,1,0,,,,
CSV
cat >quotas.csv <<'CSV'
unit,year,category,target
CT,2025,total,3
CT.NK,2025,total,2
CT.CD,2025,total,2
CSV
# Four admitted in 2025 (three in Ninh Kiều, one in Cờ Đỏ); a fifth still
# at the cell vote.
steps() { # steps REF MENTOR UNIT LAST
	local p=$1 m=$2 u=$3 last=$4
	echo "$p,source,2024-03-04,,youth_union,,,,,,,,,,"
	echo "$p,mentor,2024-03-11,,,$m,,,,,,,,,"
	echo "$p,trained,2024-07-19,CN-NTVĐ ${p: -3}/2024,,,,,,,,,,,"
	echo "$p,applied,2024-08-12,,,,,,,,,,,,"
	echo "$p,verified,2024-10-14,,,,,,,,,,,,"
	echo "$p,introduced,2025-01-06,,youth_union,,$m,2022-08-01,,,,,,,"
	echo "$p,cell_vote,2025-02-17,,,,,,,,3,3,,,"
	[ "$last" = cell_vote ] && return
	echo "$p,committee_vote,2025-03-03,,,,,,,,7,9,,,"
	echo "$p,decision,2025-03-24,${p: -3}-QĐ/QU,$u,,,,,,,,,,"
}
{
	echo "person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note"
	steps 092004000201 092071000101 CT.NK decision
	steps 092004000202 092071000101 CT.NK decision
	steps 092003000203 092071000101 CT.NK decision
	steps 092003000204 092072000102 CT.CD decision
	steps 092005000205 092072000102 CT.CD cell_vote
} >steps.csv

kn init >/dev/null
for k in units people quotas steps; do
	if kn import "$k" "$k.csv" >/dev/null 2>err; then ok; else bad "import $k: $(cat err)"; fi
done

# ---- the pages ----
report() { # report PAGE ARGS...
	local page=$1
	shift
	if kn report "$@" --year 2025 --format html -o "$page" 2>err; then ok; else
		bad "report $*: $(cat err)"
		: >"$page"
	fi
}
LANG=vi_VN.UTF-8 report ach.html achievement --unit CT
LANG=vi_VN.UTF-8 report funnel.html funnel --unit CT
LANG=vi_VN.UTF-8 report all.html summary --unit CT
LANG=en_GB.UTF-8 report ach-en.html achievement --unit CT

for p in ach.html funnel.html all.html ach-en.html; do
	if [ "$(head -c 16 "$p")" = "<!DOCTYPE html>" ]; then ok; else bad "$p: no doctype"; fi
	has "$p" "</html>" "$p complete"
	has "$p" "@page { size: A4" "$p print CSS"
	# Self-contained: nothing to fetch, no script.
	hasnt "$p" "<script" "$p"
	hasnt "$p" "src=" "$p"
	hasnt "$p" "href=" "$p"
	hasnt "$p" "<b>" "$p (raw markup from a unit name)"
done

has ach.html '<html lang="vi">' "vi page"
has ach.html '01/01/2025&ndash;31/12/2025' "period, Vietnamese dates"
has ach.html '<td class="num">133,3%</td>' "city percent, Vietnamese"
has ach.html '<td class="num">150,0%</td>' "Ninh Kiều percent"
has ach.html '<td class="num">50,0%</td>' "Cờ Đỏ percent"
has ach.html '>133,3%</text>' "bar value label"
has ach.html 'Đảng bộ quận &lt;b&gt;Ninh Kiều&lt;/b&gt;' "escaped unit name"
has ach.html '<line class="target"' "the 100% line"
has ach.html '>100%</text>' "the 100% label"
has ach.html '>150%</text>' "scale past 100%"
has ach.html '<rect class="unmet"' "a unit below its quota"
if [ "$(grep -o '<rect class="met"' ach.html | wc -l)" -eq 2 ]; then ok; else bad "two bars met"; fi
has ach-en.html '<html lang="en">' "en page"
has ach-en.html '<td class="num">133.3%</td>' "city percent, English"
has funnel.html '<rect class="step"' "funnel bars"
has funnel.html '<svg' "funnel chart"
has all.html '<p class="summary">' "summary paragraph"
if [ "$(grep -o '<svg' all.html | wc -l)" -ge 3 ]; then ok; else bad "all.html: charts of achievement, funnel, ranking"; fi

# ---- rendering: PNG and A4 PDF from headless Chromium ----
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "report_html.sh: chromium not installed; rendering not checked (scripts/deps.sh)" >&2
else
	chrome() {
		local prof
		prof=$(mktemp -d)
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
			--no-first-run --disable-background-networking --disable-component-update \
			--disable-sync --user-data-dir="$prof" "$@" >/dev/null 2>&1 || true
		rm -rf "$prof"
	}
	for p in ach all; do
		png=$OUT/report-$p.png
		pdf=$OUT/report-$p.pdf
		rm -f "$png" "$pdf"
		chrome --screenshot="$png" --window-size=1240,1754 "file://$tmp/$p.html"
		if [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		   [ "$(stat -c %s "$png")" -gt 20000 ]; then ok; else bad "$p: no PNG screenshot of size in $png"; fi
		chrome --no-pdf-header-footer --print-to-pdf="$pdf" "file://$tmp/$p.html"
		if [ ! -s "$pdf" ]; then
			bad "$p: no PDF"
		elif command -v pdfinfo >/dev/null; then
			pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
			size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
			if [ "${pages:-0}" -ge 1 ]; then ok; else bad "$p: PDF has no page"; fi
			# A4 is 595 x 842 points.
			case $size in *"(A4)"*|59[45]*x\ 84[12]*) ok ;; *) bad "$p: PDF page is $size, not A4" ;; esac
		elif grep -aq '/Type */Page[^s]' "$pdf"; then ok; else bad "$p: PDF has no page"; fi
	done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
