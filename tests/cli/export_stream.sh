#!/usr/bin/env bash
# End to end (issue 13): `ketnap export` writes its rows as it reads them
# (the output flushed every 64 KB; KETNAP_REPORT_FLUSH_BYTES sets that,
# here 1 byte: a flush a row, and 300: some rows a flush, a row cut by no
# flush), every kind with the bytes worked out by hand below, to standard
# output (no -o, and -o -) and to a file (replaced only once whole, no
# temporary file left); a device that fills up (/dev/full) and a file
# that cannot grow (ulimit -f) fail with status 3 (spec/CLI.md: storage or
# I/O failure) and leave the file that was there as it was; and an
# account's export holds its subtree only, in the same order. Runs on
# either backend (tests/lib/db.sh).
#
# Two districts: CT.BT (700 people A001-A700 in its cell KV1, the first
# five with a source step) and CT.NK (40 people B001-B040 in its cell KV2,
# the first three with a source step); a quota for each unit; a holiday.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib/db.sh"
. "$SRC/tests/lib/check.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db es) KETNAP_TODAY=2025-11-14 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_REPORT_FLUSH_BYTES
K=$KETNAP

# The files as the export writes them (FORMATS.md's columns in order,
# units depth-first with children by code, people and steps by ref,
# quotas by unit, year, category): imported, then expected back.
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.NK,CT,Đảng bộ quận Ninh Kiều,upper,1,,0
CT.NK.P2,CT.NK,Đảng bộ phường An Hòa,grassroots,0,ward,0
CT.NK.P2.KV2,CT.NK.P2,"Chi bộ khu vực 2, An Hòa",cell,0,hamlet,0
CSV
person() { # REF UNIT: the person's line
	local member=, note="Ghi chú ${1}"
	# every tenth is a member of 2015
	case $1 in *0) member=2015-05-19,2016-05-19 ;; esac
	case $1 in A007) note='"Lê ""Tí"", hàng xóm"' ;; esac
	echo "$1,Người Thứ ${1},F,1996-02-01,$2,Kinh,,12/12,university,worker,1,0,$member,,$note,,,,0"
}
people_a() { for i in $(seq -f 'A%03g' 1 700); do person "$i" CT.BT.P1.KV1; done; }
people_b() { for i in $(seq -f 'B%03g' 1 40); do person "$i" CT.NK.P2.KV2; done; }
ph="ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note,left_on,left_reason,record_cleared_on,readmitted"
{ echo "$ph"; people_a; people_b; } >people.csv
steps_a() { for i in 1 2 3 4 5; do echo "A00$i,source,2025-03-0$i,,youth_union,,,,,,,,,,"; done; }
steps_b() { for i in 1 2 3; do echo "B00$i,source,2025-04-0$i,,trade_union,,,,,,,,,,"; done; }
sh="person,step,date,doc_no,org,member,introducer1,introducer1_since,introducer2,introducer2_since,votes_for,votes_total,consent,override,note"
{ echo "$sh"; steps_a; steps_b; } >steps.csv
cat >quotas.csv <<'CSV'
unit,year,category,target
CT,2025,total,10
CT.BT,2025,total,5
CT.BT.P1,2025,female,2
CT.NK,2025,total,4
CT.NK.P2.KV2,2025,total,1
CSV
cat >holidays.csv <<'CSV'
date,workday,name
2025-09-01,0,Nghỉ thêm Quốc khánh
CSV
expect 0 "$K" init
for k in units people quotas holidays steps; do
	expect 0 "$K" import $k $k.csv
done
transfers_h="person,date,from,to,arrived,doc_no,note,override"
echo "$transfers_h" >transfers.csv
[ "$(wc -c <people.csv)" -gt 70000 ] && ok || bad "people.csv too small to cross flushes"

for flush in "" 1 300; do
	export KETNAP_REPORT_FLUSH_BYTES=$flush
	for k in units people quotas holidays steps transfers; do
		expect 0 "$K" export $k
		same "$k (flush ${flush:-64 KB})" "$(cat out)" "$(cat $k.csv)"
		expect 0 "$K" export $k -o -
		same "$k -o - (flush ${flush:-64 KB})" "$(cat out)" "$(cat $k.csv)"
		expect 0 "$K" export $k -o got.csv
		cmp -s got.csv $k.csv && ok || bad "$k file (flush ${flush:-64 KB}) differs"
		[ -s out ] && bad "$k -o FILE wrote on standard output" || ok
	done
	ls got.csv.* >/dev/null 2>&1 && bad "a temporary file is left: $(ls got.csv.*)" || ok
done
unset KETNAP_REPORT_FLUSH_BYTES

# A device that fills up: status 3, said; through -o and on standard
# output, with the default flush and with a flush a row.
if [ -w /dev/full ]; then
	for flush in "" 1; do
		KETNAP_REPORT_FLUSH_BYTES=$flush expect 3 "$K" export people -o /dev/full
		has err "cannot write /dev/full"
		KETNAP_REPORT_FLUSH_BYTES=$flush expect 3 sh -c '"$0" export steps >/dev/full' "$K"
		has err "cannot write the export"
	done
fi

# A file that cannot grow past 48 KB (SIGXFSZ ignored: writes fail with
# EFBIG; SQLite's 32 KB -shm file still fits) fails midway through the
# 75 KB of people, after several flushes: status 3, the file that was
# there untouched, no temporary file left.
echo "the export of yesterday" >kept.csv
KETNAP_REPORT_FLUSH_BYTES=300 expect 3 bash -c 'trap "" XFSZ; ulimit -f 48; exec "$0" export people -o kept.csv' "$K"
has err "cannot write kept.csv"
same "kept.csv after a failed export" "$(cat kept.csv)" "the export of yesterday"
ls kept.csv.* >/dev/null 2>&1 && bad "a temporary file is left: $(ls kept.csv.*)" || ok
# A failure to open the output: nothing read, nothing written.
expect 3 "$K" export people -o nodir/people.csv
[ -e nodir ] && bad "nodir made" || ok

# An account's export: its subtree only, in the whole export's order;
# holidays are everyone's. root (the first account: an administrator of
# CT) sees everything; nk, a viewer of CT.NK, its district.
echo 'secret-root-1' | "$K" user add root --unit CT --role admin >/dev/null || bad "user add root"
echo 'secret-nk-12' | "$K" user add nk --unit CT.NK --role viewer >/dev/null || bad "user add nk"
{ head -1 units.csv; grep '^CT\.NK' units.csv; } >nk.units.csv
{ echo "$ph"; people_b; } >nk.people.csv
{ head -1 quotas.csv; grep '^CT\.NK' quotas.csv; } >nk.quotas.csv
cp holidays.csv nk.holidays.csv
{ echo "$sh"; steps_b; } >nk.steps.csv
cp transfers.csv nk.transfers.csv
for flush in "" 1; do
	export KETNAP_REPORT_FLUSH_BYTES=$flush
	for k in units people quotas holidays steps transfers; do
		expect 0 "$K" --user root export $k
		same "root's $k (flush ${flush:-64 KB})" "$(cat out)" "$(cat $k.csv)"
		expect 0 "$K" --user nk export $k -o got.csv
		cmp -s got.csv nk.$k.csv && ok || { bad "nk's $k (flush ${flush:-64 KB}) differs"; diff got.csv nk.$k.csv >&2; }
	done
done
unset KETNAP_REPORT_FLUSH_BYTES
check_done
