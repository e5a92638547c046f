#!/usr/bin/env bash
# list_identity.sh — the candidates' list and /api/v1/people answered
# byte for byte the same by two programs on the same data: OLD serves DB
# as it is, NEW a copy of it upgraded by `NEW init` (migration 018: the
# list read from people_latest_open / people_latest). Every filter of the
# list at the root, a district and a grassroots unit, typed pages, the
# pager's next and previous links, and the API's pages. Prints the pages
# that differ and a count; exit 1 when any does.
#
#   bash bench/list_identity.sh OLD NEW DB ROOT DISTRICT GRASSROOTS
set -euo pipefail
OLD=$(realpath "$1") NEW=$(realpath "$2") DB=$3 root=$4 dist=$5 grass=$6
export LANG=C LC_ALL=C KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20}
unset LC_MESSAGES LANGUAGE KETNAP_DB
dir=$(mktemp -d)
spid=
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
KETNAP_USER=cmp; export KETNAP_USER
echo 'cmp-password-123' | "$OLD" --db "$DB" user add cmp --unit "$root" --role admin >/dev/null 2>&1 || true
sqlite3 "$DB" ".backup '$dir/new.db'"	# the WAL too
"$NEW" --db "$dir/new.db" init >/dev/null
paths=()
for u in "" "unit=$dist&" "unit=$grass&"; do
	for f in "" "q=nguyen&" "q=thi&" "q=van%20a&" "status=all&" "status=closed&" "status=members&" \
		 "step=applied&" "step=cell_vote&" "status=all&step=decision&" "category=women&" \
		 "overdue=1&" "status=all&q=le&"; do
		for p in 1 2 3; do paths+=("/candidates?$u${f}page=$p"); done
	done
	for f in "" "q=nguyen&" "status=all&" "q=thi&"; do
		for p in 10 30; do paths+=("/candidates?$u${f}page=$p"); done
	done
	for a in "" "open=1&" "open=0&" "q=nguyen&" "step=applied&" "open=1&q=thi&"; do
		for p in 1 2 3; do paths+=("/api/v1/people?$u${a}per_page=7&page=$p"); done
	done
	for a in "" "open=1&" "open=0&"; do paths+=("/api/v1/people?$u${a}page=20"); done
done
# serve PROGRAM DB OUT: every path's body into OUT/N, and the pager's
# links of each HTML page followed once (their bodies into OUT/N.next, .prev)
serve() {
	local k=$1 db=$2 out=$3 port i=0 tok link rel
	mkdir -p "$out"
	tok=$("$k" --db "$db" user token cmp)
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$k" --db "$db" serve --listen 127.0.0.1:$port >"$out.log" 2>&1 &
	spid=$!
	for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	for p in "${paths[@]}"; do
		i=$((i + 1))
		curl -s -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$p" >"$out/$i"
		for rel in next prev; do
			link=$(grep -o "href=\"[^\"]*\" rel=\"$rel\"" "$out/$i" | sed 's/href="//; s/" rel=.*//; s/&amp;/\&/g' || true)
			[ -n "$link" ] && curl -s -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$link" >"$out/$i.$rel"
		done
	done
	kill "$spid"; wait "$spid" 2>/dev/null || true; spid=
}
serve "$OLD" "$DB" "$dir/old"
serve "$NEW" "$dir/new.db" "$dir/new"
bad=0 n=0
for f in "$dir"/old/*; do
	b=$(basename "$f"); n=$((n + 1))
	if ! cmp -s "$f" "$dir/new/$b"; then
		bad=$((bad + 1)); i=${b%%.*}; echo "differs: ${paths[$((i - 1))]} ${b#$i}"
	fi
done
[ -z "$(ls "$dir/new" | sort | comm -13 <(ls "$dir/old" | sort) -)" ] || { echo "NEW has more pages"; bad=$((bad + 1)); }
echo "$n pages compared, $bad differ; $(grep -l 'class="count"\|"people":\[{' "$dir"/old/* | wc -l) of them with rows"
[ "$bad" = 0 ]
