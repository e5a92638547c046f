#!/bin/sh
# Install the Debian packages that building, testing and benchmarking ketnap
# need (the test scripts also use python3, curl and pgrep). Idempotent: quiet and quick when everything is already there.
set -eu

PKGS="build-essential cmake pkg-config gettext sqlite3 libsqlite3-dev libicu-dev
clang libclang-rt-14-dev time bc libjansson-dev libmicrohttpd-dev libsodium-dev zlib1g-dev libxlsxwriter-dev libreoffice-calc-nogui chromium poppler-utils
libpq-dev postgresql-15 postgresql-client-15 python3 curl procps valgrind"
# The web tests (tests/web: node's test runner, playwright-core from npm);
# a node already on PATH, from wherever, will do.
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
