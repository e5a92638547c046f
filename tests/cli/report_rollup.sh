#!/usr/bin/env bash
# End to end (issue 13): the achievement, ranking, structure and summary
# read the report unit's subtree only down to the levels they show, the
# decisions counted per unit in the database and each count put on the
# nearest unit read along the unit's path (core/report.c, load_shown).
# So a decision three levels down must reach its depth-1 ancestor, a
# unit without a sector of its own its ancestor's (which the structure
# report, reading the top alone, looks up after the read), a unit moved
# to another parent its new ancestors, and the year stop at 31 December.
# Expected figures worked out by hand in the comments.
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

# same WHAT WANTFILE: ./out is WANTFILE
same_file() {
	if cmp -s "$2" out; then ok; else bad "$1: output differs (- expected, + got)"; diff -u "$2" out | sed 's/^/  /' >&2; fi
}
report() { local what=$1 want=$2; shift 2; expect 0 "$K" report "$@"; same_file "$what" "$want"; }

# P  (quota 2011: total 5, hamlet 3)
# ├─ P.A upper, no committee (quota 2011: 3)
# │  ├─ P.A.G3 grassroots, no sector anywhere up   (competent: P)
# │  └─ P.A.X upper, committee, sector hamlet (quota 2011: 2)
# │     ├─ P.A.X.G1 grassroots, no sector of its own: hamlet, P.A.X's
# │     └─ P.A.X.G2 grassroots, agency
# └─ P.B upper, committee, no quota
#    └─ P.B.G4 grassroots, nonstate_enterprise
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
P,,Đảng bộ tỉnh P,province,1,,0
P.A,P,Đảng bộ huyện A,upper,0,,0
P.A.G3,P.A,Chi bộ G3,grassroots,0,,0
P.A.X,P.A,Đảng bộ khối X,upper,1,hamlet,0
P.A.X.G1,P.A.X,Chi bộ G1,grassroots,0,,0
P.A.X.G2,P.A.X,Chi bộ G2,grassroots,0,agency,0
P.B,P,Đảng bộ huyện B,upper,1,,0
P.B.G4,P.B,Chi bộ G4,grassroots,0,nonstate_enterprise,0
CSV
# Everyone a man of 51, Kinh, no religion, a civil servant with a
# university degree: of the categories only total, civil_servant,
# higher_education and the sectors' count.
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,P.A.X.G1,,,12/12,university,civil_servant,0,0,1999-01-01,2000-01-01
M2,Lê Văn Mai,M,1960-03-04,P.A.X.G1,,,12/12,university,civil_servant,0,0,2004-01-01,2005-01-01
C1,Người Một,M,1960-02-01,P.A.X.G1,Kinh,Không,12/12,university,civil_servant,0,0,,
C2,Người Hai,M,1960-02-01,P.A.X.G1,Kinh,Không,12/12,university,civil_servant,0,0,,
C3,Người Ba,M,1960-02-01,P.A.X.G2,Kinh,Không,12/12,university,civil_servant,0,0,,
C4,Người Bốn,M,1960-02-01,P.A.G3,Kinh,Không,12/12,university,civil_servant,0,0,,
C5,Người Năm,M,1960-02-01,P.B.G4,Kinh,Không,12/12,university,civil_servant,0,0,,
CSV
cat >quotas.csv <<'CSV'
unit,year,category,target
P,2011,total,5
P,2011,hamlet,3
P.A,2011,total,3
P.A.X,2011,total,2
CSV
# The decisions: C1 2011-03-15 and C2 2011-12-31 in G1, C3 2012-01-01
# in G2 (not in 2011), C4 2011-06-01 in G3, C5 2011-07-01 in G4.
{
echo "person,step,date,doc_no,org,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,note"
dossier() { # REF DECISION_DATE COMPETENT
	echo "$1,source,2010-05-03,,youth_union,,,,,,,"
	echo "$1,trained,2010-06-01,CN-$1,,,,,,,,"
	echo "$1,applied,2010-07-01,,,,,,,,,"
	echo "$1,verified,2010-09-01,,,,,,,,,"
	echo "$1,introduced,2010-11-01,,,M1,2008-01-01,M2,2008-01-01,,,"
	echo "$1,cell_vote,2011-02-21,,,,,,,5,7,"
	echo "$1,decision,$2,QĐ-$1,$3,,,,,,,"
}
dossier C1 2011-03-15 P.A.X
dossier C2 2011-12-31 P.A.X
dossier C3 2012-01-01 P.A.X
dossier C4 2011-06-01 P
dossier C5 2011-07-01 P.B
} >steps.csv

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import quotas quotas.csv
expect 0 "$K" import steps steps.csv

# 2011: C1, C2, C4, C5 = 4 of P's 5 (80.0%); P.A: C1, C2, C4 = 3 of 3;
# P.B: C5, no quota; P.A.X: C1, C2 = 2 of 2; G1 2, G2 0, G3 1, G4 1.
cat >ach1.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
P,Đảng bộ tỉnh P,0,5,4,80.0,no
P.A,Đảng bộ huyện A,1,3,3,100.0,yes
P.B,Đảng bộ huyện B,1,,1,,
CSV
report "achievement, depth 1" ach1.csv achievement --year 2011 --format csv
cat >ach3.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
P,Đảng bộ tỉnh P,0,5,4,80.0,no
P.A,Đảng bộ huyện A,1,3,3,100.0,yes
P.A.G3,Chi bộ G3,2,,1,,
P.A.X,Đảng bộ khối X,2,2,2,100.0,yes
P.A.X.G1,Chi bộ G1,3,,2,,
P.A.X.G2,Chi bộ G2,3,,0,,
P.B,Đảng bộ huyện B,1,,1,,
P.B.G4,Chi bộ G4,2,,1,,
CSV
report "achievement, depth 3" ach3.csv achievement --depth 3 --year 2011 --format csv
# A subtree: P.A to depth 1 reads P.A, G3 and X; G1's two go to X.
cat >ach_a.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
P.A,Đảng bộ huyện A,0,3,3,100.0,yes
P.A.G3,Chi bộ G3,1,,1,,
P.A.X,Đảng bộ khối X,1,2,2,100.0,yes
CSV
report "achievement of P.A" ach_a.csv achievement --unit P.A --year 2011 --format csv
# Ranking, level 1: only P.A has a quota; level 2: only P.A.X.
cat >rank1.csv <<'CSV'
rank,unit,name,quota,admitted,percent
1,P.A,Đảng bộ huyện A,3,3,100.0
CSV
report "ranking, level 1" rank1.csv ranking --year 2011 --format csv
cat >rank2.csv <<'CSV'
rank,unit,name,quota,admitted,percent
1,P.A.X,Đảng bộ khối X,2,2,100.0
CSV
report "ranking, level 2" rank2.csv ranking --level 2 --year 2011 --format csv
# Structure 2011: hamlet C1, C2 (G1 through P.A.X: 2 of the quota's 3,
# 66.7%), nonstate C5 (1); total, civil servants, higher education 4.
cat >struct.csv <<'CSV'
category,admitted,share,quota,percent
total,4,100.0,5,80.0
female,0,0.0,,
ethnic_minority,0,0.0,,
religious,0,0.0,,
youth,0,0.0,,
youth_union,0,0.0,,
worker,0,0.0,,
farmer,0,0.0,,
student,0,0.0,,
civil_servant,4,100.0,,
nonstate_enterprise,1,25.0,,
hamlet,2,50.0,3,66.7
higher_education,4,100.0,,
readmitted,0,0.0,,
CSV
report "structure 2011" struct.csv structure --year 2011 --format csv
# 2012: only C3 (decided 1 January), no quota.
cat >ach2012.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
P,Đảng bộ tỉnh P,0,,1,,
P.A,Đảng bộ huyện A,1,,1,,
P.B,Đảng bộ huyện B,1,,0,,
CSV
report "achievement 2012" ach2012.csv achievement --year 2012 --format csv
# The summary: 4 admitted, 80.0% of 5; of the units below P one has a
# quota and met it; the hamlet target fell short (2/3).
expect 0 "$K" report summary --year 2011 --format csv
has out "admitted 4 new members, 80.0% of the quota of 5."
has out " 1/1 party organisations directly under it met their quota."
has out "people in hamlets and residential areas (2/3)"

# G1 moves under P.B: its two decisions with it, and its sector is now
# that of its new ancestors: none (P.B and P have none).
sed 's/^P.A.X.G1,P.A.X,/P.A.X.G1,P.B,/' units.csv >moved.csv
expect 0 "$K" import units moved.csv
cat >ach1m.csv <<'CSV'
unit,name,depth,quota,admitted,percent,met
P,Đảng bộ tỉnh P,0,5,4,80.0,no
P.A,Đảng bộ huyện A,1,3,1,33.3,no
P.B,Đảng bộ huyện B,1,,3,,
CSV
report "achievement after the move" ach1m.csv achievement --year 2011 --format csv
cat >rank2m.csv <<'CSV'
rank,unit,name,quota,admitted,percent
1,P.A.X,Đảng bộ khối X,2,0,0.0
CSV
report "ranking, level 2, after the move" rank2m.csv ranking --level 2 --year 2011 --format csv
sed -e 's/^hamlet,2,50.0,3,66.7$/hamlet,0,0.0,3,0.0/' struct.csv >structm.csv
report "structure after the move" structm.csv structure --year 2011 --format csv
expect 0 "$K" report summary --year 2011 --format csv
has out " 0/1 party organisations directly under it met their quota."
has out "people in hamlets and residential areas (0/3)"

echo "report_rollup: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
