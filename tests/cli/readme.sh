#!/usr/bin/env bash
# readme.sh — every example of README.md's "Using it" section runs as written
# (issue 14). The `ketnap …` lines of that section's ```sh blocks are taken
# from the README itself, in order, and run as one session in an empty
# directory that holds the sample city's examples/ (the README's own
# setting: its first line is `ketnap init`, the database is ./ketnap.db),
# with KETNAP_TODAY=2025-12-20 as the README says; each must exit 0.
# Lines that wait for input or never end are run so that they end:
#   - `user add` / `user passwd` get a password on standard input;
#   - `serve` is started on a free port instead of the README's (the rest of
#     its options as written), answers /healthz, and is stopped.
# A README whose block cannot be found, or that has fewer examples than it
# had when this test was written, fails, so that the test cannot go silent.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
src=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$src/tests/lib/web.sh"
cd "$dir"
ln -s "$src/examples" examples
export KETNAP_TODAY=2025-12-20 LANG=C
unset KETNAP_DB KETNAP_USER KN_TEST_PG
. "$src/tests/lib/check.sh"

# The README's examples are written as `ketnap …`: this function is that.
ketnap() { "$KETNAP" "$@"; }

# The commands: lines starting with "ketnap " inside ```sh fences of the
# "## Using it" section, each without its trailing "# comment".
awk '
	/^## / { insec = ($0 ~ /^## Using it/) }
	insec && /^```sh/ { inblock = 1; next }
	insec && /^```/ { inblock = 0; next }
	insec && inblock && /^ketnap / { print }
' "$src/README.md" | sed 's/[[:space:]][[:space:]]*#.*$//' >examples.txt
n=$(wc -l <examples.txt)
if [ "$n" -ge 24 ]; then ok; else bad "only $n examples found in README.md's Using it section"; fi

password='mật khẩu đủ dài 2025'
i=0
while IFS= read -r line; do
	i=$((i + 1))
	case "$line" in
	"ketnap serve"*)
		# Its options as written, but a free port of our own.
		args=$(echo "${line#ketnap serve}" | sed 's/--listen[= ][^ ]*//')
		eval "set -- $args"
		if kn_web_start ketnap.db "$@"; then
			ok
			code=$(curl -s -o /dev/null -w '%{http_code}' "$KN_WEB_URL/login")
			[ "$code" = 200 ] && ok || bad "$line: /login answered $code"
			kn_web_stop
		else
			bad "$line: the server did not start"
		fi
		continue ;;
	"ketnap user add"* | "ketnap user passwd"*)
		input=$(printf '%s\n%s\n' "$password" "$password") ;;
	*)
		input= ;;
	esac
	eval "$line" <<<"$input" >"out.$i" 2>"err.$i"
	rc=$?
	if [ "$rc" -eq 0 ]; then ok; else
		bad "exit $rc: $line"
		sed 's/^/  stderr: /' "err.$i" >&2
	fi
	# A few outputs that say the session did what the README says.
	case "$line" in
	*"report summary --year 2025 --lang vi"*)
		grep -q 'Tổng hợp công tác kết nạp đảng viên' "out.$i" && ok ||
			bad "$line: not the Vietnamese paragraph" ;;
	*"step 092300000204 cell_vote"*)
		grep -q 'recorded: 092300000204 cell_vote' "out.$i" && ok || bad "$line: not recorded" ;;
	*"user token"*)
		[ -s "out.$i" ] && ok || bad "$line: no token" ;;
	esac
done <examples.txt
for f in steps.csv review.html review.xlsx demo.db; do
	[ -s "$f" ] && ok || bad "the README's $f was not written"
done

check_done
