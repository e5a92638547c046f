#!/usr/bin/env bash
# readmit.sh — re-admission (kết nạp lại, spec/RULES.md §9, issue 15)
# through the built binary: the people's new columns (import, export,
# `person show`), the five rule codes on both sides of each boundary, the
# facts the program writes itself (a struck_off step's left_on and
# left_reason, a re-admission decision's readmitted), the `readmitted`
# structure category and a quota on it, and export → import into an empty
# database giving identical files and figures. Every expected date and
# figure is worked out by hand in the comments. Runs on either backend
# (tests/lib/db.sh).
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
K2=$(kn_db k2)
export KETNAP_DB=$(kn_db k) KETNAP_TODAY=2016-12-31 KETNAP_USER=tester LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
KINDS="units people quotas holidays steps"

field() { # field FILE REF N: column N of REF's row
	awk -F, -v r="$2" -v n="$3" '$1 == r { print $n }' "$1"
}
refused() { # refused CODE CMD...: exit 1, CODE on stderr, no step written
	local code=$1; shift
	"$K" export steps >steps.before 2>/dev/null
	expect 1 "$@"
	has err "$code:"
	"$K" export steps >steps.now 2>/dev/null
	if cmp -s steps.before steps.now; then ok; else bad "a refused step was written: $*"; fi
}
# people's columns: 13 member_since, 17 left_on, 18 left_reason,
# 19 record_cleared_on, 20 readmitted
person_field() { "$K" export people -o p.csv && field p.csv "$1" "$2"; }

# CT.BT.P1, the grassroots unit, may admit (the competent committee of its
# cells for KN-AUTHORITY); CT.BT, the district above it, decides
# re-admissions (KN-READMIT-AUTHORITY).
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Đảng bộ thành phố Cần Thơ,province,1,,0
CT.BT,CT,Đảng bộ quận Bình Thủy,upper,1,,0
CT.BT.P1,CT.BT,Đảng bộ phường Bình Thủy,grassroots,1,ward,0
CT.BT.P1.KV1,CT.BT.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CSV
# M1, M2: full members, the introducers. W1: a former member (member
# since 2000, expelled 2009-05-15). K1, K2: convicted of a less serious
# crime (K1's record cleared 2007-02-10, K2's not recorded). NA…NS: left
# for the five reasons that never allow a re-admission; AF, AP, AO: for
# three that do. O1: already re-admitted once, left again. S1, R1: never
# members.
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,member_since,official_since,left_on,left_reason,record_cleared_on,readmitted
M1,Trần Văn Hùng,M,1960-02-01,CT.BT.P1.KV1,12/12,1990-01-01,1991-01-01,,,,
M2,Lê Thị Mai,F,1965-03-04,CT.BT.P1.KV1,12/12,1995-01-01,1996-01-01,,,,
W1,Nguyễn Văn Bình,M,1975-04-05,CT.BT.P1.KV1,12/12,2000-01-01,2001-01-01,2009-05-15,expelled,,0
K1,Phạm Thị Lan,F,1978-06-07,CT.BT.P1.KV1,12/12,2001-01-01,2002-01-01,2005-03-01,minor_crime,2007-02-10,0
K2,Võ Văn Tâm,M,1979-01-02,CT.BT.P1.KV1,12/12,2001-01-01,2002-01-01,2005-03-01,minor_crime,,0
NA,Lý Văn Một,M,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,abandoned,,0
NR,Lý Văn Hai,M,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,resigned,,0
ND,Lý Văn Ba,M,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,disunity,,0
NC,Lý Văn Bốn,M,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,corruption,,0
NS,Lý Văn Năm,M,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,serious_crime,,0
AF,Hồ Thị Sáu,F,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,resigned_family,,0
AP,Hồ Thị Bảy,F,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,population_policy,,0
AO,Hồ Thị Tám,F,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,other,,0
O1,Đinh Văn Chín,M,1970-01-01,CT.BT.P1.KV1,12/12,,,2005-01-01,expelled,,1
S1,Đặng Văn Lâm,M,1988-02-03,CT.BT.P1.KV1,12/12,,,,,,
R1,Mai Thị Hoa,F,1992-02-03,CT.BT.P1.KV1,12/12,,,,,,
CSV
printf 'unit,year,category,target\nCT,2012,readmitted,4\n' >quotas.csv
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
expect 0 "$K" import quotas quotas.csv

# ---- people.csv: the four columns out, and bad ones refused ----
expect 0 "$K" export people -o people1.csv
has people1.csv "ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note,left_on,left_reason,record_cleared_on,readmitted"
has people1.csv "W1,Nguyễn Văn Bình,M,1975-04-05,CT.BT.P1.KV1,,,12/12,,,0,0,2000-01-01,2001-01-01,,,2009-05-15,expelled,,0"
has people1.csv "K1,Phạm Thị Lan,F,1978-06-07,CT.BT.P1.KV1,,,12/12,,,0,0,2001-01-01,2002-01-01,,,2005-03-01,minor_crime,2007-02-10,0"
same "O1 readmitted" "$(field people1.csv O1 20)" 1
same "S1 left_on (never left)" "$(field people1.csv S1 17)" ""
# re-importing the export changes nothing
expect 0 "$K" import people people1.csv
has out "16 unchanged"
cat >bad.csv <<'CSV'
ref,full_name,sex,birth_date,unit,left_on,left_reason,record_cleared_on,readmitted
B1,Bùi Văn A,M,1980-01-01,CT.BT.P1.KV1,2009-13-01,expelled,,0
B2,Bùi Văn B,M,1980-01-01,CT.BT.P1.KV1,2009-01-01,lazy,,0
B3,Bùi Văn C,M,1980-01-01,CT.BT.P1.KV1,2009-01-01,expelled,2010-01-01,0
B4,Bùi Văn D,M,1980-01-01,CT.BT.P1.KV1,,other,,0
B5,Bùi Văn E,M,1980-01-01,CT.BT.P1.KV1,2009-01-01,minor_crime,2010-01-01,maybe
CSV
expect 1 "$K" import people bad.csv
has err "bad.csv:2: left_on: 2009-13-01 is not a date"
has err "bad.csv:3: left_reason: lazy is not a reason for leaving the Party"
has err "bad.csv:4: record_cleared_on: a cleared criminal record is recorded only for left_reason minor_crime"
has err "bad.csv:5: left_on: a reason for leaving is given without the date"
has err "bad.csv:6: readmitted:"
has err "5 problems; nothing was written"

# ---- KN-READMIT-NEVER at source: the five excluded reasons ----
for r in NA NR ND NC NS; do
	refused KN-READMIT-NEVER "$K" step $r source --date 2011-06-01 --org cell
done
has err "NS"
has err "(convicted of a serious crime)"
# `check` names the rule too, writing nothing
expect 1 "$K" check NA source --date 2011-06-01
cat out err >check.out
has check.out "KN-READMIT-NEVER"
# ... and the reasons that allow one: accepted
for r in AF AP AO; do
	expect 0 "$K" step $r source --date 2011-06-01 --org cell
done

# ---- KN-READMIT-ONCE at source ----
refused KN-READMIT-ONCE "$K" step O1 source --date 2011-06-01 --org cell
lacks err "KN-READMIT-NEVER"

# ---- W1: a former member (member_since 2000 and left_on 2009) ----
# KN-OPEN: left on 2009-05-15, so not a member on 2011-06-01.
expect 0 "$K" step W1 source --date 2011-06-01 --org cell
lacks err "KN-OPEN"
expect 0 "$K" person show W1
has out "2009-05-15 (expelled)"
has out "A re-admission"
# walk W1 ATTR...: the steps before the cell meeting, dated 2011-2012.
walk() {
	expect 0 "$K" step "$1" trained --date 2011-08-01 --doc "CN-$1"
	expect 0 "$K" step "$1" applied --date 2011-09-01
	expect 0 "$K" step "$1" verified --date 2011-10-01
	expect 0 "$K" step "$1" introduced --date 2012-01-10 --introducer M1:2009-01-01 --introducer M2:2009-06-01
}
walk W1
# KN-READMIT-WAIT: 36 months after 2009-05-15 is 2012-05-15. On 2012-05-14
# only 35 whole months have passed (the 36th completes the next day).
refused KN-READMIT-WAIT "$K" step W1 cell_vote --date 2012-05-14 --for 5 --of 7 --consent 15-CV/TU
has err "only 35 months"
has err "on or after 2012-05-15"
lacks err "KN-READMIT-CONSENT"
# KN-READMIT-CONSENT: on 2012-05-15 the wait is over, but no consent.
refused KN-READMIT-CONSENT "$K" step W1 cell_vote --date 2012-05-15 --for 5 --of 7
lacks err "KN-READMIT-WAIT"
expect 0 "$K" step W1 cell_vote --date 2012-05-15 --for 5 --of 7 --consent 15-CV/TU
expect 0 "$K" step W1 committee_vote --date 2012-05-20 --for 5 --of 9
# KN-READMIT-AUTHORITY: the grassroots committee may admit, but not
# re-admit: the district (CT.BT) decides. KN-AUTHORITY does not object.
refused KN-READMIT-AUTHORITY "$K" step W1 decision --date 2012-05-25 --doc QĐ-W1 --org CT.BT.P1
has err "must be decided by CT.BT"
lacks err "KN-AUTHORITY:"
same "W1 readmitted before the decision" "$(person_field W1 20)" 0
expect 0 "$K" step W1 decision --date 2012-05-25 --doc QĐ-W1 --org CT.BT
# the decision set readmitted; member_since is the new decision's
same "W1 readmitted after the decision" "$(person_field W1 20)" 1
same "W1 member_since" "$(person_field W1 13)" 2012-05-25
same "W1 left_on (kept)" "$(person_field W1 17)" 2009-05-15
# seniority restarts (§9): the stored dates of the membership of 2000 are
# the new decision's now (and `ketnap verify` agrees, below); audited
same "W1 stored dates" "$(kn_sql "$KETNAP_DB" "SELECT member_since, official_since FROM people WHERE ref = 'W1'")" "2012-05-25|"
same "W1's re-admission audited" "$(kn_sql "$KETNAP_DB" "SELECT before, after FROM audit WHERE entity = 'person' AND key = 'W1' AND action = 'update'")" "readmitted=0 member_since=2000-01-01 official_since=2001-01-01|readmitted=1 member_since=2012-05-25"

# ---- K2: minor_crime without record_cleared_on cannot pass ----
# (36 months after 2005-03-01 is 2008-03-01: long over)
expect 0 "$K" step K2 source --date 2011-06-01 --org cell
walk K2
refused KN-READMIT-WAIT "$K" step K2 cell_vote --date 2012-05-15 --for 5 --of 7 --consent 16-CV/TU
has err "record record_cleared_on"

# ---- K1: 60 months after the record was cleared (2007-02-10) ----
# 2007-02-10 + 60 months = 2012-02-10; on 2012-02-09 only 59 months.
expect 0 "$K" step K1 source --date 2011-06-01 --org cell
walk K1
refused KN-READMIT-WAIT "$K" step K1 cell_vote --date 2012-02-09 --for 5 --of 7 --consent 17-CV/TU
has err "cleared on 2007-02-10, only 59 months"
has err "on or after 2012-02-10"
expect 0 "$K" step K1 cell_vote --date 2012-02-10 --for 5 --of 7 --consent 17-CV/TU
expect 0 "$K" step K1 committee_vote --date 2012-02-15 --for 5 --of 9
expect 0 "$K" step K1 decision --date 2012-03-01 --doc QĐ-K1 --org CT.BT

# ---- R1: an ordinary admission of 2012, decided by the grassroots unit ----
expect 0 "$K" step R1 source --date 2011-06-01 --org youth_union
# a former member is no full member, so cannot introduce: K2, full member
# since 2002, left on 2005-03-01 (a candidate again since 2011)
expect 1 "$K" check R1 introduced --date 2012-01-10 --introducer K2:2009-01-01 --introducer M2:2009-06-01
cat out err >check.out
has check.out "KN-INTRO-FULL"
walk R1
# (no consent needed: not a re-admission)
expect 0 "$K" step R1 cell_vote --date 2012-05-15 --for 5 --of 7
expect 0 "$K" step R1 committee_vote --date 2012-05-20 --for 5 --of 9
refused KN-AUTHORITY "$K" step R1 decision --date 2012-05-25 --doc QĐ-R1 --org CT.BT
lacks err "KN-READMIT-AUTHORITY"
expect 0 "$K" step R1 decision --date 2012-05-25 --doc QĐ-R1 --org CT.BT.P1
same "R1 readmitted" "$(person_field R1 20)" 0

# ---- S1: admitted 2009, struck off, re-admitted 2013, struck off again ----
expect 0 "$K" step S1 source --date 2009-01-10 --org cell
expect 0 "$K" step S1 trained --date 2009-02-02 --doc CN-S1a
expect 0 "$K" step S1 applied --date 2009-03-02
expect 0 "$K" step S1 verified --date 2009-04-01
expect 0 "$K" step S1 introduced --date 2009-05-04 --introducer M1:2007-01-01 --introducer M2:2007-06-01
expect 0 "$K" step S1 cell_vote --date 2009-06-01 --for 5 --of 7
expect 0 "$K" step S1 committee_vote --date 2009-06-10 --for 5 --of 9
expect 0 "$K" step S1 decision --date 2009-07-01 --doc QĐ-S1a --org CT.BT.P1
expect 0 "$K" step S1 ceremony --date 2009-07-20
expect 0 "$K" step S1 struck_off --date 2010-01-05 --note "bỏ sinh hoạt"
# the struck_off step wrote the leaving on the person
same "S1 left_on" "$(person_field S1 17)" 2010-01-05
same "S1 left_reason" "$(person_field S1 18)" struck_off
same "S1 readmitted" "$(person_field S1 20)" 0
# ... audited as a change of the person
same "S1's leaving audited" "$(kn_sql "$KETNAP_DB" "SELECT after FROM audit WHERE entity = 'person' AND key = 'S1' AND action = 'update'")" "left_on=2010-01-05 left_reason=struck_off"
# struck_off allows a re-admission; 2010-01-05 + 36 months = 2013-01-05
expect 0 "$K" step S1 source --date 2013-02-01 --org cell
expect 0 "$K" step S1 trained --date 2013-02-04 --doc CN-S1b
expect 0 "$K" step S1 applied --date 2013-03-01
expect 0 "$K" step S1 verified --date 2013-03-11
expect 0 "$K" step S1 introduced --date 2013-04-01 --introducer M1:2009-01-01 --introducer M2:2009-06-01
refused KN-READMIT-WAIT "$K" step S1 cell_vote --date 2013-01-04 --for 5 --of 7 --consent 20-CV/TU
expect 0 "$K" step S1 cell_vote --date 2013-05-02 --for 5 --of 7 --consent 20-CV/TU
expect 0 "$K" step S1 committee_vote --date 2013-05-10 --for 5 --of 9
expect 0 "$K" step S1 decision --date 2013-06-03 --doc QĐ-S1b --org CT.BT
same "S1 readmitted" "$(person_field S1 20)" 1

# ---- `ketnap verify` finds the record consistent ----
expect 0 "$K" verify

# ---- the round trip: every list out, into an empty database, out again ----
mkdir -p one two
for k in $KINDS; do "$K" export "$k" -o "one/$k.csv"; done
expect 0 "$K" --db "$K2" init
for k in $KINDS; do
	# W1's, K1's and S1's re-admissions are judged again on the way in:
	# people first (readmitted = 1 with member_since after the source is
	# the re-admission's own), then their steps.
	expect 0 "$K" --db "$K2" import "$k" "one/$k.csv"
done
for k in $KINDS; do "$K" --db "$K2" export "$k" -o "two/$k.csv"; done
for k in $KINDS; do
	if cmp -s "one/$k.csv" "two/$k.csv"; then ok; else bad "$k.csv differs after the round trip"; diff "one/$k.csv" "two/$k.csv" >&2; fi
done

# ---- the readmitted category: structure 2012 of CT, by hand ----
# Admitted in 2012: W1 (2012-05-25, re-admitted; M, 37), K1 (2012-03-01,
# re-admitted; F, 33), R1 (2012-05-25; F, 20: youth), all in a hamlet cell.
#   total 3; female 2 (K1 R1): 66.7; youth 1 (R1): 33.3; hamlet 3: 100.0;
#   readmitted 2 (W1 K1): 2000/3 = 666.67 -> 66.7, quota 4: 2/4 -> 50.0
cat >want <<'CSV'
category,admitted,share,quota,percent
total,3,100.0,,
female,2,66.7,,
ethnic_minority,0,0.0,,
religious,0,0.0,,
youth,1,33.3,,
youth_union,0,0.0,,
worker,0,0.0,,
farmer,0,0.0,,
student,0,0.0,,
civil_servant,0,0.0,,
nonstate_enterprise,0,0.0,,
hamlet,3,100.0,,
higher_education,0,0.0,,
readmitted,2,66.7,4,50.0
CSV
for db in "$KETNAP_DB" "$K2"; do
	"$K" --db "$db" report structure --unit CT --year 2012 --format csv >got 2>err
	if cmp -s want got; then ok; else bad "structure 2012 ($db)"; diff want got >&2; fi
done
# 2009: S1's first admission is not a re-admission; 2013: the second is.
"$K" report structure --unit CT --year 2009 --format csv >got
same "2009 readmitted" "$(grep '^readmitted,' got)" "readmitted,0,0.0,,"
"$K" report structure --unit CT --year 2013 --format csv >got
same "2013 readmitted" "$(grep '^readmitted,' got)" "readmitted,1,100.0,,"
# the quota command takes the category too
expect 0 "$K" quota set CT 2013 4 --category readmitted
"$K" report structure --unit CT --year 2013 --format csv >got
same "2013 readmitted with a quota" "$(grep '^readmitted,' got)" "readmitted,1,100.0,4,25.0"

# ---- S1 leaves again: last year's figures stay, no third admission ----
expect 0 "$K" step S1 ceremony --date 2013-06-20
expect 0 "$K" step S1 struck_off --date 2013-12-02 --note "vi phạm"
# the latest leaving replaces the earlier one; readmitted is kept
same "S1 left_on (again)" "$(person_field S1 17)" 2013-12-02
same "S1 readmitted (kept)" "$(person_field S1 20)" 1
"$K" report structure --unit CT --year 2013 --format csv >got
same "2013 readmitted after S1 left again" "$(grep '^readmitted,' got)" "readmitted,1,100.0,4,25.0"
# KN-READMIT-ONCE, even after a new struck_off (reason allowed, wait over)
refused KN-READMIT-ONCE "$K" step S1 source --date 2016-12-30 --org cell
lacks err "KN-READMIT-NEVER"
# and that history round-trips too: the earlier leaving is in the steps
mkdir -p three four
K3=$(kn_db k3)
for k in $KINDS; do "$K" export "$k" -o "three/$k.csv"; done
expect 0 "$K" --db "$K3" init
for k in $KINDS; do expect 0 "$K" --db "$K3" import "$k" "three/$k.csv"; done
for k in $KINDS; do "$K" --db "$K3" export "$k" -o "four/$k.csv"; done
for k in $KINDS; do
	if cmp -s "three/$k.csv" "four/$k.csv"; then ok; else bad "$k.csv differs after the second round trip"; diff "three/$k.csv" "four/$k.csv" >&2; fi
done
expect 0 "$K" verify
expect 0 "$K" --db "$K3" verify
"$K" --db "$K3" report structure --unit CT --year 2013 --format csv >got
same "2013 readmitted after the round trip" "$(grep '^readmitted,' got)" "readmitted,1,100.0,4,25.0"
refused KN-READMIT-ONCE "$K" --db "$K3" step S1 source --date 2016-12-30 --org cell

# ---- migration 010 carries a database of schema 8 forward ----
# K3 as it would have been before 010: the columns gone (and with them
# W1's and K1's leavings, which only a people list gave). What the steps
# show comes back: S1's latest struck_off (2013-12-02) as left_on, the
# candidacy sourced after the first struck_off (2010-01-05) a
# re-admission, and S1 readmitted, its decision being of that candidacy.
for c in left_on left_reason record_cleared_on readmitted; do
	kn_sql "$K3" "ALTER TABLE people DROP COLUMN $c" >/dev/null
done
kn_sql "$K3" "ALTER TABLE candidacies DROP COLUMN readmission" >/dev/null
# (and what 011–014 added after it: the identity index and table, the
# decision extensions, the decisions queue's index, the covering
# steps_step_date, without steps_date)
for q in "DROP TABLE merged_refs" "DROP INDEX people_dup" "DROP TABLE decision_extensions" \
	 "DROP INDEX candidacies_open_stage" "DROP INDEX steps_step_date" \
	 "CREATE INDEX steps_step_date ON steps(step, date)" \
	 "CREATE INDEX steps_date ON steps(date, step, candidacy_id)"; do
	kn_sql "$K3" "$q" >/dev/null
done
kn_undo_018 "$K3" >/dev/null	# 018's (issue 13)
kn_undo_016 "$K3" >/dev/null	# 016's (issue 13)
kn_sql "$K3" "DELETE FROM schema_migrations WHERE version >= 10" >/dev/null
expect 0 "$K" --db "$K3" init
"$K" --db "$K3" export people -o p3.csv
same "S1 left_on (migrated)" "$(field p3.csv S1 17)" 2013-12-02
same "S1 left_reason (migrated)" "$(field p3.csv S1 18)" struck_off
same "S1 readmitted (migrated)" "$(field p3.csv S1 20)" 1
same "W1 left_on (not in the steps)" "$(field p3.csv W1 17)" ""
same "R1 left_on (never left)" "$(field p3.csv R1 17)" ""
"$K" --db "$K3" report structure --unit CT --year 2013 --format csv >got
same "2013 readmitted (migrated)" "$(grep '^readmitted,' got)" "readmitted,1,100.0,4,25.0"
"$K" --db "$K3" report structure --unit CT --year 2009 --format csv >got
same "2009 readmitted (migrated)" "$(grep '^readmitted,' got)" "readmitted,0,0.0,,"
refused KN-READMIT-ONCE "$K" --db "$K3" step S1 source --date 2016-12-30 --org cell

# ---- Vietnamese: the category's label and a rule's message ----
"$K" --lang vi report structure --unit CT --year 2012 >got
has got "Kết nạp lại"
expect 1 "$K" --lang vi step NA source --date 2011-06-01 --org cell
has err "KN-READMIT-NEVER:"
has err "01/01/2005"

# ---- KN-READMIT-AUTHORITY by the acting user's unit (accounts, on K2) ----
# K2's re-admission is at `introduced` in K2: `check` of its decision lists
# what would stop it, by user: the grassroots approver (whose committee
# may admit) is not the district's.
printf 'pw-12345678\n' >pw
expect 0 "$K" --db "$K2" --user admin user add admin --unit CT --role admin <pw
expect 0 "$K" --db "$K2" --user admin user add p1 --unit CT.BT.P1 --role approver <pw
expect 0 "$K" --db "$K2" --user admin user add bt --unit CT.BT --role approver <pw
expect 1 "$K" --db "$K2" --user p1 check K2 decision --date 2012-06-01 --doc QĐ-K2
cat out err >check.out
has check.out "KN-READMIT-AUTHORITY"
has check.out "must be decided by CT.BT (the district-level committee), not CT.BT.P1"
expect 1 "$K" --db "$K2" --user bt check K2 decision --date 2012-06-01 --doc QĐ-K2
cat out err >check.out
has check.out "KN-ORDER"
lacks check.out "KN-READMIT-AUTHORITY"
lacks check.out "KN-AUTHORITY"

check_done
