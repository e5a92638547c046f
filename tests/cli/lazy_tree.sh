#!/usr/bin/env bash
# End to end: step, check, person show and report's scope read only the
# units they ask about (a lazy unit tree, cmd/ctx.c: unitree_lazy), and
# must answer as the whole tree did. On the sample city of examples/ with
# accounts at several levels:
#  - scope: an editor of the cell CT.BT.BTH.KV1 sees its own candidate and
#    not one of CT.BT.HV ("no person", as an unknown ref), nor a report of
#    CT.BT; a person transferred into CT.TL.TX.TH is seen there once the
#    arrival is recorded, and no more from the cell they left;
#  - the chi bộ cơ sở: CT.BT.HV has no cells, so its candidate skips the
#    grassroots committee meeting;
#  - the competent committee: the decision for a candidate of
#    CT.DCD.SGD.THPT belongs to CT.DCD (may_admit), not to CT.DCD.SGD
#    above the cell nor to the root;
#  - the special area, flagged two levels above the candidate's cell
#    (CT.BT.TN over CT.BT.TN.KCN): 7/12 is refused at the cell meeting
#    until the flag is set, and then accepted (the 5/12 minimum).
# Expected values are worked out by hand from examples/*.csv.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
src=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db lazy) KETNAP_TODAY=2025-12-20 LANG=C
unset KETNAP_USER
K=$KETNAP
. "$src/tests/lib/check.sh"

"$K" init >/dev/null || { echo "init failed"; exit 1; }
for kind in units people quotas holidays steps; do
	"$K" import "$kind" "$src/examples/$kind.csv" >/dev/null || { echo "import $kind failed"; exit 1; }
done
for u in adm:CT:admin dcd:CT.DCD:approver sgd:CT.DCD.SGD:approver kv1:CT.BT.BTH.KV1:editor \
	tx:CT.TL.TX:approver; do
	IFS=: read -r name unit role <<<"$u"
	echo 'a-long-password' | "$K" --user adm user add "$name" --unit "$unit" --role "$role" \
		>/dev/null || { echo "user add $name failed"; exit 1; }
done

# ---- scope ----
# 092096000209: CT.BT.BTH.KV1 (the editor's cell); 092099000203: CT.BT.HV.
expect 0 "$K" --user kv1 person show 092096000209
has out 092096000209
expect 1 "$K" --user kv1 person show 092099000203
has err "no person with ref 092099000203"
expect 1 "$K" --user kv1 check 092099000203
has err "no person with ref 092099000203"
expect 1 "$K" --user kv1 report deadlines --unit CT.BT
has err "no unit with code CT.BT"
expect 0 "$K" --user kv1 report deadlines --unit CT.BT.BTH.KV1
expect 1 "$K" --user kv1 report deadlines --unit NOPE
has err "no unit with code NOPE"
# 092203000201 (KV1, at source) moves to CT.TL.TX.TH.
expect 0 "$K" --user adm transfer 092203000201 --to CT.TL.TX.TH --date 2025-12-01
expect 1 "$K" --user tx person show 092203000201
expect 0 "$K" --user tx transfer 092203000201 --arrived --date 2025-12-05
expect 0 "$K" --user tx person show 092203000201
has out CT.TL.TX.TH
expect 1 "$K" --user kv1 person show 092203000201
has err "no person with ref 092203000201"

# ---- the chi bộ cơ sở ----
expect 1 "$K" --user adm check 092099000203 committee_vote --for 5 --of 6
has err "KN-ORDER: The grassroots committee meeting does not apply to"
has err "who is considered by a chi bộ cơ sở; record the decision next."
expect 1 "$K" --user adm check 092096000209 committee_vote --for 5 --of 6
lacks err "chi bộ cơ sở"

# ---- the competent committee ----
expect 0 "$K" --user dcd check 092197000206 decision --doc QD-1
has out "092197000206 decision on 2025-12-20: no rule refuses it."
expect 1 "$K" --user sgd check 092197000206 decision --doc QD-1
has err "must be recorded for the competent committee CT.DCD, not CT.DCD.SGD"
expect 1 "$K" --user adm check 092197000206 decision --doc QD-1
has err "must be recorded for the competent committee CT.DCD, not CT;"
expect 0 "$K" --user dcd step 092197000206 decision --doc QD-1
has out "recorded: 092197000206 decision on 2025-12-20"

# ---- the special area, two levels up ----
(head -1 "$src/examples/people.csv"
 grep '^092300000204,' "$src/examples/people.csv" | sed 's|,12/12,|,7/12,|') >p.csv
expect 0 "$K" --user adm import people p.csv
expect 1 "$K" --user adm check 092300000204 cell_vote --for 9 --of 10
has err "KN-EDU: The education of Đỗ Thị Kim Thảo is 7/12; the minimum is 9/12"
(head -1 "$src/examples/units.csv"
 grep '^CT.BT.TN,' "$src/examples/units.csv" | sed 's|,0$|,1|') >u.csv
expect 0 "$K" --user adm import units u.csv
expect 0 "$K" --user adm check 092300000204 cell_vote --for 9 --of 10
has out "092300000204 cell_vote on 2025-12-20: no rule refuses it."
expect 0 "$K" --user adm step 092300000204 cell_vote --for 9 --of 10

check_done
