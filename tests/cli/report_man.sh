#!/bin/bash
# wadul-report(1): lints clean, and names every option that --help lists, per subcommand.
set -u
command -v mandoc >/dev/null || { echo "skip: mandoc missing"; exit 77; }
page="$WADUL_BUILD/man/wadul-report.1"
src="$WADUL_SRC/man/wadul-report.1.scd"
[ -s "$page" ] || { echo "skip: the man page was not built (scdoc missing)"; exit 77; }
fails=0
# scdoc writes a .PP after every .SH and between items, which mandoc reports; anything else fails.
out=$(mandoc -Tlint -Wwarning "$page" 2>&1 | grep -v 'skipping paragraph macro: PP')
[ -z "$out" ] || { echo "FAIL: mandoc -Tlint: $out"; fails=1; }
for sub in "" monthly complaints show; do
    for opt in $("$WADUL_BIN/wadul-report" $sub --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -qE -- "${opt}[* ]" "$src" || { echo "FAIL: '$opt' of '${sub:-wadul-report}' not in the man page"; fails=1; }
    done
done
[ "$fails" = 0 ]
