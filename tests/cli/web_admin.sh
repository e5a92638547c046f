#!/bin/bash
# web_admin.sh — end-to-end tests of the web import and administration
# pages (src/web/page_import.c, src/web/page_admin.c) against `ketnap
# serve` on a `demo --size small` database: the import dry run reports
# every bad row exactly as the CLI does and writes nothing, a good file
# commits; an admin of one district can neither import into, see nor
# change another district's units, quotas or accounts (404), nor create
# an account outside the district; quota, account, unit and holiday edits
# reach the database (checked with the CLI); a POST without the CSRF token
# is refused and writes nothing; the audit page lists the changes with
# their actor. Needs $KETNAP (the binary) and curl; the server is started
# and always stopped by tests/lib/web.sh.
set -u

: "${KETNAP:?set KETNAP to the ketnap binary}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_DB
export KETNAP_TODAY=2025-12-20

. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
tmp=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
KDB=$(KN_DB_DIR=$tmp kn_db web)

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
kn() { "$KETNAP" --db "$KDB" --user root "$@"; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
expect_in() { if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: '$2' not found"; fi; }
expect_not_in() { if grep -qF -- "$2" <<<"$1"; then bad "$3: '$2' found"; else ok; fi; }
snapshot() {
	mkdir -p "$1"
	for k in units people quotas holidays steps; do kn export "$k" -o "$1/$k.csv"; done
	kn user list | awk '{print $1, $2, $3, $4}' >"$1/users.txt"
}
same_db() { if diff -r "$1" "$2" >/dev/null; then ok; else bad "$3: the database changed"; diff -r "$1" "$2" >&2; fi; }
unhtml() { sed -e 's/<[^>]*>//g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&amp;/\&/g'; }

# ---- the database and the server ----
kn demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
echo 'secret123' | kn user add root --unit CT --role admin >/dev/null
echo 'secret123' | kn user add bt --unit CT.BT --role admin >/dev/null
echo 'secret123' | kn user add dn --unit CT.DN --role admin >/dev/null

KN_WEB_LOG=$tmp/serve.log kn_web_start "$KDB" --threads 2 --access-log off || exit 1
URL=$KN_WEB_URL

# login JAR USER PASSWORD: prints the status of the sign-in POST.
login() { kn_web_login "$@"; }
# The CSRF token of the session in JAR.
csrf_of() { kn_web_csrf "$1" /admin; }
# get JAR PATH: $code and $body.
get() {
	body=$(curl -s -b "$1" -w '\n%{http_code}' "$URL$2")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}
# post JAR PATH CURL-ARGS…: urlencoded or multipart (-F) form; $code, $body.
post() {
	local jar=$1 path=$2
	shift 2
	body=$(curl -s -b "$jar" -w '\n%{http_code}' "$@" "$URL$path")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
}

expect_eq "$(login root.jar root secret123)" 303 "root signs in"
expect_eq "$(login bt.jar bt secret123)" 303 "bt signs in"
RC=$(csrf_of root.jar)
BC=$(csrf_of bt.jar)
[ -n "$RC" ] && [ -n "$BC" ] && ok || bad "no CSRF token on the pages"

# ---- import: a dry run of a bad file names every bad row, writes nothing ----
cat >people-bad.csv <<'CSV'
ref,full_name,sex,birth_date,unit
092205000301,Nguyễn Văn An,M,2005-01-02,CT.BT.P01.C01
092301000302,Trần Thị Bình,F,31/02/2011,CT.BT.P01.C01
092204000303,Lê Văn Cường,X,2004-03-04,CT.XX
092204000304,,M,2004-03-04,CT.BT.P01.C01
CSV
snapshot before
post root.jar /import -F "csrf=$RC" -F kind=people -F "file=@people-bad.csv"
expect_eq "$code" 422 "bad file refused"
web=$(grep '^<li>people-bad.csv:' <<<"$body" | unhtml)
cli=$(kn --lang vi import people people-bad.csv --dry-run 2>&1 >/dev/null | grep '^people-bad.csv:')
[ -n "$cli" ] && ok || bad "the CLI reported nothing"
expect_eq "$web" "$cli" "the page lists the importer's messages as the CLI prints them"
expect_eq "$(grep -c '' <<<"$web")" 4 "every bad row is named"
expect_in "$web" "people-bad.csv:3: birth_date:" "line 3 named"
expect_in "$web" "people-bad.csv:4: sex:" "line 4 named"
expect_in "$web" "people-bad.csv:5: full_name:" "line 5 named"
snapshot after
same_db before after "bad import"

# ---- import: a good file, dry run then commit ----
cat >people-good.csv <<'CSV'
ref,full_name,sex,birth_date,unit
092205000301,Nguyễn Văn An,M,2005-01-02,CT.BT.P01.C01
092301000302,Trần Thị Bình,F,2001-02-11,CT.DN.VT.C01
CSV
post root.jar /import -F "csrf=$RC" -F kind=people -F "file=@people-good.csv"
expect_eq "$code" 200 "good file: dry run"
expect_in "$body" 'name="commit" value="1"' "the dry run offers to commit"
snapshot after
same_db before after "dry run"
data=$(grep -o 'name="data" value="[^"]*"' <<<"$body" | sed 's/.*value="//;s/"$//')
expect_eq "$(base64 -d <<<"$data")" "$(cat people-good.csv)" "the commit form carries the file unchanged"
post root.jar /import -F "csrf=$RC" -F kind=people -F name=people-good.csv -F commit=1 -F "data=$data"
expect_eq "$code" 200 "good file: commit"
expect_in "$(kn export people)" "092301000302,Trần Thị Bình,F,2001-02-11,CT.DN.VT.C01" "committed"
expect_in "$(kn export people)" "092205000301,Nguyễn Văn An,M,2005-01-02,CT.BT.P01.C01" "committed"
# A commit without the CSRF token writes nothing.
sed 's/Trần Thị Bình/Trần Thị Bính/' people-good.csv >people-changed.csv
snapshot before
post root.jar /import -F kind=people -F commit=1 -F "file=@people-changed.csv"
expect_eq "$code" 403 "import without CSRF"
snapshot after
same_db before after "import without CSRF"

# ---- the subtree: bt administers CT.BT only ----
cat >people-other.csv <<'CSV'
ref,full_name,sex,birth_date,unit
092205000301,Nguyễn Văn An,M,2005-01-02,CT.BT.P01.C02
092301000302,Trần Thị Bình,F,2001-02-11,CT.BT.P01.C01
092201000309,Lê Văn Dũng,M,2001-02-11,CT.DN.VT.C01
CSV
cat >units-other.csv <<'CSV'
code,parent,name,kind
CT.BT.P04,CT.BT,Đảng bộ phường mới,grassroots
CT.X1,CT,Đảng bộ ngoài,upper
CT.DN.VT,CT.BT,Viễn thông,grassroots
CT.BT.P03,CT.DN,Chuyển đi,grassroots
CSV
printf 'unit,year,target\nCT.BT.P01,2026,3\nCT.DN,2026,4\n' >quotas-other.csv
printf 'date,workday,name\n2026-01-02,0,Nghỉ bù\n' >holidays-bt.csv
snapshot before
post bt.jar /import -F "csrf=$BC" -F kind=people -F "file=@people-other.csv"
expect_eq "$code" 422 "bt: people of another district refused"
expect_in "$body" "people-other.csv:3: ref:" "bt: a person of CT.DN named by line"
expect_in "$body" "people-other.csv:4: unit:" "bt: a unit of CT.DN named by line"
expect_not_in "$body" "people-other.csv:2:" "bt: a row of CT.BT is fine"
post bt.jar /import -F "csrf=$BC" -F kind=units -F "file=@units-other.csv"
expect_eq "$code" 422 "bt: units outside refused"
for l in 3 4 5; do expect_in "$body" "units-other.csv:$l:" "bt: units line $l named"; done
expect_not_in "$body" "units-other.csv:2:" "bt: a new unit under CT.BT is fine"
post bt.jar /import -F "csrf=$BC" -F kind=quotas -F "file=@quotas-other.csv"
expect_eq "$code" 422 "bt: quotas of CT.DN refused"
expect_in "$body" "quotas-other.csv:3: unit:" "bt: quota line named"
post bt.jar /import -F "csrf=$BC" -F kind=quotas -F commit=1 -F "file=@quotas-other.csv"
expect_eq "$code" 422 "bt: quotas of CT.DN refused on commit too"
post bt.jar /import -F "csrf=$BC" -F kind=holidays -F commit=1 -F "file=@holidays-bt.csv"
expect_eq "$code" 422 "bt: holidays are the top unit's"
snapshot after
same_db before after "bt's refused imports"

get bt.jar "/admin/units"
expect_eq "$code" 200 "bt: units page"
expect_in "$body" "CT.BT.P01" "bt: sees CT.BT's units"
expect_not_in "$body" "CT.DN" "bt: does not see CT.DN"
get bt.jar "/admin/units?unit=CT.DN"
expect_eq "$code" 404 "bt: CT.DN's tree"
get bt.jar "/admin/units?edit=CT.DN.VT"
expect_eq "$code" 404 "bt: edit a unit of CT.DN"
get bt.jar "/admin/quotas?unit=CT.DN"
expect_eq "$code" 404 "bt: CT.DN's quotas"
get bt.jar "/admin/quotas?edit=CT.DN.VT"
expect_eq "$code" 404 "bt: a quota of CT.DN"
get bt.jar "/admin/users?edit=dn"
expect_eq "$code" 404 "bt: an account of CT.DN"
get bt.jar "/admin/users"
expect_in "$body" ">bt<" "bt: own account listed"
expect_not_in "$body" ">dn<" "bt: CT.DN's account not listed"
expect_not_in "$body" ">root<" "bt: the city's account not listed"

snapshot before
post bt.jar /admin/units --data-urlencode "csrf=$BC" -d mode=edit -d code=CT.DN.VT -d parent=CT.BT \
	--data-urlencode "name=Viễn thông" -d kind=grassroots
expect_eq "$code" 404 "bt: POST a unit of CT.DN"
post bt.jar /admin/units --data-urlencode "csrf=$BC" -d mode=add -d code=CT.BT.P09 -d parent=CT.DN \
	--data-urlencode "name=Phường 9" -d kind=grassroots
expect_eq "$code" 422 "bt: a new unit under CT.DN"
post bt.jar /admin/units --data-urlencode "csrf=$BC" -d mode=edit -d code=CT.BT -d parent=CT.DN \
	--data-urlencode "name=Đảng bộ quận Bình Thủy" -d kind=upper -d may_admit=1
expect_eq "$code" 303 "bt: edits its own unit (the parent stays)"
post bt.jar /admin/quotas --data-urlencode "csrf=$BC" -d year=2026 -d "q:total:CT.DN=5"
expect_eq "$code" 404 "bt: POST a quota of CT.DN"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=add -d name=outsider -d unit=CT.DN \
	-d role=editor -d password=longpassword
expect_eq "$code" 404 "bt: an account bound to CT.DN"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=add -d name=upper -d unit=CT \
	-d role=admin -d password=longpassword
expect_eq "$code" 404 "bt: an account above its own unit"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=passwd -d name=dn -d password=longpassword
expect_eq "$code" 404 "bt: reset the password of CT.DN's admin"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=disable -d name=root
expect_eq "$code" 404 "bt: disable the city's admin"
post bt.jar /admin/holidays --data-urlencode "csrf=$BC" -d date=2026-01-02 -d workday=0
expect_eq "$code" 403 "bt: holidays"
snapshot after
same_db before after "bt's refused changes"
expect_in "$(kn unit tree CT.BT --depth 0)" "CT.BT " "CT.BT still there"
expect_eq "$(kn export units | grep '^CT.BT,' | cut -d, -f2)" CT "CT.BT stays under CT"

# ---- units: add one through the form ----
post bt.jar /admin/units --data-urlencode "csrf=$BC" -d mode=add -d code=CT.BT.P09 -d parent=CT.BT \
	--data-urlencode "name=Đảng bộ phường <Chín>" -d kind=grassroots -d sector=ward
expect_eq "$code" 303 "bt: adds a unit"
expect_in "$(kn export units)" "CT.BT.P09,CT.BT,Đảng bộ phường <Chín>,grassroots,0,ward,0" "the unit is stored"
get bt.jar "/admin/units"
expect_in "$body" "Đảng bộ phường &lt;Chín&gt;" "a name is escaped"
post bt.jar /admin/units --data-urlencode "csrf=$BC" -d mode=add -d "code=bad code" -d parent=CT.BT \
	-d name=X -d kind=grassroots
expect_eq "$code" 422 "a bad unit code refused"
post bt.jar /admin/units --data-urlencode "csrf=$BC" -d mode=add -d code=CT.BT.P10 -d parent=CT.BT \
	-d name=X -d kind=ward
expect_eq "$code" 422 "a bad unit kind refused"

# ---- quotas ----
post root.jar /admin/quotas --data-urlencode "csrf=$RC" -d year=2026 -d "q:total:CT.BT.P01=7" \
	-d "o:total:CT.BT.P01=" -d "q:female:CT.BT.P01=3"
expect_eq "$code" 303 "root: sets quotas"
ql=$(kn quota list --unit CT.BT.P01 --year 2026)
expect_in "$(grep total <<<"$ql")" "7" "the total quota is stored"
expect_in "$(grep female <<<"$ql")" "3" "the structure quota is stored"
post bt.jar /admin/quotas --data-urlencode "csrf=$BC" -d year=2026 -d "q:total:CT.BT.P02=4" -d "o:total:CT.BT.P02="
expect_eq "$code" 303 "bt: sets a quota in its district"
expect_in "$(kn quota list --unit CT.BT.P02 --year 2026 | grep total)" "4" "bt's quota is stored"
post bt.jar /admin/quotas --data-urlencode "csrf=$BC" -d year=2026 -d "q:total:CT.BT.P02=x"
expect_eq "$code" 422 "a quota that is not a number"
post bt.jar /admin/quotas --data-urlencode "csrf=$BC" -d year=2026 -d "q:total:CT.BT.P02=9" -d "o:total:CT.BT.P02=2"
expect_eq "$code" 409 "a quota changed meanwhile is not overwritten"
expect_in "$(kn quota list --unit CT.BT.P02 --year 2026 | grep total)" "4" "the quota is still 4"
get root.jar "/admin/quotas?year=2026"
expect_in "$body" 'name="q:total:CT.BT.P01" value="7"' "the quotas page shows the quota"

# ---- accounts ----
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=add -d name=cell1 -d unit=CT.BT.P01.C01 \
	-d role=editor -d password=short
expect_eq "$code" 422 "a short password refused"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=add -d name=cell1 -d unit=CT.BT.P01.C01 \
	-d role=editor -d password=longpassword
expect_eq "$code" 303 "bt: adds an account"
expect_in "$(kn user list)" "cell1" "the account is stored"
expect_eq "$(login cell1.jar cell1 longpassword)" 303 "the new account signs in"
get cell1.jar /admin
expect_eq "$code" 403 "an editor is not an admin"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=update -d name=cell1 -d unit=CT.BT.P01 -d role=approver
expect_eq "$code" 303 "bt: changes role and unit"
expect_in "$(kn user list | grep cell1)" "CT.BT.P01 " "the unit changed"
expect_in "$(kn user list | grep cell1)" "approver" "the role changed"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=passwd -d name=cell1 -d password=anotherpass
expect_eq "$code" 303 "bt: resets a password"
expect_eq "$(login cell1.jar cell1 anotherpass)" 303 "the new password works"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=disable -d name=cell1
expect_eq "$code" 303 "bt: disables an account"
expect_eq "$(login cell1.jar cell1 anotherpass)" 401 "a disabled account cannot sign in"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=disable -d name=bt
expect_eq "$code" 422 "no one disables their own account"
post bt.jar /admin/users --data-urlencode "csrf=$BC" -d action=update -d name=bt -d unit=CT.BT.P01 -d role=admin
expect_eq "$code" 422 "no one moves their own account"

# ---- holidays ----
post root.jar /admin/holidays --data-urlencode "csrf=$RC" -d date=2026-01-02 -d workday=0 \
	--data-urlencode "name=Nghỉ bù Tết Dương lịch"
expect_eq "$code" 303 "root: adds a day off"
expect_in "$(kn calendar holidays 2026)" "2026-01-02 Nghỉ bù Tết Dương lịch" "the day off is in the calendar"
get root.jar "/admin/holidays?year=2026"
expect_in "$body" "Nghỉ bù Tết Dương lịch" "the holidays page shows it"
post root.jar /admin/holidays --data-urlencode "csrf=$RC" -d date=2026-02-31 -d workday=0
expect_eq "$code" 422 "an impossible date refused"

# ---- CSRF ----
snapshot before
post root.jar /admin/quotas -d year=2026 -d "q:total:CT.BT.P01=99"
expect_eq "$code" 403 "quota without CSRF"
post root.jar /admin/users -d action=add -d name=nocsrf -d unit=CT -d role=admin -d password=longpassword
expect_eq "$code" 403 "account without CSRF"
post root.jar /admin/users -d action=add -d name=nocsrf -d unit=CT -d role=admin -d password=longpassword -d csrf=0000
expect_eq "$code" 403 "account with a wrong CSRF token"
post root.jar /admin/holidays -d date=2026-01-05 -d workday=0
expect_eq "$code" 403 "holiday without CSRF"
post root.jar /admin/units -d mode=add -d code=CT.Z -d parent=CT -d name=Z -d kind=upper
expect_eq "$code" 403 "unit without CSRF"
snapshot after
same_db before after "POSTs without CSRF"

# ---- the audit log ----
get root.jar "/admin/audit"
expect_eq "$code" 200 "root: audit page"
a=$(unhtml <<<"$body")
expect_in "$body" "<td>root</td><td>thêm mới</td><td>chỉ tiêu</td><td class=\"code\">CT.BT.P01/2026/total</td>" "the quota change with its actor"
expect_in "$body" "<td>bt</td><td>thêm mới</td><td>tài khoản</td><td class=\"code\">cell1</td>" "the account with its actor"
expect_in "$body" "<td>root</td><td>thêm mới</td><td>ngày nghỉ</td><td class=\"code\">2026-01-02</td>" "the holiday with its actor"
expect_in "$body" "<td>bt</td><td>thêm mới</td><td>đơn vị</td><td class=\"code\">CT.BT.P09</td>" "the unit with its actor"
# An import is one entry (not one per added person), under the
# importer's unit, with the file's name, SHA-256 and counts.
expect_in "$body" "<td>root</td><td>nhập tệp dữ liệu</td><td>đơn vị</td><td class=\"code\">CT</td>" "the import with its actor"
expect_in "$(kn_sql "$KDB" "SELECT after FROM audit WHERE action = 'import' AND after LIKE 'kind=people; file=people-good.csv;%'")" \
	"kind=people; file=people-good.csv; sha256=$(sha256sum people-good.csv | cut -d' ' -f1); rows=2; added=2; updated=0; unchanged=0" \
	"the import's entry: the file, its SHA-256 and the counts"
expect_not_in "$a" "password=longpassword" "no password in the log"
get root.jar "/admin/audit?actor=bt&entity=quota"
expect_in "$body" "CT.BT.P02/2026/total" "filter by actor and entity"
expect_not_in "$body" "CT.BT.P01/2026/total" "the filter leaves out root's quota"
get bt.jar "/admin/audit"
expect_in "$body" "CT.BT.P02/2026/total" "bt sees its district's changes"
expect_in "$body" "CT.BT.P01/2026/total" "bt sees the city's change to its district"
expect_not_in "$body" "2026-01-02" "bt does not see the city's holidays"
expect_not_in "$body" "092301000302" "bt does not see a person of CT.DN"
get bt.jar "/admin/audit?key=092205000301"
expect_in "$body" "092205000301" "bt sees a person of its district"
# Local time (Asia/Ho_Chi_Minh, UTC+7) and the action in words: an entry
# stored at 20:30 UTC on New Year's Eve is 03:30 on 1 January in Cần Thơ.
kn_sql "$KDB" "INSERT INTO audit (id, at, actor, action, entity, key, before, after) VALUES ((SELECT max(id) + 1 FROM audit), '2025-12-31T20:30:00Z', 'root', 'step-override', 'candidacy', '092205000301', NULL, 'x')" >/dev/null
get root.jar "/admin/audit?key=092205000301"
expect_in "$body" "<td class=\"nowrap\">01/01/2026 03:30</td><td>root</td><td>ghi bước vượt quy định</td><td>hồ sơ kết nạp</td>" "the audit time in Vietnam, the action in words"
get root.jar "/admin/audit?key=092205000301&lang=en"
expect_in "$body" "<td class=\"nowrap\">2026-01-01 03:30</td><td>root</td><td>step recorded with an override</td><td>candidacy</td>" "the same in English"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
