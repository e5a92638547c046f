# check.sh — the tally and the checks that the end-to-end tests share.
# Source it after `cd` into the test's directory (expect writes ./out and
# ./err there):
#   ok / bad MESSAGE        count a passed / failed check (bad prints FAIL:)
#   expect STATUS CMD...    run CMD, stdout in ./out, stderr in ./err; check
#                           its exit status (stderr shown when it differs)
#   has FILE TEXT           FILE holds the fixed string TEXT
#   lacks FILE TEXT         it does not
#   same WHAT GOT WANT      two strings are equal (a multi-line GOT is shown
#                           line by line when not)
#   check_done              print the tally; the test's exit status
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() {
	local want=$1; shift
	"$@" >out 2>err
	local got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "exit $got (wanted $want): $*"; sed 's/^/  stderr: /' err >&2; fi
}
has() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; sed 's/^/  | /' "$1" >&2; fi
}
lacks() {
	if grep -qF -- "$2" "$1"; then bad "$1 has: $2"; sed 's/^/  | /' "$1" >&2; else ok; fi
}
same() {
	if [ "$2" = "$3" ]; then ok; return; fi
	case $2 in
	*$'\n'*) bad "$1: got"; printf '%s\n' "$2" | sed 's/^/  | /' >&2 ;;
	*) bad "$1: got '$2', wanted '$3'" ;;
	esac
}
check_done() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
