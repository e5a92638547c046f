#!/usr/bin/env bash
# web_browser.sh — the web application's tests: the journey in Debian's
# chromium (tests/web/browser.test.mjs), the authorisation matrix
# (authz.test.mjs), the security tests (security.test.mjs) and the queues
# and lists on real data (queues.test.mjs), run by
# node's test runner; playwright-core (npm) drives /usr/bin/chromium
# headless. Each test file starts its own `ketnap serve` on a free port over
# a fresh demo database; screenshots go to $KN_BUILD/screenshots/.
#
# Env (set by ctest): KETNAP, KN_SRC, KN_BUILD, KETNAP_LOCALEDIR; KN_TEST_PG
# runs the same tests on PostgreSQL. A missing node or chromium is a
# failure, not a skip: scripts/deps.sh installs both.
set -uo pipefail

: "${KETNAP:?the ketnap binary}" "${KN_SRC:?the source tree}" "${KN_BUILD:?the build tree}"
web=$KN_SRC/tests/web
export KETNAP KN_SRC KN_BUILD
export KETNAP_LOCALEDIR=${KETNAP_LOCALEDIR:-$KN_BUILD/locale}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

fail() {
	echo "web_browser: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

command -v node >/dev/null 2>&1 || fail "node is not installed; scripts/deps.sh installs Debian's nodejs and npm"
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing; scripts/deps.sh installs Debian's chromium"

# playwright-core, as package-lock.json pins it; only when not there yet.
# One npm at a time (ctest may run the PostgreSQL twin of this test alongside).
if [ ! -d "$web/node_modules/playwright-core" ]; then
	command -v npm >/dev/null 2>&1 || fail "npm is not installed; scripts/deps.sh installs it"
	(
		flock 9
		[ -d "$web/node_modules/playwright-core" ] ||
			npm ci --prefix "$web" --no-audit --no-fund --loglevel=error >&2
	) 9>"${TMPDIR:-/tmp}/ketnap-web-npm.lock" || fail "npm ci in $web failed"
fi

mkdir -p "$KN_BUILD/web-tests"
rm -rf "$KN_BUILD/screenshots${KN_TEST_PG:+-pg}"	# only this run's pictures
log=$KN_BUILD/web-tests/${KN_TEST_PG:+pg-}node-test.tap
cd "$web" || fail "no $web"
node --test --test-reporter=tap browser.test.mjs authz.test.mjs security.test.mjs queues.test.mjs 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$log" | tail -1; }
pass=$(count pass)
failed=$(count fail)
cancelled=$(count cancelled)
failed=$(( ${failed:-0} + ${cancelled:-0} ))
[ -n "$pass" ] || { pass=0; failed=$(( failed > 0 ? failed : 1 )); }
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "screenshots: $KN_BUILD/screenshots${KN_TEST_PG:+-pg}/"
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
