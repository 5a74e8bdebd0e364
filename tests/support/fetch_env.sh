# Sourced by tests/cli/fetch_*.sh: a fresh temp dir with a dummy phone, a config and helpers.
# Needs WADUL_BIN (the built binaries); exits 77 (skip) when sqlite3 is missing.
set -eu
: "${WADUL_BIN:?WADUL_BIN must name the directory of the built wadul binaries}"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed" >&2; exit 77; }
export LC_ALL=C.UTF-8 TZ=UTC
unset WADUL_CONFIG WADUL_NOW
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/phone"
cat >"$T/wadul.toml" <<CFG
[store]
path = "$T/wadul.db"
busy_timeout_ms = 200

[modem]
device = "$T/phone"
connection = "none"
model = "dummy"
lock = "$T/run/modem.lock"

[registry]
# No registry file: the officer test registers officers in the store directly.
path = ""

[log]
syslog = false
CFG
FETCH="$WADUL_BIN/wadul-fetch"
MKSMS="$WADUL_BIN/wadul-mksms"

fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs wadul-fetch; its exit code in $rc, output in $T/out and $T/err.
fetch() {
    rc=0
    timeout -k 5 120 "$FETCH" -c "$T/wadul.toml" "$@" >"$T/out" 2>"$T/err" || rc=$?
}
# Expects a quiet success: exit 0, nothing on stdout or stderr.
fetch_ok() {
    fetch "$@"
    [ "$rc" = 0 ] || { cat "$T/err" >&2; fail "wadul-fetch exited $rc"; }
    [ ! -s "$T/out" ] || fail "stdout not empty: $(cat "$T/out")"
    [ ! -s "$T/err" ] || fail "stderr not empty: $(cat "$T/err")"
}
q() { sqlite3 -batch "$T/wadul.db" "$1"; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
inbox_count() { find "$T/phone/sms" -type f -name '[0-9]*' | wc -l; }
