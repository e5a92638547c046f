#!/usr/bin/env bash
# End to end: a unit moved to another parent (by `ketnap import units`)
# takes its admissions, steps, open deadlines and quotas with it in every
# report, which read only the report unit's subtree (the units' paths of
# migration 006, kept by the store when a parent changes). Expected
# figures are worked out by hand in the comments.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KETNAP_DB=$(KN_DB_DIR=$dir kn_db k) KETNAP_TODAY=2012-03-31 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
K=$KETNAP

has() { if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; sed 's/^/  | /' "$1" >&2; fi; }
lacks() { if grep -qF -- "$2" "$1"; then bad "$1 has: $2"; sed 's/^/  | /' "$1" >&2; else ok; fi; }
same() {
	if cmp -s "$2" out; then ok; else bad "$1: output differs (- expected, + got)"; diff -u "$2" out | sed 's/^/  /' >&2; fi
}
report() { local what=$1 want=$2; shift 2; expect 0 "$K" report "$@"; same "$what" "$want"; }

# AG province > AG.CT upper (quota 2011: 3) > AG.CT.THPT (chi bộ cơ sở)
#             > AG.TT upper (quota 2011: 2) > AG.TT.UB (chi bộ cơ sở)
# C03 of AG.CT.THPT decided 2011-03-15, C06 of AG.TT.UB 2011-11-07 (the
# candidacies of tests/cli/report.sh). Then AG.CT.THPT moves to AG.TT.
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
AG,,Đảng bộ tỉnh An Giang,province,1,,0
AG.CT,AG,Đảng bộ huyện Châu Thành,upper,1,,0
AG.CT.THPT,AG.CT,Chi bộ Trường THPT Châu Thành,grassroots,0,school,0
AG.TT,AG,Đảng bộ huyện Tri Tôn,upper,1,,0
AG.TT.UB,AG.TT,Chi bộ Văn phòng Huyện ủy Tri Tôn,grassroots,0,agency,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,AG.CT.THPT,,,12/12,university,civil_servant,0,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,AG.CT.THPT,,,12/12,college,farmer,0,0,2004-01-01,2005-01-01
C03,Phạm Thị Hồng Nhung,F,1988-08-08,AG.CT.THPT,,,12/12,university,civil_servant,1,1,,
C06,Đặng Văn Bình,M,1960-02-01,AG.TT.UB,Kinh,Không,12/12,postgraduate,civil_servant,0,1,,
CSV
cat >quotas.csv <<'CSV'
unit,year,category,target
AG.CT,2011,total,3
AG.TT,2011,total,2
CSV
{
echo "person,step,date,doc_no,org,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,note"
s() { echo "$1,$2,$3,${4:-},${5:-},,,,,,,"; }
intro() { echo "$1,introduced,$2,,,M1,2008-01-01,M2,2008-01-01,,,"; }
vote() { echo "$1,$2,$3,,,,,,,$4,$5,"; }
s C03 source 2010-05-03 "" youth_union
s C03 trained 2010-06-01 CN-03
s C03 applied 2010-07-01
s C03 verified 2010-09-01
intro C03 2010-11-01
vote C03 cell_vote 2011-02-21 5 7
s C03 decision 2011-03-15 101-QĐ/HU AG.CT
s C03 ceremony 2011-03-29
s C06 source 2010-12-01 "" cell
s C06 trained 2011-01-10 CN-06
s C06 applied 2011-02-14
s C06 verified 2011-03-14
intro C06 2011-06-01
vote C06 cell_vote 2011-09-05 5 7
s C06 decision 2011-11-07 301-QĐ/HU AG.TT
s C06 ceremony 2011-11-21
} >steps.csv

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import quotas quotas.csv
expect 0 "$K" import steps steps.csv

# Before: one admission each; AG has no quota. 1/3 = 33.3%, 1/2 = 50.0%.
cat >before.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,,2,,
AG.CT,Đảng bộ huyện Châu Thành,1,3,1,33.3,no
AG.TT,Đảng bộ huyện Tri Tôn,1,2,1,50.0,no
CSV
report "achievement before the move" before.csv achievement --year 2011 --format csv
# The funnel of AG.TT in 2011: C06's steps but its source (2010-12-01).
cat >funnel_before.csv <<'CSV'
step,reached
source,0
trained,1
applied,1
verified,1
introduced,1
cell_vote,1
committee_vote,0
decision,1
ceremony,1
probation_vote,0
official,0
CSV
report "AG.TT's funnel before the move" funnel_before.csv funnel --unit AG.TT --year 2011 --format csv
# On 2011-03-20 C03 (decided 2011-03-15) awaits its ceremony, in AG.CT.
expect 0 "$K" report deadlines --unit AG.CT --as-of 2011-03-20 --format csv
has out "C03,"
expect 0 "$K" report deadlines --unit AG.TT --as-of 2011-03-20 --format csv
lacks out "C03,"

# The move.
sed 's/^AG.CT.THPT,AG.CT,/AG.CT.THPT,AG.TT,/' units.csv >moved.csv
expect 0 "$K" import units moved.csv
has out "1"

# After: AG.TT has both admissions (2/2 = 100.0%, met), AG.CT none (0/3).
cat >after.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,,2,,
AG.CT,Đảng bộ huyện Châu Thành,1,3,0,0.0,no
AG.TT,Đảng bộ huyện Tri Tôn,1,2,2,100.0,yes
CSV
report "achievement after the move" after.csv achievement --year 2011 --format csv
cat >tt_after.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG.TT,Đảng bộ huyện Tri Tôn,0,2,2,100.0,yes
AG.CT.THPT,Chi bộ Trường THPT Châu Thành,1,,1,,
AG.TT.UB,Chi bộ Văn phòng Huyện ủy Tri Tôn,1,,1,,
CSV
report "AG.TT's achievement after the move" tt_after.csv achievement --unit AG.TT --year 2011 --format csv
# C03 adds its 2011 steps: cell_vote, decision, ceremony.
cat >funnel_after.csv <<'CSV'
step,reached
source,0
trained,1
applied,1
verified,1
introduced,1
cell_vote,2
committee_vote,0
decision,2
ceremony,2
probation_vote,0
official,0
CSV
report "AG.TT's funnel after the move" funnel_after.csv funnel --unit AG.TT --year 2011 --format csv
expect 0 "$K" report deadlines --unit AG.TT --as-of 2011-03-20 --format csv
has out "C03,"
expect 0 "$K" report deadlines --unit AG.CT --as-of 2011-03-20 --format csv
lacks out "C03,"
# AG.CT keeps its quota, now with nobody admitted below it.
cat >ct_after.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG.CT,Đảng bộ huyện Châu Thành,0,3,0,0.0,no
CSV
report "AG.CT's achievement after the move" ct_after.csv achievement --unit AG.CT --year 2011 --format csv

echo "unit_move: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
