#!/usr/bin/env bash
# Export identity: every `ketnap export` kind of one or more databases,
# made by an old binary and a new one, compared byte for byte (cmp),
# with the exit status and standard error. First as the whole database
# (no accounts: an administrator), then, on a copy of the database given
# an account at the root and at the first unit (by code) of each level
# below it, as each of those accounts (its subtree only).
#
#   bash bench/export_identity.sh OLD_KETNAP NEW_KETNAP DB…
#
# KINDS (default: every kind) narrows it; SCOPED=0 skips the accounts
# (and the copy: a national database is big). The copy is made in TMPDIR.
# KETNAP_TODAY and KETNAP_USER are set here (2025-12-20, bench) unless
# given. Prints one line per database and exits 1 on the first
# difference, naming the command.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
KINDS=${KINDS:-units people quotas steps holidays transfers}
SCOPED=${SCOPED:-1}
export KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=${KETNAP_USER:-bench} LANG=${LANG:-C}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# same DB USER KIND: the export by both binaries, compared
same() {
	local db=$1 user=$2 kind=$3
	"$old" --db "$db" ${user:+--user "$user"} export "$kind" -o "$dir/old" >"$dir/old.err" 2>&1 ||
		echo "exit $?" >>"$dir/old.err"
	"$new" --db "$db" ${user:+--user "$user"} export "$kind" -o "$dir/new" >"$dir/new.err" 2>&1 ||
		echo "exit $?" >>"$dir/new.err"
	touch "$dir/old" "$dir/new"
	if ! cmp -s "$dir/old" "$dir/new" || ! cmp -s "$dir/old.err" "$dir/new.err"; then
		echo "DIFFERENT: $db: ${user:+--user $user} export $kind"
		cmp "$dir/old" "$dir/new" || true
		diff "$dir/old.err" "$dir/new.err" || true
		exit 1
	fi
	rows=$((rows + $(wc -l <"$dir/new")))
	rm -f "$dir/old" "$dir/new"
	n=$((n + 1))
}

for db in "$@"; do
	n=0 rows=0
	for kind in $KINDS; do
		same "$db" "" "$kind"
	done
	if [ "$SCOPED" = 1 ]; then
		units=$(sqlite3 "$db" "WITH RECURSIVE t(id, code, d) AS (SELECT id, code, 0 FROM units
			WHERE parent_id IS NULL UNION ALL SELECT u.id, u.code, t.d + 1 FROM units u
			JOIN t ON u.parent_id = t.id) SELECT MIN(code) FROM t GROUP BY d ORDER BY d")
		cp "$db" "$dir/acc.db"
		i=0
		for unit in $units; do
			i=$((i + 1))
			# the first account (at the root) must be an administrator
			role=viewer
			[ $i = 1 ] && role=admin
			echo password-$i | "$new" --db "$dir/acc.db" --user u1 user add "u$i" --unit "$unit" --role $role >/dev/null
			for kind in $KINDS; do
				same "$dir/acc.db" "u$i" "$kind"
			done
		done
		rm -f "$dir/acc.db"*
	fi
	echo "$db: $n exports identical ($rows lines${units:+; accounts at $(echo $units)})"
done
