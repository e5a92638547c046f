#!/bin/bash
# no-leftovers.sh before|after — no `ketnap` process outlives the suite.
# ctest runs `before` first and `after` last (the kn_suite fixture of
# CMakeLists.txt): `before` notes the processes of this build's binary
# ($KETNAP) already running (a `make run` in another terminal), `after`
# fails, naming them, when any other process of that binary is still
# there. Processes of other builds (another checkout on the same machine)
# are not this suite's and are left alone; CI, alone on its machine, checks
# every `ketnap` (`pgrep -x ketnap` in .ci/run).
set -u
: "${KETNAP:?set KETNAP to the ketnap binary}" "${KN_BUILD:?set KN_BUILD to the build directory}"
note=$KN_BUILD/ketnap-before-suite.pids
bin=$(readlink -f "$KETNAP")

# The PIDs of processes running this build's binary (but this script's).
ours() {
	local p
	for p in $(pgrep -x ketnap); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$bin" ] && echo "$p"
	done
	return 0
}

case ${1:-} in
before)
	ours >"$note"
	echo "ketnap processes of $bin before the suite: $(wc -l <"$note")"
	;;
after)
	# A server stopped by the last test may take a moment to exit.
	for _ in $(seq 50); do
		left=$(ours | while read -r p; do grep -qxF "$p" "$note" 2>/dev/null || echo "$p"; done)
		[ -z "$left" ] && break
		sleep 0.2
	done
	if [ -n "$left" ]; then
		echo "FAIL: these ketnap processes outlived the tests that started them:" >&2
		for p in $left; do
			echo "  $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
		done
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "no ketnap process outlived the suite"
	;;
*)
	echo "usage: $0 before|after" >&2
	exit 2
	;;
esac
