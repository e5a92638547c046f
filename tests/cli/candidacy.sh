#!/usr/bin/env bash
# End to end: a whole candidacy walked from `source` to `official` with the
# built binary, every refusal on the way (exit 1, the rule code on stderr,
# nothing written), `check`, `person show`, an override, and the exported
# steps re-imported into an empty database to an identical export.
# Expected dates and figures are worked out by hand in the comments.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
K2=$(kn_db k2)
export KETNAP_DB=$(kn_db k) KETNAP_TODAY=2013-06-30 KETNAP_USER=tester LANG=C
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"

has() { # has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; sed 's/^/  | /' "$1" >&2; fi
}
lacks() {
	if grep -qF -- "$2" "$1"; then bad "$1 has: $2"; else ok; fi
}
same_steps() { # the steps export did not change
	"$KETNAP" export steps >steps.now 2>/dev/null
	if cmp -s steps.before steps.now; then ok; else bad "database changed by a refused step: $*"; fi
}
refused() { # refused CODE CMD... : exit 1, CODE on stderr, nothing written
	local code=$1; shift
	"$KETNAP" export steps >steps.before 2>/dev/null
	expect 1 "$@"
	has err "$code:"
	same_steps "$*"
}

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
C1,Nguyễn Thị Kim Thảo,F,1990-05-10,CT.BT.P1.KV1,12/12,1,,
C2,Phạm Văn Tí,M,1993-07-01,CT.BT.P1.KV1,12/12,0,,
CSV

expect 0 "$KETNAP" init
expect 0 "$KETNAP" import units units.csv
expect 0 "$KETNAP" import people people.csv

K=$KETNAP
# source
refused KN-ORDER "$K" step C1 applied --date 2011-01-05
expect 0 "$K" step C1 source --date 2011-01-10 --org youth_union --note "Đoàn phường giới thiệu"
has out "recorded"
refused KN-OPEN "$K" step C1 source --date 2011-01-11 --org cell
expect 0 "$K" step C1 mentor --date 2011-01-15 --member M1
# trained: the certificate number is required (a validation error, exit 1)
expect 1 "$K" step C1 trained --date 2011-03-01
has err "--doc: "
expect 0 "$K" step C1 trained --date 2011-03-01 --doc CN-123
# a date earlier than the latest step is out of order
refused KN-ORDER "$K" step C1 applied --date 2011-02-28
# a date after today (pinned 2013-06-30)
refused KN-ORDER "$K" step C1 applied --date 2013-07-01
expect 0 "$K" step C1 applied --date 2011-04-01
expect 0 "$K" step C1 verified --date 2011-05-02
# an introducer who is not a member
refused KN-INTRO-FULL "$K" step C1 introduced --date 2011-05-10 --introducer M1:2010-01-01 --introducer C2:2009-01-01
# known since 2010-05-11: 11 months 29 days on 2011-05-10
refused KN-INTRO-TIME "$K" step C1 introduced --date 2011-05-10 --introducer M1:2010-05-11 --introducer M2:2009-06-01
expect 0 "$K" step C1 introduced --date 2011-05-10 --introducer M1:2010-05-10 --introducer M2:2009-06-01
# check says what the cell vote still needs, writes nothing
"$K" export steps >steps.before
expect 0 "$K" check C1 cell_vote --date 2011-06-01
has out "--for: "
same_steps "check"
# 4 of 7: 12 < 14, short of 2/3; 5 of 7: 15 >= 14
refused KN-CELL-VOTE "$K" step C1 cell_vote --date 2011-06-01 --for 4 --of 7
expect 1 "$K" step C1 cell_vote --date 2011-06-01 --for 8 --of 7
has err "KN-CELL-VOTE:"
expect 0 "$K" step C1 cell_vote --date 2011-06-01 --for 5 --of 7
# committee before 2021-07-30: more than half; 5 of 10 is not more than half
refused KN-COMMITTEE-VOTE "$K" step C1 committee_vote --date 2011-06-15 --for 5 --of 10
expect 0 "$K" step C1 committee_vote --date 2011-06-15 --for 5 --of 9
# the competent committee of KV1 is CT.BT (P1 has no may_admit)
refused KN-AUTHORITY "$K" step C1 decision --date 2011-07-01 --doc 12-QĐ/ĐU --org CT.BT.P1
expect 0 "$K" step C1 decision --date 2011-07-01 --doc 123-QĐ/QU --org CT.BT
# 30 working days after Fri 2011-07-01, no holiday in July-August 2011:
# Jul 4-8 (5), 11-15 (10), 18-22 (15), 25-29 (20), Aug 1-5 (25), 8-12 (30).
expect 0 "$K" calendar add 2011-07-01 30
has out "2011-08-12"
refused KN-CEREMONY-LATE "$K" step C1 ceremony --date 2011-08-15
expect 0 "$K" step C1 ceremony --date 2011-08-12
# probation ends 2012-08-12
refused KN-PROBATION "$K" step C1 probation_vote --date 2012-08-10 --for 6 --of 7
expect 0 "$K" step C1 probation_vote --date 2012-08-13 --for 6 --of 7
expect 0 "$K" step C1 official --date 2012-08-20 --doc 45-QĐ/QU --org CT.BT
refused KN-ORDER "$K" step C1 withdrawn --date 2012-09-01 --note "late"
expect 0 "$K" person show C1
has out "Nguyễn Thị Kim Thảo"
has out "official"
has out "2012-08-12"   # full member as of the probation end
expect 0 "$K" person find "nguyen thi kim thao" --format csv
has out "C1,Nguyễn Thị Kim Thảo,1990-05-10,CT.BT.P1.KV1,official"

# C2, 17 years 11 months at the cell vote of 2011-06-01 (born 1993-07-01)
expect 0 "$K" step C2 source --date 2011-01-10 --org cell
expect 0 "$K" step C2 trained --date 2011-02-01 --doc CN-200
expect 0 "$K" step C2 applied --date 2011-03-01
expect 0 "$K" step C2 verified --date 2011-03-15
expect 0 "$K" step C2 introduced --date 2011-04-01 --introducer M1:2009-01-01 --introducer M2:2009-01-01
refused KN-AGE "$K" step C2 cell_vote --date 2011-06-01 --for 6 --of 7
has err "Phạm Văn Tí"
expect 1 "$K" --lang vi step C2 cell_vote --date 2011-06-01 --for 6 --of 7
has err "KN-AGE: Phạm Văn Tí mới 17 tuổi 11 tháng vào ngày 01/06/2011"
# --lang after an option with a value (--db) is still the language
expect 1 "$K" --db "$KETNAP_DB" --lang vi step C2 cell_vote --date 2011-06-01 --for 6 --of 7
has err "mới 17 tuổi 11 tháng"
# show: the next step and the rule that would refuse it today?  Today
# (2013-06-30) he is 19: no refusal, and the dossier deadline is listed.
expect 0 "$K" person show C2
has out "cell_vote"
# an override records it anyway and is flagged
expect 0 "$K" step C2 cell_vote --date 2011-06-01 --for 6 --of 7 --override "Quyết định của Ban Thường vụ"
has out "override"
expect 0 "$K" person show C2
has out "OVERRIDE"
# ... but not a second open candidacy (it was a storage error, exit 3)
expect 1 "$K" step C2 source --date 2011-06-02 --org cell --override "Theo chỉ đạo"
has err "even an override cannot open a second one"

# export -> import into an empty database -> export: identical
"$K" export steps -o steps1.csv
"$K" export people -o people1.csv
"$K" export units -o units1.csv
expect 0 "$K" --db "$K2" init
expect 0 "$K" --db "$K2" import units units1.csv
expect 0 "$K" --db "$K2" import people people1.csv
expect 0 "$K" --db "$K2" import steps steps1.csv
"$K" --db "$K2" export steps -o steps2.csv
if cmp -s steps1.csv steps2.csv; then ok; else bad "steps export differs after round trip"; diff steps1.csv steps2.csv >&2; fi
# and the re-import of the same file is a no-op
"$K" --db "$K2" import steps steps1.csv >out 2>&1
"$K" --db "$K2" export steps -o steps3.csv
if cmp -s steps1.csv steps3.csv; then ok; else bad "re-import changed the steps"; fi

# A changed row is judged by the rules like a new one: C1's cell vote
# (5 of 7 on 2011-06-01) changed to 8 of 7 is refused, to 6 of 7 accepted.
grep -c ',cell_vote,2011-06-01,' steps1.csv >count
has count "2"
sed 's/^C1,cell_vote,2011-06-01,\(.*\),5,7,/C1,cell_vote,2011-06-01,\1,8,7,/' steps1.csv >steps-bad.csv
if cmp -s steps1.csv steps-bad.csv; then bad "the test's sed did not change the cell vote"; else ok; fi
cp steps1.csv steps.before
"$K" --db "$K2" export steps -o steps.before
expect 1 "$K" --db "$K2" import steps steps-bad.csv
has err "KN-CELL-VOTE:"
"$K" --db "$K2" export steps -o steps.now
if cmp -s steps.before steps.now; then ok; else bad "a refused update changed the steps"; fi
sed 's/^C1,cell_vote,2011-06-01,\(.*\),5,7,/C1,cell_vote,2011-06-01,\1,6,7,/' steps1.csv >steps-fix.csv
expect 0 "$K" --db "$K2" import steps steps-fix.csv
has out "1 updated"
"$K" --db "$K2" export steps -o steps.now
if cmp -s steps-fix.csv steps.now; then ok; else bad "the accepted update is not in the export"; fi

check_done
