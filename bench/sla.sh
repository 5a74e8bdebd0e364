#!/bin/bash
# Benchmark: wadul-sla over a store with 100,000 open complaints, against the sqlite3 shell
# running one equivalent query (each open complaint's current stage and when it started, ordered)
# on the same file in the same run. Prints the ratios; the goal is within 3x.
# Usage: bench/sla.sh [BUILD_DIR] [N]
set -eu
BUILD=${1:-build}; N=${2:-100000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 77; }
for b in sla_gen wadul-sla; do [ -x "$BUILD/bin/$b" ] || { echo "build $b first (cmake --build $BUILD)"; exit 66; }; done
T=$(mktemp -d /tmp/wadul-bench-sla.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/wadul.toml" <<CONF
[store]
path = "$T/wadul.db"
[log]
syslog = false
[registry]  # none: the test builds agencies and officers itself
path = ""
[sla]
holiday_files = ["$SRC/etc/holidays/2025.toml", "$SRC/etc/holidays/2026.toml"]
admin_phones = ["+628100000001"]
CONF
export WADUL_CONFIG="$T/wadul.toml" WADUL_NOW=2026-01-14T10:00:00+07:00
"$BUILD/bin/sla_gen" "$T/wadul.db" "$N"

QUERY="SELECT c.ticket, a.code, e.kind, e.at FROM complaint c
JOIN event e ON e.id = (SELECT id FROM event WHERE complaint_id = c.id AND kind IN
  ('triaged', 'refused', 'routed', 'assigned', 'accepted', 'revision', 'answered', 'approved')
  ORDER BY at DESC, id DESC LIMIT 1)
LEFT JOIN agency a ON a.id = c.agency_id
WHERE c.status NOT IN ('closed', 'received') ORDER BY e.at;"

# Best of 3 wall-clock seconds of a command, output discarded.
best() {
    local best=
    for _ in 1 2 3; do
        local s e
        s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
        best=$(echo "$s $e ${best:-1e9}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
    done
    echo "$best"
}
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1 / $2}'; }

ref=$(best sqlite3 "$T/wadul.db" "$QUERY")
rows=$(sqlite3 "$T/wadul.db" "$QUERY" | wc -l)
status=$(best "$BUILD/bin/wadul-sla" status --format tsv)
listed=$("$BUILD/bin/wadul-sla" status --format tsv | tail -n +2 | wc -l)
s=$(date +%s.%N); "$BUILD/bin/wadul-sla"; e=$(date +%s.%N)
first=$(echo "$s $e" | awk '{print $2 - $1}')
queued=$(sqlite3 "$T/wadul.db" "SELECT count(*) FROM outbound")
sweep=$(best "$BUILD/bin/wadul-sla")
[ "$(sqlite3 "$T/wadul.db" "SELECT count(*) FROM outbound")" = "$queued" ] || echo "warning: a re-run queued more"

printf 'sla: %d open complaints (sqlite3 lists %d, wadul-sla %d)\n' "$N" "$rows" "$listed"
printf '  sqlite3 one query          %8.3f s  (reference)\n' "$ref"
printf '  wadul-sla status --format tsv %5.3f s  ratio %s\n' "$status" "$(ratio "$status" "$ref")"
printf '  wadul-sla sweep, first run %8.3f s  ratio %s  (%d SMS queued)\n' "$first" "$(ratio "$first" "$ref")" "$queued"
printf '  wadul-sla sweep, re-run    %8.3f s  ratio %s\n' "$sweep" "$(ratio "$sweep" "$ref")"
