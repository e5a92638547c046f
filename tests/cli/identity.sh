#!/usr/bin/env bash
# identity.sh — RULES.md §10 (issue 15), end to end through the built
# binary, on either backend (tests/lib/db.sh; pg/cli/identity under
# `make test-pg`):
#  - KN-CCCD: a 12-digit ref must agree with the person — digits 1–3 a
#    province code 001–096 (000 and 097 refused, 001 and 096 accepted),
#    digit 4 century and sex (1999 vs 2000 births, M and F), digits 5–6 the
#    birth year; every bad row of a people file reported; a 9-digit ref is
#    not checked; the web's new-candidate and edit forms and the JSON API
#    refuse it too;
#  - possible duplicates: equal names after folding (accents, đ, case,
#    spaces) and equal birth dates, each pair once, in scope (--unit,
#    --user); a namesake born another day is not one; the import warns
#    (exit 0), and the new candidate's page shows the other record;
#  - person merge: candidacies and steps moved (counted by hand), the
#    steps naming the dropped person as introducer repointed, refused for
#    two open candidacies and for candidacies that overlap in time, the
#    audit entry, verify after it, and the dropped ref refused later with
#    the kept ref named.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir" || exit 1
export KN_DB_DIR=$dir
DB=$(kn_db ident)
FRESH=$(kn_db fresh)
export KETNAP_DB=$DB KETNAP_TODAY=2025-12-20 LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_USER
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
hasnt() { # hasnt FILE TEXT
	if grep -qF -- "$2" "$1"; then bad "$1 has: $2"; else ok; fi
}
is() { # is WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', wanted '$3'"; fi
}
same() { # same WHAT FILE WANT-FILE
	if cmp -s "$2" "$3"; then ok; else bad "$1:"; diff "$3" "$2" >&2; fi
}

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,0,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.BT.P1.KV2,CT.BT.P1,Chi bộ khu vực 2,cell,0,hamlet,0
CT.DN,CT,Đảng bộ huyện Đông Nam,upper,1,,0
CT.DN.P1,CT.DN,Đảng bộ xã Đông Nam,grassroots,0,commune,0
CT.DN.P1.KV1,CT.DN.P1,Chi bộ ấp 1,cell,0,hamlet,0
CSV
# Two full members who introduce, and a member recorded twice (M3, M3B).
cat >members.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,member_since,official_since
092060000001,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,1999-01-01,2000-01-01
092170000002,Lê Thị Mai,F,1970-03-04,CT.BT.P1.KV1,12/12,2004-01-01,2005-01-01
092065000003,Võ Văn Kiệt,M,1965-07-08,CT.BT.P1.KV1,12/12,2001-01-01,2002-01-01
092065000033,vo van  KIET,M,1965-07-08,CT.BT.P1.KV2,12/12,2001-01-01,2002-01-01
CSV
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people members.csv
is "the member recorded twice is warned of" "$(grep -c warning err)" 1

# ==== KN-CCCD ====
# Every row but the 9-digit one (unchecked) is wrong in one digit group;
# the figures of each message are worked out by hand: digit 4 of 0/1 is
# born 1900–1999 male/female, 2/3 2000–2099.
cat >cccd-bad.csv <<'CSV'
ref,full_name,sex,birth_date,unit
000090000001,Lê Văn Một,M,1990-01-01,CT.BT.P1.KV1
097090000002,Lê Văn Hai,M,1990-01-01,CT.BT.P1.KV1
092299000006,Lê Văn Sáu,M,1999-12-31,CT.BT.P1.KV1
092000000008,Lê Văn Tám,M,2000-01-01,CT.BT.P1.KV1
092099000010,Lê Thị Mười,F,1999-06-01,CT.BT.P1.KV1
092200000012,Lê Thị Mười Hai,F,2000-06-01,CT.BT.P1.KV1
092090000013,Lê Văn Mười Ba,M,1991-01-01,CT.BT.P1.KV1
092690000015,Lê Văn Mười Lăm,M,1990-01-01,CT.BT.P1.KV1
123456789,Lê Văn Chín Số,F,1990-01-01,CT.BT.P1.KV1
CSV
expect 1 "$K" import people cccd-bad.csv
cat >want <<'TXT'
cccd-bad.csv:2: ref: KN-CCCD: Digits 1–3 of the citizen ID 000090000001 are 000, which is no province code (001 to 096); correct the number.
cccd-bad.csv:3: ref: KN-CCCD: Digits 1–3 of the citizen ID 097090000002 are 097, which is no province code (001 to 096); correct the number.
cccd-bad.csv:4: ref: KN-CCCD: Digit 4 of the citizen ID 092299000006 says born in 2000–2099, but Lê Văn Sáu is recorded as born in 1999; correct the date of birth or the number.
cccd-bad.csv:5: ref: KN-CCCD: Digit 4 of the citizen ID 092000000008 says born in 1900–1999, but Lê Văn Tám is recorded as born in 2000; correct the date of birth or the number.
cccd-bad.csv:6: ref: KN-CCCD: Digit 4 of the citizen ID 092099000010 says male, but Lê Thị Mười is recorded as female; correct the sex or the number.
cccd-bad.csv:7: ref: KN-CCCD: Digit 4 of the citizen ID 092200000012 says male, but Lê Thị Mười Hai is recorded as female; correct the sex or the number.
cccd-bad.csv:8: ref: KN-CCCD: Digits 5–6 of the citizen ID 092090000013 say born in a year ending in 90, but Lê Văn Mười Ba is recorded as born in 1991; correct the date of birth or the number.
cccd-bad.csv:9: ref: KN-CCCD: Digit 4 of the citizen ID 092690000015 is 6, which names no century and sex (0 to 5); correct the number.
ketnap: import refused: 8 problems; nothing was written
TXT
same "every bad CCCD reported, nothing else" err want
# The other side of each boundary: 001 and 096; 1999 with 0/1, 2000 with
# 2/3; the year's digits; and the 9-digit ref that is not checked.
cat >cccd-good.csv <<'CSV'
ref,full_name,sex,birth_date,unit
001090000003,Lê Văn Ba,M,1990-01-01,CT.BT.P1.KV1
096090000004,Lê Văn Bốn,M,1990-01-01,CT.BT.P1.KV1
092099000005,Lê Văn Năm,M,1999-12-31,CT.BT.P1.KV1
092200000007,Lê Văn Bảy,M,2000-01-01,CT.BT.P1.KV1
092199000009,Lê Thị Chín,F,1999-06-01,CT.BT.P1.KV1
092300000011,Lê Thị Mười Một,F,2000-06-01,CT.BT.P1.KV1
092091000014,Lê Văn Mười Bốn,M,1991-01-01,CT.BT.P1.KV1
123456789,Lê Văn Chín Số,F,1990-01-01,CT.BT.P1.KV1
CSV
expect 0 "$K" import people cccd-good.csv
has out "cccd-good.csv: 8 rows, 8 added, 0 updated, 0 unchanged"
# Vietnamese: the digit, what it says, what the person is recorded as.
printf 'ref,full_name,sex,birth_date,unit\n092099000010,Lê Thị Mười,F,1999-06-01,CT.BT.P1.KV1\n' >vi.csv
expect 1 "$K" --lang vi import people vi.csv
has err "vi.csv:2: ref: KN-CCCD: Chữ số thứ 4 của số CCCD 092099000010 cho biết nam, nhưng Lê Thị Mười được ghi là nữ; hãy sửa giới tính hoặc số CCCD."

# ==== possible duplicates ====
# D1 and D2 and D4 fold to "nguyen van duc", born 05/05/1990; D3 is a
# namesake born a day later. D4 is in the other district.
cat >dups.csv <<'CSV'
ref,full_name,sex,birth_date,unit
092090000101,Nguyễn Văn Đức,M,1990-05-05,CT.BT.P1.KV1
092090000102,nguyen  van duc,M,1990-05-05,CT.BT.P1.KV2
092090000103,Nguyễn Văn Đức,M,1990-05-06,CT.BT.P1.KV1
092090000104,NGUYỄN VĂN ĐỨC,M,1990-05-05,CT.DN.P1.KV1
CSV
expect 0 "$K" import people dups.csv
has out "dups.csv: 4 rows, 4 added, 0 updated, 0 unchanged"
has err "dups.csv:3: warning: 092090000102 (nguyen  van duc) may be the same person as 092090000101 (Nguyễn Văn Đức, CT.BT.P1.KV1): the same name and date of birth 1990-05-05; if so, \`ketnap person merge\` the two records"
has err "dups.csv:5: warning: 092090000104 (NGUYỄN VĂN ĐỨC) may be the same person as 092090000101 (Nguyễn Văn Đức, CT.BT.P1.KV1)"
has err "dups.csv:5: warning: 092090000104 (NGUYỄN VĂN ĐỨC) may be the same person as 092090000102 (nguyen  van duc, CT.BT.P1.KV2)"
is "three warnings: D3 is a namesake born another day" "$(grep -c warning err)" 3
# The same file again: nothing new, no warning.
expect 0 "$K" import people dups.csv
is "a re-import warns of nothing" "$(grep -c warning err)" 0
# Into an empty people table (the file's own pairs, found without a query).
expect 0 "$K" --db "$FRESH" init
expect 0 "$K" --db "$FRESH" import units units.csv
expect 0 "$K" --db "$FRESH" import people dups.csv
is "the same three warnings into an empty table" "$(grep -c warning err)" 3
has err "dups.csv:3: warning: 092090000102 (nguyen  van duc) may be the same person as 092090000101"

# Pairs, each once, the first of each the earlier in Vietnamese name order
# (given name first: duc < Đức; lower case before upper case), then by ref.
expect 0 "$K" person duplicates --format csv
cat >want <<'CSV'
ref1,full_name1,unit1,ref2,full_name2,unit2,birth_date
092090000102,nguyen  van duc,CT.BT.P1.KV2,092090000101,Nguyễn Văn Đức,CT.BT.P1.KV1,1990-05-05
092090000102,nguyen  van duc,CT.BT.P1.KV2,092090000104,NGUYỄN VĂN ĐỨC,CT.DN.P1.KV1,1990-05-05
092090000101,Nguyễn Văn Đức,CT.BT.P1.KV1,092090000104,NGUYỄN VĂN ĐỨC,CT.DN.P1.KV1,1990-05-05
092065000033,vo van  KIET,CT.BT.P1.KV2,092065000003,Võ Văn Kiệt,CT.BT.P1.KV1,1965-07-08
CSV
same "duplicates of the whole city" out want
expect 0 "$K" person duplicates --unit CT.BT --format csv
grep -v 092090000104 want >want.bt
same "--unit CT.BT: both people in the district" out want.bt
expect 0 "$K" person duplicates --unit CT.DN --format csv
is "--unit CT.DN: none" "$(cat out)" "ref1,full_name1,unit1,ref2,full_name2,unit2,birth_date"
expect 0 "$K" person duplicates --unit CT.BT.P1.KV1 --format csv
is "one cell: no pair has both people in it" "$(wc -l <out)" 1
expect 1 "$K" person duplicates --unit CT.XX
has err "no unit with code CT.XX"
expect 0 "$K" person duplicates --format json
has out '"ref1": "092090000102"'
expect 0 "$K" person duplicates
has out "092090000102"
# person show names the other records, as the person's web page does.
expect 0 "$K" person show 092090000101
is "person show: the other records" "$(grep -A3 '^Possibly the same person' out)" \
	"Possibly the same person (the same name and date of birth) is also recorded as:
  092090000102 (nguyen  van duc, CT.BT.P1.KV2)
  092090000104 (NGUYỄN VĂN ĐỨC, CT.DN.P1.KV1)
  if they are one person: ketnap person merge KEEP DROP"
expect 0 "$K" person show 092090000103
hasnt out "Possibly the same person"

# ==== person merge ====
# D1 (kept): an open candidacy from 10/01/2024 (recorded first: the lower
# id). D2 (dropped): a closed one of 2018 (three steps), recorded after.
expect 0 "$K" step 092090000101 source --date 2024-01-10 --org cell
expect 0 "$K" step 092090000102 source --date 2018-01-10 --org youth_union
expect 0 "$K" step 092090000102 trained --date 2018-03-01 --doc CN-1
expect 0 "$K" step 092090000102 withdrawn --date 2018-06-01 --note "chuyển nơi ở"
# D4: 2023-01-10 to 2024-06-01, which overlaps D1's open candidacy.
expect 0 "$K" step 092090000104 source --date 2023-01-10 --org cell
expect 0 "$K" step 092090000104 withdrawn --date 2024-06-01 --note "rút"
# P1, P2: a pair with an open candidacy each.
cat >pair.csv <<'CSV'
ref,full_name,sex,birth_date,unit
092195000201,Phạm Thị Hoa,F,1995-01-02,CT.BT.P1.KV1
092195000202,Phạm Thị Hoa,F,1995-01-02,CT.BT.P1.KV2
CSV
expect 0 "$K" import people pair.csv
expect 0 "$K" step 092195000201 source --date 2025-01-10 --org cell
expect 0 "$K" step 092195000202 source --date 2025-02-10 --org cell
# C9 introduced by M3B (the member recorded twice).
printf 'ref,full_name,sex,birth_date,unit\n092198000301,Đỗ Thị Lan,F,1998-03-03,CT.BT.P1.KV1\n' >c9.csv
expect 0 "$K" import people c9.csv
expect 0 "$K" step 092198000301 source --date 2025-01-05 --org cell
expect 0 "$K" step 092198000301 trained --date 2025-02-05 --doc CN-9
expect 0 "$K" step 092198000301 applied --date 2025-03-05
expect 0 "$K" step 092198000301 verified --date 2025-04-05
expect 0 "$K" step 092198000301 introduced --date 2025-05-05 --introducer 092060000001:2020-01-01 --introducer 092065000033:2020-01-01

audits() { kn_sql "$DB" "SELECT COUNT(*) FROM audit WHERE action = 'merge'"; }
expect 1 "$K" person merge 092195000201 092195000202
has err "092195000201 and 092195000202 both have an open candidacy (from 2025-01-10, still open; from 2025-02-10, still open); two open candidacies cannot be merged"
expect 1 "$K" person merge 092090000101 092090000104
has err "the candidacy of 092090000101 from 2024-01-10, still open overlaps the candidacy of 092090000104 from 2023-01-10 to 2024-06-01"
# A member recorded twice, the copy without the membership kept: refused
# (the membership the people list gave would be lost).
expect 1 "$K" person merge 092090000103 092060000001
has err "092060000001 is recorded as a member (since 1999-01-01) and 092090000103 is not; keep 092060000001 instead"
expect 1 "$K" person merge 092090000101 092090000101
has err "are the same record"
expect 1 "$K" person merge 092090000101 092099999999
has err "no person with ref 092099999999"
is "no merge written by the refusals" "$(audits)" 0

expect 0 "$K" person merge 092090000101 092090000102
has out "092090000102 merged into 092090000101: 1 candidacy moved"
is "one audit entry" "$(audits)" 1
is "it is the kept person's" "$(kn_sql "$DB" "SELECT entity || ' ' || key FROM audit WHERE action = 'merge'")" "person 092090000101"
kn_sql "$DB" "SELECT before FROM audit WHERE action = 'merge'" >before
has before "092090000101,Nguyễn Văn Đức,M,1990-05-05,CT.BT.P1.KV1"
has before "092090000102,nguyen  van duc,M,1990-05-05,CT.BT.P1.KV2"
# D1 now: two candidacies (the 2018 one first), four steps (1 + 3).
expect 0 "$K" export steps
is "the kept person's steps" "$(grep -c '^092090000101,' out)" 4
is "none left under the dropped ref" "$(grep -c '^092090000102,' out)" 0
expect 0 "$K" person show 092090000101
has out "Candidacy 1 (closed), stage: withdrawn"
has out "Candidacy 2 (open), stage: source"
has out "Next step: trained"
expect 0 "$K" export people
is "the dropped person is gone" "$(grep -c '^092090000102,' out)" 0
expect 0 "$K" verify
# The member recorded twice: the introduction now names the kept record.
expect 0 "$K" person merge 092065000003 092065000033
has out "092065000033 merged into 092065000003: 0 candidacies moved"
expect 0 "$K" export steps
has out "092198000301,introduced,2025-05-05,,,,092060000001,2020-01-01,092065000003,2020-01-01"
expect 0 "$K" verify
expect 0 "$K" person duplicates --format csv
is "the merged pairs are gone" "$(cat out)" "ref1,full_name1,unit1,ref2,full_name2,unit2,birth_date
092090000101,Nguyễn Văn Đức,CT.BT.P1.KV1,092090000104,NGUYỄN VĂN ĐỨC,CT.DN.P1.KV1,1990-05-05
092195000201,Phạm Thị Hoa,CT.BT.P1.KV1,092195000202,Phạm Thị Hoa,CT.BT.P1.KV2,1995-01-02"

# The dropped ref later: refused with the ref it went into.
expect 1 "$K" import people dups.csv
has err "dups.csv:3: ref: 092090000102 was merged into 092090000101; use 092090000101"
printf 'person,step,date,org\n092090000102,source,2025-12-01,cell\n' >later-steps.csv
expect 1 "$K" import steps later-steps.csv
has err "later-steps.csv:2: person: 092090000102 was merged into 092090000101; use 092090000101"
expect 1 "$K" step 092090000102 trained --date 2025-12-01 --doc X
is "step: the one line that says so" "$(cat err)" "ketnap: 092090000102 was merged into 092090000101; use 092090000101"
expect 1 "$K" person show 092090000102
is "person show: the one line that says so" "$(cat err)" "ketnap: 092090000102 was merged into 092090000101; use 092090000101"
expect 1 "$K" step 092198000301 introduced --date 2025-06-05 --introducer 092060000001:2020-01-01 --introducer 092065000033:2020-01-01
has err "092065000033 was merged into 092065000003; use 092065000003"
expect 1 "$K" person merge 092090000101 092090000102
has err "092090000102 was merged into 092090000101"

# ==== scope: --user ====
echo 'secret123' | "$K" user add root --unit CT --role admin >/dev/null 2>&1 || bad "user add root"
echo 'secret123' | "$K" --user root user add bt --unit CT.BT --role editor >/dev/null 2>&1 || bad "user add bt"
echo 'secret123' | "$K" --user root user add dn --unit CT.DN --role editor >/dev/null 2>&1 || bad "user add dn"
echo 'secret123' | "$K" --user root user add view --unit CT --role viewer >/dev/null 2>&1 || bad "user add view"
expect 0 "$K" --user bt person duplicates --format csv
is "bt: the pair within CT.BT only" "$(cat out)" "ref1,full_name1,unit1,ref2,full_name2,unit2,birth_date
092195000201,Phạm Thị Hoa,CT.BT.P1.KV1,092195000202,Phạm Thị Hoa,CT.BT.P1.KV2,1995-01-02"
expect 0 "$K" --user dn person duplicates --format csv
is "dn: no pair has both people in CT.DN" "$(wc -l <out)" 1
expect 1 "$K" --user dn person duplicates --unit CT.BT
has err "no unit with code CT.BT"
expect 1 "$K" --user dn person merge 092090000101 092090000104
has err "no person with ref 092090000101"
expect 1 "$K" --user bt person merge 092090000101 092090000104
has err "no person with ref 092090000104"
expect 1 "$K" --user view person merge 092090000101 092090000104
has err "merging two records needs an administrator, or an editor"
# A ref merged into a person outside the user's subtree is not named.
expect 1 "$K" --user dn person show 092090000102
has err "no person with ref 092090000102"
hasnt err "merged"

# ==== the web: the new-candidate form, the edit form and the API ====
# (in Vietnamese, the web's language when none is chosen)
export KETNAP_USER=root
echo 'secret123' | "$K" user add ward --unit CT.BT.P1 --role editor >/dev/null 2>&1 || bad "user add ward"
# Two pairs for the duplicates page: Q1/Q2 without candidacies (merged
# there), X1/X2 whose name carries markup (shown escaped).
cat >web-pairs.csv <<'CSV'
ref,full_name,sex,birth_date,unit
092088000601,Đinh Văn Quý,M,1988-08-08,CT.BT.P1.KV1
092088000602,Đinh Văn Quý,M,1988-08-08,CT.BT.P1.KV2
092087000701,Lê <b>Văn</b> Tý,M,1987-07-07,CT.BT.P1.KV1
092087000702,Lê <b>Văn</b> Tý,M,1987-07-07,CT.BT.P1.KV2
CSV
expect 0 "$K" import people web-pairs.csv
KN_WEB_LOG=$dir/serve.log kn_web_start "$DB" --threads 2 --access-log off || exit 1
URL=$KN_WEB_URL
is "ward signs in" "$(kn_web_login ward.jar ward secret123)" 303
CS=$(kn_web_csrf ward.jar /candidates/new)
post() { # post PATH CURL-ARGS…: $code and body
	local path=$1; shift
	code=$(curl -s -b ward.jar -o body -w '%{http_code}' "$@" "$URL$path")
}
newcand() { # newcand REF NAME SEX BIRTH
	post /candidates/new --data-urlencode "csrf=$CS" --data-urlencode "ref=$1" \
		--data-urlencode "full_name=$2" --data-urlencode "sex=$3" --data-urlencode "birth_date=$4" \
		--data-urlencode "unit=CT.BT.P1.KV1" --data-urlencode "source_date=2025-12-01" \
		--data-urlencode "org=cell"
}
newcand 092000000401 "Trần Thị Thu" F 1996-04-04
is "a CCCD that disagrees: refused" "$code" 422
has body "KN-CCCD: Chữ số thứ 4 của số CCCD 092000000401 cho biết nam, nhưng Trần Thị Thu được ghi là nữ; hãy sửa giới tính hoặc số CCCD. KN-CCCD: Chữ số thứ 5–6 của số CCCD 092000000401 cho biết năm sinh tận cùng là 00, nhưng Trần Thị Thu được ghi là sinh năm 1996"
is "nobody written" "$(kn_sql "$DB" "SELECT COUNT(*) FROM people WHERE ref = '092000000401'")" 0
newcand 092090000102 "Nguyễn Văn Đức" M 1990-05-05
is "a merged-away ref: refused" "$code" 422
has body "092090000102 đã được gộp vào 092090000101; hãy dùng 092090000101"
# A new candidate who is possibly D1 again: saved, and their page says so.
newcand 092090000105 "Nguyễn văn Đức" M 1990-05-05
is "a possible duplicate is saved" "$code" 303
code=$(curl -s -b ward.jar -o body -w '%{http_code}' "$URL/people/092090000105")
is "the new candidate's page" "$code" 200
has body 'id="duplicates"'
has body "<a href=\"/people/092090000101\">Nguyễn Văn Đức</a>"
code=$(curl -s -b ward.jar -o body -w '%{http_code}' "$URL/people/092090000102")
is "the page of a merged-away ref" "$code" 404
has body "092090000102 đã được gộp vào 092090000101; hãy dùng 092090000101"
code=$(curl -s -b ward.jar -o body -w '%{http_code}' "$URL/people/092060000001")
hasnt body 'id="duplicates"'
# The edit form: a birth date that the ref contradicts.
code=$(curl -s -b ward.jar -o body -w '%{http_code}' "$URL/edit/092300000011")
stamp=$(grep -o 'name="stamp" value="[^"]*"' body | sed 's/.*value="//;s/"$//')
post /edit/092300000011 --data-urlencode "csrf=$CS" --data-urlencode "stamp=$stamp" \
	--data-urlencode "full_name=Lê Thị Mười Một" --data-urlencode "sex=F" \
	--data-urlencode "birth_date=2001-06-01" --data-urlencode "unit=CT.BT.P1.KV1"
is "an edit that breaks KN-CCCD: refused" "$code" 422
has body "Chữ số thứ 5–6 của số CCCD 092300000011 cho biết năm sinh tận cùng là 00, nhưng Lê Thị Mười Một được ghi là sinh năm 2001"
post /edit/092300000011 --data-urlencode "csrf=$CS" --data-urlencode "stamp=$stamp" \
	--data-urlencode "full_name=Lê Thị Mười Một" --data-urlencode "sex=F" \
	--data-urlencode "birth_date=2000-07-01" --data-urlencode "unit=CT.BT.P1.KV1"
is "an edit that keeps it: saved" "$code" 303
# The JSON API.
TOK=$("$K" user token ward)
api() { # api METHOD PATH JSON: $code and body
	code=$(curl -s -o body -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOK" \
		-H 'Content-Type: application/json' --data "$3" "$URL/api/v1$2")
}
api POST /people '{"ref":"092190000501","full_name":"Hồ Văn Lộc","sex":"M","birth_date":"1990-02-02","unit":"CT.BT.P1.KV1"}'
is "API: a CCCD that disagrees: refused" "$code" 422
has body "KN-CCCD: Chữ số thứ 4 của số CCCD 092190000501 cho biết nữ, nhưng Hồ Văn Lộc được ghi là nam; hãy sửa giới tính hoặc số CCCD."
api POST /people '{"ref":"092090000501","full_name":"Hồ Văn Lộc","sex":"M","birth_date":"1990-02-02","unit":"CT.BT.P1.KV1"}'
is "API: a CCCD that agrees: created" "$code" 201
api POST /people/092090000501 '{"birth_date":"1989-02-02"}'
is "API: an update that breaks KN-CCCD: refused" "$code" 422
has body "Chữ số thứ 5–6 của số CCCD 092090000501 cho biết năm sinh tận cùng là 90"
api POST /people '{"ref":"092090000102","full_name":"Nguyễn Văn Đức","sex":"M","birth_date":"1990-05-05","unit":"CT.BT.P1.KV1"}'
is "API: a merged-away ref: refused" "$code" 422
has body "092090000102 đã được gộp vào 092090000101; hãy dùng 092090000101"
# The duplicates page (admins): the pairs of the admin's subtree, a
# merge confirmed, then POSTed with the CSRF token.
get() { # get JAR PATH: $code and body
	code=$(curl -s -b "$1" -o body -w '%{http_code}' "$URL$2")
}
get ward.jar /admin/duplicates
is "an editor: not the duplicates page" "$code" 403
is "root signs in" "$(kn_web_login root.jar root secret123)" 303
RC=$(kn_web_csrf root.jar /admin)
get root.jar /admin
has body 'href="/admin/duplicates"'
# The import page warns too (a dry run here: nothing written).
printf 'ref,full_name,sex,birth_date,unit\n092090000106,Nguyen Van Duc,M,1990-05-05,CT.BT.P1.KV2\n' >dupweb.csv
code=$(curl -s -b root.jar -o body -w '%{http_code}' -F "csrf=$RC" -F kind=people \
	-F "file=@dupweb.csv" "$URL/import")
is "the import page's dry run" "$code" 200
has body "<h2>Hồ sơ có thể trùng</h2>"
has body "092090000106 (Nguyen Van Duc) có thể là cùng một người với 092090000101 (Nguyễn Văn Đức, CT.BT.P1.KV1): cùng họ tên và ngày sinh 05/05/1990"
get root.jar /admin/duplicates
is "the duplicates page" "$code" 200
has body 'href="/admin/duplicates?keep=092088000601&amp;drop=092088000602"'
has body 'href="/admin/duplicates?keep=092195000201&amp;drop=092195000202"'
has body "Lê &lt;b&gt;Văn&lt;/b&gt; Tý"
hasnt body "<b>Văn</b>"
get root.jar "/admin/duplicates?keep=092088000601&drop=092088000602"
is "the confirmation" "$code" 200
has body 'name="keep" value="092088000601"'
has body 'name="drop" value="092088000602"'
code=$(curl -s -b root.jar -o body -w '%{http_code}' --data-urlencode "keep=092088000601" \
	--data-urlencode "drop=092088000602" "$URL/admin/duplicates")
is "a merge without the CSRF token: refused" "$code" 403
code=$(curl -s -b root.jar -o body -w '%{http_code}' --data-urlencode "csrf=$RC" \
	--data-urlencode "keep=092195000201" --data-urlencode "drop=092195000202" "$URL/admin/duplicates")
is "two open candidacies: refused" "$code" 409
has body "092195000201 và 092195000202 đều có hồ sơ kết nạp đang mở"
code=$(curl -s -b root.jar -o body -w '%{http_code}|%{redirect_url}' --data-urlencode "csrf=$RC" \
	--data-urlencode "keep=092088000601" --data-urlencode "drop=092088000602" "$URL/admin/duplicates")
is "the merge" "$code" "303|$URL/admin/duplicates?merged=092088000602&into=092088000601"
get root.jar "/admin/duplicates?merged=092088000602&into=092088000601"
has body "092088000602 đã được gộp vào 092088000601"
hasnt body "keep=092088000601&amp;drop=092088000602"
is "merged by root, audited" "$(kn_sql "$DB" "SELECT actor || ' ' || key FROM audit WHERE action = 'merge' AND key = '092088000601'")" "root 092088000601"
kn_web_stop
expect 0 "$K" verify

echo "identity.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
