#!/usr/bin/env bash
# End to end (issue 13, migration 018): each person carries the unit of
# their latest candidacy and whether it is open (people.latest_unit,
# latest_open), kept by the database on every write of candidacies, and
# the candidates' list and /api/v1/people read from the partial indexes
# on them. Through: dossiers opened by their first step, one closed
# (withdrawn), a second candidacy after it (re-admission), a transfer, a
# rename (the name key moves the person in the index), a merge of
# duplicates, the steps import's bulk path; `ketnap verify` finding a
# stored value changed behind the program's back; typed pages at a page's
# boundary; and a typed page far down a long list that the indexes
# cannot serve (a stage) refused with a message, while the pager's
# cursor and the indexed lists still reach it. Expected values by hand.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
src=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/db.sh"
. "$src/tests/lib/check.sh"
. "$src/tests/lib/dossier.sh"
. "$src/tests/lib/web.sh"
dir=$(mktemp -d)
trap 'kn_web_stop; kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db ll) KETNAP_TODAY=2025-10-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_LIST_PLAN
K=$KETNAP
q() { kn_sql "$KETNAP_DB" "$1"; }
sql() { q "$1"; }
# REF's stored latest unit (its code, "-" for none) and openness
latest() { q "SELECT COALESCE(u.code, '-') || ' ' || p.latest_open FROM people p
	LEFT JOIN units u ON u.id = p.latest_unit WHERE p.ref = '$1'"; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.DN,CT,Đảng bộ quận Ninh Kiều,upper,1,,0
CT.DN.P2,CT.DN,Đảng bộ phường 2,grassroots,0,ward,0
CT.DN.P2.KV1,CT.DN.P2,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,CT.BT.P1.KV1,12/12,0,2004-01-01,2005-01-01
C1,Nguyễn Thị Kim Thảo,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,
C2,Phạm Văn Tí,M,1995-07-01,CT.BT.P1.KV1,12/12,0,,
C3,Võ Thị Lan,F,1994-01-15,CT.BT.P1.KV1,12/12,0,,
X1,Đỗ Văn Dư,M,1993-03-03,CT.BT.P1.KV1,12/12,0,,
X2,Đỗ Văn Dư,M,1993-03-03,CT.BT.P1.KV1,12/12,0,,
CSV
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
same "nobody has a candidacy" "$(latest C1) $(latest M1)" "- 0 - 0"

# Opened by the first step, kept open by the next ones.
dossier C1
dossier C2
dossier C3
dossier X1
same "C1 open" "$(latest C1)" "CT.BT.P1.KV1 1"
same "a member without a candidacy" "$(latest M1)" "- 0"
# Closed: withdrawn.
expect 0 "$K" step C2 withdrawn --date 2025-05-02 --note "moved away"
same "C2 closed" "$(latest C2)" "CT.BT.P1.KV1 0"
# A second candidacy after it: the latest is open again.
expect 0 "$K" step C2 source --date 2025-06-02 --org youth_union
same "C2 open again" "$(latest C2)" "CT.BT.P1.KV1 1"
same "C2's two candidacies" "$(q "SELECT COUNT(*) FROM candidacies c JOIN people p
	ON p.id = c.person_id WHERE p.ref = 'C2'")" 2
# A transfer: the unit follows on arrival.
expect 0 "$K" transfer C3 --to CT.DN.P2.KV1 --date 2025-09-01 --doc 5-GT
expect 0 "$K" transfer C3 --arrived --date 2025-10-01
same "C3 transferred" "$(latest C3)" "CT.DN.P2.KV1 1"
# A merge: X2's withdrawn candidacy of 2023 and X1's open one become
# X1's, the open one the latest.
expect 0 "$K" step X2 source --date 2023-01-10 --org youth_union
expect 0 "$K" step X2 withdrawn --date 2023-06-01 --note "moved away"
same "X2 closed" "$(latest X2)" "CT.BT.P1.KV1 0"
expect 0 "$K" person merge X1 X2
same "X1 after the merge" "$(latest X1)" "CT.BT.P1.KV1 1"
same "X2 gone" "$(q "SELECT COUNT(*) FROM people WHERE ref = 'X2'")" 0
expect 0 "$K" verify

# The list in Vietnamese name order (given name first): Dư (X1), Lan
# (C3), Thảo (C1), Tí (C2); C3 in CT.DN. Typed pages at the boundary of
# 2 a page, and the cursor.
echo 'root-password-123' | "$K" user add root --unit CT --role admin >/dev/null
T=$("$K" user token root)
kn_web_start "$KETNAP_DB" --access-log off || exit 1
api() { curl -s -H "Authorization: Bearer $T" "$KN_WEB_URL$1" >page.json; }
refs() { grep -o '"ref":"[^"]*"' page.json | sed 's/"ref":"//;s/"//' | tr '\n' ' ' | sed 's/ $//'; }
api "/api/v1/people?open=1&per_page=2&page=1"
same "open, page 1 of 2" "$(refs)" "X1 C3"
api "/api/v1/people?open=1&per_page=2&page=2"
same "open, page 2 of 2" "$(refs)" "C1 C2"
api "/api/v1/people?open=1&per_page=2&page=3"
same "open, page 3: none" "$(refs)" ""
api "/api/v1/people?open=1&per_page=3&page=2"
same "open, 3 a page, page 2" "$(refs)" "C2"
api "/api/v1/people?open=1&per_page=2&after=C3"
same "open after C3" "$(refs)" "C1 C2"
api "/api/v1/people?open=1&unit=CT.BT&per_page=2&page=2"
same "open in CT.BT, page 2" "$(refs)" "C2"
api "/api/v1/people?open=1&unit=CT.DN"
same "open in CT.DN" "$(refs)" "C3"
api "/api/v1/people?per_page=3&page=1"
same "any candidacy, page 1" "$(refs)" "X1 C3 C1"
api "/api/v1/people?open=0"
same "no open candidacy" "$(refs)" ""
# A rename: Nguyễn Thị Kim Thảo becomes … Anh, first in the list.
kn_web_stop
cat >rename.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
C1,Nguyễn Thị Kim Anh,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,
CSV
expect 0 "$K" import people rename.csv
kn_web_start "$KETNAP_DB" --access-log off || exit 1
api "/api/v1/people?open=1&per_page=2&page=1"
same "open after the rename, page 1" "$(refs)" "C1 X1"
curl -s -H "Authorization: Bearer $T" "$KN_WEB_URL/candidates?q=kim%20anh" >page.html
has page.html ">C1<"
kn_web_stop

# A stored value changed behind the program's back: verify names it.
q "UPDATE people SET latest_open = 0 WHERE ref = 'C3'"
expect 1 "$K" verify
has err "C3: the unit and state of the latest candidacy stored with the person are not"
has err "1 problem found"
q "UPDATE people SET latest_open = 1 WHERE ref = 'C3'"
q "UPDATE people SET latest_unit = (SELECT id FROM units WHERE code = 'CT') WHERE ref = 'M1'"
expect 1 "$K" verify
has err "M1: the unit and state of the latest candidacy"
q "UPDATE people SET latest_unit = NULL WHERE ref = 'M1'"
expect 0 "$K" verify

# The steps import's bulk path: 1,100 people given three steps each, all
# open at `applied`, half in each cell.
. "$src/tests/lib/bulk_fixture.sh"
export KETNAP_DB=$(kn_db bulk)
mkdir bulk && cd bulk
bulk_files 1100
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import steps steps.csv
cd ..
same "bulk: open in each cell" "$(q "SELECT u.code || ' ' || COUNT(*) FROM people p
	JOIN units u ON u.id = p.latest_unit WHERE p.latest_open = 1 GROUP BY u.code
	ORDER BY u.code")" "X.G.C1 550
X.G.C2 550"
expect 0 "$K" verify
# A long list (1,100 > the count's cap of 1,000): a typed page far down
# is refused where the stage is asked (not in the indexes), served where
# it is not; the cursor reaches the same rows.
echo 'root-password-123' | "$K" user add root --unit X --role admin >/dev/null
T=$("$K" user token root)
kn_web_start "$KETNAP_DB" --access-log off || exit 1
code() { curl -s -o page.out -w '%{http_code}' -H "Authorization: Bearer $T" "$KN_WEB_URL$1"; }
same "a stage, page 3 (100 rows skipped)" "$(code "/candidates?step=applied&page=3")" 200
same "a stage, page 4 refused" "$(code "/candidates?step=applied&page=4")" 400
has page.out "các trang sau trang 3 được mở bằng liên kết Sau"
same "API, a stage, page 4 of 50 refused" "$(code "/api/v1/people?step=applied&page=4")" 400
has page.out '"parameter":"page"'
same "the open list, page 22" "$(code "/candidates?page=22")" 200
has page.out "đang xem 1.051–1.100"
same "the API's page 22 (50 a page)" "$(code "/api/v1/people?open=1&page=22")" 200
# Người Thứ N sorted by N's digits as text: 1099, 11, 110, 1100 …
grep -o '"ref":"[^"]*"' page.out | tail -1 >last
same "the last row of the open list" "$(cat last)" '"ref":"P00999"'
kn_web_stop
check_done
