#!/usr/bin/env bash
# End to end (issue 15, RULES.md §8): transfers with the built binary —
# `transfer REF --to UNIT` and `--arrived`, KN-TRANSFER-OPEN and
# KN-TRANSFER-DEST on both sides of each boundary, an override kept,
# DL-TRANSFER on its 30th working day (due) and the 31st (overdue) in the
# deadlines of both units, a person moved between two districts after
# admission leaving both districts' past figures unchanged and counted by
# the new one from the arrival on, a step recorded late judged and counted
# by the unit of its date, and the scopes of two districts' editors that
# meet only on the person in transit. Figures by hand in the comments.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db t) KETNAP_TODAY=2024-12-31 KETNAP_USER=tester LANG=C
K=$KETNAP

ntransfers() { kn_sql "$KETNAP_DB" "SELECT COUNT(*) FROM transfers"; }
refused() { # refused CODE CMD... : exit 1, CODE on stderr, no transfer written
	local code=$1; shift
	local before; before=$(ntransfers)
	expect 1 "$@"
	has err "$code:"
	same "transfers after a refusal: $*" "$(ntransfers)" "$before"
}

# Two districts: A (ward P1 with cells K1, K2) and B (ward P2 with cell
# K1, and DN, a grassroots unit without cells: a chi bộ cơ sở).
cat >units.csv <<'CSV'
code,parent,name,kind,may_admit,sector,special_area
CT,,Thành phố,province,1,,0
CT.A,CT,Quận A,upper,1,,0
CT.A.P1,CT.A,Phường 1,grassroots,0,ward,0
CT.A.P1.K1,CT.A.P1,Chi bộ khu vực 1,cell,0,hamlet,0
CT.A.P1.K2,CT.A.P1,Chi bộ khu vực 2,cell,0,hamlet,0
CT.B,CT,Quận B,upper,1,,0
CT.B.P2,CT.B,Phường 2,grassroots,0,ward,0
CT.B.P2.K1,CT.B.P2,Chi bộ khu vực 1,cell,0,hamlet,0
CT.B.DN,CT.B,Chi bộ Công ty Bình An,grassroots,0,nonstate_enterprise,0
CSV
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education,youth_union,member_since,official_since
M1,Trần Văn Hùng,M,1960-02-01,CT.A.P1.K1,12/12,0,1999-01-01,2000-01-01
M2,Lê Thị Mai,F,1970-03-04,CT.A.P1.K1,12/12,0,2004-01-01,2005-01-01
M3,Võ Văn Ba,M,1975-03-04,CT.A.P1.K1,12/12,0,2004-01-01,2005-01-01
C1,Nguyễn Thị Kim Thảo,F,1990-05-10,CT.A.P1.K1,12/12,1,,
C2,Phạm Văn Tí,M,1993-07-01,CT.A.P1.K1,12/12,0,,
C3,Đặng Thị Hoa,F,1995-01-01,CT.A.P1.K1,12/12,0,,
C5,Lý Văn Năm,M,1994-01-01,CT.A.P1.K1,12/12,0,,
C6,Mai Thị Sáu,F,1996-01-01,CT.A.P1.K2,12/12,0,,
CSV
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv

# walk REF UNTIL_STEP: the steps of a dossier from 2022, as in candidacy.sh.
walk22() {
	local r=$1
	expect 0 "$K" step "$r" source --date 2022-03-01 --org cell
	expect 0 "$K" step "$r" trained --date 2022-04-01 --doc CN-$r
	expect 0 "$K" step "$r" applied --date 2022-05-03
	expect 0 "$K" step "$r" verified --date 2022-06-01
	expect 0 "$K" step "$r" introduced --date 2022-07-01 --introducer M1:2020-01-01 --introducer M2:2020-01-01
}

# ---- C1: admitted by district A in 2023, moved to district B in probation ----
walk22 C1
expect 0 "$K" step C1 cell_vote --date 2022-09-01 --for 5 --of 7
expect 0 "$K" step C1 committee_vote --date 2022-09-15 --for 5 --of 7
expect 0 "$K" step C1 decision --date 2023-01-10 --doc 1-QĐ/QU --org CT.A
expect 0 "$K" step C1 ceremony --date 2023-02-10

# The past figures of both districts, before the move.
figures() { # figures TAG: the reports that must not move, into TAG.*
	for u in CT CT.A CT.B; do
		for r in achievement structure funnel ranking summary; do
			"$K" report $r --unit $u --year 2023 --format csv >"$1.$u.$r" 2>&1
			"$K" report $r --unit $u --year 2022 --format csv >"$1.$u.$r.2022" 2>&1
		done
		"$K" report deadlines --unit $u --as-of 2023-06-30 --format csv >"$1.$u.deadlines" 2>&1
	done
}
figures before
# By hand: C1's decision of 2023-01-10 is district A's one admission of
# 2023 (quota none), B's none; the funnel of 2022 has C1's source …
# committee_vote in A, nothing in B; on 2023-06-30 C1 is in probation in A
# (DL-PROBATION-VOTE: probation ends 2024-02-10).
has before.CT.achievement "CT.A,Quận A,1,,1,,"
has before.CT.achievement "CT.B,Quận B,1,,0,,"
has before.CT.A.funnel.2022 "committee_vote,1"
has before.CT.B.funnel.2022 "committee_vote,0"
has before.CT.A.deadlines "C1,Nguyễn Thị Kim Thảo,CT.A.P1.K1,DL-PROBATION-VOTE"
lacks before.CT.B.deadlines "C1,"

# ---- KN-TRANSFER-DEST ----
# a grassroots unit with cells, an upper unit: not considering cells
refused KN-TRANSFER-DEST "$K" transfer C1 --to CT.B.P2 --date 2024-01-15
has err "CT.B.P2 (Phường 2) is not a considering cell"
refused KN-TRANSFER-DEST "$K" transfer C1 --to CT.B --date 2024-01-15
# the person's own unit
refused KN-TRANSFER-DEST "$K" transfer C1 --to CT.A.P1.K1 --date 2024-01-15
has err "already belongs to CT.A.P1.K1"
# an unknown unit, a date after today, no --to nor --arrived: refusals
expect 1 "$K" transfer C1 --to CT.X --date 2024-01-15
has err "no unit with code CT.X"
expect 1 "$K" transfer C1 --to CT.B.P2.K1 --date 2025-01-02
expect 2 "$K" transfer C1
expect 2 "$K" transfer C1 --to CT.B.P2.K1 --arrived

# The move: letter of 2024-01-15, accepted on 2024-01-22.
expect 0 "$K" transfer C1 --to CT.B.P2.K1 --date 2024-01-15 --doc 15-GT/ĐU --note "chuyển nơi ở"
has out "recorded: C1 leaves CT.A.P1.K1 for CT.B.P2.K1 on 2024-01-15"
# in transit: still A's person
expect 0 "$K" person find "kim thao" --format csv
has out "C1,Nguyễn Thị Kim Thảo,1990-05-10,CT.A.P1.K1,ceremony"
# ---- KN-TRANSFER-OPEN: a second letter before the arrival ----
refused KN-TRANSFER-OPEN "$K" transfer C1 --to CT.B.DN --date 2024-01-16
has err "has not been accepted there yet"
# an arrival before the letter: refused
expect 1 "$K" transfer C1 --arrived --date 2024-01-14
expect 0 "$K" transfer C1 --arrived --date 2024-01-22
has out "recorded: C1 arrived at CT.B.P2.K1 on 2024-01-22"
expect 1 "$K" transfer C1 --arrived --date 2024-01-23
has err "is not in transit"
same "audit entries of the transfer" \
	"$(kn_sql "$KETNAP_DB" "SELECT action FROM audit WHERE entity = 'transfer' AND key = 'C1' ORDER BY id" | tr '\n' ' ')" \
	"transfer-out transfer-in "
expect 0 "$K" person show C1
has out "Units over time:"
has out "2024-01-15  letter of introduction from CT.A.P1.K1 to CT.B.P2.K1 (15-GT/ĐU)"
has out "2024-01-22  arrived at CT.B.P2.K1"
has out "unit:            CT.B.P2.K1"

# The steps after the arrival are judged by the destination: its competent
# committee is CT.B, no longer CT.A (KN-AUTHORITY).
expect 0 "$K" step C1 probation_vote --date 2024-02-20 --for 6 --of 7
expect 1 "$K" step C1 official --date 2024-03-01 --doc 9-QĐ/QU --org CT.A
has err "KN-AUTHORITY:"
expect 0 "$K" step C1 official --date 2024-03-01 --doc 9-QĐ/QU --org CT.B

# The past figures did not move, by a byte.
figures after
for f in before.*; do
	if cmp -s "$f" "after.${f#before.}"; then ok; else
		bad "$f moved with the transfer"; diff "$f" "after.${f#before.}" >&2; fi
done
# And 2024 counts C1's probation vote and full membership for B, not A.
"$K" report funnel --unit CT.B --year 2024 --format csv >fb
"$K" report funnel --unit CT.A --year 2024 --format csv >fa
has fb "probation_vote,1"
has fb "official,1"
has fa "probation_vote,0"
has fa "official,0"

# ---- a step recorded late, dated before the arrival ----
# C3: source in A on 2024-02-01, moved to B (letter 2024-03-01, arrival
# 2024-03-05), then trained recorded with the date 2024-03-04 (before the
# arrival: A's) and applied 2024-03-11 (B's).
expect 0 "$K" step C3 source --date 2024-02-01 --org cell
expect 0 "$K" transfer C3 --to CT.B.P2.K1 --date 2024-03-01
expect 0 "$K" transfer C3 --arrived --date 2024-03-05
expect 0 "$K" step C3 trained --date 2024-03-04 --doc CN-C3
expect 0 "$K" step C3 applied --date 2024-03-11
# funnel of 2024 by hand: A: source 1 (C3), trained 1 (C3), applied 0;
# B: source 0, trained 0, applied 1 (C3).
"$K" report funnel --unit CT.B --year 2024 --format csv >fb
"$K" report funnel --unit CT.A --year 2024 --format csv >fa
has fa "source,1"
has fa "trained,1"
has fa "applied,0"
has fb "source,0"
has fb "trained,0"
has fb "applied,1"
"$K" report funnel --unit CT --year 2024 --format csv >fc
has fc "source,1"
has fc "trained,1"
has fc "applied,1"

# ---- KN-TRANSFER-OPEN: a dossier before a committee ----
# C2 moves within A before its cell vote (accepted), then is voted on in
# K2: from the cell vote until the decision it cannot move.
walk22 C2
expect 0 "$K" transfer C2 --to CT.A.P1.K2 --date 2022-08-01
expect 0 "$K" transfer C2 --arrived --date 2022-08-02
expect 0 "$K" step C2 cell_vote --date 2022-09-01 --for 5 --of 7
refused KN-TRANSFER-OPEN "$K" transfer C2 --to CT.A.P1.K1 --date 2022-09-01
has err "is before a committee"
expect 0 "$K" step C2 committee_vote --date 2022-09-15 --for 5 --of 7
refused KN-TRANSFER-OPEN "$K" transfer C2 --to CT.A.P1.K1 --date 2022-10-01
expect 0 "$K" step C2 decision --date 2022-10-10 --doc 7-QĐ/QU --org CT.A
expect 0 "$K" transfer C2 --to CT.A.P1.K1 --date 2022-10-10
expect 0 "$K" transfer C2 --arrived --date 2022-10-12

# ---- an override, kept ----
walk22 C5
expect 0 "$K" step C5 cell_vote --date 2022-09-01 --for 5 --of 7
expect 0 "$K" transfer C5 --to CT.B.P2.K1 --date 2022-09-05 --override "cả gia đình chuyển đến quận B"
has out "recorded with an override by tester"
same "override kept" "$(kn_sql "$KETNAP_DB" "SELECT override || '|' || override_by FROM transfers t JOIN people p ON p.id = t.person_id WHERE p.ref = 'C5'")" \
	"cả gia đình chuyển đến quận B|tester"
# an override without a broken rule keeps no reason
expect 0 "$K" transfer C6 --to CT.A.P1.K1 --date 2024-01-03 --override "không cần"
has out "recorded: C6 leaves"
same "no reason kept" "$(kn_sql "$KETNAP_DB" "SELECT COALESCE(override, '-') FROM transfers t JOIN people p ON p.id = t.person_id WHERE p.ref = 'C6'")" "-"
expect 0 "$K" transfer C6 --arrived --date 2024-01-04

# ---- DL-TRANSFER ----
# 30 working days after Mon 2024-06-03 (no holiday in June-July 2024):
# Jun 4-7 (4), 10-14 (9), 17-21 (14), 24-28 (19), Jul 1-5 (24), 8-12 (29),
# Mon Jul 15 (30).
expect 0 "$K" calendar add 2024-06-03 30
has out "2024-07-15"
expect 0 "$K" transfer M3 --to CT.B.DN --date 2024-06-03
# a grassroots unit without cells is a considering cell: accepted above
refused KN-TRANSFER-OPEN "$K" transfer M3 --to CT.B.P2.K1 --date 2024-06-10
for u in CT.A CT.B; do
	"$K" report deadlines --unit $u --as-of 2024-07-15 --format csv >"dl.$u.30"
	"$K" report deadlines --unit $u --as-of 2024-07-16 --format csv >"dl.$u.31"
	"$K" report deadlines --unit $u --as-of 2024-06-02 --format csv >"dl.$u.before"
done
has dl.CT.A.30 "M3,Võ Văn Ba,CT.A.P1.K1,DL-TRANSFER,2024-07-15,0,due"
has dl.CT.B.30 "M3,Võ Văn Ba,CT.B.DN,DL-TRANSFER,2024-07-15,0,due"
has dl.CT.A.31 "M3,Võ Văn Ba,CT.A.P1.K1,DL-TRANSFER,2024-07-15,-1,overdue"
has dl.CT.B.31 "M3,Võ Văn Ba,CT.B.DN,DL-TRANSFER,2024-07-15,-1,overdue"
lacks dl.CT.A.before "M3,"
lacks dl.CT.B.before "M3,"
# C5, in transit since 2022-09-05 (overridden above), is on both lists
has dl.CT.A.before "C5,Lý Văn Năm,CT.A.P1.K1,DL-TRANSFER"
has dl.CT.B.before "C5,Lý Văn Năm,CT.B.P2.K1,DL-TRANSFER"
expect 0 "$K" person show M3
has out "in transit: still counted by CT.A.P1.K1; the letter is to be presented at CT.B.DN by 2024-07-15 (DL-TRANSFER)"
expect 0 "$K" transfer M3 --arrived --date 2024-07-22
# after the arrival: no alert on that date, but the past as-of keeps it
"$K" report deadlines --unit CT.B --as-of 2024-07-22 --format csv >dl.after
lacks dl.after "M3,"
"$K" report deadlines --unit CT.B --as-of 2024-07-16 --format csv >dl.past
has dl.past "M3,Võ Văn Ba,CT.B.DN,DL-TRANSFER,2024-07-15,-1,overdue"
# and a new letter is accepted once the previous one arrived
expect 0 "$K" transfer M3 --to CT.A.P1.K2 --date 2024-08-01
expect 0 "$K" transfer M3 --arrived --date 2024-08-02

# ---- scope: two districts' editors meet only on the person in transit ----
echo password1 >pw
expect 0 "$K" --user tester user add tester --unit CT --role admin <pw
for u in "edA CT.A editor" "edB CT.B editor" "vwB CT.B viewer" "apA CT.A approver"; do
	set -- $u
	expect 0 "$K" --user tester user add "$1" --unit "$2" --role "$3" <pw
done
expect 0 "$K" --user edA step C6 source --date 2024-09-02 --org cell
# B's editor does not see A's people: not found, as an unknown ref
expect 1 "$K" --user edB transfer C6 --to CT.B.P2.K1 --date 2024-10-01
cp err err.hidden
expect 1 "$K" --user edB transfer NOPE --to CT.B.P2.K1 --date 2024-10-01
same "a hidden person is an unknown one" "$(sed 's/C6/REF/' err.hidden)" "$(sed 's/NOPE/REF/' err)"
expect 1 "$K" --user edB transfer C6 --arrived
has err "no person with ref C6"
# A's editor writes the letter to B; an editor may not override
refused KN-TRANSFER-DEST "$K" --user edA transfer C6 --to CT.A.P1.K1 --date 2024-10-01 --override "x"
has err "may not override"
expect 0 "$K" --user edA transfer C6 --to CT.B.P2.K1 --date 2024-10-01
# the arrival is B's editor's: not A's, not B's viewer
expect 1 "$K" --user edA transfer C6 --arrived --date 2024-10-03
has err "only an editor of the destination may"
expect 1 "$K" --user vwB transfer C6 --arrived --date 2024-10-03
# B sees C6 in transit to them, and no other person of A
expect 1 "$K" --user edB transfer C2 --arrived
has err "no person with ref C2"
expect 1 "$K" --user edB person show C2
expect 0 "$K" --user edB transfer C6 --arrived --date 2024-10-03
has out "recorded: C6 arrived at CT.B.P2.K1 on 2024-10-03"
# now B's, and no longer A's
expect 0 "$K" --user edB person show C6
expect 1 "$K" --user edA person show C6
# an approver above the sending unit may override
expect 0 "$K" --user tester step C2 ceremony --date 2022-11-01
expect 0 "$K" --user apA transfer C2 --to CT.A.P1.K1 --date 2024-10-07 --override "sai sót"
has out "recorded with an override by apA"

# The database is consistent (the audit chain included).
expect 0 "$K" verify

# ---- export transfers, import them (FORMATS.md transfers.csv) ----
expect 0 "$K" --user tester export transfers -o transfers.csv
# by person ref, then date; the in-transit C5 without `arrived`; overrides kept
has transfers.csv "person,date,from,to,arrived,doc_no,note,override"
has transfers.csv "C1,2024-01-15,CT.A.P1.K1,CT.B.P2.K1,2024-01-22,15-GT/ĐU,chuyển nơi ở,"
has transfers.csv "C5,2022-09-05,CT.A.P1.K1,CT.B.P2.K1,,,,cả gia đình chuyển đến quận B"
same "transfers exported" "$(grep -c . transfers.csv)" 11
"$K" --user tester export people -o people.out 2>/dev/null
figures orig
for u in CT.A CT.B; do
	"$K" --user tester report funnel --unit $u --year 2024 --format csv >"orig.$u.funnel.2024"
done
"$K" --user tester export steps -o steps.out 2>/dev/null
# re-importing the same file is a no-op: nothing added, no audit entry
n_audit=$(kn_sql "$KETNAP_DB" "SELECT COUNT(*) FROM audit")
expect 0 "$K" --user tester import transfers transfers.csv
same "audit after a re-import" "$(kn_sql "$KETNAP_DB" "SELECT COUNT(*) FROM audit")" "$n_audit"
# B's editor may not import A's letters
expect 1 "$K" --user edB import transfers transfers.csv
has err "from: CT.A.P1.K1 is not CT.B or a unit below it"
has err "nothing was written"
# Into an empty database, in the order the man page gives (units, people,
# transfers, steps): each step is judged by the unit of its date (C1's
# full membership by CT.B's committee), and every figure is the same.
FRESH=$(kn_db fresh)
export KETNAP_DB=$FRESH
unset KETNAP_USER; export KETNAP_USER=tester
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.out
expect 0 "$K" import transfers transfers.csv
expect 0 "$K" import steps steps.out
expect 0 "$K" export transfers -o transfers.again
cmp -s transfers.csv transfers.again && ok || { bad "transfers export → import → export differs"; diff transfers.csv transfers.again >&2; }
expect 0 "$K" export steps -o steps.again
cmp -s steps.out steps.again && ok || bad "steps export → import → export differs"
figures fresh
for u in CT.A CT.B; do
	"$K" report funnel --unit $u --year 2024 --format csv >"fresh.$u.funnel.2024"
done
for f in orig.*; do
	if cmp -s "$f" "fresh.${f#orig.}"; then ok; else
		bad "$f differs in the imported database"; diff "$f" "fresh.${f#orig.}" >&2; fi
done
# a re-import is a no-op
expect 0 "$K" import transfers transfers.csv
has out "0 added"
# The other order, as docs/formats.md warns: steps before transfers are
# judged by the unit each person has now (people.csv's), so C1's admission
# decision by district A's committee is refused (KN-AUTHORITY: C1 is B's).
export KETNAP_DB=$(kn_db wrong)
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.out
expect 1 "$K" import steps steps.out
has err "KN-AUTHORITY"
export KETNAP_DB=$FRESH
# All or nothing, FILE:LINE: column: message
cat >bad.csv <<'CSV'
person,date,from,to,arrived,doc_no,note,override
C1,2024-12-01,CT.B.P2.K1,CT.A.P1.K1,,,,
NOPE,2024-12-01,CT.A.P1.K1,CT.B.P2.K1,,,,
C6,2024-12-02,CT.B.P2.K1,CT.B.P2,,,,
C6,2024-12-03,CT.B.P2.K1,CT.A.P1.K1,2024-12-01,,,
C3,2024-12-03,CT.B.P2.K1,CT.X,,,,
C3,31/02/2024,CT.B.P2.K1,CT.A.P1.K1,,,,
CSV
expect 1 "$K" import transfers bad.csv
has err "bad.csv:3: person: no person with ref NOPE"
has err "bad.csv:4: to: KN-TRANSFER-DEST: CT.B.P2 (Phường 2) is not a considering cell"
has err "bad.csv:5: arrived:"
has err "bad.csv:6: to: no unit CT.X in the database"
has err "bad.csv:7: date:"
lacks err "bad.csv:2:"
same "nothing written" "$(kn_sql "$KETNAP_DB" "SELECT COUNT(*) FROM transfers")" 10

check_done
