# Lints every built man page, and checks that every long option in each wadul tool's --help
# appears in that tool's page (section 1). Test-only helpers (tests/support/wadul-*.cpp) are skipped.
set -eu
: "${WADUL_BIN:?}" "${WADUL_BUILD:?}" "${WADUL_SRC:?}"
command -v mandoc >/dev/null || { echo "mandoc not installed" >&2; exit 77; }
export LC_ALL=C.UTF-8
status=0
bad() { echo "FAIL: $*" >&2; status=1; }

pages=$(ls "$WADUL_BUILD"/man/*.[1-8] 2>/dev/null || true)
[ -n "$pages" ] || { echo "FAIL: no man pages built in $WADUL_BUILD/man" >&2; exit 1; }
for page in $pages; do
    # scdoc writes a .PP before every paragraph, also right after .SH; mandoc calls that
    # "skipping paragraph macro", which changes nothing in the output. Everything else counts.
    out=$(mandoc -Tlint -W warning "$page" 2>&1 | grep -v 'skipping paragraph macro' || true)
    [ -z "$out" ] || bad "mandoc: $out"
    if command -v groff >/dev/null; then
        out=$(groff -man -ww -z "$page" 2>&1 || true)
        [ -z "$out" ] || bad "groff: $out"
    fi
done

for tool in "$WADUL_BIN"/wadul-*; do
    name=$(basename "$tool")
    [ -x "$tool" ] || continue
    [ ! -e "$WADUL_SRC/tests/support/$name.cpp" ] || continue # test helper, not installed
    page="$WADUL_BUILD/man/$name.1"
    [ -f "$page" ] || { bad "$name has no man page ($page)"; continue; }
    text=$(mandoc -Tascii "$page" | col -b)
    opts=$("$tool" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
    [ -n "$opts" ] || bad "$name --help lists no long option"
    for opt in $opts; do
        printf '%s\n' "$text" | grep -q -- "$opt\b" || bad "$name: option $opt is not in $name(1)"
    done
    # Help that cannot be written is no success (74, as for the views).
    if [ -w /dev/full ]; then
        rc=0; "$tool" --help >/dev/full 2>/dev/null || rc=$?
        [ "$rc" = 74 ] || bad "$name --help >/dev/full exits $rc, expected 74"
    fi
done
[ "$status" = 0 ] && echo ok
exit "$status"
