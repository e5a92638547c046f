#!/bin/bash
# with-db.sh PROGRAM [ARGS…] — run a unit test program on a fresh, empty
# PostgreSQL database of the server $KN_TEST_PG: $KN_TEST_DB_URL names it;
# it is dropped afterwards (ctest's pg/unit/* tests).
. "$(dirname "$0")/db.sh"
trap kn_db_cleanup EXIT
KN_TEST_DB_URL=$(kn_db unit) || exit 3
export KN_TEST_DB_URL
"$@"
