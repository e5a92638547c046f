#!/bin/bash
# demo_life.sh — the demo shows the whole life of a record (issue 15, item
# 6), on the small and the city demo: transfers between cells (some still
# in transit at the demo's today, with DL-TRANSFER due and overdue, on the
# destination's dashboard as arriving), never a candidacy moved between its
# cell vote and its decision; re-admissions of former members (the
# consent at the cell vote, the decision of a district-level committee, the
# structure report's readmitted row); exactly the planted duplicates —
# the demo's rule (src/core/demo_life.c): a planted second record's ref has
# 9 as its seventh digit, and no other ref has — listed by `person
# duplicates`; the sources report; `ketnap verify`. Needs $KETNAP.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_USER=tester
export KETNAP_TODAY=2025-12-20

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
tmp=$(mktemp -d)
trap 'kn_web_stop; kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
SMALL=$(KN_DB_DIR=$tmp kn_db small) CITY=$(KN_DB_DIR=$tmp kn_db city)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
expect_in() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: '$2' not found"; fi; }

# check NAME DB PLANTED READMITTED: the life of the demo's records.
check() {
	local name=$1 db=$2 planted=$3 readmitted=$4 n d
	mkdir -p "$name"
	for k in units people steps transfers; do
		"$KETNAP" --db "$db" export "$k" -o "$name/$k.csv" || bad "$name: export $k"
	done

	# ---- transfers ----
	n=$(tail -n +2 "$name/transfers.csv" | wc -l)
	if [ "$n" -ge 5 ]; then ok; else bad "$name: only $n transfers"; fi
	n=$(awk -F, 'NR > 1 && $5 == ""' "$name/transfers.csv" | wc -l)
	if [ "$n" -ge 2 ]; then ok; else bad "$name: $n transfers in transit"; fi
	# Between cells of the same district and of different ones (the
	# district: the first two parts of a unit code, CT.XX).
	n=$(awk -F, 'NR > 1 { split($3, a, "."); split($4, b, ".");
		print (a[2] == b[2] ? "same" : "other") }' "$name/transfers.csv" | sort -u | wc -l)
	expect_eq "$n" 2 "$name: transfers within and across districts"
	# Never between the cell vote and the decision (KN-TRANSFER-OPEN):
	# the person's first cell vote, then the first decision or rejection.
	n=$(awk -F, 'FNR == 1 { f++; next }
		f == 1 && $2 == "cell_vote" && !($1 in cv) { cv[$1] = $3 }
		f == 1 && ($2 == "decision" || $2 == "rejected") && ($1 in cv) && !($1 in end) { end[$1] = $3 }
		f == 2 && ($1 in cv) && cv[$1] <= $2 && (!($1 in end) || $2 < end[$1]) { print $1 }' \
		"$name/steps.csv" "$name/transfers.csv" | wc -l)
	expect_eq "$n" 0 "$name: transfers between a cell vote and its decision"
	# Nobody moves once withdrawn, rejected or struck off.
	n=$(awk -F, 'FNR == 1 { f++; next }
		f == 1 && ($2 == "withdrawn" || $2 == "rejected" || $2 == "struck_off") { end[$1] = $3 }
		f == 2 && ($1 in end) && end[$1] <= $2 { print $1 }' \
		"$name/steps.csv" "$name/transfers.csv" | wc -l)
	expect_eq "$n" 0 "$name: transfers after a candidacy ended"
	# Candidates moved mid-dossier: their later steps follow (the
	# destination's), at least once.
	n=$(awk -F, 'FNR == 1 { f++; next }
		f == 1 && $5 != "" { moved[$1] = $5 }
		f == 2 && ($1 in moved) && $3 > moved[$1] { print $1 }' \
		"$name/transfers.csv" "$name/steps.csv" | sort -u | wc -l)
	if [ "$n" -ge 1 ]; then ok; else bad "$name: no candidate's step after an arrival"; fi
	# DL-TRANSFER in the deadlines: due and overdue.
	"$KETNAP" --db "$db" report deadlines --format csv >"$name/deadlines.csv" || bad "$name: deadlines"
	for s in due overdue; do
		n=$(grep -c ",DL-TRANSFER,.*,$s\$" "$name/deadlines.csv")
		if [ "$n" -ge 1 ]; then ok; else bad "$name: no DL-TRANSFER $s"; fi
	done

	# ---- re-admissions ----
	n=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["readmitted"] == 1 && $h["left_on"] != "" && $h["left_reason"] != "" &&
		$h["left_reason"] !~ /^(abandoned|resigned|disunity|corruption|serious_crime)$/' \
		"$name/people.csv" | wc -l)
	expect_eq "$n" "$readmitted" "$name: re-admitted former members"
	n=$(awk -F, '$2 == "cell_vote" && $13 != ""' "$name/steps.csv" | wc -l)
	expect_eq "$n" "$readmitted" "$name: cell votes with the province-level consent"
	n=0
	for y in 2023 2024 2025; do
		d=$("$KETNAP" --db "$db" report structure --year "$y" --format csv |
			awk -F, '$1 == "readmitted" { print $2 }')
		n=$((n + ${d:-0}))
	done
	expect_eq "$n" "$readmitted" "$name: readmitted in the structure reports 2023-2025"

	# ---- duplicates: exactly the planted ones ----
	n=$(awk -F, 'NR > 1 && length($1) == 12 && substr($1, 7, 1) == "9"' "$name/people.csv" | wc -l)
	expect_eq "$n" "$planted" "$name: planted second records"
	"$KETNAP" --db "$db" person duplicates --format csv >"$name/dups.csv" || bad "$name: duplicates"
	n=$(tail -n +2 "$name/dups.csv" | wc -l)
	expect_eq "$n" "$planted" "$name: pairs of possible duplicates"
	n=$(awk -F, 'NR > 1 && ((substr($1, 7, 1) == "9") + (substr($4, 7, 1) == "9")) == 1' "$name/dups.csv" | wc -l)
	expect_eq "$n" "$planted" "$name: each pair one planted record and its original"

	# ---- sources, verify ----
	n=$("$KETNAP" --db "$db" report sources --year 2024 --format csv |
		awk -F, '$1 == "total" { print $2 }')
	if [ "${n:-0}" -gt 0 ]; then ok; else bad "$name: sources 2024 total '$n'"; fi
	if "$KETNAP" --db "$db" verify >"$name/verify.out" 2>&1; then ok; else
		bad "$name: verify"; sed 's/^/  /' "$name/verify.out" >&2; fi
}

"$KETNAP" --db "$SMALL" demo --size small --seed 1 >/dev/null || bad "small demo"
# The small demo caps its re-admissions at 2 and plants 2 duplicates; the
# city 8 and 6 (src/core/demo.c, demo_life.c); seed 1 reaches both caps.
check small "$SMALL" 2 2

# ---- the arriving list on the destination's dashboard ----
row=$(awk -F, 'NR > 1 && $5 == "" { print; exit }' small/transfers.csv)
ref=${row%%,*}
dest=$(cut -d, -f4 <<<"$row")
name=$(awk -F, -v r="$ref" '$1 == r { print $2 }' small/people.csv)
echo 'secret123' | "$KETNAP" --db "$SMALL" user add root --unit CT --role admin >/dev/null ||
	bad "user add root"
echo 'secret123' | "$KETNAP" --db "$SMALL" --user root user add dested --unit "$dest" --role editor >/dev/null ||
	bad "user add"
KN_WEB_LOG=$tmp/serve.log kn_web_start "$SMALL" --threads 2 --access-log off || exit 1
kn_web_login dested.jar dested secret123 >/dev/null
body=$(curl -s -b dested.jar -H 'Accept-Language: en' "$KN_WEB_URL/")
expect_in "$body" 'id="arriving"' "small: $dest's dashboard has an arriving list"
expect_in "$body" "$name" "small: $ref ($name) arriving at $dest"
expect_in "$body" "action=\"/arrive/$ref\"" "small: an Accept form for $dest's editor"
kn_web_stop

"$KETNAP" --db "$CITY" demo --size city --seed 1 >/dev/null || bad "city demo"
check city "$CITY" 6 8

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
