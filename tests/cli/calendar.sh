#!/bin/bash
# calendar.sh — end-to-end test of `ketnap calendar holidays|workdays|add|lunar`:
# exact output of each subcommand (expected values worked out by hand from
# RULES.md §5, as in tests/unit/test_calendar.c), exit 2 on usage errors and
# exit 2 on a malformed date or number (ketnap.1: a usage error), 1 on a
# well-formed date the lunar calendar does not cover. Runs without a database: the computed
# calendar alone. $KETNAP is the built binary.
set -eu

: "${KETNAP:?set KETNAP to the ketnap binary}"
. "${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/db.sh"
work=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$work"' EXIT
cd "$work"
# No database here, so ctx_calendar() uses the computed calendar alone.
export KETNAP_DB=$(KN_DB_DIR=$work kn_db_missing none)
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE

pass=0
fail=0

# expect STATUS EXPECTED-STDOUT ARGS...: run ketnap, compare exit status and stdout.
expect() {
	local want_rc=$1 want_out=$2 rc=0 out
	shift 2
	out=$("$KETNAP" "$@" 2>"$work/stderr") || rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		echo "FAIL: ketnap $*: exit $rc, expected $want_rc" >&2
		sed 's/^/  stderr: /' "$work/stderr" >&2
		fail=$((fail + 1))
	elif [ "$out" != "$want_out" ]; then
		echo "FAIL: ketnap $*: output differs" >&2
		diff <(printf '%s\n' "$want_out") <(printf '%s\n' "$out") | sed 's/^/  /' >&2 || true
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

# expect_err STATUS TEXT ARGS...: the command fails with STATUS, prints
# nothing on stdout, and names TEXT (the bad value) on stderr.
expect_err() {
	local want_rc=$1 text=$2
	shift 2
	expect "$want_rc" "" "$@"
	if ! grep -qF -- "$text" "$work/stderr"; then
		echo "FAIL: ketnap $*: stderr does not mention '$text'" >&2
		sed 's/^/  stderr: /' "$work/stderr" >&2
		fail=$((fail + 1))
	fi
}

# --- holidays -------------------------------------------------------------
# 2024: Tết Giáp Thìn is Saturday 10/2; days off 9/2 (Fri) to 13/2 (Tue), the
# Saturday and Sunday compensated on Wed 14/2 and Thu 15/2.
expect 0 "2024-01-01 Tết Dương lịch
2024-02-09 Tết Nguyên đán
2024-02-12 Tết Nguyên đán
2024-02-13 Tết Nguyên đán
2024-02-14 Nghỉ bù Tết Nguyên đán
2024-02-15 Nghỉ bù Tết Nguyên đán
2024-04-18 Giỗ Tổ Hùng Vương
2024-04-30 Ngày Chiến thắng
2024-05-01 Ngày Quốc tế Lao động
2024-09-02 Quốc khánh
2024-09-03 Quốc khánh" calendar holidays 2024

# 2011: four days of Tết (2/2–5/2, the Saturday compensated on Mon 7/2);
# 1/1 on a Saturday; 30/4 Saturday and 1/5 Sunday -> Mon 2/5 and Tue 3/5.
expect 0 "2011-01-03 Nghỉ bù Tết Dương lịch
2011-02-02 Tết Nguyên đán
2011-02-03 Tết Nguyên đán
2011-02-04 Tết Nguyên đán
2011-02-07 Nghỉ bù Tết Nguyên đán
2011-04-12 Giỗ Tổ Hùng Vương
2011-05-02 Nghỉ bù Ngày Chiến thắng
2011-05-03 Nghỉ bù Ngày Quốc tế Lao động
2011-09-02 Quốc khánh" calendar holidays 2011

# 2012: 2/9 on a Sunday -> Nghỉ bù Quốc khánh on Monday 3/9.
expect 0 "2012-01-02 Nghỉ bù Tết Dương lịch
2012-01-23 Tết Nguyên đán
2012-01-24 Tết Nguyên đán
2012-01-25 Tết Nguyên đán
2012-01-26 Nghỉ bù Tết Nguyên đán
2012-04-02 Nghỉ bù Giỗ Tổ Hùng Vương
2012-04-30 Ngày Chiến thắng
2012-05-01 Ngày Quốc tế Lao động
2012-09-03 Nghỉ bù Quốc khánh" calendar holidays 2012

# 1800: outside the lunar range, solar holidays only.
expect 0 "1800-01-01 Tết Dương lịch
1800-04-30 Ngày Chiến thắng
1800-05-01 Ngày Quốc tế Lao động
1800-09-02 Quốc khánh" calendar holidays 1800

# --- workdays -------------------------------------------------------------
expect 0 "251" calendar workdays 2023-12-31 2024-12-31
expect 0 "1" calendar workdays 08/02/2024 16/02/2024
expect 0 "0" calendar workdays 2024-02-08 2024-02-15
expect 0 "0" calendar workdays 2024-04-17 2024-04-17
expect 0 "0" calendar workdays 2024-04-17 2024-04-18
expect 0 "1" calendar workdays 2024-04-17 2024-04-19
expect 0 "1" calendar workdays 2024-12-31 2025-01-02
expect 0 "-1" calendar workdays 2024-02-19 2024-02-16

# --- add ------------------------------------------------------------------
expect 0 "2024-04-17" calendar add 2024-04-17 0
expect 0 "2024-04-19" calendar add 2024-04-17 1
expect 0 "2024-04-22" calendar add 19/04/2024 1
expect 0 "2024-02-16" calendar add 2024-02-08 1
expect 0 "2024-02-19" calendar add 2024-02-08 2
expect 0 "2025-01-02" calendar add 2024-12-31 1
expect 0 "2012-01-03" calendar add 2011-01-01 252
expect 0 "2024-02-08" calendar add 2024-02-16 -1

# --- lunar ----------------------------------------------------------------
expect 0 "1/1/2011 Tân Mão" calendar lunar 2011-02-03
expect 0 "1/1/2011 Tân Mão" calendar lunar 3/2/2011
expect 0 "1/1/2024 Giáp Thìn" calendar lunar 2024-02-10
expect 0 "30/12/2023 Quý Mão" calendar lunar 2024-02-09
expect 0 "1/4+/2020 Canh Tý" calendar lunar 2020-05-23
expect 0 "1/2+/2023 Quý Mão" calendar lunar 22/03/2023
expect 0 "1/1/1985 Ất Sửu" calendar lunar 1985-01-21
expect 0 "1/12/1899 Kỷ Hợi" calendar lunar 1900-01-01

# --- errors ---------------------------------------------------------------
expect 2 "" calendar
expect 2 "" calendar holidays
expect 2 "" calendar holidays 2024 2025
expect 2 "" calendar frobnicate 2024
expect 2 "" calendar workdays 2024-01-01
expect 2 "" calendar add 2024-01-01
expect 2 "" calendar lunar
expect 2 "" calendar lunar 2024-01-01 2024-01-02
expect_err 2 "31/02/2011" calendar lunar 31/02/2011
expect_err 2 "31/02/2011" calendar add 31/02/2011 3
expect_err 2 "2024-13-01" calendar workdays 2024-01-01 2024-13-01
expect_err 2 "yesterday" calendar workdays yesterday 2024-01-01
expect_err 2 "x" calendar add 2024-01-01 x
expect_err 2 "abc" calendar holidays abc
expect_err 1 "1899-12-31" calendar lunar 1899-12-31

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
