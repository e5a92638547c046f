#!/usr/bin/env bash
# help.sh — the command line a clerk can use without a manual (issue 14):
#   - `ketnap help`, `ketnap help COMMAND` and `ketnap COMMAND --help` print
#     the usage and one line per option, in English and in Vietnamese, exit
#     0; every option of each command's getopt table (read from its source,
#     src/cmd/cmd_*.c) appears in its help;
#   - global options after the command (CLI.md): --db, --lang (the messages
#     come out in that language), --user; an option's value that looks like
#     a global option stays the value;
#   - the same mistake, the same exit status (ketnap.1): a malformed date,
#     year or number is a usage error (2) everywhere, a well-formed value the
#     rules refuse is a refusal (1);
#   - nothing internal under --lang vi: person show, person find and unit
#     tree in words, deadlines named with the code beside, a missing fact
#     named by the option the user types, plurals.
# Expected text written by hand from examples/*.csv and po/vi/.
set -u
: "${KETNAP:?set KETNAP to the built ketnap binary}"
src=${KN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/db.sh"
dir=$(mktemp -d)
trap 'kn_db_cleanup; rm -rf "$dir"' EXIT
cd "$dir"
export KN_DB_DIR=$dir
export KETNAP_TODAY=2025-12-20 LANG=C
unset KETNAP_USER KETNAP_DB
K=$KETNAP
. "$src/tests/lib/check.sh"

has() { # has FILE TEXT
	if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks: $2"; sed 's/^/  | /' "$1" >&2; fi
}

# --- help -------------------------------------------------------------------
expect 0 "$K" help
has out "help [COMMAND]"
expect 0 "$K" --lang vi help
has out "cách dùng: ketnap"
expect 2 "$K" help nonsense
has err "unknown command 'nonsense'"
expect 0 "$K" help step --lang vi
has out "ketnap step — ghi một bước của hồ sơ kết nạp"

# Each command file's command names and its getopt table's long options.
ncmd=0
for f in "$src"/src/cmd/cmd_*.c; do
	names=$(awk '/^const struct command cmd_[a-z_]* = \{/ { getline; print }' "$f" |
		sed -n 's/^[[:space:]]*"\([a-z-]*\)".*/\1/p')
	opts=$(grep -o '{ "[a-z-]*", \(required\|no\|optional\)_argument' "$f" | sed 's/{ "\([a-z-]*\)".*/\1/' |
		sort -u)
	for name in $names; do
		ncmd=$((ncmd + 1))
		for lang in en vi; do
			expect 0 "$K" --lang "$lang" help "$name"
			cp out "help-$name-$lang"
			has out "ketnap $name"
			if [ "$lang" = vi ]; then has out "tùy chọn:"; lacks out "options:"
			else has out "options:"; fi
			for o in $opts; do has out "--$o"; done
			# COMMAND --help says the same, and so does -h.
			expect 0 "$K" "$name" --help --lang "$lang"
			if cmp -s out "help-$name-$lang"; then ok; else bad "$name --help ($lang) differs from help $name"; fi
		done
		expect 0 "$K" "$name" -h
		has out "ketnap $name"
	done
done
# init import export unit person step check calendar report quota demo user
# serve backup migrate-to: 15 commands at least.
[ "$ncmd" -ge 15 ] && ok || bad "only $ncmd commands found in src/cmd"
# The man page names every option of every command (as \-\-name).
for f in "$src"/src/cmd/cmd_*.c; do
	for o in $(grep -o '{ "[a-z-]*", \(required\|no\|optional\)_argument' "$f" |
		   sed 's/{ "\([a-z-]*\)".*/\1/' | sort -u); do
		m=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		if grep -q -- "\\\\-\\\\-$m" "$src/docs/ketnap.1"; then ok; else
			bad "docs/ketnap.1 does not name --$o ($(basename "$f"))"; fi
	done
done
grep -q 'ketnap help' "$src/docs/ketnap.1" && ok || bad "docs/ketnap.1 lacks ketnap help"
# The option lines of step, and their Vietnamese.
expect 0 "$K" step --help
has out "--for N"
has out "a vote: how many voted for"
expect 0 "$K" step --help --lang vi
has out "biểu quyết: số phiếu tán thành"
has out "tùy chọn chung (đặt trước hoặc sau lệnh):"
expect 0 "$K" check --help
has out "--introducer REF:SINCE"

# --- global options after the command ---------------------------------------
sh "$src/scripts/run-example.sh" "$K" sample.db >/dev/null 2>&1 || bad "run-example.sh failed"
expect 1 "$K" unit tree
has err "no database at ketnap.db"
expect 0 "$K" unit tree --db sample.db
has out "CT  Đảng bộ thành phố Cần Thơ"
expect 0 "$K" unit tree --db=sample.db --depth 0
has out "CT  Đảng bộ thành phố Cần Thơ"
lacks out "CT.BT"
# --lang after the command: the messages in Vietnamese, errors too.
expect 0 "$K" --db sample.db report summary --year 2025 --lang vi
has out "Tổng hợp công tác kết nạp đảng viên"
expect 2 "$K" --db sample.db report summary --year abc --lang vi
has err "ketnap:"
lacks err "must be"
expect 2 "$K" step 092300000204 cell_vote --date 2025-13-01 --lang=vi --db sample.db
has err "không phải là ngày"
# The last one wins, as with any option.
expect 0 "$K" --lang vi --db sample.db unit tree --depth 0 --lang en
has out "[Province or city committee; decides admissions]"
# A value that looks like a global option is the value of its option.
expect 0 "$K" --db sample.db check 092300000204 --note --lang
lacks err "--lang must be"
# --user after the command, on a database with accounts.
printf 'mật khẩu đủ dài 2025\n' >pw
expect 0 "$K" --db sample.db user add admin --unit CT --role admin <pw
expect 1 "$K" --db sample.db --user nobody user list
expect 0 "$K" --db sample.db user list --user admin
has out "admin"
expect 0 "$K" user list --user=admin --db sample.db
# After "--" nothing is taken: `--db` there is an argument of the command.
expect 1 "$K" --db sample.db --user admin unit tree -- --db
has err "no unit with code --db"
expect 2 "$K" --db sample.db --user admin report achievement --year 2025 --bogus
export KETNAP_DB=sample.db KETNAP_USER=admin

# --- the same mistake, the same exit status -----------------------------------
expect 2 "$K" step 092300000204 cell_vote --date 2025-02-30 --for 5 --of 7
expect 2 "$K" check 092300000204 --date yesterday
expect 2 "$K" step 092300000204 cell_vote --for many --of 7
expect 2 "$K" report achievement --year 20x5
expect 2 "$K" report achievement --as-of 2025-13-01
expect 2 "$K" report deadlines --year 1800
expect 2 "$K" quota list --year abc
expect 2 "$K" quota set CT 20x5 100
expect 2 "$K" calendar holidays abc
expect 2 "$K" calendar workdays 2025-01-01 2025-02-30
expect 2 "$K" unit tree --depth x
expect 2 "$K" demo --seed x --db demo.db
expect 2 "$K" user add someone --unit CT --role king <pw
# Well-formed values the rules or the data refuse: 1.
expect 1 "$K" step 092300000204 cell_vote --date 2025-01-02 --for 5 --of 7
expect 1 "$K" report achievement --year 2025 --unit NOPE
expect 1 "$K" quota set NOPE 2025 100
expect 1 "$K" calendar lunar 1899-12-31

# --- nothing internal under --lang vi --------------------------------------
# Đỗ Thị Kim Thảo: worker, vocational training, source by the trade union.
expect 0 "$K" --lang vi person show 092300000204
has out "nghề nghiệp:     Công nhân lao động trực tiếp sản xuất"
has out "chuyên môn:      Trung cấp, sơ cấp nghề"
has out "tổ chức: Công đoàn"
has out "đưa vào danh sách cảm tình Đảng (tạo nguồn)"
has out "đang ở bước: giới thiệu người vào Đảng"
lacks out "worker"
lacks out "vocational"
lacks out "org="
lacks out "trade_union"
# What the next step needs: the options to type.
has out "--for: cần ghi số phiếu tán thành"
has out "--of: cần ghi tổng số người có quyền biểu quyết"
lacks out "votes_for"
# In English the same facts, in English words.
expect 0 "$K" person show 092300000204
has out "occupation:      Worker in direct production"
has out "organisation: Trade Union"
has out "--for: the number of votes for is required"
# Thạch Thị Sô Phia, on probation: her deadline in words, the code beside.
expect 0 "$K" --lang vi person show 092304000208
has out "Hạn chi bộ xét công nhận đảng viên chính thức (DL-PROBATION-VOTE), hạn ngày 20/05/2026: còn 99 ngày làm việc"
expect 0 "$K" person show 092304000208
has out "Deadline for the cell's vote on full membership (DL-PROBATION-VOTE), due 2026-05-20: 99 working days left"
expect 0 "$K" --lang vi unit tree
has out "CT  Đảng bộ thành phố Cần Thơ  [Đảng bộ tỉnh, thành phố; quyết định kết nạp]"
has out "[Tổ chức cơ sở đảng; Phường]"
lacks out "province"
lacks out "may_admit"
lacks out "grassroots"
expect 0 "$K" --lang vi person find "nguyen van"
has out "092065000101  Nguyễn Văn Hùng  12/03/1965  CT.BT.BTH.KV1  đảng viên chính thức"
lacks out "official"
# CSV keeps the codes.
expect 0 "$K" --lang vi person find "nguyen van" --format csv
has out "092065000101,Nguyễn Văn Hùng,1965-03-12,CT.BT.BTH.KV1,official"
# A missing fact names the option the user types (--doc, --note).
expect 1 "$K" step 092203000201 trained --date 2025-12-01
has err "--doc: the certificate number is required"
lacks err "doc_no"
expect 1 "$K" --lang vi step 092203000201 withdrawn --date 2025-12-01
has err "--note: "
# Plurals: one row, one problem.
printf 'unit,year,category,target\nCT,2026,total,2200\n' >one.csv
expect 0 "$K" import quotas one.csv
has out "one.csv: 1 row, 1 added, 0 updated, 0 unchanged"
printf 'unit,year,category,target\nNOPE,2026,total,2200\n' >bad.csv
expect 1 "$K" import quotas bad.csv
has err "import refused: 1 problem; nothing was written"
# Storage errors in the user's language.
echo "not a database" >junk.db
expect 3 "$K" --lang vi --db junk.db unit tree
has err "không phải cơ sở dữ liệu của ketnap"
expect 1 "$K" --lang vi --db missing.db unit tree
has err "không có cơ sở dữ liệu tại missing.db"

check_done
