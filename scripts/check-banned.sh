#!/bin/sh
# Every .c file under src/ must include util/banned.h as its last #include,
# so that the banned functions (strcpy, sprintf, atoi, localtime …) are
# compile errors there (DESIGN.md, convention 8). Generated files excepted.
set -eu
cd "$(dirname "$0")/.."
bad=0
for f in $(find src -name '*.c' | sort); do
	last=$(grep -E '^#include' "$f" | tail -n 1)
	if [ "$last" != '#include "util/banned.h"' ]; then
		echo "$f: the last #include must be \"util/banned.h\" (found: $last)" >&2
		bad=1
	fi
done
exit $bad
