#!/usr/bin/env bash
# End to end: the six reports of FORMATS.md ("Report outputs") over a small
# province built by hand, in csv, json, table (en and vi), xlsx and html,
# plus the `quota` command. Every expected figure below is worked out by
# hand from the dataset (RULES.md §2: admitted in year Y = decision dated in
# Y; §4 deadlines; §5 working days; §6 categories), with the arithmetic in
# the comments: none of it was copied from the program's output.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
# 2012-03-31 is a Saturday; every step of the dataset is on or before it.
export KETNAP_DB=$(KN_DB_DIR=$dir kn_db k) KETNAP_TODAY=2012-03-31 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
K=$KETNAP

has() { # has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; sed 's/^/  | /' "$1" >&2; fi
}
# same WHAT EXPECTED-FILE : the last command's stdout is exactly the file.
same() {
	if cmp -s "$2" out; then ok; else bad "$1: output differs (- expected, + got)"; diff -u "$2" out | sed 's/^/  /' >&2; fi
}
# report WHAT EXPECTED-FILE ARGS... : `ketnap report ARGS`, exit 0, exact stdout.
report() {
	local what=$1 want=$2; shift 2
	expect 0 "$K" report "$@"
	same "$what" "$want"
}
# pyeq WHAT PYTHON-EXPR : evaluate EXPR with j = the JSON on stdout (out).
pyeq() {
	if python3 -c 'import json,sys; j=json.load(open("out")); sys.exit(0 if ('"$2"') else 1)'; then ok; else
		bad "json: $1: ($2) is false"; sed 's/^/  | /' out >&2; fi
}

# ---------------------------------------------------------------------------
# The dataset.
#
# AG        province  "Đảng bộ tỉnh An Giang"            may_admit   quota 2011: 1000
# AG.CT     upper     "Đảng bộ huyện Châu Thành"         may_admit   quota 3
#   AG.CT.THPT grassroots, no child cell (chi bộ cơ sở), school       quota 6
#   AG.CT.VT   grassroots (đảng bộ xã), commune                       quota 2
#     AG.CT.VT.A1 cell, hamlet                                        no quota
#     AG.CT.VT.A2 cell, hamlet                                        quota 1
# AG.DN     upper     "Đảng bộ Khối Doanh nghiệp tỉnh"   may_admit   quota 3
#   AG.DN.MK   grassroots, nonstate_enterprise                        quota 6
#     AG.DN.MK.PX cell, no sector of its own (its grassroots' applies)
# AG.QS     upper     "Đảng bộ Quân sự tỉnh"             may_admit   quota 0
# AG.TT     upper     "Đảng bộ huyện Tri Tôn"            may_admit   no quota
#   AG.TT.UB   grassroots, no child cell (chi bộ cơ sở), agency
#
# Structure quotas of AG for 2011: female 4, youth 3, worker 1, hamlet 7.
#
# Candidacies (decision = the admission; competent committee = the nearest
# may_admit unit at or above the grassroots unit = the upper unit here):
#   C09 AG.CT.VT.A1  decision 2010-03-15, probation vote and official in 2011
#   C03 AG.CT.THPT   decision 2011-03-15 (no committee vote: chi bộ cơ sở)
#   C04 AG.CT.VT.A1  decision 2011-04-20, struck off 2011-10-03 in probation
#   C02 AG.CT.VT.A2  decision 2011-06-10
#   C05 AG.DN.MK.PX  decision 2011-09-14
#   C06 AG.TT.UB     decision 2011-11-07 (no committee vote: chi bộ cơ sở)
#   C01 AG.CT.VT.A1  decision 2011-12-31 (a Saturday: the last day of 2011)
#   C07 AG.CT.VT.A2  decision 2012-01-01 (counts in 2012, not in 2011)
#   C08 AG.DN.MK.PX  cell vote 2011-05-30, withdrawn 2011-11-15 (never counts)
# Admitted in 2011: C03 C04 C02 C05 C06 C01 = 6
#   AG.CT 4 (C01 C02 C03 C04), AG.DN 1 (C05), AG.QS 0, AG.TT 1 (C06).
# ---------------------------------------------------------------------------

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
AG,,Đảng bộ tỉnh An Giang,province,1,,0
AG.CT,AG,Đảng bộ huyện Châu Thành,upper,1,,0
AG.CT.VT,AG.CT,Đảng bộ xã Vĩnh Thành,grassroots,0,commune,0
AG.CT.VT.A1,AG.CT.VT,Chi bộ ấp Vĩnh Phú,cell,0,hamlet,0
AG.CT.VT.A2,AG.CT.VT,Chi bộ ấp Vĩnh Lợi,cell,0,hamlet,0
AG.CT.THPT,AG.CT,Chi bộ Trường THPT Châu Thành,grassroots,0,school,0
AG.DN,AG,Đảng bộ Khối Doanh nghiệp tỉnh,upper,1,,0
AG.DN.MK,AG.DN,Đảng bộ Công ty TNHH Mê Kông,grassroots,0,nonstate_enterprise,0
AG.DN.MK.PX,AG.DN.MK,"Chi bộ Phân xưởng 1, Nhà máy Mê Kông",cell,0,,0
AG.QS,AG,Đảng bộ Quân sự tỉnh,upper,1,armed_forces,0
AG.TT,AG,Đảng bộ huyện Tri Tôn,upper,1,,0
AG.TT.UB,AG.TT,Chi bộ Văn phòng Huyện ủy Tri Tôn,grassroots,0,agency,0
CSV

# Categories of the 2011 admissions (RULES.md §6), on the decision date:
#   C01 F Kinh, no religion, born 1985-12-01 (26: youth), Youth Union, farmer,
#       hamlet, college (higher education)
#   C02 M Khmer, Phật giáo, born 1980-06-10, decided 2011-06-10: exactly 31,
#       so NOT youth; farmer, hamlet, no qualification
#   C03 F Kinh, born 1988-08-08 (22: youth), Youth Union, civil servant,
#       school, university (higher education)
#   C04 M Kinh, born 1990-01-20 (21: youth), Youth Union, student, hamlet
#   C05 F Kinh, born 1980-09-15, decided 2011-09-14: 30 years 11 months, so
#       youth; worker, non-state enterprise (its grassroots' sector), vocational
#   C06 M Kinh, religion "Không" (= none), born 1960-02-01 (51), civil servant,
#       agency, postgraduate (higher education)
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,AG.CT.VT.A1,,,12/12,university,civil_servant,0,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,AG.CT.VT.A1,,,12/12,college,farmer,0,0,2004-01-01,2005-01-01
C01,Nguyễn Thị Kim Thảo,F,1985-12-01,AG.CT.VT.A1,Kinh,,12/12,college,farmer,1,0,,
C02,Chau Sóc Kha,M,1980-06-10,AG.CT.VT.A2,Khmer,Phật giáo,9/12,none,farmer,0,0,,
C03,Phạm Thị Hồng Nhung,F,1988-08-08,AG.CT.THPT,,,12/12,university,civil_servant,1,1,,
C04,Lê Minh Tuấn,M,1990-01-20,AG.CT.VT.A1,,,12/12,,student,1,0,,
C05,Võ Thị Lan,F,1980-09-15,AG.DN.MK.PX,,,12/12,vocational,worker,0,1,,
C06,Đặng Văn Bình,M,1960-02-01,AG.TT.UB,Kinh,Không,12/12,postgraduate,civil_servant,0,1,,
C07,Huỳnh Thị Thu,F,1970-04-04,AG.CT.VT.A2,,,12/12,,other,0,0,,
C08,Ngô Văn Phát,M,1990-02-02,AG.DN.MK.PX,,,12/12,,worker,0,1,,
C09,Trương Văn Sơn,M,1985-03-03,AG.CT.VT.A1,,,12/12,,farmer,1,0,,
CSV

cat >quotas.csv <<'CSV'
unit,year,category,target
AG,2011,,1000
AG,2011,female,4
AG,2011,youth,3
AG,2011,worker,1
AG,2011,hamlet,7
AG.CT,2011,total,3
AG.CT.VT,2011,total,2
AG.CT.VT.A2,2011,total,1
AG.CT.THPT,2011,total,6
AG.DN,2011,total,3
AG.DN.MK,2011,total,6
AG.QS,2011,total,0
CSV

# steps.csv. Every candidacy obeys RULES.md §3: dates in order; ages 21-51
# at the cell vote; education 9/12 or 12/12; certificate and introductions
# less than a year before the cell vote; introducers M1 (full since 2000)
# and M2 (full since 2005), known since 2008-01-01; cell votes 5 of 7
# (15 >= 14); committee votes 5 of 9 (> 1/2, before 2021-07-30); ceremonies
# within 30 working days of the decision (counted below); probation vote
# after ceremony + 12 months; decision/official by the upper unit.
H=person,step,date,doc_no,org,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,note
{
echo "$H"
# s PERSON STEP DATE [DOC] [ORG]
s() { echo "$1,$2,$3,${4:-},${5:-},,,,,,,"; }
intro() { echo "$1,introduced,$2,,,M1,2008-01-01,M2,2008-01-01,,,"; }
vote() { echo "$1,$2,$3,,,,,,,$4,$5,"; }
endstep() { echo "$1,$2,$3,,,,,,,,,$4"; }

# C09: admitted in 2010; ceremony Thu 2010-04-01 (13 working days after
# Mon 2010-03-15); probation ends 2011-04-01; probation vote 2011-04-05.
s C09 source 2009-09-01 "" cell
s C09 trained 2009-10-01 CN-09
s C09 applied 2009-11-02
s C09 verified 2009-12-01
intro C09 2010-01-04
vote C09 cell_vote 2010-02-01 5 7
vote C09 committee_vote 2010-03-01 5 9
s C09 decision 2010-03-15 12-QĐ/HU AG.CT
s C09 ceremony 2010-04-01
vote C09 probation_vote 2011-04-05 6 7
s C09 official 2011-04-20 40-QĐ/HU AG.CT

# C03 (chi bộ cơ sở: no committee vote). Ceremony Tue 2011-03-29: 10
# working days after Tue 2011-03-15.
s C03 source 2010-05-03 "" youth_union
s C03 trained 2010-06-01 CN-03
s C03 applied 2010-07-01
s C03 verified 2010-09-01
intro C03 2010-11-01
vote C03 cell_vote 2011-02-21 5 7
s C03 decision 2011-03-15 101-QĐ/HU AG.CT
s C03 ceremony 2011-03-29

# C04. Ceremony Thu 2011-05-05 after Wed 2011-04-20: Apr 21, 22, 25-29 (7),
# May 2 and 3 are the compensation days of 30/4 (Sat) and 1/5 (Sun), May 4,
# 5 (9 working days). Struck off during probation.
s C04 source 2010-10-01 "" youth_union
s C04 trained 2010-11-01 CN-04
s C04 applied 2010-12-01
s C04 verified 2011-01-10
intro C04 2011-02-01
vote C04 cell_vote 2011-03-01 5 7
vote C04 committee_vote 2011-03-21 5 9
s C04 decision 2011-04-20 102-QĐ/HU AG.CT
s C04 ceremony 2011-05-05
endstep C04 struck_off 2011-10-03 "Vi phạm tư cách đảng viên dự bị"

# C02. Ceremony Fri 2011-06-24: 10 working days after Fri 2011-06-10.
s C02 source 2011-01-05 "" farmers_union
s C02 trained 2011-01-20 CN-02
s C02 applied 2011-02-10
s C02 verified 2011-03-10
intro C02 2011-04-04
vote C02 cell_vote 2011-05-05 5 7
vote C02 committee_vote 2011-05-20 5 9
s C02 decision 2011-06-10 103-QĐ/HU AG.CT
s C02 ceremony 2011-06-24

# C05. Ceremony Wed 2011-09-28: 10 working days after Wed 2011-09-14.
s C05 source 2011-01-10 "" trade_union
s C05 trained 2011-02-14 CN-05
s C05 applied 2011-03-14
s C05 verified 2011-04-15
intro C05 2011-05-16
vote C05 cell_vote 2011-06-15 5 7
vote C05 committee_vote 2011-07-15 5 9
s C05 decision 2011-09-14 201-QĐ/ĐUK AG.DN
s C05 ceremony 2011-09-28

# C08: withdrawn after the cell vote, before any decision.
s C08 source 2011-01-17 "" trade_union
s C08 trained 2011-02-21 CN-08
s C08 applied 2011-03-21
s C08 verified 2011-04-18
intro C08 2011-05-23
vote C08 cell_vote 2011-05-30 5 7
endstep C08 withdrawn 2011-11-15 "Chuyển công tác"

# C06 (chi bộ cơ sở). Ceremony Mon 2011-11-21: 10 working days after Mon
# 2011-11-07. Age 51 at the cell vote.
s C06 source 2010-12-01 "" cell
s C06 trained 2011-01-10 CN-06
s C06 applied 2011-02-14
s C06 verified 2011-03-14
intro C06 2011-06-01
vote C06 cell_vote 2011-09-05 5 7
s C06 decision 2011-11-07 301-QĐ/HU AG.TT
s C06 ceremony 2011-11-21

# C01: decision on the last day of 2011. Ceremony Tue 2012-01-10: Jan 2 is
# the compensation day of 1/1 (Sun), then Jan 3-6, 9, 10: 6 working days.
s C01 source 2011-02-01 "" youth_union
s C01 trained 2011-03-01 CN-01
s C01 applied 2011-04-01
s C01 verified 2011-06-01
intro C01 2011-08-01
vote C01 cell_vote 2011-10-03 5 7
vote C01 committee_vote 2011-11-15 5 9
s C01 decision 2011-12-31 104-QĐ/HU AG.CT
s C01 ceremony 2012-01-10

# C07: decision on the first day of 2012; a second certificate in 2011
# (trained recorded again before the cell vote: counted once in the funnel).
# Ceremony Fri 2012-01-13: 9 working days after Sun 2012-01-01.
s C07 source 2011-03-01 "" women_union
s C07 trained 2011-04-04 CN-07a
s C07 applied 2011-05-09
s C07 trained 2011-06-06 CN-07b
s C07 verified 2011-07-01
intro C07 2011-08-15
vote C07 cell_vote 2011-10-10 5 7
vote C07 committee_vote 2011-11-21 5 9
s C07 decision 2012-01-01 1-QĐ/HU AG.CT
s C07 ceremony 2012-01-13
} >steps.csv

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import quotas quotas.csv
expect 0 "$K" import steps steps.csv
if [ "$fail" -ne 0 ]; then
	echo "the dataset did not load; nothing else can be checked" >&2
	echo "$pass passed, $fail failed"
	exit 1
fi

# ---------------------------------------------------------------------------
# achievement (FORMATS.md: unit then subtree depth-first, children by code)
#   AG     6 of 1000: 6000/1000 = 6 tenths = 0.6 %, not met
#   AG.CT  4 of 3: 400/3 = 133.33 -> 133.3, met
#   AG.DN  1 of 3: 100/3 = 33.33 -> 33.3, not met
#   AG.QS  0 of quota 0: no percent (division by zero); 0 >= 0 met
#   AG.TT  1, no quota: quota, percent and met empty
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,1000,6,0.6,no
AG.CT,Đảng bộ huyện Châu Thành,1,3,4,133.3,yes
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,1,3,1,33.3,no
AG.QS,Đảng bộ Quân sự tỉnh,1,0,0,,yes
AG.TT,Đảng bộ huyện Tri Tôn,1,,1,,
CSV
report "achievement 2011" want achievement --year 2011 --format csv

# --depth 0: the unit alone
head -2 want >want0
report "achievement depth 0" want0 achievement --year 2011 --depth 0 --format csv

# AG.CT, two levels: THPT before VT (code order)
#   AG.CT.THPT  C03: 1 of 6 = 16.67 -> 16.7, not met
#   AG.CT.VT    C01 C02 C04: 3 of 2 = 150.0, met
#   AG.CT.VT.A1 C01 C04: 2, no quota
#   AG.CT.VT.A2 C02: 1 of 1 = 100.0, met
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG.CT,Đảng bộ huyện Châu Thành,0,3,4,133.3,yes
AG.CT.THPT,Chi bộ Trường THPT Châu Thành,1,6,1,16.7,no
AG.CT.VT,Đảng bộ xã Vĩnh Thành,1,2,3,150.0,yes
AG.CT.VT.A1,Chi bộ ấp Vĩnh Phú,2,,2,,
AG.CT.VT.A2,Chi bộ ấp Vĩnh Lợi,2,1,1,100.0,yes
CSV
report "achievement AG.CT depth 2" want achievement --unit AG.CT --depth 2 --year 2011 --format csv

# AG.DN, two levels; the cell's name has a comma: quoted (RFC 4180)
#   AG.DN.MK C05: 1 of 6 = 16.7, not met; AG.DN.MK.PX 1, no quota
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,0,3,1,33.3,no
AG.DN.MK,Đảng bộ Công ty TNHH Mê Kông,1,6,1,16.7,no
AG.DN.MK.PX,"Chi bộ Phân xưởng 1, Nhà máy Mê Kông",2,,1,,
CSV
report "achievement AG.DN depth 2" want achievement --unit AG.DN --depth 2 --year 2011 --format csv

# 2012: only C07 (decision 2012-01-01); no quotas for 2012.
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,,1,,
AG.CT,Đảng bộ huyện Châu Thành,1,,1,,
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,1,,0,,
AG.QS,Đảng bộ Quân sự tỉnh,1,,0,,
AG.TT,Đảng bộ huyện Tri Tôn,1,,0,,
CSV
report "achievement 2012" want achievement --year 2012 --format csv

# --as-of 2011-12-30: C01's decision (12-31) is not there yet.
#   AG 5 of 1000 = 0.5; AG.CT 3 of 3 = 100.0, met (exactly the quota)
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,1000,5,0.5,no
AG.CT,Đảng bộ huyện Châu Thành,1,3,3,100.0,yes
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,1,3,1,33.3,no
AG.QS,Đảng bộ Quân sự tỉnh,1,0,0,,yes
AG.TT,Đảng bộ huyện Tri Tôn,1,,1,,
CSV
report "achievement as of 2011-12-30" want achievement --year 2011 --as-of 2011-12-30 --format csv
cp want want_asof

# A period across two years (2010-07-01..2011-06-30) has no one year's
# quota: C03 C04 C02 = 3 admitted, quotas empty (C09's 2010-03-15 is before).
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,,3,,
AG.CT,Đảng bộ huyện Châu Thành,1,,3,,
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,1,,0,,
AG.QS,Đảng bộ Quân sự tỉnh,1,,0,,
AG.TT,Đảng bộ huyện Tri Tôn,1,,0,,
CSV
report "achievement 2010-07..2011-06" want achievement --from 2010-07-01 --to 2011-06-30 --format csv

# The first half of 2011: C03 (03-15), C04 (04-20), C02 (06-10), all AG.CT.
#   AG 3 of 1000 = 0.3; AG.CT 3 of 3 = 100.0; AG.DN 0 of 3 = 0.0
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,1000,3,0.3,no
AG.CT,Đảng bộ huyện Châu Thành,1,3,3,100.0,yes
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,1,3,0,0.0,no
AG.QS,Đảng bộ Quân sự tỉnh,1,0,0,,yes
AG.TT,Đảng bộ huyện Tri Tôn,1,,0,,
CSV
report "achievement H1 2011" want achievement --from 2011-01-01 --to 2011-06-30 --format csv
# DD/MM/YYYY dates are accepted too
report "achievement H1 2011, DD/MM/YYYY" want achievement --from 01/01/2011 --to 30/06/2011 --format csv
# a period ending on 2011-12-30 leaves C01 out, as --as-of did
report "achievement to 2011-12-30" want_asof achievement --from 2011-01-01 --to 2011-12-30 --format csv

# ---------------------------------------------------------------------------
# structure of AG, 2011 (6 admissions; share = n/6, percent = n/quota)
#   total            6  100.0   quota 1000: 0.6
#   female           3  C01 C03 C05: 3000/6 = 50.0; quota 4: 75.0
#   ethnic_minority  1  C02: 1000/6 = 166.67 -> 16.7
#   religious        1  C02 (C06's "Không" is none): 16.7
#   youth            4  C01 C03 C04 C05 (not C02, 31 that day; not C06):
#                       4000/6 = 666.67 -> 66.7; quota 3: 4000/3 = 133.3
#   youth_union      3  C01 C03 C04: 50.0
#   worker           1  C05: 16.7; quota 1: 100.0
#   farmer           2  C01 C02: 2000/6 = 333.3 -> 33.3
#   student          1  C04: 16.7
#   civil_servant    2  C03 C06: 33.3
#   nonstate_enterprise 1  C05: 16.7
#   hamlet           3  C01 C02 C04: 50.0; quota 7: 3000/7 = 428.57 -> 42.9
#   higher_education 3  C01 (college) C03 (university) C06 (postgraduate): 50.0
#   readmitted       0  nobody left the Party before a source: 0.0
cat >want <<'CSV'
category,admitted,share,quota,percent
total,6,100.0,1000,0.6
female,3,50.0,4,75.0
ethnic_minority,1,16.7,,
religious,1,16.7,,
youth,4,66.7,3,133.3
youth_union,3,50.0,,
worker,1,16.7,1,100.0
farmer,2,33.3,,
student,1,16.7,,
civil_servant,2,33.3,,
nonstate_enterprise,1,16.7,,
hamlet,3,50.0,7,42.9
higher_education,3,50.0,,
readmitted,0,0.0,,
CSV
report "structure 2011" want structure --year 2011 --format csv

# structure of AG.DN: C05 only, no structure quotas there
cat >want <<'CSV'
category,admitted,share,quota,percent
total,1,100.0,3,33.3
female,1,100.0,,
ethnic_minority,0,0.0,,
religious,0,0.0,,
youth,1,100.0,,
youth_union,0,0.0,,
worker,1,100.0,,
farmer,0,0.0,,
student,0,0.0,,
civil_servant,0,0.0,,
nonstate_enterprise,1,100.0,,
hamlet,0,0.0,,
higher_education,0,0.0,,
readmitted,0,0.0,,
CSV
report "structure AG.DN 2011" want structure --unit AG.DN --year 2011 --format csv

# ---------------------------------------------------------------------------
# funnel of AG, 2011: candidacies with the step dated in 2011
#   source          C02 C01 C07 C05 C08                      5  (C03 C04 C06 C09 earlier)
#   trained         C02 C01 C07(twice) C05 C08 C06           6
#   applied         C02 C01 C07 C05 C08 C06                  6
#   verified        C04 C02 C01 C07 C05 C08 C06              7
#   introduced      C04 C02 C01 C07 C05 C08 C06              7  (C03's 2010-11-01)
#   cell_vote       C03 C04 C02 C01 C07 C05 C08 C06          8
#   committee_vote  C04 C02 C01 C07 C05                      5  (C03 C06 chi bộ cơ sở, C08 withdrawn)
#   decision        C03 C04 C02 C05 C06 C01                  6  (C07's is 2012)
#   ceremony        C03 C04 C02 C05 C06                      5  (C01's is 2012)
#   probation_vote  C09                                      1
#   official        C09                                      1
cat >want <<'CSV'
step,reached
source,5
trained,6
applied,6
verified,7
introduced,7
cell_vote,8
committee_vote,5
decision,6
ceremony,5
probation_vote,1
official,1
CSV
report "funnel 2011" want funnel --year 2011 --format csv

# funnel of AG.DN: C05 (all through ceremony) and C08 (through cell_vote)
cat >want <<'CSV'
step,reached
source,2
trained,2
applied,2
verified,2
introduced,2
cell_vote,2
committee_vote,1
decision,1
ceremony,1
probation_vote,0
official,0
CSV
report "funnel AG.DN 2011" want funnel --unit AG.DN --year 2011 --format csv

# funnel of AG, 2011-01-01..2011-06-30
#   source     C02 01-05 C01 02-01 C07 03-01 C05 01-10 C08 01-17         5
#   trained    C02 C01 C07 (04-04, 06-06) C05 C08 C06 01-10              6
#   applied    C02 C01 C07 05-09 C05 C08 C06                             6
#   verified   C04 C02 C01 06-01 C05 C08 C06 (C07 07-01 out)             6
#   introduced C04 C02 C05 C08 C06 06-01 (C01 08-01, C07 08-15 out)      5
#   cell_vote  C03 02-21 C04 03-01 C02 05-05 C08 05-30 C05 06-15         5
#   committee  C04 03-21 C02 05-20 (C05 07-15 out)                       2
#   decision   C03 C04 C02                                              3
#   ceremony   C03 03-29 C04 05-05 C02 06-24                            3
#   probation_vote C09 04-05, official C09 04-20                        1, 1
cat >want <<'CSV'
step,reached
source,5
trained,6
applied,6
verified,6
introduced,5
cell_vote,5
committee_vote,2
decision,3
ceremony,3
probation_vote,1
official,1
CSV
report "funnel H1 2011" want funnel --from 2011-01-01 --to 2011-06-30 --format csv
# the year seen as of 2011-06-30 is the same first half
report "funnel 2011 as of 2011-06-30" want funnel --year 2011 --as-of 2011-06-30 --format csv

# ---------------------------------------------------------------------------
# ranking of AG's children with a quota, 2011: by percent, then admitted
#   AG.CT 133.3, AG.DN 33.3, AG.QS quota 0 (no percent) last; AG.TT has none
cat >want <<'CSV'
rank,unit,name,quota,admitted,percent
1,AG.CT,Đảng bộ huyện Châu Thành,3,4,133.3
2,AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,3,1,33.3
3,AG.QS,Đảng bộ Quân sự tỉnh,0,0,
CSV
report "ranking 2011" want ranking --year 2011 --format csv

# --level 2: AG.CT.VT 3/2 = 150.0; AG.CT.THPT 1/6 = 16.7 and AG.DN.MK 1/6
# = 16.7 tie on percent and admitted: the same rank, by code.
cat >want <<'CSV'
rank,unit,name,quota,admitted,percent
1,AG.CT.VT,Đảng bộ xã Vĩnh Thành,2,3,150.0
2,AG.CT.THPT,Chi bộ Trường THPT Châu Thành,6,1,16.7
2,AG.DN.MK,Đảng bộ Công ty TNHH Mê Kông,6,1,16.7
CSV
report "ranking level 2" want ranking --year 2011 --level 2 --format csv

# ---------------------------------------------------------------------------
# deadlines of AG.DN as of Tue 2011-09-06 (RULES.md §4, §5). Open then:
#   C08: cell vote Mon 2011-05-30, no decision: DL-DECISION = 60 working
#     days later. No holiday from June to August 2011: May 31 (1), Jun 1-3
#     (4), then 11 full weeks Jun 6 .. Aug 19 (59), Mon Aug 22 (60).
#     Overdue: the working days in [Aug 22, Sep 6) are Aug 22-26 (5),
#     Aug 29-Sep 1 (4), Sep 2 is Quốc khánh (Fri), Sep 5 (1) = 10 -> -10.
#   C05: cell vote Wed 2011-06-15: Jun 16, 17 (2), 10 full weeks Jun 20 ..
#     Aug 26 (52), Aug 29-Sep 1 (56), Sep 2 holiday, Sep 5, 6, 7, 8 (60):
#     due Thu 2011-09-08; left = Sep 7, 8 = 2.
# Its committee vote (07-15) is recorded; its decision (09-14) is not yet.
cat >want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
C08,Ngô Văn Phát,AG.DN.MK.PX,DL-DECISION,2011-08-22,-10,overdue
C05,Võ Thị Lan,AG.DN.MK.PX,DL-DECISION,2011-09-08,2,due
CSV
report "deadlines AG.DN 2011-09-06" want deadlines --unit AG.DN --as-of 2011-09-06 --format csv
# on the due date itself: 0 left, still due; the day after: -1, overdue
# (C08: [Aug 22, Sep 8) = 10 + Sep 6, 7 = 12; [Aug 22, Sep 9) = 13)
cat >want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
C08,Ngô Văn Phát,AG.DN.MK.PX,DL-DECISION,2011-08-22,-12,overdue
C05,Võ Thị Lan,AG.DN.MK.PX,DL-DECISION,2011-09-08,0,due
CSV
report "deadlines AG.DN 2011-09-08" want deadlines --unit AG.DN --as-of 2011-09-08 --format csv
cat >want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
C08,Ngô Văn Phát,AG.DN.MK.PX,DL-DECISION,2011-08-22,-13,overdue
C05,Võ Thị Lan,AG.DN.MK.PX,DL-DECISION,2011-09-08,-1,overdue
CSV
report "deadlines AG.DN 2011-09-09" want deadlines --unit AG.DN --as-of 2011-09-09 --format csv

# AG.TT as of Thu 2011-11-10: C06 decided Mon 2011-11-07, no ceremony yet:
# DL-CEREMONY = 30 working days: Nov 8-11 (4), Nov 14 .. Dec 16 five weeks
# (29), Mon Dec 19 (30). Left after Nov 10: Nov 11 (1), five weeks (26),
# Dec 19 (27).
cat >want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
C06,Đặng Văn Bình,AG.TT.UB,DL-CEREMONY,2011-12-19,27,due
CSV
report "deadlines AG.TT 2011-11-10" want deadlines --unit AG.TT --as-of 2011-11-10 --format csv
# The whole province as of Thu 2011-12-01. Closed: C09 (official), C04
# (struck off), C08 (withdrawn). Open, sorted by due date:
#   C01 DL-DECISION: cell vote Mon 2011-10-03 + 60 = Oct 4-7 (4), 11 weeks
#       Oct 10 .. Dec 23 (59), Mon 2011-12-26 (60). Left after Dec 1: Dec 2
#       (1), Dec 5-23 (16), Dec 26 (17).
#   C07 DL-DECISION: Mon 2011-10-10 + 60 = Oct 11-14 (4), 11 weeks Oct 17 ..
#       Dec 30 (59), Jan 2 off (1/1 was a Sunday), Tue 2012-01-03. Left: 17 +
#       Dec 27-30 (21) + Jan 3 (22).
#   C03 DL-PROBATION-VOTE: ceremony 2011-03-29, probation ends Thu
#       2012-03-29; Giỗ Tổ 10/3 lunar = Sat 2012-03-31, off on Mon Apr 2;
#       30/4 and 1/5 are Mon, Tue: Mar 30 (1), Apr 3-6 (5), Apr 9-27 (20),
#       May 2-4 (23), May 7-11 (28), May 14, 15 (30): 2012-05-15.
#       Left: Dec 2011 (21); 2012: Jan 2 off, Jan 3-20 (35), Tết Nhâm Thìn:
#       Jan 22 (Sun, last day of Tân Mão) to Jan 25 off and Jan 26 for the
#       Sunday, Jan 27 (36), Jan 30 .. Mar 30 nine weeks (81), Apr 2 off,
#       Apr 3-27 (100), May 2-15 (110).
#   C02 DL-PROBATION-VOTE: ends Sun 2012-06-24; Jun 25 .. Aug 3 six weeks:
#       2012-08-03. Left: 110 + May 16-18 (113) + May 21 .. Jun 22 five
#       weeks (138) + 30 = 168.
#   C05 DL-PROBATION-VOTE: ends Fri 2012-09-28; Oct 1 .. Nov 9 six weeks:
#       2012-11-09. Left: 168 + Aug 6-31 (188) + Sep 3 off (2/9 was a
#       Sunday) + Sep 4-7 (192) + Sep 10-28 (207) + 30 = 237.
#   C06 DL-PROBATION-VOTE: ends Wed 2012-11-21; Nov 22, 23 (2), Nov 26 ..
#       Dec 28 (27), Dec 31 (28), 1/1/2013 off, Jan 2, 3 (30): 2013-01-03.
#       Left: 237 + Nov 12-21 (245) + 30 = 275.
cat >want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
C01,Nguyễn Thị Kim Thảo,AG.CT.VT.A1,DL-DECISION,2011-12-26,17,due
C07,Huỳnh Thị Thu,AG.CT.VT.A2,DL-DECISION,2012-01-03,22,due
C03,Phạm Thị Hồng Nhung,AG.CT.THPT,DL-PROBATION-VOTE,2012-05-15,110,due
C02,Chau Sóc Kha,AG.CT.VT.A2,DL-PROBATION-VOTE,2012-08-03,168,due
C05,Võ Thị Lan,AG.DN.MK.PX,DL-PROBATION-VOTE,2012-11-09,237,due
C06,Đặng Văn Bình,AG.TT.UB,DL-PROBATION-VOTE,2013-01-03,275,due
CSV
report "deadlines AG 2011-12-01" want deadlines --as-of 2011-12-01 --format csv

# A past year without --as-of is seen as it stood on its last day: AG.TT on
# Sat 2011-12-31, C06's DL-PROBATION-VOTE (above) with 275 - 21 (the working
# days Dec 2-30 2011) = 254 left.
cat >want <<'CSV'
person,full_name,unit,due,due_date,workdays_left,status
C06,Đặng Văn Bình,AG.TT.UB,DL-PROBATION-VOTE,2013-01-03,254,due
CSV
report "deadlines AG.TT 2011" want deadlines --unit AG.TT --year 2011 --format csv

# ---------------------------------------------------------------------------
# JSON: the same figures as numbers, null where empty
expect 0 "$K" report achievement --year 2011 --format json
pyeq "achievement report/unit" 'j["report"] == "achievement" and j["unit"] == "AG" and j["from"] == "2011-01-01" and j["to"] == "2011-12-31"'
pyeq "achievement rows" '[r["unit"] for r in j["rows"]] == ["AG", "AG.CT", "AG.DN", "AG.QS", "AG.TT"]'
pyeq "AG row" 'j["rows"][0] == {"unit": "AG", "name": "Đảng bộ tỉnh An Giang", "depth": 0, "quota": 1000, "admitted": 6, "percent": 0.6, "met": "no"}'
pyeq "AG.CT 133.3 a number" 'j["rows"][1]["percent"] == 133.3 and type(j["rows"][1]["percent"]) is float and j["rows"][1]["quota"] == 3 and j["rows"][1]["admitted"] == 4 and j["rows"][1]["met"] == "yes"'
pyeq "AG.DN 33.3" 'j["rows"][2]["percent"] == 33.3 and j["rows"][2]["met"] == "no"'
pyeq "AG.QS quota 0" 'j["rows"][3]["quota"] == 0 and j["rows"][3]["percent"] is None and j["rows"][3]["met"] == "yes"'
pyeq "AG.TT no quota" 'j["rows"][4]["quota"] is None and j["rows"][4]["percent"] is None and j["rows"][4]["met"] is None and j["rows"][4]["admitted"] == 1'
if grep -q '133.3[0-9]' out; then bad "json percent printed with float noise"; grep 133 out >&2; else ok; fi

expect 0 "$K" report structure --year 2011 --format json
pyeq "structure categories" '[r["category"] for r in j["rows"]] == ["total", "female", "ethnic_minority", "religious", "youth", "youth_union", "worker", "farmer", "student", "civil_servant", "nonstate_enterprise", "hamlet", "higher_education", "readmitted"]'
pyeq "structure figures" '[(r["admitted"], r["share"]) for r in j["rows"]] == [(6, 100.0), (3, 50.0), (1, 16.7), (1, 16.7), (4, 66.7), (3, 50.0), (1, 16.7), (2, 33.3), (1, 16.7), (2, 33.3), (1, 16.7), (3, 50.0), (3, 50.0), (0, 0.0)]'
pyeq "structure quotas" '[(r["quota"], r["percent"]) for r in j["rows"]] == [(1000, 0.6), (4, 75.0), (None, None), (None, None), (3, 133.3), (None, None), (1, 100.0), (None, None), (None, None), (None, None), (None, None), (7, 42.9), (None, None), (None, None)]'

expect 0 "$K" report funnel --year 2011 --format json
pyeq "funnel" '[(r["step"], r["reached"]) for r in j["rows"]] == [("source", 5), ("trained", 6), ("applied", 6), ("verified", 7), ("introduced", 7), ("cell_vote", 8), ("committee_vote", 5), ("decision", 6), ("ceremony", 5), ("probation_vote", 1), ("official", 1)]'
pyeq "funnel columns" 'all(sorted(r) == ["reached", "step"] for r in j["rows"])'

expect 0 "$K" report ranking --year 2011 --format json
pyeq "ranking" '[(r["rank"], r["unit"], r["quota"], r["admitted"], r["percent"]) for r in j["rows"]] == [(1, "AG.CT", 3, 4, 133.3), (2, "AG.DN", 3, 1, 33.3), (3, "AG.QS", 0, 0, None)]'

expect 0 "$K" report deadlines --unit AG.DN --as-of 2011-09-06 --format json
pyeq "deadlines" '[(r["person"], r["due"], r["due_date"], r["workdays_left"], r["status"]) for r in j["rows"]] == [("C08", "DL-DECISION", "2011-08-22", -10, "overdue"), ("C05", "DL-DECISION", "2011-09-08", 2, "due")]'
pyeq "deadlines as_of" 'j["as_of"] == "2011-09-06" and j["unit"] == "AG.DN"'

# CSV and JSON are for scripts: the same bytes whatever the language
for kind in achievement structure funnel ranking; do
	"$K" report $kind --year 2011 --format csv >en.csv 2>/dev/null
	"$K" --lang vi report $kind --year 2011 --format csv >vi.csv 2>/dev/null
	if [ -s en.csv ] && cmp -s en.csv vi.csv; then ok; else bad "$kind csv differs under --lang vi"; diff en.csv vi.csv >&2; fi
	"$K" report $kind --year 2011 --format json >en.json 2>/dev/null
	"$K" --lang vi report $kind --year 2011 --format json >vi.json 2>/dev/null
	if [ -s en.json ] && cmp -s en.json vi.json; then ok; else bad "$kind json differs under --lang vi"; diff en.json vi.json >&2; fi
done

# ---------------------------------------------------------------------------
# Tables: figures formatted for people
expect 0 "$K" --lang vi report achievement --year 2011
has out "Đảng bộ huyện Châu Thành"
has out "133,3%"
has out "33,3%"
has out "0,6%"
has out "1.000"      # the province quota, Vietnamese thousands separator
lacks out "133.3"
lacks out "1,000"
grep -F "Đảng bộ Khối Doanh nghiệp tỉnh" out >row
has row "33,3%"
has row "không"      # met: no
grep -F "Đảng bộ huyện Châu Thành" out >row
has row "có"
# names indented by depth under the unit
grep -F "  Đảng bộ huyện Tri Tôn" out >row
if [ -s row ]; then ok; else bad "vi table: child not indented"; fi

expect 0 "$K" report achievement --year 2011
has out "133.3%"
has out "1,000"
has out "0.6%"
lacks out "133,3"

expect 0 "$K" --lang vi report structure --year 2011
has out "Đoàn viên thanh niên"   # the row label, capitalised like the others
has out "66,7%"
has out "133,3%"
has out "42,9%"
has out "1.000"
expect 0 "$K" --lang vi report deadlines --unit AG.DN --as-of 2011-09-06
has out "22/08/2011"  # dates for a Vietnamese reader
has out "08/09/2011"
has out "-10"
has out "Ngô Văn Phát"
expect 0 "$K" --lang vi report ranking --year 2011 --level 2
has out "150,0%"
has out "16,7%"

# ---------------------------------------------------------------------------
# summary. 2011: 6 admitted, 0.6% of 1000. AG's children with a quota:
# AG.CT met, AG.DN not, AG.QS (quota 0, 0 >= 0) met: 2/3. Best result: the
# only child at >= 100%, AG.CT (4, 133.3%). Short: women 3/4, hamlets 3/7
# (youth 4/3 and worker 1/1 met). Waiting for a decision on 2011-12-31: C07
# (cell vote Mon 2011-10-10; 60 working days: 12 weeks to Fri 2011-12-30 =
# 59, Mon 2012-01-02 is the compensation day of 1/1, Tue 2012-01-03 = 60:
# not overdue).
# (the table wraps the paragraph at 78 columns: join the lines to search)
flat() { tr '\n' ' ' <out >flat.out && mv flat.out out; }
expect 0 "$K" report summary --year 2011
flat
has out "6 new members"
has out "0.6%"
has out "1,000"
has out "2/3"
has out "Đảng bộ huyện Châu Thành (4, 133.3%)"
has out "women (3/4)"
has out "(3/7)"
lacks out "(4/3)"
lacks out "(1/1)"
has out "1 complete dossier"
lacks out "past the deadline"
# issue 15: who nominated them. Admitted in 2011 by the org of their
# source: youth_union C03, C04, C01; trade_union C05; farmers_union C02;
# cell C06. The two mass organisations first: the Youth Union (3), then
# the Trade Union and the Farmers' Union tie (1), the first in the order
# of the sources report is named: 3 + 1 = 4 of 6.
has out "The Youth Union and the Trade Union nominated 4 of the 6 members admitted."
expect 0 "$K" report sources --year 2011 --format csv
# Sourced in 2011: C02 (farmers_union), C05 and C08 (trade_union), C01
# (youth_union), C07 (women_union); C03, C04, C06 were sourced in 2010.
pyeq_csv() { [ "$(cat out)" = "$1" ] && ok || { bad "sources 2011"; sed 's/^/  | /' out >&2; }; }
pyeq_csv "org,sourced,admitted
youth_union,1,3
trade_union,2,1
women_union,1,0
farmers_union,1,1
veterans_union,0,0
cell,0,1
other,0,0
total,5,6"
expect 0 "$K" report summary --year 2011 --format csv
head -1 out >row
has row "summary"
has out "2/3"
expect 0 "$K" report summary --year 2011 --format json
pyeq "summary json" '"2/3" in j["summary"] and "133.3%" in j["summary"] and "(3/4)" in j["summary"] and "(3/7)" in j["summary"]'
expect 0 "$K" --lang vi report summary --year 2011
flat
has out "133,3%"
has out "0,6%"
has out "1.000"
has out "2/3"
has out "(3/4)"
has out "(3/7)"
lacks out "133.3%"
has out "Đoàn Thanh niên và Công đoàn đã giới thiệu 4 trong số 6 đảng viên được kết nạp."
# As of 2011-12-30 C01 is not admitted yet and its dossier waits too: 5
# admitted (0.5%), AG.CT 3 of 3 met, women 2/4, hamlets 2/7; 2 dossiers,
# C01's overdue: cell vote Mon 2011-10-03 + 60 working days = Oct 4-7 (4),
# 11 weeks Oct 10 .. Dec 23 (59), Mon 2011-12-26 (60) < 2011-12-30; C07's
# is due 2012-01-03 (above).
expect 0 "$K" report summary --year 2011 --as-of 2011-12-30
flat
has out "5 new members"
has out "0.5%"
has out "2/3"
has out "(3, 100.0%)"
has out "women (2/4)"
has out "(2/7)"
has out "2 complete dossiers"
has out "1 of them past the deadline"

# ---------------------------------------------------------------------------
# refusals: unknown unit -> 1; usage errors -> 2
expect 1 "$K" report achievement --unit AG.XX --year 2011 --format csv
has err "AG.XX"
expect 1 "$K" report summary --unit NOPE --year 2011
expect 2 "$K" report achievement --format pdf
expect 2 "$K" report achievement --depth x
expect 2 "$K" report achievement --depth -1
expect 2 "$K" report ranking --level 0
expect 2 "$K" report achievement --year 2011 --from 2011-01-01 --to 2011-06-30
expect 2 "$K" report achievement --from 2011-01-01
expect 2 "$K" report achievement --from 2011-06-30 --to 2011-01-01
expect 2 "$K" report achievement --as-of 2011-02-30
expect 2 "$K" report achievement --year abc
expect 2 "$K" report nonsense --year 2011
expect 2 "$K" report
expect 2 "$K" report achievement structure
expect 2 "$K" report achievement --year 2011 --format xlsx
expect 2 "$K" report achievement --bogus

# ---------------------------------------------------------------------------
# xlsx: read back with LibreOffice; the same figures
if command -v soffice >/dev/null 2>&1; then
	expect 0 "$K" report achievement --year 2011 --format xlsx -o a.xlsx
	if [ -s a.xlsx ]; then ok; else bad "a.xlsx not written"; fi
	mkdir -p conv
	# CSV filter options 44,34,76: ',' separator, '"' quote, UTF-8.
	HOME=$(mktemp -d -p "$dir") timeout 180 soffice --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir conv a.xlsx >/dev/null 2>&1
	if [ -s conv/a.csv ]; then
		ok
		tr -d '"' <conv/a.csv >conv/plain.csv
		has conv/plain.csv "AG.CT"
		has conv/plain.csv "Đảng bộ huyện Châu Thành"
		has conv/plain.csv "133.3"
		has conv/plain.csv "33.3"
		has conv/plain.csv "0.6"
		# the AG.CT row: quota 3, admitted 4
		grep -F "AG.CT," conv/plain.csv >row
		has row ",3,4,133.3"
		grep -F "AG.TT," conv/plain.csv >row
		has row ",1,"
	else
		bad "LibreOffice could not convert a.xlsx"
	fi
else
	echo "soffice not installed: xlsx read-back skipped" >&2
fi

# summary as a workbook: the whole review, the paragraph and the six
# reports (sources since issue 15), one sheet each
expect 0 "$K" report summary --year 2011 --format xlsx -o s.xlsx
if python3 -c 'import zipfile,re,sys; n=[f for f in zipfile.ZipFile("s.xlsx").namelist() if re.fullmatch(r"xl/worksheets/sheet[0-9]+\.xml", f)]; sys.exit(0 if len(n) == 7 else 1)'; then ok; else
	bad "s.xlsx does not have 7 sheets"; fi

# html: figures formatted for people
expect 0 "$K" --lang vi report achievement --year 2011 --format html -o a.html
has a.html "133,3%"
has a.html "1.000"
has a.html "0,6%"
has a.html "Đảng bộ huyện Châu Thành"
expect 0 "$K" report achievement --year 2011 --format html -o b.html
has b.html "133.3%"
has b.html "1,000"

# ---------------------------------------------------------------------------
# quota: set, list, refusals
expect 0 "$K" quota list
has out "AG.CT"
has out "hamlet"
has out "1,000"
expect 0 "$K" quota list --unit AG --year 2011
lacks out "AG.CT"
has out "female"
# An unknown unit is an error, not an empty list (a typo read as "no quota").
expect 1 "$K" quota list --unit NOPE
has err "no unit with code NOPE"
lacks out "no quotas"
expect 2 "$K" quota set AG.TT 2011 5 --category nonsense
has err "nonsense"
expect 1 "$K" quota set AG.XX 2011 5
expect 2 "$K" quota set AG.TT 2011 abc
expect 2 "$K" quota set AG.TT 2011 -- -3
expect 2 "$K" quota set AG.TT 20x1 5
expect 0 "$K" quota set AG.TT 2011 5
# AG.TT 1 of 5 = 20.0, not met
cat >want <<'CSV'
unit,name,depth,quota,admitted,percent,met
AG,Đảng bộ tỉnh An Giang,0,1000,6,0.6,no
AG.CT,Đảng bộ huyện Châu Thành,1,3,4,133.3,yes
AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,1,3,1,33.3,no
AG.QS,Đảng bộ Quân sự tỉnh,1,0,0,,yes
AG.TT,Đảng bộ huyện Tri Tôn,1,5,1,20.0,no
CSV
report "achievement after quota set" want achievement --year 2011 --format csv
# and a structure quota from the command line: civil_servant 2 of 2 = 100.0
expect 0 "$K" quota set AG 2011 2 --category civil_servant
expect 0 "$K" report structure --year 2011 --format csv
has out "civil_servant,2,33.3,2,100.0"
# the ranking now has AG.TT: 20.0 after AG.DN's 33.3
cat >want <<'CSV'
rank,unit,name,quota,admitted,percent
1,AG.CT,Đảng bộ huyện Châu Thành,3,4,133.3
2,AG.DN,Đảng bộ Khối Doanh nghiệp tỉnh,3,1,33.3
3,AG.TT,Đảng bộ huyện Tri Tôn,5,1,20.0
4,AG.QS,Đảng bộ Quân sự tỉnh,0,0,
CSV
report "ranking after quota set" want ranking --year 2011 --format csv
# summary: AG.CT, AG.QS met; AG.DN, AG.TT not: 2/4
expect 0 "$K" report summary --year 2011
has out "2/4"

check_done
