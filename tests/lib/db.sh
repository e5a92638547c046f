# db.sh — the databases of an end-to-end test, on either backend.
# Sourced by tests/cli/*.sh (bash).
#
#   kn_db NAME           print the URL of a fresh, empty database for this test:
#                        a file NAME.db in $KN_DB_DIR (removed first, with its
#                        -wal/-shm), or, when $KN_TEST_PG is set (a base URL such
#                        as postgresql:///postgres?host=/tmp/kn-pg&user=postgres),
#                        a PostgreSQL database kn_TEST_PID_NAME created afresh
#                        (dropped first if it exists)
#   kn_db_missing NAME   the URL of a database that does not exist
#   kn_sql URL SQL       run SQL on the database of URL, rows on stdout
#                        (sqlite3 or psql, unaligned, '|' between columns)
#   kn_db_cleanup        drop this test's PostgreSQL databases (call it from
#                        the test's EXIT trap; nothing to do for files)
#
# $KN_DB_DIR defaults to the current directory.

kn_db_test=$(basename "$0" .sh | tr -c 'a-z0-9_\n' '_')

# The URL of PostgreSQL database $1 on the server of $KN_TEST_PG.
kn_db_pg_url() {
	local prefix=${KN_TEST_PG%%\?*}
	local query=${KN_TEST_PG#"$prefix"}
	echo "${prefix%/*}/$1$query"
}

kn_db_pg_name() {
	echo "kn_${kn_db_test}_$$_$(echo "$1" | tr -c 'a-zA-Z0-9_\n' '_' | tr 'A-Z' 'a-z')"
}

kn_db() {
	if [ -n "${KN_TEST_PG:-}" ]; then
		local name
		name=$(kn_db_pg_name "$1")
		PGOPTIONS='-c client_min_messages=warning' psql "$KN_TEST_PG" -qAtX -v ON_ERROR_STOP=1 \
			-c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" \
			-c "CREATE DATABASE \"$name\"" >/dev/null || return 3
		kn_db_pg_url "$name"
	else
		local f="${KN_DB_DIR:-$PWD}/$1.db"
		rm -f "$f" "$f-wal" "$f-shm"
		echo "$f"
	fi
}

kn_db_missing() {
	if [ -n "${KN_TEST_PG:-}" ]; then
		kn_db_pg_url "$(kn_db_pg_name "missing_$1")"
	else
		echo "${KN_DB_DIR:-$PWD}/$1.db"
	fi
}

kn_sql() {
	case $1 in
	postgres://* | postgresql://*) psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2" ;;
	*) sqlite3 "$1" "$2" ;;
	esac
}

kn_db_cleanup() {
	[ -n "${KN_TEST_PG:-}" ] || return 0
	local d
	for d in $(psql "$KN_TEST_PG" -qAtX -c \
		"SELECT datname FROM pg_database WHERE datname LIKE 'kn\\_${kn_db_test}\\_$$\\_%'" 2>/dev/null); do
		psql "$KN_TEST_PG" -qAtX -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1
	done
	return 0
}

# kn_undo_018 URL: take migration 018 (issue 13: the people's latest
# candidacy's unit and openness, for the list's indexes) out again.
kn_undo_018() {
	local t
	case $1 in
	postgres://* | postgresql://*)
		for t in insert update delete; do
			kn_sql "$1" "DROP TRIGGER candidacies_latest_$t ON candidacies"
		done
		kn_sql "$1" "DROP FUNCTION candidacies_latest()"
		kn_sql "$1" "DROP FUNCTION people_latest_recompute(BIGINT)" ;;
	*)
		for t in insert update delete; do kn_sql "$1" "DROP TRIGGER candidacies_latest_$t"; done ;;
	esac
	kn_sql "$1" "DROP INDEX people_latest_open"
	kn_sql "$1" "DROP INDEX people_latest"
	kn_sql "$1" "ALTER TABLE people DROP COLUMN latest_unit"
	kn_sql "$1" "ALTER TABLE people DROP COLUMN latest_open"
}

# kn_undo_016 URL: take migration 016 (issue 13: the candidacies' step
# dates and the triggers on steps that keep them) out of the database of
# URL, for a test that makes an older schema by hand.
kn_undo_016() {
	local t c
	case $1 in
	postgres://* | postgresql://*)
		for t in insert update delete; do kn_sql "$1" "DROP TRIGGER steps_dates_$t ON steps"; done
		kn_sql "$1" "DROP FUNCTION steps_dates_insert()"
		kn_sql "$1" "DROP FUNCTION steps_dates_change()"
		kn_sql "$1" "DROP FUNCTION candidacy_dates_recompute(BIGINT)" ;;
	*)
		for t in insert update delete; do kn_sql "$1" "DROP TRIGGER steps_dates_$t"; done ;;
	esac
	for c in last_date trained_on introduced_on cell_vote_on committee_vote_on decision_on \
		ceremony_on probation_vote_on closed_on; do
		kn_sql "$1" "ALTER TABLE candidacies DROP COLUMN $c"
	done
}
