#!/usr/bin/env bash
# Export CPU and memory (issue 13): each `ketnap export` kind of a
# database by an old binary and a new one, back to back, with the CPU
# time (user + system: the steadier figure on a shared machine), the peak
# RSS and the wall time of each, and whether the two files are the same.
#
#   bash bench/export.sh OLD_KETNAP NEW_KETNAP DB [USER]
#
# USER: export as that account (its subtree). KINDS (default: people
# steps units quotas) narrows it. The files are written in TMPDIR (a
# national people export is 800 MB). KETNAP_TODAY and KETNAP_USER are
# set here (2025-12-20, bench) unless given. Prints e.g.
#   people: old 122.17 s CPU, 2879 MB; new 54.93 s CPU, 16 MB (0.45x CPU); identical
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
db=$3
user=${4:-}
KINDS=${KINDS:-people steps units quotas}
export KETNAP_TODAY=${KETNAP_TODAY:-2025-12-20} KETNAP_USER=${KETNAP_USER:-bench} LANG=${LANG:-C}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "$(uptime)"
for kind in $KINDS; do
	for v in old new; do
		bin=$old
		[ $v = new ] && bin=$new
		/usr/bin/time -f '%U %S %M %e' -o "$dir/$v.time" "$bin" --db "$db" ${user:+--user "$user"} \
			export "$kind" -o "$dir/$v.csv"
	done
	same=identical
	cmp -s "$dir/old.csv" "$dir/new.csv" || same=DIFFERENT
	read -r ou os om ow <"$dir/old.time"
	read -r nu ns nm nw <"$dir/new.time"
	awk -v k="$kind" -v ou="$ou" -v os="$os" -v om="$om" -v ow="$ow" -v nu="$nu" -v ns="$ns" \
		-v nm="$nm" -v nw="$nw" -v same="$same" 'BEGIN {
		oc = ou + os; nc = nu + ns;
		printf "%s: old %.2f s CPU, %d MB, %s s; new %.2f s CPU, %d MB, %s s (%.2fx CPU); %s\n",
			k, oc, om / 1024, ow, nc, nm / 1024, nw, (oc > 0 ? nc / oc : 0), same }'
	rm -f "$dir/old.csv" "$dir/new.csv"
done
echo "$(uptime)"
