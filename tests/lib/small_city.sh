# small_city.sh — the small city of the report tests (tests/cli/report_html.sh,
# review_print.sh), written as CSV in the current directory: two
# districts, one over its quota of 2 (three admitted in 2025), one under
# it (one admitted, a fifth candidate still at the cell vote), a unit name
# with an HTML injection attempt. Sourced (bash); then import the files:
#   for k in units people quotas steps; do kn import "$k" "$k.csv"; done
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
092172000102,Lê Thị Hoa,F,1972-03-02,CT.CD.TH.A1,,,12/12,college,public_employee,0,1,1998-05-19,1999-05-19,,
092204000201,Trần Minh Khôi,M,2004-05-20,CT.NK.AK.KV1,,,12/12,university,student,1,0,,,,
092304000202,Phạm Thị Ngọc Hân,F,2004-06-11,CT.NK.AK.KV1,,,12/12,university,student,1,0,,,,
092203000203,Võ Quốc Bảo,M,2003-09-01,CT.NK.AK.KV1,,,12/12,college,worker,1,0,,,,
092303000204,Huỳnh Thị Mỹ Duyên,F,2003-12-24,CT.CD.TH.A1,,,12/12,vocational,farmer,1,0,,,,
092205000205,Đặng Văn Tài,M,2005-02-14,CT.CD.TH.A1,,,12/12,none,farmer,1,0,,,,
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
	steps 092204000201 092071000101 CT.NK decision
	steps 092304000202 092071000101 CT.NK decision
	steps 092203000203 092071000101 CT.NK decision
	steps 092303000204 092172000102 CT.CD decision
	steps 092205000205 092172000102 CT.CD cell_vote
} >steps.csv

