#!/usr/bin/env bash
# End to end (issue 15, RULES.md §8 and §10 together): merging two records
# of one person when transfers are recorded. A transfer moves the person's
# own record between units, so the record kept must carry its history of
# units: a merge that drops the record that moved is refused with the way
# round that works, a merge of two records that both moved is refused, and
# the merge that keeps the moved record goes through, its transfers and
# units untouched, the dropped record's candidacy moved onto it.
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
q() { kn_sql "$KETNAP_DB" "$1"; }

cat >units.csv <<'CSV'
code,parent,name,kind,may_admit
CT,,Thành phố,province,1
CT.A,CT,Quận A,upper,1
CT.A.P1,CT.A,Phường 1,grassroots,0
CT.A.P1.K1,CT.A.P1,Chi bộ khu vực 1,cell,0
CT.B,CT,Quận B,upper,1
CT.B.P2,CT.B,Phường 2,grassroots,0
CT.B.P2.K1,CT.B.P2,Chi bộ khu vực 1,cell,0
CSV
# D1 and D2 are one woman typed twice (names equal once folded, one birth
# date); E1 and E2 likewise, a man.
cat >people.csv <<'CSV'
ref,full_name,sex,birth_date,unit,education
D1,Nguyễn Thị Kim Thảo,F,1990-05-10,CT.A.P1.K1,12/12
D2,nguyen thi kim thao,F,1990-05-10,CT.B.P2.K1,12/12
E1,Lê Văn Đức,M,1991-01-02,CT.A.P1.K1,12/12
E2,Le Van Duc,M,1991-01-02,CT.A.P1.K1,12/12
CSV
expect 0 "$K" init
expect 0 "$K" import units units.csv
expect 0 "$K" import people people.csv
has err "D2"		# the possible duplicate is warned of

# D1 moved from district A to B (accepted); D2 has a candidacy, no move.
expect 0 "$K" transfer D1 --to CT.B.P2.K1 --date 2024-02-01
expect 0 "$K" transfer D1 --arrived --date 2024-02-05
expect 0 "$K" step D2 source --date 2024-03-01 --org cell

# Dropping D1, the record that moved: refused, nothing written.
expect 1 "$K" person merge D2 D1
has err "D1 has transfers between units recorded and D2 has none; keep D1 instead (person merge D1 D2)"
same "D1 still there" "$(q "SELECT COUNT(*) FROM people WHERE ref IN ('D1', 'D2')")" 2
same "no merged ref" "$(q "SELECT COUNT(*) FROM merged_refs")" 0

# The way round that works: D1 kept with its transfer and unit, D2's
# candidacy (one source step) now D1's.
expect 0 "$K" person merge D1 D2
same "D2 gone" "$(q "SELECT COUNT(*) FROM people WHERE ref = 'D2'")" 0
same "D1's transfer kept" "$(q "SELECT COUNT(*) FROM transfers t JOIN people p ON p.id = t.person_id WHERE p.ref = 'D1'")" 1
same "D1's unit" "$(q "SELECT u.code FROM people p JOIN units u ON u.id = p.unit_id WHERE p.ref = 'D1'")" CT.B.P2.K1
same "D2's candidacy on D1" "$(q "SELECT COUNT(*) FROM candidacies c JOIN people p ON p.id = c.person_id WHERE p.ref = 'D1'")" 1
expect 0 "$K" verify

# Both moved: refused whichever is kept.
expect 0 "$K" transfer E1 --to CT.B.P2.K1 --date 2024-04-01
expect 0 "$K" transfer E2 --to CT.B.P2.K1 --date 2024-04-02
expect 1 "$K" person merge E1 E2
has err "E1 and E2 both have transfers between units recorded"
expect 1 "$K" person merge E2 E1
has err "E2 and E1 both have transfers between units recorded"
same "E1, E2 kept" "$(q "SELECT COUNT(*) FROM people WHERE ref IN ('E1', 'E2')")" 2

check_done
