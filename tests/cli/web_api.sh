#!/usr/bin/env bash
# End to end: the JSON API of `ketnap serve` (/api/v1) on the small demo
# city, with curl. Authentication (bearer token, cookie session and its
# CSRF header), confinement to the user's subtree (a district viewer gets
# 404 for the other district's person, unit and report, and never sees its
# people in a search), reports identical to `ketnap report … --format
# json`, recording a step with optimistic locking (201, then 409 for the
# stale version, exactly one step written, also when two clients race), a
# refused step (422 with the rule code), field errors, imports (problems
# with line and column, dry run, all-or-nothing) and SQL metacharacters in
# searches and refs. The server is started and always stopped by
# tests/lib/web.sh.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/web.sh"
dir=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db web) KETNAP_TODAY=2025-12-20 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

"$K" demo --size small >/dev/null || { echo "demo failed" >&2; exit 1; }
# The command line acts as the account tester (KETNAP_USER), the first.
echo 'tester-password-1' | "$K" user add tester --unit CT --role admin >/dev/null
echo 'admin-password-1' | "$K" user add admin --unit CT --role admin >/dev/null
echo 'viewer-password-1' | "$K" user add btview --unit CT.BT --role viewer >/dev/null
echo 'editor-password-1' | "$K" user add dnedit --unit CT.DN --role editor >/dev/null
TA=$("$K" user token admin)
TV=$("$K" user token btview)
TE=$("$K" user token dnedit)

kn_web_start "$KETNAP_DB" --access-log off || exit 1
base=$KN_WEB_URL
api=$base/api/v1

# req TOKEN METHOD URL [curl args…]: body in ./body, status in $code.
req() {
	local tok=$1 method=$2 url=$3
	shift 3
	code=$(curl -s -o body -w '%{http_code}' -X "$method" -H "Authorization: Bearer $tok" "$@" "$url")
}
# status WANT WHAT: the last request's status.
status() {
	if [ "$code" = "$1" ]; then ok; else bad "$2: status $code (wanted $1)"; head -c 600 body | sed 's/^/  | /' >&2; echo >&2; fi
}
# py EXPR: evaluate a Python expression over the last body as d.
py() { python3 -c "import json,sys; d=json.load(open('body')); print($1)"; }
# is WHAT EXPR WANT: py EXPR prints WANT.
is() {
	local got
	got=$(py "$2" 2>&1)
	if [ "$got" = "$3" ]; then ok; else bad "$1: got '$got', wanted '$3'"; fi
}
nsteps() { "$K" export steps | wc -l; }

# ---- authentication ----

req "$TA" GET "$api/me"
status 200 "GET me with the bearer token"
is "me: user" 'd["user"], d["role"], d["unit"]["code"], d["auth"]' "admin admin CT bearer"
req "$(printf 'f%.0s' $(seq 64))" GET "$api/me"
status 401 "GET me with a wrong token"
is "401 body" 'd["error"]["status"]' 401
req "nonsense" GET "$api/me"
status 401 "GET me with a malformed token"
code=$(curl -s -o body -w '%{http_code}' "$api/me")
status 401 "GET me without credentials"

# ---- cookie session: the CSRF header on every POST ----

kn_web_login jar admin admin-password-1 >/dev/null
code=$(curl -s -o body -w '%{http_code}' -b jar "$api/me")
status 200 "GET me with the session cookie"
is "me: cookie session" 'd["auth"], len(d["csrf"] or "")' "cookie 64"
csrf=$(py 'd["csrf"]')

# An open candidate of the other bloc (CT.DN) whose next step is `trained`.
req "$TA" GET "$api/people?unit=CT.DN&open=1&step=source&per_page=500"
status 200 "GET people?unit=CT.DN&step=source"
R=$(py 'd["people"][0]["ref"]')
req "$TA" GET "$api/people/$R"
status 200 "GET people/$R"
is "next step of $R" 'd["next"]["step"]' trained
v0=$(py 'd["version"]')

before=$(nsteps)
code=$(curl -s -o body -w '%{http_code}' -b jar -X POST -H 'Content-Type: application/json' \
	-d '{"step":"mentor","member":"nobody"}' "$api/steps/$R")
status 403 "cookie POST without X-CSRF-Token"
code=$(curl -s -o body -w '%{http_code}' -b jar -X POST -H 'X-CSRF-Token: 0123' \
	-d '{"step":"mentor","member":"nobody"}' "$api/steps/$R")
status 403 "cookie POST with a wrong X-CSRF-Token"
[ "$(nsteps)" = "$before" ] && ok || bad "a POST refused for CSRF wrote a step"
code=$(curl -s -o body -w '%{http_code}' -b jar -X POST -H "X-CSRF-Token: $csrf" \
	-H 'Content-Type: application/json' -d '{"step":"trained"}' "$api/check/$R")
status 200 "cookie POST check with X-CSRF-Token"
is "check: trained needs its certificate number" \
	'd["ok"], [n["field"] for n in d["needs"]]' "False ['doc_no']"

# ---- a step, then the same with the stale version ----

before=$(nsteps)
req "$TA" POST "$api/steps/$R" -H "X-CSRF-Token: $csrf" \
	-d "{\"step\":\"trained\",\"doc_no\":\"CN-WEB-1\",\"expect_version\":$v0}"
status 201 "POST steps/$R trained with expect_version $v0"
is "the recorded step" 'd["step"]["step"], d["step"]["date"], d["step"]["doc_no"], d["step"]["recorded_by"], d["version"] > '"$v0" \
	"trained 2025-12-20 CN-WEB-1 admin True"
v1=$(py 'd["version"]')
req "$TA" POST "$api/steps/$R" -d "{\"step\":\"applied\",\"expect_version\":$v0}"
status 409 "POST steps/$R with the old expect_version"
is "409 says the current version" 'd["error"]["version"]' "$v1"
[ "$(nsteps)" = "$((before + 1))" ] && ok || bad "export steps: $(nsteps) lines, wanted $((before + 1))"
"$K" export steps | grep -c "^$R,trained,2025-12-20,CN-WEB-1," >count
[ "$(cat count)" = 1 ] && ok || bad "export steps lacks the one trained step of $R"
req "$TA" GET "$api/people/$R"
is "GET people/$R gives the new version" 'd["version"], d["candidacies"][-1]["stage"]' "$v1 trained"

# Two clients race with the same version: one wins, the other gets 409.
before=$(nsteps)
racers=()
for i in 1 2; do
	curl -s -o race$i -w '%{http_code}' -X POST -H "Authorization: Bearer $TA" \
		-d "{\"step\":\"applied\",\"expect_version\":$v1}" "$api/steps/$R" >code$i &
	racers+=($!)
done
wait "${racers[@]}"
codes=$( (cat code1; echo; cat code2; echo) | sort | tr '\n' ' ')
[ "$codes" = "201 409 " ] && ok || bad "racing POSTs answered $codes (wanted one 201, one 409)"
[ "$(nsteps)" = "$((before + 1))" ] && ok || bad "racing POSTs wrote $(( $(nsteps) - before )) steps"

# ---- refused steps and bad facts ----

before=$(nsteps)
req "$TA" POST "$api/steps/$R" -d '{"step":"cell_vote","votes_for":1,"votes_total":7}'
status 422 "a cell vote before the introductions"
is "422 lists the rule codes" 'sorted(set(x["code"] for x in d["error"]["violations"]) & {"KN-ORDER","KN-CELL-VOTE"})' \
	"['KN-CELL-VOTE', 'KN-ORDER']"
is "every violation has a message" 'all(x["message"] for x in d["error"]["violations"])' True
req "$TA" POST "$api/steps/$R" -d '{"step":"verified","date":"2099-01-01"}'
status 422 "a step dated in the future"
is "future step: KN-ORDER" '[x["code"] for x in d["error"]["violations"]]' "['KN-ORDER']"
req "$TA" POST "$api/steps/$R" -d '{"step":"verfied","dat":"2025-01-01","votes_for":"x"}'
status 422 "misspelt step and field"
is "field errors" 'sorted(x["field"] for x in d["error"]["errors"])' "['dat', 'step', 'votes_for']"
req "$TA" POST "$api/steps/$R" -d '{"step":"verified",'
status 400 "truncated JSON"
is "the syntax error's position" 'd["error"]["line"], d["error"]["column"] > 0' "1 True"
[ "$(nsteps)" = "$before" ] && ok || bad "refused steps wrote something"
req "$TA" POST "$api/steps/$R?lang=vi" -d '{"step":"cell_vote","votes_for":1,"votes_total":7}'
is "messages in Vietnamese with ?lang=vi" '"biểu quyết" in json.dumps(d, ensure_ascii=False)' True

# An editor may not record a decision (403); nothing written.
req "$TE" POST "$api/steps/$R" -d '{"step":"decision","doc_no":"1-QĐ"}'
status 403 "an editor records a decision"
req "$TE" POST "$api/steps/$R" -d '{"step":"verified","override":"urgent"}'
status 403 "an editor overrides a rule"
[ "$(nsteps)" = "$before" ] && ok || bad "forbidden steps wrote something"

# ---- people: create with a source step, field errors, update ----

req "$TA" POST "$api/people" -d '{"ref":"WEB-0001","full_name":"Nguyễn Thị Thử","sex":"Nữ","birth_date":"2003-04-05","unit":"CT.BT.P01.C01","occupation":"worker","youth_union":true,"source":{"date":"2025-12-01","org":"youth_union"}}'
status 201 "POST people with a source step"
is "created person" 'd["person"]["ref"], d["person"]["sex"], d["step"]["step"], d["version"] >= 1' \
	"WEB-0001 F source True"
req "$TA" POST "$api/people" -d '{"ref":"WEB-0001","full_name":"X","sex":"M","birth_date":"2000-01-01","unit":"CT.BT.P01.C01"}'
status 409 "POST people with an existing ref"
req "$TA" POST "$api/people" -d '{"ref":"WEB-0002","full_name":"","sex":"X","birth_date":"2001-02-30","unit":"NO.SUCH","education":"11/10","colour":"red"}'
status 422 "POST people with bad fields"
is "the bad fields" 'sorted(x["field"] for x in d["error"]["errors"])' \
	"['birth_date', 'colour', 'education', 'full_name', 'sex', 'unit']"
req "$TA" POST "$api/people" -d '{"ref":"WEB-0003","full_name":"Lê Văn Ba","sex":"M","birth_date":"2001-02-03","unit":"CT.BT.P01.C01","source":{"org":"martians"}}'
status 422 "POST people with a bad source step"
is "source field error" '[x["field"] for x in d["error"]["errors"]]' "['source.org']"
req "$TA" GET "$api/people/WEB-0003"
status 404 "a refused person was not created"
req "$TA" POST "$api/people/WEB-0001" -d '{"phone":"0909 000 111","full_name":"Nguyễn Thị Thử Nghiệm"}'
status 200 "POST people/REF updates"
is "updated" 'd["person"]["phone"], d["person"]["full_name"], d["changed"]' "0909 000 111 Nguyễn Thị Thử Nghiệm True"
req "$TA" POST "$api/people/WEB-0001" -d '{"ref":"OTHER"}'
status 422 "a ref cannot change"
"$K" person show WEB-0001 >show.txt 2>&1
grep -q "0909 000 111" show.txt && ok || bad "person show lacks the new phone"

# ---- the district viewer sees only their district ----

req "$TV" GET "$api/people/$R"
status 404 "a CT.BT viewer reads a CT.DN person"
req "$TV" POST "$api/check/$R" -d '{}'
status 404 "a CT.BT viewer checks a CT.DN person"
req "$TV" GET "$api/units/CT.DN"
status 404 "a CT.BT viewer reads unit CT.DN"
req "$TV" GET "$api/units/CT"
status 404 "a CT.BT viewer reads unit CT above"
req "$TV" GET "$api/reports/achievement?unit=CT.DN"
status 404 "a CT.BT viewer reads the CT.DN report"
req "$TV" GET "$api/dashboard?unit=CT.DN"
status 404 "a CT.BT viewer reads the CT.DN dashboard"
req "$TV" GET "$api/people?unit=CT.DN"
status 404 "a CT.BT viewer lists CT.DN"
req "$TV" GET "$api/units/CT.BT.P01"
status 200 "a CT.BT viewer reads a ward of theirs"
req "$TV" POST "$api/steps/WEB-0001" -d '{"step":"mentor"}'
status 403 "a viewer records a step"
# Every name of CT.DN searched for: none comes back.
req "$TA" GET "$api/people?unit=CT.DN&q=%20&per_page=500"
py '"\n".join(p["full_name"] for p in d["people"])' >dn_names
py '"\n".join(p["ref"] for p in d["people"])' >dn_refs
[ "$(wc -l <dn_names)" -gt 10 ] && ok || bad "too few CT.DN people to search for"
req "$TV" GET "$api/people?q=%20&per_page=500"
is "a CT.BT viewer's list holds only CT.BT" 'all(p["unit"].startswith("CT.BT") for p in d["people"]) and d["total"] > 0' True
# One Python process for the ~100 searches (by every name and every ref).
leaked=$(API=$api TOKEN=$TV python3 - <<'PY'
import json, os, urllib.parse, urllib.request
api, tok = os.environ["API"], os.environ["TOKEN"]
names = [l for l in open("dn_names").read().split("\n") if l]
refs = [l for l in open("dn_refs").read().split("\n") if l]
bad = 0
for q in names + refs:
    r = urllib.request.Request(api + "/people?per_page=500&q=" + urllib.parse.quote(q),
                               headers={"Authorization": "Bearer " + tok})
    with urllib.request.urlopen(r) as f:
        body = f.read().decode()
    d = json.loads(body)
    bad += any(not p["unit"].startswith("CT.BT") for p in d["people"])
    bad += q in refs and q in body
print(bad)
PY
)
[ "$leaked" = 0 ] && ok || bad "$leaked searches by a CT.BT viewer showed CT.DN people"
req "$TV" GET "$api/units"
is "a CT.BT viewer's units" 'd["root"], all(u["code"].startswith("CT.BT") for u in d["units"])' "CT.BT True"

# ---- reports: the very JSON of `ketnap report … --format json` ----

same_report() { # TOKEN QUERY -- CLI ARGS…
	local tok=$1 query=$2
	shift 3
	req "$tok" GET "$api/reports/$query"
	"$K" --lang vi report "$@" --format json >cli.json
	if [ "$code" = 200 ] && python3 -c 'import json,sys; sys.exit(json.load(open("body")) != json.load(open("cli.json")))'; then
		ok
	else
		bad "GET reports/$query ($code) differs from ketnap report $*"
		diff <(python3 -m json.tool body 2>&1) <(python3 -m json.tool cli.json) | head -10 >&2
	fi
}
for kind in achievement structure funnel deadlines ranking summary; do
	same_report "$TA" "$kind" -- "$kind"
	same_report "$TA" "$kind?year=2024&depth=2&level=2" -- "$kind" --year 2024 --depth 2 --level 2
	same_report "$TA" "$kind?unit=CT.DN&from=2025-01-01&to=2025-06-30" -- "$kind" --unit CT.DN --from 2025-01-01 --to 2025-06-30
	same_report "$TV" "$kind?as_of=2025-09-30" -- "$kind" --unit CT.BT --as-of 2025-09-30
done
req "$TA" GET "$api/reports/nonsense"
status 404 "an unknown report"
req "$TA" GET "$api/reports/achievement?year=20x5"
status 400 "a bad year"

# ---- dashboard: the achievement report's figures ----

req "$TA" GET "$api/dashboard?unit=CT.DN&year=2025"
status 200 "GET dashboard"
cp body dash.json
"$K" report achievement --unit CT.DN --year 2025 --format json >ach.json
"$K" report deadlines --unit CT.DN --format json >dl.json
python3 - <<'PY' && ok || bad "the dashboard's figures differ from the achievement and deadlines reports"
import json
d = json.load(open("dash.json")); a = json.load(open("ach.json"))["rows"]
# The deadlines are counted without the report's rows (report_deadline_counts).
dl = json.load(open("dl.json"))["rows"]
assert d["deadlines"] == {"open": len(dl),
	"overdue": sum(r["status"] == "overdue" for r in dl),
	"due_within_5_workdays": sum(0 <= r["workdays_left"] <= 5 for r in dl)}, (d["deadlines"], len(dl))
assert len(dl) > 0
assert (d["quota"], d["admitted"], d["percent"]) == (a[0]["quota"], a[0]["admitted"], a[0]["percent"])
assert [(c["code"], c["admitted"]) for c in d["children"]] == [(r["unit"], r["admitted"]) for r in a[1:]]
assert [f["step"] for f in d["funnel"]][0] == "source"
assert d["deadlines"]["open"] >= d["deadlines"]["overdue"] >= 0
PY
# The edge of "due within 5 working days": an as_of on which a deadline
# has exactly 5 working days left (found from the CLI's own rows), then
# the dashboard's counts for that day against the deadlines report's.
due=$(python3 -c 'import json; print(max(r["due_date"] for r in json.load(open("dl.json"))["rows"]))')
edge=
for k in $(seq 5 12); do
	asof=$(date -d "$due - $k days" +%F)
	"$K" report deadlines --unit CT.DN --as-of "$asof" --format json >dl5.json
	if python3 -c 'import json,sys; sys.exit(not any(r["workdays_left"] == 5 for r in json.load(open("dl5.json"))["rows"]))'; then
		edge=$asof
		break
	fi
done
[ -n "$edge" ] && ok || bad "no as_of found with a deadline 5 working days away (due $due)"
req "$TA" GET "$api/dashboard?unit=CT.DN&year=2025&as_of=$edge"
python3 - <<'PY' && ok || bad "the dashboard's deadline counts differ from the deadlines report on $edge"
import json
d = json.load(open("body")); dl = json.load(open("dl5.json"))["rows"]
assert d["deadlines"] == {"open": len(dl),
	"overdue": sum(r["status"] == "overdue" for r in dl),
	"due_within_5_workdays": sum(0 <= r["workdays_left"] <= 5 for r in dl)}, (d["deadlines"], len(dl))
PY
# A recorded step shows at once (the cache follows the audit log).
req "$TA" GET "$api/dashboard?unit=CT.BT.P01&year=2025"
reached=$(py '[f["reached"] for f in d["funnel"] if f["step"] == "source"][0]')
req "$TA" POST "$api/people" -d '{"ref":"WEB-0004","full_name":"Trần Văn Bốn","sex":"M","birth_date":"2000-01-02","unit":"CT.BT.P01.C02","source":{"org":"cell"}}'
status 201 "POST people WEB-0004 with a source step"
req "$TA" GET "$api/dashboard?unit=CT.BT.P01&year=2025"
is "the dashboard counts the new source" '[f["reached"] for f in d["funnel"] if f["step"] == "source"][0]' "$((reached + 1))"

# ---- decisions, units, audit ----

req "$TA" GET "$api/decisions"
status 200 "GET decisions"
is "queue items await a decision" 'd["total"] > 0 and all(x["awaiting"] == "decision" for x in d["queue"])' True
req "$TA" GET "$api/decisions?step=official&unit=CT.BT"
status 200 "GET decisions?step=official&unit=CT.BT"
is "official queue within CT.BT" 'all(x["awaiting"] == "official" and x["unit"].startswith("CT.BT") for x in d["queue"])' True
req "$TV" GET "$api/decisions"
status 403 "a viewer reads the decisions queue"
req "$TA" GET "$api/units/CT.BT?year=2025"
status 200 "GET units/CT.BT"
is "unit and children" 'd["unit"]["code"], [c["code"] for c in d["children"]][:1], "admitted" in d["unit"]["figures"]' \
	"CT.BT ['CT.BT.P01'] True"
req "$TA" GET "$api/audit?entity=candidacy&key=$R"
status 200 "GET audit"
is "the audit has the web steps" 'sum(1 for e in d["entries"] if e["actor"] == "admin")' 2
req "$TV" GET "$api/audit"
status 403 "a viewer reads the audit log"

# ---- imports ----

before_people=$("$K" export people | wc -l)
printf 'ref,full_name,sex,birth_date,unit\nWEB-1001,Phan Văn Một,M,1999-01-01,CT.BT.P01.C01\nWEB-1002,Phan Thị Hai,F,1999-02-30,CT.BT.P01.C01\nWEB-1003,Phan Văn Ba,X,1999-03-03,CT.BT.P01.C01\n' >p.csv
req "$TA" POST "$api/imports/people" -H 'Content-Type: text/csv' --data-binary @p.csv
status 422 "import with bad rows"
is "problems with line and column" '[(p["line"], p["column"]) for p in d["error"]["problems"]]' \
	"[(3, 'birth_date'), (4, 'sex')]"
[ "$("$K" export people | wc -l)" = "$before_people" ] && ok || bad "a refused import wrote people"
sed -i '/WEB-100[23]/d' p.csv
req "$TA" POST "$api/imports/people?dry_run=1" -H 'Content-Type: text/csv' --data-binary @p.csv
status 200 "dry-run import"
is "dry run counts" 'd["dry_run"], d["rows"], d["added"]' "True 1 1"
[ "$("$K" export people | wc -l)" = "$before_people" ] && ok || bad "a dry run wrote people"
req "$TA" POST "$api/imports/people" -H 'Content-Type: text/csv' --data-binary @p.csv
status 200 "import"
[ "$("$K" export people | wc -l)" = "$((before_people + 1))" ] && ok || bad "the import did not add one person"
printf 'ref,full_name,sex,birth_date,unit\nWEB-2001,Đỗ Văn Ngoài,M,1999-01-01,CT.DN.VT.C01\n' >out.csv
req "$TE" POST "$api/imports/people" --data-binary @out.csv
status 403 "an editor imports"

# ---- SQL metacharacters are text ----

for q in "'" '"' ';' '--' '%' '_' '\' "' OR '1'='1" '%_%' "'; DROP TABLE people; --"; do
	code=$(curl -s -o body -w '%{http_code}' -G -H "Authorization: Bearer $TA" --data-urlencode "q=$q" "$api/people")
	if [ "$code" = 200 ] && [ "$(py 'd["total"]')" = 0 ]; then ok; else bad "q=$q: status $code, $(head -c 200 body)"; fi
done
for r in "%27" "%22" "%3B" "--" "%25" "_" "%5C" "%27%20OR%20%271%27=%271" "%25_%25"; do
	req "$TA" GET "$api/people/$r"
	status 404 "GET people/$r"
	req "$TA" POST "$api/steps/$r" -d '{"step":"mentor","member":"x"}'
	status 404 "POST steps/$r"
done
req "$TA" GET "$api/people?q=%27%20OR%201=1%20--&per_page=500"
is "no extra rows" 'd["total"]' 0
"$K" export people | wc -l >count
[ "$(cat count)" = "$((before_people + 1))" ] && ok || bad "people changed after the metacharacter requests"

kn_web_stop
if grep -qi "assert\|sanitizer\|segmentation" serve.out; then bad "server log: $(head -3 serve.out)"; else ok; fi

check_done
