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
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/small_city.sh"
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
		# Apart for the pg/ variant, which may run at the same time in the
		# same build directory.
		png=$OUT/report-$p${KN_TEST_PG:+-pg}.png
		pdf=$OUT/report-$p${KN_TEST_PG:+-pg}.pdf
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
