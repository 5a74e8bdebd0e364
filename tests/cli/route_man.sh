# The wadul-route(1) and agencies.toml(5) pages: built, free of mandoc errors, and naming every
# option --help shows, for the tool and each subcommand.
set -u
BIN=${WADUL_BIN:?}
BUILD=${WADUL_BUILD:?}
SRC=${WADUL_SRC:?}
command -v mandoc >/dev/null || { echo "mandoc missing"; exit 77; }
[ -f "$BUILD/man/wadul-route.1" ] || { echo "man pages not built (scdoc missing?)"; exit 77; }
fails=0
for page in "$BUILD/man/wadul-route.1" "$BUILD/man/agencies.toml.5"; do
    if mandoc -Tlint -Werror "$page" 2>&1 | grep -E 'ERROR|UNSUPP'; then
        echo "FAIL: $page has mandoc errors"; fails=$((fails + 1))
    fi
done
opts=$({ "$BIN/wadul-route" --help
         for s in triage assign reroute train eval agencies check-registry explain; do "$BIN/wadul-route" "$s" --help; done
       } | grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' | sed 's/^[ ,]//' | sort -u)
[ -n "$opts" ] || { echo "FAIL: no options found in --help"; exit 1; }
for o in $opts; do
    grep -qE -- "(\*|, )$o([*, ]|$)" "$SRC/man/wadul-route.1.scd" || { echo "FAIL: $o missing from wadul-route(1)"; fails=$((fails + 1)); }
done
for s in triage assign reroute train eval agencies check-registry explain; do
    grep -qF -- "*$s*" "$SRC/man/wadul-route.1.scd" || { echo "FAIL: subcommand $s missing"; fails=$((fails + 1)); }
done
[ "$fails" -eq 0 ]
