#!/bin/bash
# bench/fetch.sh [BUILD_DIR] [N...]: wadul-fetch against gammu-smsd, both moving the same N
# single-part SMS from a libgammu dummy phone into SQLite (wadul: the store, with complaints,
# tickets and events; smsd: its `inbox` table). Prints both times, the ratio and peak RSS.
# Goal: wadul-fetch takes at most half of gammu-smsd's time, and its RSS does not grow with N.
set -euo pipefail
export LC_ALL=C.UTF-8 TZ=UTC
unset WADUL_CONFIG WADUL_NOW
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
shift || true
SIZES=("${@:-1000}")
[ $# -gt 0 ] || SIZES=(1000 9999)
BIN=$BUILD/bin
SCHEMA=/usr/share/doc/gammu-smsd/examples/sqlite.sql
for need in "$BIN/wadul-fetch" "$BIN/wadul-mksms" gammu-smsd sqlite3 /usr/bin/time "$SCHEMA"; do
    command -v "$need" >/dev/null || [ -e "$need" ] || { echo "bench/fetch.sh: missing $need" >&2; exit 77; }
done
[ -d /usr/lib/x86_64-linux-gnu/dbd ] || ls /usr/lib/*/dbd/libdbdsqlite3.so >/dev/null 2>&1 ||
    { echo "bench/fetch.sh: gammu-smsd needs libdbd-sqlite3" >&2; exit 77; }

# Both on tmpfs when there is one: fsync would otherwise dominate both.
base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
W=$(mktemp -d -p "$base" wadul-bench.XXXXXX)
smsd_pid=
cleanup() {
    if [ -n "$smsd_pid" ]; then kill "$smsd_pid" 2>/dev/null || true; wait "$smsd_pid" 2>/dev/null || true; fi
    rm -rf "$W"
}
trap cleanup EXIT

now() { date +%s.%N; }
count() { sqlite3 "$1" "PRAGMA busy_timeout=2000; SELECT count(*) FROM $2;" 2>/dev/null | tail -1; }

printf '%-7s %12s %10s %12s %10s %8s\n' N wadul_s wadul_KB smsd_s smsd_KB ratio
for N in "${SIZES[@]}"; do
    R=$W/$N
    mkdir -p "$R/phone" "$R/db"
    "$BIN/wadul-mksms" "$R/phone" --bulk "$N" --seed 1
    cp -a "$R/phone" "$R/sphone" # the same messages for smsd

    # --- wadul-fetch: one run, into a fresh store
    cat >"$R/wadul.toml" <<CFG
[store]
path = "$R/wadul.db"
[modem]
device = "$R/phone"
connection = "none"
model = "dummy"
lock = "$R/modem.lock"
[registry]
path = "$R/agencies.toml"
[log]
syslog = false
CFG
    t0=$(now)
    /usr/bin/time -f %M -o "$R/wadul.rss" "$BIN/wadul-fetch" -c "$R/wadul.toml"
    t1=$(now)
    got=$(count "$R/wadul.db" inbound)
    [ "$got" = "$N" ] || { echo "wadul-fetch stored $got of $N" >&2; exit 1; }
    [ -z "$(ls -A "$R/phone/sms/1")" ] || { echo "wadul-fetch left parts on the phone" >&2; exit 1; }
    wadul_s=$(echo "$t1 - $t0" | bc -l)

    # --- gammu-smsd: SQL service on SQLite, WAL, timers as low as they go (see ../shared/gammu.md §4)
    sqlite3 "$R/db/smsd.db" <"$SCHEMA"
    sqlite3 "$R/db/smsd.db" "PRAGMA journal_mode=WAL;" >/dev/null
    cat >"$R/smsdrc" <<CFG
[gammu]
device = $R/sphone
model = dummy
connection = none

[smsd]
service = sql
driver = sqlite3
dbdir = $R/db/
database = smsd.db
logfile = $R/smsd.log
debuglevel = 0
phoneid = bench
checksecurity = 0
checkbattery = 0
checksignal = 0
checknetwork = 0
statusfrequency = 0
commtimeout = 1
receivefrequency = 0
loopsleep = 1
multiparttimeout = 10
CFG
    t0=$(now)
    gammu-smsd -c "$R/smsdrc" >"$R/smsd.stdout" 2>&1 &
    smsd_pid=$!
    while :; do
        n=$(count "$R/db/smsd.db" inbox || echo 0)
        [ "${n:-0}" -ge "$N" ] && break
        kill -0 "$smsd_pid" 2>/dev/null || { echo "gammu-smsd died; see $R/smsd.log" >&2; exit 1; }
        sleep 0.05
    done
    t1=$(now)
    smsd_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$smsd_pid/status")
    kill "$smsd_pid"
    wait "$smsd_pid" 2>/dev/null || true
    smsd_pid=
    smsd_s=$(echo "$t1 - $t0" | bc -l)

    printf '%-7s %12.3f %10s %12.3f %10s %8.2f\n' "$N" "$wadul_s" "$(cat "$R/wadul.rss")" "$smsd_s" "$smsd_kb" \
        "$(echo "$wadul_s / $smsd_s" | bc -l)"
    rm -rf "$R"
done
echo "ratio = wadul-fetch time / gammu-smsd time (goal <= 0.50); KB = peak RSS"
