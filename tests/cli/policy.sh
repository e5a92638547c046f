#!/usr/bin/env bash
# End to end: `ketnap policy list|set` (RULES.md §7) with the built binary.
# A new row applies from its date on: a cell of 3 full members passes
# KN-CELL-VOTE on any date before the row, and is refused from the row's
# date on, both by `ketnap check` and by a running web server asked on its
# next request after the command line wrote the row. Only an administrator
# of a top unit may set a row; a bad key or value is refused, naming the
# key and the expected form. Figures by hand in the comments.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db policy) KETNAP_TODAY=2027-03-01 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP


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
C1,Nguyễn Thị Kim Thảo,F,1996-05-10,CT.BT.P1.KV1,12/12,1,,
CSV

expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
echo 'root-password-1' | "$K" user add root --unit CT --role admin >/dev/null
echo 'btadm-password-1' | "$K" user add btadm --unit CT.BT --role admin >/dev/null
echo 'edit-password-1' | "$K" user add edit --unit CT --role editor >/dev/null

# C1's dossier, all in 2026: introduced 2026-10-01, so that a cell vote up
# to 2027-10-01 is within the 12 months of KN-DOSSIER-AGE.
expect 0 "$K" step C1 source --date 2026-01-10 --org youth_union
expect 0 "$K" step C1 trained --date 2026-02-01 --doc CN-1
expect 0 "$K" step C1 applied --date 2026-03-01
expect 0 "$K" step C1 verified --date 2026-03-15
expect 0 "$K" step C1 introduced --date 2026-10-01 --introducer M1:2009-01-01 --introducer M2:2009-01-01

# ---- list: the defaults of RULES.md §7, one row per key ----
expect 0 "$K" policy list --format csv
same "policy list csv" "$(cat out)" "key,from,value
age.min_years,,18
age.max_years,,60
education.min,,9/12
education.min_special_area,,5/12
certificate.valid_months,,60
introducer.min_months,,12
dossier.max_age_months,,12
cell.min_full_members,,3
cell.vote_fraction,,>=2/3
committee.vote_fraction,2021-07-30,>=2/3
probation.months,,12
deadline.decision_workdays,,60
deadline.decision_extension_workdays,,30
deadline.ceremony_workdays,,30
deadline.probation_vote_workdays,,30
deadline.official_workdays,,30
deadline.transfer_workdays,,30
readmit.wait_months,,36
readmit.crime_wait_months,,60"
# before 2021-07-30 the committee vote was more than half
expect 0 "$K" policy list --at 2021-07-29 --format csv
has out "committee.vote_fraction,,>1/2"
expect 0 "$K" policy list --at 2021-07-29 --format json
python3 -c 'import json; d=json.load(open("out")); r=[x for x in d if x["key"]=="committee.vote_fraction"][0]; assert r == {"key":"committee.vote_fraction","from":None,"value":">1/2"}, r' && ok || bad "json row"
expect 0 "$K" policy list
has out "cell.min_full_members"
expect 2 "$K" policy list --format xml
expect 2 "$K" policy list --at 2027-02-30

# ---- today's judgement: 3 full members pass, 2 do not ----
expect 0 "$K" check C1 cell_vote --date 2027-01-04 --for 3 --of 3
lacks out "KN-CELL-VOTE"
expect 1 "$K" check C1 cell_vote --date 2027-01-04 --for 2 --of 2
has err "KN-CELL-VOTE:"

# ---- the web server, before the row: 3 of 3 on 2027-01-04 passes ----
TR=$("$K" user token root)
kn_web_start "$KETNAP_DB" --access-log off || exit 1
api=$KN_WEB_URL/api/v1
webcheck() { # webcheck DATE FOR OF: prints ok and the violated codes
	curl -s -X POST -H "Authorization: Bearer $TR" \
		-d "{\"step\":\"cell_vote\",\"date\":\"$1\",\"votes_for\":$2,\"votes_total\":$3}" \
		"$api/check/C1" >body
	python3 -c 'import json; d=json.load(open("body")); print(d["ok"], " ".join(v["code"] for v in d["violations"]))'
}
[ "$(webcheck 2027-01-04 3 3)" = "True " ] && ok || bad "web: 3 of 3 before the row: $(cat body)"

# ---- set: who may, what may be written ----
expect 1 env KETNAP_USER=edit "$K" policy set cell.min_full_members 4 --from 2027-01-01
has err "needs an administrator of a top unit"
expect 1 env KETNAP_USER=btadm "$K" policy set cell.min_full_members 4 --from 2027-01-01
has err "btadm is admin of CT.BT"
expect 2 "$K" policy set cell.min_members 4 --from 2027-01-01
has err 'Unknown policy key "cell.min_members"'
has err "cell.min_full_members"
expect 2 "$K" policy set cell.min_full_members four --from 2027-01-01
has err 'Policy key cell.min_full_members cannot take the value "four"; write a whole number'
expect 2 "$K" policy set cell.vote_fraction 2/3 --from 2027-01-01
has err "write a fraction such as >=2/3"
expect 2 "$K" policy set cell.min_full_members 4
has err "--from"
[ "$(kn_sql "$KETNAP_DB" "SELECT count(*) FROM policy WHERE from_date <> ''")" = 1 ] && ok \
	|| bad "a refused set wrote a row"

# 4 full members from 2027-01-01 (a Friday: the boundary is the row's date)
expect 0 "$K" policy set cell.min_full_members 4 --from 2027-01-01
has out "policy set: cell.min_full_members = 4 from 2027-01-01"
expect 0 "$K" policy set cell.min_full_members 4 --from 2027-01-01
has out "policy unchanged"
same "audit" "$(kn_sql "$KETNAP_DB" "SELECT actor, action, key, coalesce(before, '-'), after FROM audit WHERE entity = 'policy' AND action <> 'init'")" \
	"root|insert|cell.min_full_members/2027-01-01|-|cell.min_full_members,2027-01-01,4"

# the web server judges by it on its next request
[ "$(webcheck 2027-01-04 3 3)" = "False KN-CELL-VOTE" ] && ok || bad "web: 3 of 3 after the row: $(cat body)"
[ "$(webcheck 2026-12-31 3 3)" = "True " ] && ok || bad "web: 3 of 3 on 2026-12-31: $(cat body)"

# ---- the admin page: the rows in force, every row, the form ----
get() { # get JAR PATH: body in ./page, status in $code
	code=$(curl -s -o page -w '%{http_code}' -b "$1" "$KN_WEB_URL$2")
}
post() { # post JAR CSRF key=… value=… from=…: body in ./page, status in $code
	local jar=$1 tok=$2
	shift 2
	local args=(--data-urlencode "csrf=$tok")
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	code=$(curl -s -o page -w '%{http_code}' -b "$jar" "${args[@]}" "$KN_WEB_URL/admin/policy")
}
st() { if [ "$code" = "$1" ]; then ok; else bad "$2: status $code (wanted $1)"; fi; }
[ "$(kn_web_login rj root root-password-1)" = 303 ] && ok || bad "root signs in"
[ "$(kn_web_login bj btadm btadm-password-1)" = 303 ] && ok || bad "btadm signs in"
[ "$(kn_web_login ej edit edit-password-1)" = 303 ] && ok || bad "edit signs in"
get rj /admin
has page 'href="/admin/policy"'
get rj "/admin/policy?at=2027-01-01"
st 200 "policy page"
has page '<td><code>cell.min_full_members</code></td><td>4</td>'
get rj "/admin/policy?at=2026-12-31"
has page '<td><code>cell.min_full_members</code></td><td>3</td>'
has page 'name="csrf"'
get ej /admin/policy
st 403 "an editor opens the policy page"
get bj /admin/policy
st 200 "an admin of CT.BT reads the policy"
lacks page 'action="/admin/policy" class="grid admin"'
bt=$(kn_web_csrf bj /admin/policy)
post bj "$bt" key=probation.months value=18 from=2027-06-01
st 403 "an admin of CT.BT adds a row"
rt=$(kn_web_csrf rj /admin/policy)
post rj "" key=probation.months value=18 from=2027-06-01
st 403 "a row without the CSRF token"
post rj "$rt" key=probation.months 'value=<b>18' from=2027-06-01
st 422 "a bad value"
has page 'Tham số probation.months không nhận giá trị “&lt;b&gt;18”'	# Vietnamese first
lacks page '<b>18'
post rj "$rt" key=probation.months value=18 from=2027-31-01
st 422 "a bad date"
[ "$(kn_sql "$KETNAP_DB" "SELECT count(*) FROM policy WHERE key = 'probation.months'")" = 1 ] && ok \
	|| bad "a refused row was written"
post rj "$rt" key=probation.months value=18 from=2027-06-01
st 303 "root adds a row"
[ "$(kn_sql "$KETNAP_DB" "SELECT value FROM policy WHERE key = 'probation.months' AND from_date = '2027-06-01'")" = 18 ] && ok \
	|| bad "the row from the web"
same "web audit" "$(kn_sql "$KETNAP_DB" "SELECT actor, action, key, after FROM audit WHERE entity = 'policy' ORDER BY id DESC LIMIT 1")" \
	"root|insert|probation.months/2027-06-01|probation.months,2027-06-01,18"
expect 0 "$K" policy list --at 2027-06-01 --format csv
has out "probation.months,2027-06-01,18"
kn_web_stop

# the day before the row: as before; the row's day and after: 4 needed
expect 0 "$K" check C1 cell_vote --date 2026-12-31 --for 3 --of 3
lacks out "KN-CELL-VOTE"
expect 1 "$K" check C1 cell_vote --date 2027-01-01 --for 3 --of 3
has err "KN-CELL-VOTE:"
expect 1 "$K" check C1 cell_vote --date 2027-01-04 --for 3 --of 3
has err "KN-CELL-VOTE:"
expect 0 "$K" check C1 cell_vote --date 2027-01-04 --for 4 --of 4
lacks out "KN-CELL-VOTE"

expect 0 "$K" policy list --at 2026-12-31 --format csv
has out "cell.min_full_members,,3"
expect 0 "$K" policy list --at 2027-01-01 --format csv
has out "cell.min_full_members,2027-01-01,4"

# a second value for the same date replaces it, audited as an update
expect 0 "$K" policy set cell.min_full_members 5 --from 2027-01-01
same "audit update" "$(kn_sql "$KETNAP_DB" "SELECT action, before, after FROM audit WHERE entity = 'policy' ORDER BY id DESC LIMIT 1")" \
	"update|cell.min_full_members,2027-01-01,4|cell.min_full_members,2027-01-01,5"
expect 1 "$K" check C1 cell_vote --date 2027-01-04 --for 4 --of 4
has err "KN-CELL-VOTE:"

check_done
