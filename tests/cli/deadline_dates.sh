#!/usr/bin/env bash
# End to end (issue 13, migration 016): the dates a candidacy carries for
# its deadlines (candidacies.last_date, trained_on … probation_vote_on,
# closed_on), kept by the database on every write of steps, and the
# deadlines report read from them (a candidacy whose steps are all dated
# by the as-of date) or from the steps (a past as-of date, a candidacy
# closed after it). Through: steps recorded, a certificate recorded again
# (the latest counts), a step's date changed in place (the update
# trigger), a merge that moves steps onto new candidacies, a transfer in
# transit on the as-of date, and `ketnap verify` finding a stored date
# changed behind the program's back. Due dates worked out by hand below
# (RULES.md §4 and §7: 60 working days for the decision, 12 months for
# the introductions, 60 for the certificate, 30 working days for the
# transfer letter).
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/dossier.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db dd) KETNAP_TODAY=2025-10-20 KETNAP_USER=root LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
q() { kn_sql "$KETNAP_DB" "$1"; }
# the stored dates of REF's open candidacy (or of candidacy id $2)
dates() { q "SELECT c.last_date, c.trained_on, c.introduced_on, c.cell_vote_on,
	c.committee_vote_on, c.decision_on, c.ceremony_on, c.probation_vote_on, c.closed_on
	FROM candidacies c JOIN people p ON p.id = c.person_id WHERE p.ref = '$1'
	AND ${2:-c.is_open = 1} ORDER BY c.id"; }
dl() { # dl UNIT AS_OF: the deadlines report's rows
	"$K" report deadlines --unit "$1" --as-of "$2" --format csv | tail -n +2; }
# the same without the working days left, for the due dates years ahead
# (the count is the calendar's, tested in tests/cli/calendar.sh)
dls() { dl "$@" | cut -d, -f1-5,7; }

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

dossier C1
dossier C2
dossier C3
dossier X1
expect 0 "$K" step C1 cell_vote --date 2025-06-02 --for 5 --of 7
expect 0 "$K" step C1 committee_vote --date 2025-06-16 --for 7 --of 9
same "C1's dates" "$(dates C1)" "2025-06-16|2025-02-03|2025-04-01|2025-06-02|2025-06-16||||"
same "C2's dates" "$(dates C2)" "2025-04-01|2025-02-03|2025-04-01||||||"

# Today (2025-10-20), every step dated before: the stored dates. C1's
# decision: 60 working days after Mon 2025-06-02 is Mon 2025-08-25
# (tests/cli/extension.sh counts them), 38 working days ago: Aug 26-29
# (4), Sep 1 (5), Sep 2-3 off, Sep 4-5 (7), five weeks (32), Oct 13-17
# (37), Oct 20 (38). The introductions of 2025-04-01 expire 12 months
# later, the certificate of 2025-02-03 60 months later.
same "C1 and C2 today" "$(dls CT 2025-10-20 | grep -E '^C[12],')" \
"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,overdue
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "C1's working days" "$(dl CT 2025-10-20 | grep '^C1,')" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,-38,overdue"

# A past as-of date (a step after it: C1's committee vote of 06-16): from
# the steps. On 2025-06-10 the decision is due in 54 working days (the
# 60 from 06-02 less Jun 3-6, 9 and 10).
same "C1 on 2025-06-10" "$(dl CT 2025-06-10 | grep '^C1,')" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-25,54,due"
# before its introduction: the certificate only
same "C1 on 2025-03-20" "$(dls CT 2025-03-20 | grep '^C1,')" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"

# The certificate recorded again: the latest counts, and the stored
# date follows it.
expect 0 "$K" step C2 trained --date 2025-05-05 --doc CN-C2b
same "C2's trained_on" "$(dates C2)" "2025-05-05|2025-05-05|2025-04-01||||||"
same "C2's certificate today" "$(dls CT 2025-10-20 | grep '^C2,.*CERT')" \
	"C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-05-05,due"
# and as of a day before it: the first one, from the steps
same "C2's certificate on 2025-05-04" "$(dls CT 2025-05-04 | grep '^C2,.*CERT')" \
	"C2,Phạm Văn Tí,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"

# A step's date changed in place (what an update of a step writes): the
# columns are recomputed. C1's cell vote on Tue 06-03: the decision is
# due one working day later, Tue 2025-08-26.
q "UPDATE steps SET date = '2025-06-03' WHERE step = 'cell_vote' AND candidacy_id =
	(SELECT c.id FROM candidacies c JOIN people p ON p.id = c.person_id WHERE p.ref = 'C1')"
same "C1's cell_vote_on" "$(dates C1)" "2025-06-16|2025-02-03|2025-04-01|2025-06-03|2025-06-16||||"
same "C1's decision today" "$(dl CT 2025-10-20 | grep '^C1,')" \
	"C1,Nguyễn Thị Kim Thảo,CT.BT.P1.KV1,DL-DECISION,2025-08-26,-37,overdue"
expect 0 "$K" verify

# A merge: X2's withdrawn candidacy of 2023 is older than X1's open one,
# so both are made again in date order, their steps moved onto the new
# rows, and the dates go with them.
expect 0 "$K" step X2 source --date 2023-01-10 --org youth_union
expect 0 "$K" step X2 withdrawn --date 2023-06-01 --note "moved away"
same "X2's dates" "$(dates X2 1=1)" "2023-06-01||||||||2023-06-01"
expect 0 "$K" person merge X1 X2
same "X1's candidacies after the merge" "$(dates X1 1=1)" \
"2023-06-01||||||||2023-06-01
2025-04-01|2025-02-03|2025-04-01||||||"
same "no dates left behind" "$(q "SELECT COUNT(*) FROM candidacies c WHERE NOT EXISTS
	(SELECT 1 FROM steps s WHERE s.candidacy_id = c.id)")" 0
same "X1 today" "$(dls CT 2025-10-20 | grep '^X1,')" \
"X1,Đỗ Văn Dư,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
X1,Đỗ Văn Dư,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"
expect 0 "$K" verify

# A transfer: C3 leaves KV1 of CT.BT on 2025-09-01 and arrives in KV1 of
# CT.DN on 2025-10-01. As of 2025-09-15 (every step of C3's dated
# before) C3 was in transit: the deadlines count for the sending unit,
# and DL-TRANSFER (30 working days after 09-01, the 2nd and 3rd of
# September off: 2025-10-15) for both sides.
expect 0 "$K" transfer C3 --to CT.DN.P2.KV1 --date 2025-09-01 --doc 5-GT
expect 0 "$K" transfer C3 --arrived --date 2025-10-01
same "C3 in CT.BT on 2025-09-15" "$(dls CT.BT 2025-09-15 | grep '^C3,')" \
"C3,Võ Thị Lan,CT.BT.P1.KV1,DL-TRANSFER,2025-10-15,due
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-DOSSIER,2026-04-01,due
C3,Võ Thị Lan,CT.BT.P1.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "C3 in CT.DN on 2025-09-15" "$(dl CT.DN 2025-09-15)" \
	"C3,Võ Thị Lan,CT.DN.P2.KV1,DL-TRANSFER,2025-10-15,22,due"
same "C3 in CT.DN today" "$(dls CT.DN 2025-10-20)" \
"C3,Võ Thị Lan,CT.DN.P2.KV1,DL-DOSSIER,2026-04-01,due
C3,Võ Thị Lan,CT.DN.P2.KV1,DL-CERT-EXPIRY,2030-02-03,due"
same "C3 no more in CT.BT today" "$(dl CT.BT 2025-10-20 | grep -c '^C3,')" 0

# A stored date changed behind the program's back: verify names it.
q "UPDATE candidacies SET introduced_on = '2025-03-01' WHERE person_id =
	(SELECT id FROM people WHERE ref = 'C2')"
expect 1 "$K" verify
has err "C2 (candidacy"
has err "the step dates stored with the candidacy are not those of its steps"
has err "1 problem found"

check_done
