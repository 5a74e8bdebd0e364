#!/bin/bash
# bench/forward.sh [BUILD_DIR] [N]: wadul-forward against gammu-smsd, both sending the same SMS
# through a libgammu dummy phone. N complaints (default 100) are fetched and routed to an agency
# with a liaison officer and a head; `wadul-forward --no-send` queues what the SOP calls for (the
# acknowledgement to each citizen, the complaint to both officers). Then:
#   wadul:  one `wadul-forward` run sends the whole queue, each message marked sent in the store;
#   smsd:   the same recipients and texts, injected into gammu-smsd's SQL outbox beforehand with
#           gammu-smsd-inject (not timed), timed from smsd's start until `sentitems` holds as many
#           parts as wadul sent.
# Prints both times, the parts sent and the ratio. Needs gammu-smsd, libdbd-sqlite3, sqlite3.
set -euo pipefail
export LC_ALL=C.UTF-8 TZ=UTC
unset WADUL_CONFIG WADUL_NOW
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
N=${2:-100}
BIN=$BUILD/bin
. "$SRC/bench/smsd.sh"
bench_setup forward.sh "$BIN/wadul-fetch" "$BIN/wadul-route" "$BIN/wadul-forward" "$BIN/wadul-mksms" \
    gammu-smsd-inject /usr/bin/time
R=$W
sq() { sqlite3 -cmd ".timeout 2000" "$@"; }

mkdir -p "$R/phone" "$R/sphone" "$R/db"
cat >"$R/agencies.toml" <<'EOF'
[[agency]]
code = "DPUPR"
name = "Dinas Pekerjaan Umum dan Penataan Ruang"
kind = "opd"
duties = ["jalan rusak", "jembatan"]

  [[agency.officer]]
  name = "Petugas Contoh"
  phone = "081200000001"
  role = "liaison"

  [[agency.officer]]
  name = "Kepala Contoh"
  phone = "081200000002"
  role = "head"
EOF
holidays=""
for f in "$SRC"/etc/holidays/*.toml; do holidays="$holidays${holidays:+, }\"$f\""; done
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
[forward]
rate_per_minute = 6000
[portal]
inbox = ""
outbox = ""
[sla]
holiday_files = [$holidays]
[log]
syslog = false
CFG
# A Monday morning in office hours, so nothing waits for working time.
export WADUL_NOW=2026-11-30T02:00:00Z
for i in $(seq 1 "$N"); do
    printf '+62857%08d\t-\tJalan rusak di Desa Sumberjo RT %d, lubang besar membahayakan pengendara motor terutama malam hari. Mohon segera diperbaiki.\n' "$i" "$i"
done | "$BIN/wadul-mksms" "$R/phone"
"$BIN/wadul-fetch" -c "$R/wadul.toml"
"$BIN/wadul-route" -c "$R/wadul.toml"
"$BIN/wadul-forward" -c "$R/wadul.toml" --no-send
msgs=$(sq "$R/wadul.db" "SELECT count(*) FROM outbound WHERE status = 'queued'")
[ "$msgs" -gt 0 ] || { echo "bench/forward.sh: nothing queued" >&2; exit 1; }

# --- gammu-smsd's outbox gets the same messages (not timed)
smsd_config "$R/smsdrc" "$R/sphone" "$R/db" "commtimeout = 0" "sendtimeout = 1" "receivefrequency = 0" \
    "loopsleep = 0"
sq -separator $'\t' "$R/wadul.db" "SELECT recipient, replace(text, char(10), ' ') FROM outbound WHERE status = 'queued' ORDER BY id" |
    while IFS=$'\t' read -r to text; do
        gammu-smsd-inject -c "$R/smsdrc" TEXT "$to" -len "${#text}" -text "$text" >/dev/null 2>&1 ||
            { echo "bench/forward.sh: gammu-smsd-inject failed" >&2; exit 1; }
    done

# --- wadul-forward: one run sends the queue
t0=$(now)
/usr/bin/time -f %M -o "$R/wadul.rss" "$BIN/wadul-forward" -c "$R/wadul.toml"
t1=$(now)
wadul_s=$(elapsed "$t0" "$t1")
sent=$(sq "$R/wadul.db" "SELECT count(*) FROM outbound WHERE status = 'sent'")
parts=$(sq "$R/wadul.db" "SELECT coalesce(sum(parts), 0) FROM outbound WHERE status = 'sent'")
[ "$sent" = "$msgs" ] || { echo "bench/forward.sh: wadul-forward sent $sent of $msgs" >&2; exit 1; }

# --- gammu-smsd: from start until every part is in sentitems
smsd_run "$R/smsdrc" "SELECT count(*) FROM sentitems" "$parts"

printf '%-6s %6s %6s %10s %10s %10s %10s %8s\n' N msgs parts wadul_s wadul_KB smsd_s smsd_KB ratio
printf '%-6s %6s %6s %10.3f %10s %10.3f %10s %8.3f\n' "$N" "$msgs" "$parts" "$wadul_s" "$(cat "$R/wadul.rss")" \
    "$smsd_s" "$smsd_kb" "$(awk -v a="$wadul_s" -v b="$smsd_s" 'BEGIN { print a / b }')"
echo "ratio = wadul-forward time / gammu-smsd time for the same parts; KB = peak RSS"
