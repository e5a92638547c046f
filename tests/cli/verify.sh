#!/bin/bash
# verify.sh — end-to-end tests of `ketnap verify` and the audit log's hash
# chain: the example city verifies (exit 0, the head hash printed, equal to
# the last entry's and to a chain recomputed here in Python from the
# format store.h describes); then, each on a fresh copy of the city and
# changed behind the program's back with sqlite3 or psql, an edited, a
# deleted and two swapped audit entries, the chain's end cut off, a stage
# changed by hand, a step dated before the one before it, and a cycle in
# the unit tree are each reported naming the record (exit 1); a database
# made before migration 004 gets its chain built by `ketnap init` (the
# same head as the live chain); the year-end review's footer (html, xlsx)
# carries the head; a copy made by migrate-to verifies. Runs on SQLite and,
# as pg/cli/verify, on PostgreSQL (tests/lib/db.sh). Needs $KETNAP.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
SRC=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE KETNAP_TODAY KETNAP_DB
export KETNAP_USER=tester

. "$SRC/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# run CMD… : sets $rc, $out (stdout) and $err (stderr).
run() {
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
expect_rc() { if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, expected $1 (stderr: $err)"; fi; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
# has TEXT WHAT / hasnt TEXT WHAT: a fixed string is (not) in $err.
has() { if grep -qF -- "$1" <<<"$err"; then ok; else bad "$2: '$1' not in: $err"; fi; }
hasnt() { if grep -qF -- "$1" <<<"$err"; then bad "$2: '$1' in: $err"; else ok; fi; }

if [ -z "${KN_TEST_PG:-}" ] && ! command -v sqlite3 >/dev/null; then
	echo "verify.sh: sqlite3 not installed: skipped" >&2
	exit 0
fi

# city NAME: a fresh database NAME with the example city; its URL in $DB.
city() {
	DB=$(KN_DB_DIR=$tmp kn_db "$1")
	"$KETNAP" --db "$DB" init >/dev/null
	for k in units people quotas holidays steps; do
		"$KETNAP" --db "$DB" import "$k" "$EX/$k.csv" >/dev/null
	done
}
sql() { kn_sql "$DB" "$1"; }
verify() { run "$KETNAP" --db "$DB" verify; }

# ---- a clean database verifies ----
city clean
CLEAN=$DB
# 1 init + one entry for each imported file (units, people, quotas,
# holidays, steps: an import is one audited event, its new rows are not
# audited one by one)
expect_eq "$(sql 'SELECT COUNT(*) FROM audit')" 6 "audit entries of the city"
verify
expect_rc 0 "verify of the example city"
head=$(sql 'SELECT hash FROM audit ORDER BY id DESC LIMIT 1')
expect_eq "$out" "ok: 6 audit entries, head $head (18 units, 12 candidacies, 83 steps checked)" \
	"verify's line"
if [[ $head =~ ^[0-9a-f]{64}$ ]]; then ok; else bad "head '$head' is not 64 hex digits"; fi
expect_eq "$(sql 'SELECT id, hash, n FROM audit_head')" "6|$head|6" "the head row"
expect_eq "$(sql 'SELECT COUNT(*) FROM audit WHERE hash IS NULL')" 0 "every entry has a hash"

# The chain recomputed from the rows with an implementation of its own
# (hashlib's BLAKE2b): the format is what store.h says, not just whatever
# the program does.
if [ -z "${KN_TEST_PG:-}" ] && python3 -c 'import sqlite3, hashlib' 2>/dev/null; then
	got=$(python3 - "$CLEAN" <<'PY'
import hashlib, sqlite3, sys
def field(v):
    if v is None:
        return b"\0"
    b = v.encode()
    return b"\1" + len(b).to_bytes(8, "big") + b
prev = "0" * 64
bad = []
for row in sqlite3.connect(sys.argv[1]).execute(
        "SELECT id, at, actor, action, entity, key, before, after, hash FROM audit ORDER BY id"):
    data = b"".join(field(v) for v in
                    ["ketnap audit v1", prev, str(row[0])] + list(row[1:8]))
    h = hashlib.blake2b(data, digest_size=32).hexdigest()
    if h != row[8]:
        bad.append(row[0])
    prev = row[8]
print(prev if not bad else "broken at %s" % bad)
PY
)
	expect_eq "$got" "$head" "the chain recomputed in Python"
fi

# A step recorded by the program extends the chain and still verifies.
run "$KETNAP" --db "$DB" step 092203000201 withdrawn --date 2025-10-01 --note "moved away"
expect_rc 0 "a withdrawn step"
verify
expect_rc 0 "verify after one more step"
head2=$(sql 'SELECT hash FROM audit WHERE id = 7')
expect_eq "$out" "ok: 7 audit entries, head $head2 (18 units, 12 candidacies, 84 steps checked)" \
	"verify's line after one more step"

# ---- writers at once never chain onto the same head ----
# 6 processes × 10 quota changes (one audit entry each), all at once.
n0=$(sql 'SELECT COUNT(*) FROM audit')
pids=
for w in 1 2 3 4 5 6; do
	( for i in 1 2 3 4 5 6 7 8 9 10; do
		"$KETNAP" --db "$DB" quota set CT.BT $((2030 + w)) $i >/dev/null 2>>"$tmp/race.err" ||
			echo "writer $w, change $i failed" >>"$tmp/race.err"
	done ) &
	pids="$pids $!"
done
wait $pids
if [ -s "$tmp/race.err" ]; then bad "concurrent writers: $(cat "$tmp/race.err")"; else ok; fi
expect_eq "$(sql 'SELECT COUNT(*) FROM audit')" $((n0 + 60)) "concurrent writers: every entry written"
verify
expect_rc 0 "verify after concurrent writers"
expect_eq "$(sql 'SELECT n FROM audit_head')" $((n0 + 60)) "concurrent writers: the head's count"
head2=$(sql 'SELECT hash FROM audit ORDER BY id DESC LIMIT 1')
n2=$((n0 + 60))

# ---- the year-end review carries the head in its footer ----
run "$KETNAP" --db "$DB" report summary --year 2025 --format html -o review.html
expect_rc 0 "report summary html"
if grep -qF "<footer class=\"anchor\">Audit log: $n2 entries; chain head $head2</footer>" review.html
then ok; else bad "review.html has no footer with the head: $(grep -o '<footer.*' review.html)"; fi
run "$KETNAP" --db "$DB" --lang vi report summary --year 2025 --format xlsx -o review.xlsx
expect_rc 0 "report summary xlsx"
if python3 - "$head2" "$n2" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile("review.xlsx")
sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet[0-9]+\.xml", n)]
want = "Nhật ký thao tác: %s mục; mã băm đầu chuỗi %s" % (sys.argv[2], sys.argv[1])
ok = sheets and all(want in z.read(n).decode() for n in sheets)
sys.exit(0 if ok and "<oddFooter>" in z.read(sheets[0]).decode() else 1)
PY
then ok; else bad "review.xlsx: not every sheet's footer has the head"; fi

# ---- edited, deleted, swapped audit entries ----
city edited
sql "UPDATE audit SET after = 'something else' WHERE id = 3"
verify
expect_rc 1 "verify after an audit entry was edited"
has "audit 3: the entry does not match the hash chain: it, or the entry before it, was edited, deleted or moved outside ketnap; restore the database from a backup" "edited entry"
hasnt "audit 4:" "edited entry: only the edited one"
has "verify: 1 problem found" "edited entry: the count"
expect_eq "$out" "" "nothing on stdout after a finding"

city deleted
sql "DELETE FROM audit WHERE id = 3"
verify
expect_rc 1 "verify after an audit entry was deleted"
has "audit 4: it does not follow entry 2 in the hash chain, and the entries between are missing: deleted outside ketnap" "deleted entry"
has "audit: the chain ends at entry 6 (5 entries), but its head record says entry 6 (6 entries)" "deleted entry: the count"

city swapped
sql "UPDATE audit SET id = -3 WHERE id = 3"
sql "UPDATE audit SET id = 3 WHERE id = 4"
sql "UPDATE audit SET id = 4 WHERE id = -3"
verify
expect_rc 1 "verify after two audit entries were swapped"
has "audit 3: the entry does not match the hash chain" "swapped entries: the first"
has "audit: 2 more entries after entry 3 do not match the hash chain either" "swapped entries: the second"
hasnt "audit 2:" "swapped entries: not before"

city cut
sql "DELETE FROM audit WHERE id > 4"
verify
expect_rc 1 "verify after the end of the chain was cut off"
has "audit: the chain ends at entry 4 (4 entries), but its head record says entry 6 (6 entries): entries were deleted from its end, or added, outside ketnap" "cut-off end"

# ---- invariants ----
city stage
cand=$(sql "SELECT c.id FROM candidacies c JOIN people p ON p.id = c.person_id WHERE p.ref = '092300000204'")
sql "UPDATE candidacies SET stage = 'decision' WHERE id = $cand"
verify
expect_rc 1 "verify after a stage was changed"
has "092300000204 (candidacy $cand): the stored stage is decision, but its steps make it introduced; the stage was changed outside ketnap: set it back to introduced or restore a backup" "changed stage"
has "verify: 1 problem found" "changed stage: the only finding"

city order
cand=$(sql "SELECT c.id FROM candidacies c JOIN people p ON p.id = c.person_id WHERE p.ref = '092300000204'")
sql "INSERT INTO steps (candidacy_id, seq, step, date, votes_for, votes_total, recorded_by, recorded_at) VALUES ($cand, 7, 'cell_vote', '2025-01-10', 5, 5, 'someone', '2025-01-10T00:00:00Z')"
sid=$(sql "SELECT id FROM steps WHERE candidacy_id = $cand AND seq = 7")
verify
expect_rc 1 "verify after a step dated before the one before it"
has "092300000204 (candidacy $cand), step $sid (cell_vote): KN-ORDER: The cell meeting of 092300000204 is dated 2025-01-10, earlier than the introduction already recorded on 2025-03-17; steps must be dated in order, so correct the date." "step out of order"
has "092300000204 (candidacy $cand): the stored stage is introduced, but its steps make it cell_vote" "step out of order: the stage too"
hasnt "(candidacy $cand), step 1" "step out of order: only that step"

city members
# Quách Mỹ Linh: decision 2023-11-13, ceremony 2023-11-23, official
# recorded, so a full member from 2024-11-23 (12 months of probation).
sql "UPDATE people SET member_since = '2023-11-14', official_since = '2024-12-16' WHERE ref = '092194000212'"
# Trương Thị Mỹ Tiên: decision 2023-09-11, ceremony 2023-09-21: right.
sql "UPDATE people SET member_since = '2023-09-11', official_since = '2024-09-21' WHERE ref = '092195000210'"
verify
expect_rc 1 "verify after member dates were changed"
has "092194000212: member_since is 2023-11-14, but the admission decision is dated 2023-11-13; correct the person's date or the step" "member_since"
has "092194000212: official_since is 2024-12-16, but the steps make the person a full member on 2024-11-23; correct the person's date or the steps" "official_since"
hasnt "092195000210" "member dates that agree"
has "verify: 2 problems found" "member dates: two findings"

city cycle
sql "UPDATE units SET parent_id = (SELECT id FROM units WHERE code = 'CT.BT.TN.KV3') WHERE code = 'CT.BT'"
verify
expect_rc 1 "verify after a cycle in the unit tree"
has "units CT.BT → CT.BT.TN.KV3 → CT.BT.TN → CT.BT: each is the parent of the one before it, a cycle in the unit tree; give one of them its real parent (import units)" "unit cycle"
has "verify: 1 problem found" "unit cycle: once"
run "$KETNAP" --db "$DB" --lang vi verify
expect_rc 1 "verify --lang vi"
has "đơn vị CT.BT → CT.BT.TN.KV3 → CT.BT.TN → CT.BT:" "unit cycle in Vietnamese"

# ---- the tree paths reports read subtrees by ----
# CT.BT.TN (id 7) put under CT.DCD (id 3) around ketnap: its path and its
# two cells' still say CT.BT. The ids are the example's order in units.csv.
city paths
sql "UPDATE units SET parent_id = 3 WHERE code = 'CT.BT.TN'"
verify
expect_rc 1 "verify after a unit moved around ketnap"
has "unit CT.BT.TN: its tree path is /1/2/7/, but its parents make it /1/3/7/, so reports of its subtree may miss it; run \`ketnap init\`, which rebuilds the paths" "moved unit's path"
has "unit CT.BT.TN.KCN: its tree path is /1/2/7/13/, but its parents make it /1/3/7/13/" "its first cell"
has "unit CT.BT.TN.KV3: its tree path is /1/2/7/14/, but its parents make it /1/3/7/14/" "its second cell"
has "verify: 3 problems found" "moved unit: three findings"
run "$KETNAP" --db "$DB" init
expect_rc 0 "init rebuilds the paths"
expect_eq "$(tail -n 1 <<<"$out")" "$DB: rebuilt the tree paths of 3 units" "init's line"
expect_eq "$(sql "SELECT path FROM units WHERE code = 'CT.BT.TN.KV3'")" "/1/3/7/14/" "the cell's path rebuilt"
verify
expect_rc 0 "verify after init"
run "$KETNAP" --db "$DB" init
case $out in
"$DB: schema is up to date (version "*")") ok ;;
*) bad "a second init has nothing to rebuild: $out" ;;
esac
# Every path lost: ten are named, the other eight counted.
sql "UPDATE units SET path = NULL"
verify
expect_rc 1 "verify without paths"
has "unit CT: its tree path is (none), but its parents make it /1/" "the root"
has "unit CT.TL.TX: its tree path is (none), but its parents make it /1/4/10/" "the tenth (by id)"
hasnt "unit CT.BT.BTH.KV1:" "the eleventh is counted, not named"
has "8 more units have a wrong tree path; run \`ketnap init\`, which rebuilds the paths" "the rest counted"
has "verify: 11 problems found" "ten named, one line for the rest"
run "$KETNAP" --db "$DB" --lang vi verify
has "đơn vị CT.BT:" "paths in Vietnamese"
run "$KETNAP" --db "$DB" init
expect_eq "$(tail -n 1 <<<"$out")" "$DB: rebuilt the tree paths of 18 units" "init rebuilds all"
verify
expect_rc 0 "verify after the paths were rebuilt"

# ---- a database made before migration 004 gets its chain ----
city old
verify
want=${out#ok: 6 audit entries, head }
want=${want%% *}
# Migration 011's (issue 15: identity) index and table.
sql "DROP TABLE merged_refs"
sql "DROP INDEX people_dup"
# Migration 008's triggers on units use that table: they go with it.
case $DB in
postgres://* | postgresql://*)
	sql "DROP TRIGGER units_version ON units"
	sql "DROP FUNCTION units_version_bump()" ;;
*)
	for t in insert update delete; do sql "DROP TRIGGER units_version_$t"; done ;;
esac
kn_undo_018 "$DB" >/dev/null	# 018's (issue 13)
kn_undo_016 "$DB" >/dev/null	# 016's (issue 13)
sql "DROP TABLE changes"	# migration 005's
sql "DROP INDEX steps_step_date"	# 014's (issue 13): the index as it was
sql "CREATE INDEX steps_step_date ON steps(step, date)"
sql "CREATE INDEX steps_date ON steps(date, step, candidacy_id)"
sql "DROP TABLE transfers"	# migration 009's
sql "DROP INDEX steps_unit"
sql "DROP INDEX steps_candidacy"
sql "CREATE INDEX steps_candidacy ON steps(candidacy_id, seq, step, date)"
sql "ALTER TABLE steps DROP COLUMN unit_id"
sql "DROP INDEX people_name_key"	# migration 007's
sql "DROP INDEX candidacies_unit"
sql "ALTER TABLE people DROP COLUMN name_key"
sql "DROP TABLE name_key_version"
sql "DROP TABLE audit_head"
sql "ALTER TABLE audit DROP COLUMN hash"
# and what the migrations after 004 added (006: the units' paths)
sql "DROP INDEX candidacies_unit_open"
sql "DROP INDEX units_path"
sql "ALTER TABLE units DROP COLUMN path"
sql "DROP TABLE decision_extensions"	# 012's (issue 15)
sql "DROP INDEX candidacies_open_stage"	# 013's (issue 13)
# (010: re-admission)
for c in left_on left_reason record_cleared_on readmitted; do
	sql "ALTER TABLE people DROP COLUMN $c"
done
sql "ALTER TABLE candidacies DROP COLUMN readmission"
sql "DELETE FROM schema_migrations WHERE version >= 4"
run "$KETNAP" --db "$DB" verify
expect_rc 1 "verify of a pre-004 database"
has "older than this program; run \`ketnap init\`" "a pre-004 database is refused"
run "$KETNAP" --db "$DB" init
expect_rc 0 "init migrates a pre-004 database"
verify
expect_rc 0 "verify after migration 004"
expect_eq "$out" "ok: 6 audit entries, head $want (18 units, 12 candidacies, 83 steps checked)" \
	"the chain built by the migration is the live chain"
run "$KETNAP" --db "$DB" step 092203000201 withdrawn --date 2025-10-01 --note "moved away"
verify
expect_rc 0 "a step after migration 004 chains on"
expect_eq "$(sql 'SELECT id, n FROM audit_head')" "7|7" "the head after migration 004 and a step"

# ---- a copy made by migrate-to verifies, with the same head ----
if [ -n "${KN_TEST_PG:-}" ]; then
	# From a SQLite file to this PostgreSQL server, as tests/cli/migrate.sh.
	if command -v sqlite3 >/dev/null; then
		src=$tmp/src.db
		"$KETNAP" --db "$src" init >/dev/null
		for k in units people quotas holidays steps; do
			"$KETNAP" --db "$src" import "$k" "$EX/$k.csv" >/dev/null
		done
		dst=$(kn_db copy)
	else
		src=
	fi
else
	src=$CLEAN
	dst=$tmp/copy.db
fi
if [ -n "$src" ]; then
	run "$KETNAP" --db "$src" verify
	want=$out
	run "$KETNAP" --db "$src" migrate-to "$dst"
	expect_rc 0 "migrate-to"
	run "$KETNAP" --db "$dst" verify
	expect_rc 0 "verify of the migrated copy"
	expect_eq "$out" "$want" "the copy has the same chain"
	run "$KETNAP" --db "$dst" step 092203000201 withdrawn --date 2025-10-01 --note "moved away"
	run "$KETNAP" --db "$dst" verify
	expect_rc 0 "a step on the copy chains on"
fi

echo "verify.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
