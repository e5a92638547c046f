#!/usr/bin/env bash
# people_dates.sh — what goes out comes back (spec/FORMATS.md, people.csv
# and steps.csv): `export people` writes member_since and official_since
# for people admitted through recorded steps (the decision date; the
# probation end, ceremony + 12 months, once `official` is recorded; nothing
# after `struck_off`); an import of people whose dates disagree with the
# recorded steps is refused naming both dates; KN-OPEN judges membership on
# the source step's date; the steps export is in one canonical order (a
# `mentor` recorded out of date order comes back in its date's place); and
# export → import of people, then of steps, into an empty database →
# export gives identical files. Expected dates are worked out by hand in
# the comments. Runs on either backend (tests/lib/db.sh).
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
K2=$(kn_db k2)
export KETNAP_DB=$(kn_db k) KETNAP_TODAY=2013-06-30 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
KINDS="units people quotas holidays steps"
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

expect() { # expect STATUS CMD...: stdout in out, stderr in err
	local want=$1; shift
	"$@" >out 2>err
	local got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "exit $got (wanted $want): $*"; sed 's/^/  stderr: /' err >&2; fi
}
has() { # has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; sed 's/^/  | /' "$1" >&2; fi
}
field() { # field FILE REF N: column N of REF's row
	awk -F, -v r="$2" -v n="$3" '$1 == r { print $n }' "$1"
}
is() { # is WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', wanted '$3'"; fi
}

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,CT.BT.P1.KV1,12/12,0,2004-01-01,2005-01-01
M3,Võ Văn Kiệt,M,1975-03-04,CT.BT.P1.KV1,12/12,0,2012-05-02,
C1,Nguyễn Thị Kim Thảo,F,1990-05-10,CT.BT.P1.KV1,12/12,1,,
C3,Đặng Văn Lâm,M,1991-02-03,CT.BT.P1.KV1,12/12,0,,
C4,Hồ Thị Thu,F,1992-04-05,CT.BT.P1.KV1,12/12,0,,
C5,Mai Văn Phúc,M,1989-06-07,CT.BT.P1.KV1,12/12,0,,
C6,Lý Thị Hoa,F,1994-08-09,CT.BT.P1.KV1,12/12,0,,
CSV
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv

# walk REF DECISION CEREMONY: source to ceremony, the steps dated 2011.
walk() {
	expect 0 "$K" step "$1" source --date 2011-01-10 --org youth_union
	expect 0 "$K" step "$1" trained --date 2011-03-01 --doc "CN-$1"
	expect 0 "$K" step "$1" applied --date 2011-04-01
	expect 0 "$K" step "$1" verified --date 2011-05-02
	expect 0 "$K" step "$1" introduced --date 2011-05-10 --introducer M1:2009-01-01 --introducer M2:2009-06-01
	expect 0 "$K" step "$1" cell_vote --date 2011-06-01 --for 5 --of 7
	expect 0 "$K" step "$1" committee_vote --date 2011-06-15 --for 5 --of 9
	expect 0 "$K" step "$1" decision --date "$2" --doc "QĐ-$1" --org CT.BT
	expect 0 "$K" step "$1" ceremony --date "$3"
}

# C1 to full membership: decision 2011-07-01, ceremony 2011-08-12, so the
# probation ends 2012-08-12 (12 months), whatever the dates of the
# probation meeting (2012-08-13) and of the official decision (2012-08-20).
walk C1 2011-07-01 2011-08-12
expect 0 "$K" step C1 probation_vote --date 2012-08-13 --for 6 --of 7
expect 0 "$K" step C1 official --date 2012-08-20 --doc 45-QĐ/QU --org CT.BT
# C3 admitted (decision 2011-07-04, ceremony 2011-07-20), then struck off
# during probation: not a member, no dates.
walk C3 2011-07-04 2011-07-20
expect 0 "$K" step C3 struck_off --date 2012-01-05 --note "bỏ sinh hoạt"
# C5: a first candidacy withdrawn, a second one to probation: member since
# the second decision (2012-10-01), not yet official.
expect 0 "$K" step C5 source --date 2011-01-10 --org cell
expect 0 "$K" step C5 withdrawn --date 2011-02-01 --note "chuyển công tác"
expect 0 "$K" step C5 source --date 2012-03-01 --org cell
expect 0 "$K" step C5 trained --date 2012-03-05 --doc CN-C5
expect 0 "$K" step C5 applied --date 2012-04-01
expect 0 "$K" step C5 verified --date 2012-05-02
expect 0 "$K" step C5 introduced --date 2012-05-10 --introducer M1:2009-01-01 --introducer M2:2009-06-01
expect 0 "$K" step C5 cell_vote --date 2012-06-01 --for 5 --of 7
expect 0 "$K" step C5 committee_vote --date 2012-06-15 --for 5 --of 9
expect 0 "$K" step C5 decision --date 2012-10-01 --doc QĐ-C5b --org CT.BT
# C6: a candidacy withdrawn on 2011-02-01 and a new one started that same
# day, with its training on that day too: the export lists the first
# candidacy's steps first, and the import must record them so.
expect 0 "$K" step C6 source --date 2011-01-10 --org cell
expect 0 "$K" step C6 withdrawn --date 2011-02-01 --note "chuyển nơi ở"
expect 0 "$K" step C6 source --date 2011-02-01 --org youth_union
expect 0 "$K" step C6 trained --date 2011-02-01 --doc CN-C6

# ---- export people: the dates from the steps (columns 13 and 14) ----
expect 0 "$K" export people -o people1.csv
is "C1 member_since" "$(field people1.csv C1 13)" 2011-07-01
is "C1 official_since" "$(field people1.csv C1 14)" 2012-08-12
is "C3 member_since (struck off)" "$(field people1.csv C3 13)" ""
is "C3 official_since (struck off)" "$(field people1.csv C3 14)" ""
# RULES.md §9: the struck_off step set C3's left_on and left_reason
# (columns 17 and 18), and nobody was re-admitted (column 20).
is "C3 left_on (struck off)" "$(field people1.csv C3 17)" 2012-01-05
is "C3 left_reason" "$(field people1.csv C3 18)" struck_off
is "C3 readmitted" "$(field people1.csv C3 20)" 0
is "C1 left_on (never left)" "$(field people1.csv C1 17)" ""
is "C5 member_since" "$(field people1.csv C5 13)" 2012-10-01
is "C5 official_since" "$(field people1.csv C5 14)" ""
is "C4 member_since (a candidate)" "$(field people1.csv C4 13)" ""
is "M1 member_since (stored)" "$(field people1.csv M1 13)" 1999-01-01
is "M1 official_since (stored)" "$(field people1.csv M1 14)" 2000-01-01
has people1.csv "C1,Nguyễn Thị Kim Thảo,F,1990-05-10,CT.BT.P1.KV1,,,12/12,,,1,0,2011-07-01,2012-08-12,,"

# ---- import people: the dates must agree with the recorded steps ----
# The export itself agrees: re-imported into the same database, accepted.
expect 0 "$K" import people people1.csv
sed 's/^\(C1,.*\),2011-07-01,2012-08-12,/\1,2011-07-02,2012-08-12,/' people1.csv >bad-member.csv
if cmp -s people1.csv bad-member.csv; then bad "sed did not change C1's member_since"; else ok; fi
"$K" export people -o before.csv
expect 1 "$K" import people bad-member.csv
has err "member_since"
has err "2011-07-02"
has err "2011-07-01"
"$K" export people -o now.csv
if cmp -s before.csv now.csv; then ok; else bad "a refused people import changed the people"; fi
sed 's/^\(C1,.*\),2011-07-01,2012-08-12,/\1,2011-07-01,2012-08-20,/' people1.csv >bad-official.csv
expect 1 "$K" import people bad-official.csv
has err "official_since"
has err "2012-08-20"
has err "2012-08-12"
# C5 is on probation: an official_since is refused, naming the decision.
sed 's/^\(C5,.*\),2012-10-01,,/\1,2012-10-01,2013-10-01,/' people1.csv >bad-probation.csv
expect 1 "$K" import people bad-probation.csv
has err "2013-10-01"
has err "2012-10-01"
# C3 was struck off: a member_since is refused.
sed 's/^\(C3,.*\),,,,,2012-01-05,/\1,2011-07-04,,,,2012-01-05,/' people1.csv >bad-struck.csv
if cmp -s people1.csv bad-struck.csv; then bad "sed did not change C3's row"; else ok; fi
expect 1 "$K" import people bad-struck.csv
has err "2012-01-05"

# ---- KN-OPEN on the step's date ----
# M3 has been a member since 2012-05-02 (stored, no steps): a source
# dated after it is refused naming that date.
expect 1 "$K" step M3 source --date 2012-06-01 --org cell
has err "KN-OPEN:"
has err "2012-05-02"

# ---- the steps' order: a mentor recorded out of date order ----
expect 0 "$K" step C4 source --date 2011-01-10 --org cell
expect 0 "$K" step C4 trained --date 2011-03-01 --doc CN-C4
expect 0 "$K" step C4 applied --date 2011-04-01
# recorded last, dated between source and trained
expect 0 "$K" step C4 mentor --date 2011-02-01 --member M1
expect 0 "$K" export steps -o steps1.csv
grep '^C4,' steps1.csv | cut -d, -f2,3 >c4.order
printf 'source,2011-01-10\nmentor,2011-02-01\ntrained,2011-03-01\napplied,2011-04-01\n' >c4.want
if cmp -s c4.order c4.want; then ok; else bad "C4's steps are not in date order"; diff c4.want c4.order >&2; fi
# C5's first candidacy (withdrawn) comes before the second one
grep '^C5,' steps1.csv | cut -d, -f2 | head -3 | tr '\n' ' ' >c5.order
is "C5's candidacies in order" "$(cat c5.order)" "source withdrawn source "
grep '^C6,' steps1.csv | cut -d, -f2 | tr '\n' ' ' >c6.order
is "C6's candidacies in order" "$(cat c6.order)" "source withdrawn source trained "

# ---- the round trip: people (with dates), then steps, into an empty database ----
mkdir -p one two three
for k in $KINDS; do "$K" export "$k" -o "one/$k.csv"; done
expect 0 "$K" --db "$K2" init
for k in $KINDS; do
	# C1's and C5's sources (2011-01-10, 2012-03-01) are before their
	# member_since: KN-OPEN lets them through.
	expect 0 "$K" --db "$K2" import "$k" "one/$k.csv"
done
for k in $KINDS; do "$K" --db "$K2" export "$k" -o "two/$k.csv"; done
for k in $KINDS; do
	if cmp -s "one/$k.csv" "two/$k.csv"; then ok; else bad "$k.csv differs after the round trip"; diff "one/$k.csv" "two/$k.csv" >&2; fi
done
is "C1 member_since after the round trip" "$(field two/people.csv C1 13)" 2011-07-01
# a second round trip is stable too, and re-importing changes nothing
for k in $KINDS; do expect 0 "$K" --db "$K2" import "$k" "two/$k.csv"; done
for k in $KINDS; do "$K" --db "$K2" export "$k" -o "three/$k.csv"; done
for k in $KINDS; do
	if cmp -s "one/$k.csv" "three/$k.csv"; then ok; else bad "$k.csv differs after a re-import"; fi
done

# ---- a people list imported before its steps, then steps that disagree ----
# Into an empty database the people list is taken as it is (no steps to
# compare with); the steps whose decision (2011-07-01) disagrees with the
# member_since given (2011-07-02) are then refused on the decision's line.
K3=$(kn_db k3)
expect 0 "$K" --db "$K3" init
expect 0 "$K" --db "$K3" import units one/units.csv
expect 0 "$K" --db "$K3" import people bad-member.csv
expect 1 "$K" --db "$K3" import steps one/steps.csv
line=$(grep -n '^C1,decision,' one/steps.csv | cut -d: -f1)
has err "steps.csv:$line: date:"
has err "2011-07-01"
has err "2011-07-02"
"$K" --db "$K3" export steps -o k3-steps.csv
is "steps written after the refusal" "$(wc -l <k3-steps.csv)" 1
# and an official_since that is not the probation end (2012-08-12)
expect 0 "$K" --db "$K3" import people bad-official.csv
expect 1 "$K" --db "$K3" import steps one/steps.csv
line=$(grep -n '^C1,official,' one/steps.csv | cut -d: -f1)
has err "steps.csv:$line: date:"
has err "2012-08-20"

check_done
