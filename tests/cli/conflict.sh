#!/bin/bash
# conflict.sh — two writers on the same candidacy through two processes:
# tests/unit/test_conflict.c forks two clerks that read the candidacy's
# version, start together and record a step with it; one succeeds, the
# other gets a conflict, and exactly one step is added per round (no lost
# update). Here it runs on a database made by tests/lib/db.sh, so that it
# covers both backends (cli/conflict on SQLite, pg/cli/conflict on
# PostgreSQL). Needs $KN_BUILD (the build directory).
set -eu

: "${KN_BUILD:?set KN_BUILD to the build directory}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
tmp=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$tmp"' EXIT
cd "$tmp"

pass=0
fail=0
KN_TEST_DB_URL=$(KN_DB_DIR=$tmp kn_db race)
export KN_TEST_DB_URL
if "$KN_BUILD/test_conflict" >out 2>err; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: two writers on one candidacy:" >&2
	cat out err >&2
fi
# The losers were told so, in the store's words.
if grep -q "changed by someone else meanwhile" err; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL: no conflict reported" >&2; cat err >&2; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
