#!/usr/bin/env bash
# End to end: the people's stored name-order keys (migration 007,
# people.name_key): a person imported gets one in Vietnamese order (Ánh <
# Bình < Dung < Đức, by given name, whatever the refs); keys missing (as a
# bulk writer leaves them) are made again by the next command that opens
# the database; keys made by another ICU (name_key_version differs) are all
# made again; a database from before 007 is upgraded by `ketnap init`, its
# people's keys made. Each time the keys are byte for byte those the
# program writes itself, and `ketnap verify` passes.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
dir=$(mktemp -d)
cleanup() {
	kn_db_cleanup
	rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_DB=$(kn_db keys) KETNAP_TODAY=2025-12-20 KETNAP_USER=admin LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
K=$KETNAP
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/check.sh"
same() { # same WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', wanted '$3'"; fi
}
sql() { kn_sql "$KETNAP_DB" "$1"; }

"$K" demo --size small >/dev/null 2>&1 || { echo "demo failed" >&2; exit 1; }
echo 'admin-password-1' | "$K" user add admin --unit CT --role admin >/dev/null
{
	echo "ref,full_name,sex,birth_date,unit,ethnicity,religion,education,qualification,occupation,youth_union,trade_union,member_since,official_since,phone,note"
	echo "NK-1,Nguyễn Văn Đức,M,2001-02-03,CT.BT.P01.C01,,,12/12,university,worker,1,0,,,,"
	echo "NK-2,Lê Thị Dung,F,2001-02-03,CT.BT.P01.C01,,,12/12,university,worker,1,0,,,,"
	echo "NK-3,Trần Thị Bình,F,2001-02-03,CT.BT.P01.C01,,,12/12,university,worker,1,0,,,,"
	echo "NK-4,Phạm Thị Ánh,F,2001-02-03,CT.BT.P01.C01,,,12/12,university,worker,1,0,,,,"
} >nk.csv
"$K" import people nk.csv >/dev/null || bad "import people"
order() { sql "SELECT ref FROM people WHERE ref LIKE 'NK-%' ORDER BY name_key, ref" | tr '\n' ' '; }
same "Ánh < Bình < Dung < Đức" "$(order)" "NK-4 NK-3 NK-2 NK-1 "
sql "SELECT id, name_key FROM people ORDER BY id" >keys.made
same "no person without a key" "$(sql "SELECT COUNT(*) FROM people WHERE name_key = ''")" 0
version=$(sql "SELECT collator FROM name_key_version")
case $version in icu-*) ok ;; *) bad "collator version '$version'" ;; esac

# keys missing: made again by the next command
sql "UPDATE people SET name_key = ''" >/dev/null
"$K" unit tree CT --depth 1 >/dev/null || bad "unit tree"
sql "SELECT id, name_key FROM people ORDER BY id" >keys.now
cmp -s keys.made keys.now && ok || bad "missing keys were not made again as before"

# another collator: every key made again, the version recorded
sql "UPDATE people SET name_key = 'ff'" >/dev/null
sql "UPDATE name_key_version SET collator = 'icu-0 vi-0'" >/dev/null
"$K" unit tree CT --depth 1 >/dev/null || bad "unit tree"
sql "SELECT id, name_key FROM people ORDER BY id" >keys.now
cmp -s keys.made keys.now && ok || bad "keys of another collator were not made again"
same "collator version after the rebuild" "$(sql "SELECT collator FROM name_key_version")" "$version"

# a database from before 007: `ketnap init` upgrades it with its people
# (and without what came after: 011's index and table, issue 15)
kn_undo_018 "$KETNAP_DB" >/dev/null	# 018's (issue 13)
sql "DROP TABLE merged_refs" >/dev/null
sql "DROP INDEX people_dup" >/dev/null
sql "DROP INDEX people_name_key" >/dev/null
sql "DROP INDEX candidacies_unit" >/dev/null
sql "ALTER TABLE people DROP COLUMN name_key" >/dev/null
sql "DROP TABLE name_key_version" >/dev/null
# and from before 008 (the units version), which came after it
case $KETNAP_DB in
postgres://* | postgresql://*)
	sql "DROP TRIGGER units_version ON units" >/dev/null
	sql "DROP FUNCTION units_version_bump()" >/dev/null ;;
*)
	for t in insert update delete; do sql "DROP TRIGGER units_version_$t" >/dev/null; done ;;
esac
sql "ALTER TABLE changes DROP COLUMN units" >/dev/null
# and from before 014 (steps_step_date covering the reports' reads:
# unit_id among them, dropped next)
sql "DROP INDEX steps_step_date" >/dev/null
sql "CREATE INDEX steps_step_date ON steps(step, date)" >/dev/null
sql "CREATE INDEX steps_date ON steps(date, step, candidacy_id)" >/dev/null
# and from before 009 (transfers)
sql "DROP TABLE transfers" >/dev/null
sql "DROP INDEX steps_unit" >/dev/null
sql "DROP INDEX steps_candidacy" >/dev/null
sql "CREATE INDEX steps_candidacy ON steps(candidacy_id, seq, step, date)" >/dev/null
sql "ALTER TABLE steps DROP COLUMN unit_id" >/dev/null
# and from before 012 (the DL-DECISION extensions, issue 15)
sql "DROP TABLE decision_extensions" >/dev/null
# and from before 013 (the decisions queue's index, issue 13)
sql "DROP INDEX candidacies_open_stage" >/dev/null
# and from before 010 (re-admission)
for c in left_on left_reason record_cleared_on readmitted; do
	sql "ALTER TABLE people DROP COLUMN $c" >/dev/null
done
sql "ALTER TABLE candidacies DROP COLUMN readmission" >/dev/null
kn_undo_016 "$KETNAP_DB" >/dev/null	# 016's (issue 13)
sql "DELETE FROM schema_migrations WHERE version >= 7" >/dev/null
"$K" person find x >/dev/null 2>&1 && bad "an old database was used without init" || ok
"$K" init >init.out 2>&1 || bad "init: $(cat init.out)"
grep -q "upgraded from schema version" init.out && ok || bad "init said: $(cat init.out)"
sql "SELECT id, name_key FROM people ORDER BY id" >keys.now
cmp -s keys.made keys.now && ok || bad "the upgrade did not make the keys as before"
same "order after the upgrade" "$(order)" "NK-4 NK-3 NK-2 NK-1 "
"$K" verify >verify.out 2>&1 && ok || bad "verify: $(cat verify.out)"

echo "name_keys: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
