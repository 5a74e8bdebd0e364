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
[ $# -gt 0 ] || SIZES=(1000 10000)
BIN=$BUILD/bin
. "$SRC/bench/smsd.sh"
bench_setup fetch.sh "$BIN/wadul-fetch" "$BIN/wadul-mksms" /usr/bin/time

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
path = ""
[log]
syslog = false
CFG
    t0=$(now)
    /usr/bin/time -f %M -o "$R/wadul.rss" "$BIN/wadul-fetch" -c "$R/wadul.toml"
    t1=$(now)
    got=$(count "$R/wadul.db" inbound)
    [ "$got" = "$N" ] || { echo "wadul-fetch stored $got of $N" >&2; exit 1; }
    [ -z "$(find "$R/phone/sms" -type f -name '[0-9]*')" ] || { echo "wadul-fetch left parts on the phone" >&2; exit 1; }
    wadul_s=$(elapsed "$t0" "$t1")

    # --- gammu-smsd: SQL service on SQLite, WAL, timers as low as they go (see ../shared/gammu.md §4)
    smsd_config "$R/smsdrc" "$R/sphone" "$R/db" "commtimeout = 1" "receivefrequency = 0" "loopsleep = 1" \
        "multiparttimeout = 10"
    smsd_run "$R/smsdrc" "SELECT count(*) FROM inbox" "$N"

    printf '%-7s %12.3f %10s %12.3f %10s %8.2f\n' "$N" "$wadul_s" "$(cat "$R/wadul.rss")" "$smsd_s" "$smsd_kb" \
        "$(awk -v a="$wadul_s" -v b="$smsd_s" 'BEGIN { print a / b }')"
    rm -rf "$R"
done
echo "ratio = wadul-fetch time / gammu-smsd time (goal <= 0.50); KB = peak RSS"
