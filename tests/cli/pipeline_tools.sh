# cron/wadul-pipeline: a tick that cannot find the tools says so and exits 69 (cron mails it)
# instead of exiting 0 in silence; a stage left out is still skipped; a full install is quiet.
set -u
BIN=${WADUL_BIN:?}; SRC=${WADUL_SRC:?}
PIPELINE="$SRC/cron/wadul-pipeline"
export LC_ALL=C.UTF-8 TZ=UTC WADUL_NOW=2026-01-12T09:00:00+07:00
unset WADUL_BINDIR
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export WADUL_PIPELINE_LOCK="$T/pipeline.lock"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run CODE STDERR "description" [VAR=value...]: runs the pipeline under env, checks code and stderr.
run() {
    local want=$1 err=$2 what=$3; shift 3
    local rc=0
    env "$@" "$PIPELINE" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want (stderr: $(cat "$T/err"))"
    [ "$(cat "$T/err")" = "$err" ] || fail "$what: stderr '$(cat "$T/err")', expected '$err'"
    [ -s "$T/out" ] && fail "$what: stdout not empty: $(cat "$T/out")"
}

mkdir -p "$T/phone" "$T/run"
cp "$SRC/etc/holidays/2026.toml" "$T/2026.toml"
cat >"$T/wadul.toml" <<CONF
[store]
path = "$T/wadul.db"
[modem]
device = "$T/phone"
connection = "none"
model = "dummy"
lock = "$T/run/modem.lock"
[registry]
path = ""
[log]
syslog = false
[sla]
holiday_files = ["$T/2026.toml"]
CONF
export WADUL_CONFIG="$T/wadul.toml"

# WADUL_BINDIR names a directory without the tools.
run 69 "wadul-pipeline: error: cannot find 'wadul-fetch' in WADUL_BINDIR '$T/nonexistent': is wadul installed there?" \
    "wrong WADUL_BINDIR" WADUL_BINDIR="$T/nonexistent"
[ -e "$T/wadul.db" ] && fail "wrong WADUL_BINDIR: a stage ran"

# No WADUL_BINDIR, and the tools are not on PATH (cron's default PATH, without /usr/local/bin).
if PATH=/usr/bin:/bin command -v wadul-fetch >/dev/null; then
    echo "wadul-fetch is installed in /usr/bin or /bin: the PATH case is skipped"
else
    run 69 "wadul-pipeline: error: cannot find 'wadul-fetch' on PATH '/usr/bin:/bin': is wadul installed there?" \
        "tools not on PATH" PATH=/usr/bin:/bin
fi

# wadul-fetch missing, the other stages there: they still run (deadlines keep being watched), and
# the tick exits 69.
mkdir "$T/partial"
for tool in wadul-route wadul-forward wadul-sla; do ln -s "$BIN/$tool" "$T/partial/$tool"; done
run 69 "wadul-pipeline: error: cannot find 'wadul-fetch' in WADUL_BINDIR '$T/partial': is wadul installed there?" \
    "wadul-fetch missing" WADUL_BINDIR="$T/partial"
[ -e "$T/wadul.db" ] || fail "wadul-fetch missing: the other stages did not run"

# A stage left out (here wadul-sla) is skipped in silence, as before.
mkdir "$T/nosla"
for tool in wadul-fetch wadul-route wadul-forward; do ln -s "$BIN/$tool" "$T/nosla/$tool"; done
run 0 "" "wadul-sla not deployed" WADUL_BINDIR="$T/nosla"

# The whole install, with a complaint on the dummy phone: quiet, and the complaint is stored.
printf '+6281234567001\t-\tLampu jalan mati.\n' | "$BIN/wadul-mksms" "$T/phone"
run 0 "" "full install" WADUL_BINDIR="$BIN"
if command -v sqlite3 >/dev/null; then
    [ "$(sqlite3 "$T/wadul.db" 'SELECT count(*) FROM complaint')" = 1 ] || fail "full install: the complaint was not stored"
fi

# A broken wadul.toml: one error line for the tick (not one per tool), exit 78, no step run.
printf '[store]\npath = "%s/broken.db"\nbusy_timout_ms = 200\n' "$T" >"$T/broken.toml"
run 78 "wadul-fetch: error: $T/broken.toml:3:1: unknown key 'store.busy_timout_ms'" "broken wadul.toml" \
    WADUL_BINDIR="$BIN" WADUL_CONFIG="$T/broken.toml"
[ -e "$T/broken.db" ] && fail "broken wadul.toml: a step ran"

# A step that hangs (a modem that stopped answering) is stopped after WADUL_STEP_TIMEOUT, said on
# stderr, and the later steps still run.
mkdir "$T/hang"
for tool in wadul-route wadul-forward wadul-sla; do ln -s "$BIN/$tool" "$T/hang/$tool"; done
printf '#!/bin/sh\nexec sleep 60\n' >"$T/hang/wadul-fetch"
chmod +x "$T/hang/wadul-fetch"
rm -f "$T/wadul.db"
run 69 "wadul-pipeline: error: 'wadul-fetch' did not finish within 1 s and was stopped (WADUL_STEP_TIMEOUT); a modem that no longer answers does this: check it, and run 'wadul-fetch -v' by hand" \
    "hung step" WADUL_BINDIR="$T/hang" WADUL_STEP_TIMEOUT=1
[ -e "$T/wadul.db" ] || fail "hung step: the later stages did not run"
# A step that ignores SIGTERM (stuck in a system call, say) is killed WADUL_STEP_TIMEOUT s later
# (30 s at most), and said on stderr the same way.
printf '#!/bin/sh\ntrap "" TERM\nsleep 60\n' >"$T/hang/wadul-fetch"
# The shell itself may say "Killed" first (dash does); the last line is the pipeline's.
rm -f "$T/wadul.db"
rc=0
WADUL_BINDIR="$T/hang" WADUL_STEP_TIMEOUT=1 "$PIPELINE" >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 69 ] || fail "step ignoring SIGTERM: exit $rc, expected 69"
[ "$(tail -n 1 "$T/err")" = "wadul-pipeline: error: 'wadul-fetch' did not finish within 1 s and was stopped (WADUL_STEP_TIMEOUT); a modem that no longer answers does this: check it, and run 'wadul-fetch -v' by hand" ] ||
    fail "step ignoring SIGTERM: stderr '$(cat "$T/err")'"
[ "$(wc -l <"$T/err")" -le 2 ] || fail "step ignoring SIGTERM: stderr '$(cat "$T/err")'"
[ -e "$T/wadul.db" ] || fail "step ignoring SIGTERM: the later stages did not run"

# Without timeout(1) on PATH the steps run without a limit, and a tick works as before.
mkdir "$T/notimeout"
for tool in sh dirname flock env; do
    p=$(command -v "$tool") && ln -s "$p" "$T/notimeout/$tool"
done
rm -f "$T/wadul.db"
run 0 "" "no timeout(1)" WADUL_BINDIR="$BIN" PATH="$T/notimeout"
[ -e "$T/wadul.db" ] || fail "no timeout(1): the stages did not run"

run 64 "wadul-pipeline: error: WADUL_STEP_TIMEOUT '5m' is not a number of seconds" "bad timeout" \
    WADUL_BINDIR="$BIN" WADUL_STEP_TIMEOUT=5m

[ "$fails" = 0 ] && echo ok
[ "$fails" = 0 ]
