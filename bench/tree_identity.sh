#!/usr/bin/env bash
# The commands that read a few units through a lazy unit tree (step,
# check, person show, report's scope: cmd/ctx.c, unitree_lazy) against a
# baseline binary that reads the whole tree, on the sample city of
# examples/ with accounts at every level: for every account × person,
# `person show` and `check` of every step (and of the next one), and for
# every account × unit each report's scope refusal or its deadlines; then
# every step `check` allows, recorded by each binary on its own copy of
# the database. USERS="adm kv1" and CHECKS="decision official" narrow it
# (the whole run is some 12,000 commands). Every output and exit status is compared (cmp); prints
# how many, exits 1 on the first difference.
#
#   bash bench/tree_identity.sh OLD_KETNAP NEW_KETNAP
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export KETNAP_TODAY=2025-12-20 LANG=C
unset KETNAP_DB
cd "$dir"
"$old" --db a.db init >/dev/null
for k in units people quotas holidays steps; do
	"$old" --db a.db import "$k" "$src/examples/$k.csv" >/dev/null
done
users="adm:CT:admin bt:CT.BT:approver bth:CT.BT.BTH:approver kv1:CT.BT.BTH.KV1:editor
	hv:CT.BT.HV:viewer tx:CT.TL.TX:approver dcd:CT.DCD:approver stc:CT.DCD.STC:admin"
for u in $users; do
	IFS=: read -r name unit role <<<"$u"
	echo 'a-long-password' | "$old" --db a.db --user adm user add "$name" --unit "$unit" --role "$role" >/dev/null
done
cp a.db b.db
refs=$(sqlite3 a.db "SELECT ref FROM people ORDER BY ref")
units=$(sqlite3 a.db "SELECT code FROM units ORDER BY code")
steps=${STEPS:-"source mentor trained applied verified introduced cell_vote committee_vote
	decision ceremony probation_vote official withdrawn rejected struck_off"}
# USERS narrows the accounts (names), CHECKS the steps checked one by one
# (default: every step; the next step is always checked).
if [ -n "${USERS:-}" ]; then
	users=$(for u in $users; do case " $USERS " in *" ${u%%:*} "*) echo "$u";; esac; done)
fi
checks=${CHECKS:-$steps}
n=0
both() { # both DB_SUFFIX ARGS...: old on a.db, new on b.db (or both on a.db)
	local db=$1; shift
	"$old" --db "a.db" "$@" >o.out 2>o.err && echo 0 >>o.err || echo "exit $?" >>o.err
	"$new" --db "$db.db" "$@" >n.out 2>n.err && echo 0 >>n.err || echo "exit $?" >>n.err
	if ! cmp -s o.out n.out || ! cmp -s o.err n.err; then
		echo "DIFFERENT: $*"; diff o.out n.out || true; diff o.err n.err || true
		exit 1
	fi
	n=$((n + 1))
}
for u in $users; do
	name=${u%%:*}
	for r in $refs NOPE; do
		both a --user "$name" person show "$r"
		both a --user "$name" check "$r"
		for s in $checks; do
			both a --user "$name" check "$r" "$s" --date 2025-12-20
		done
	done
	for c in $units NOPE; do
		both a --user "$name" report deadlines --unit "$c" --as-of 2025-12-20
		both a --user "$name" report structure --unit "$c" --year 2025 --format csv
	done
done
echo "read-only: $n outputs identical"
# The steps each account may record, recorded by each binary on its own
# copy (the old one on a.db, the new one on b.db), in the same order.
m=0
for u in $users; do
	name=${u%%:*}
	for r in $refs; do
		for s in $steps; do
			if "$old" --db a.db --user "$name" check "$r" "$s" --date 2025-12-20 >/dev/null 2>&1; then
				both b --user "$name" step "$r" "$s" --date 2025-12-20 --doc "D-$m" \
					--org youth_union --for 9 --of 10 --consent C1
				m=$((m + 1))
			fi
		done
	done
done
dump() { sqlite3 "$1" "SELECT c.id, p.ref, u.code, c.stage, c.is_open FROM candidacies c
	JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id ORDER BY c.id;
	SELECT id, candidacy_id, step, date, doc_no, recorded_by FROM steps ORDER BY id"; }
if ! cmp -s <(dump a.db) <(dump b.db); then echo "DIFFERENT: the databases after the steps"; exit 1; fi
echo "steps: $m recorded alike, the candidacies and steps of both databases identical"
