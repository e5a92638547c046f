#!/usr/bin/env bash
# The unit tree in the commands that look at a few units (issue 13): CPU
# time (user+sys, /usr/bin/time) and peak RSS of a baseline binary and a
# new one, back to back, on one national database (`ketnap demo --size
# national`; give it a copy: `step` writes), as the account ACCOUNT
# (default bench, an administrator of the root, as bench/national.sh
# makes it):
#  - `check REF` and `person show REF` of an open candidacy of DISTRICT;
#  - `step REF verified` of a candidacy at `applied`, a different one for
#    each run (the binaries alternate);
#  - `report deadlines --unit DISTRICT` and `report structure` of the root.
# Each figure is the median of N runs (default 5), printed beside the
# baseline's with the ratio.
#
#   bash bench/tree_cli.sh BASELINE_KETNAP NEW_KETNAP DB [DISTRICT]
set -euo pipefail
BASE=$(realpath "${1:?baseline ketnap}")
NEW=$(realpath "${2:?new ketnap}")
DB=$(realpath "${3:?database}")
DISTRICT=${4:-VN.T01.H01}
N=${N:-5}
export KETNAP_TODAY=2025-12-20 LANG=C KETNAP_USER=${ACCOUNT:-bench}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

refs=$(sqlite3 "$DB" "SELECT p.ref FROM candidacies c JOIN units u ON u.id = c.unit_id
	JOIN people p ON p.id = c.person_id WHERE c.is_open = 1 AND c.stage = 'applied'
	AND u.path >= (SELECT path FROM units WHERE code = '$DISTRICT')
	AND u.path < (SELECT substr(path, 1, length(path) - 1) || '0' FROM units
	WHERE code = '$DISTRICT') ORDER BY p.ref LIMIT $((2 * N + 1))")
set -- $refs
one=$1
[ $# -ge $((2 * N + 1)) ] || { echo "fewer than $((2 * N + 1)) candidacies at 'applied' in $DISTRICT"; exit 1; }
shift
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# run BINARY ARGS...: appends "cpu_seconds rss_mb" to $dir/last
run() {
	/usr/bin/time -f '%U %S %M' -o "$dir/t" "$@" >/dev/null 2>"$dir/err" || {
		echo "failed: $*"; cat "$dir/err"; exit 1; }
	awk '{printf "%.3f %.1f\n", $1 + $2, $3 / 1024}' "$dir/t" >>"$dir/last"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
printf '%-34s %9s %9s %7s %9s %9s\n' "figure (median of $N)" "base cpu" "new cpu" ratio "base MB" "new MB"
figure() { # figure NAME ARGS... (@REF@ in ARGS: the next unused candidacy's ref)
	local name=$1 i k a b n bm nm args; shift
	: >"$dir/b"; : >"$dir/n"
	for i in $(seq "$N"); do
		for k in BASE NEW; do
			args=()
			for a in "$@"; do
				if [ "$a" = @REF@ ]; then a=${refs_left%% *}; refs_left=${refs_left#* }; fi
				args+=("$a")
			done
			: >"$dir/last"
			run "${!k}" --db "$DB" "${args[@]}"
			if [ $k = BASE ]; then cat "$dir/last" >>"$dir/b"; else cat "$dir/last" >>"$dir/n"; fi
		done
	done
	b=$(cut -d' ' -f1 "$dir/b" | median); n=$(cut -d' ' -f1 "$dir/n" | median)
	bm=$(cut -d' ' -f2 "$dir/b" | median); nm=$(cut -d' ' -f2 "$dir/n" | median)
	printf '%-34s %9s %9s %7s %9s %9s\n' "$name" "$b" "$n" "$(ratio "$n" "$b")" "$bm" "$nm"
}
refs_left="$* "
figure "check REF" check "$one"
figure "person show REF" person show "$one"
figure "step REF verified" step @REF@ verified --date 2025-12-20
figure "report deadlines --unit $DISTRICT" report deadlines --unit "$DISTRICT" --as-of 2025-12-20
figure "report structure (root)" report structure --year 2025
