#!/bin/bash
# The monthly report on a store of 1,000,000 complaints over 24 months: wadul-report's wall time
# and peak memory against the sqlite3 shell running the equivalent aggregate queries on the same
# file, in the same run. Then the same on a store of 6 months with the same complaints per month:
# the report's memory must not grow with the store (it holds one month's complaints, never the store).
#
#   bench/report.sh [BUILD-DIR] [COMPLAINTS]     (defaults: build, 1000000)
set -eu
BUILD=${1:-build}
N=${2:-1000000}
MONTH=2026-11
W="$BUILD/bin/wadul-report"
GEN="$BUILD/bin/report_gen"
[ -x "$W" ] && [ -x "$GEN" ] || { echo "build first: cmake --build $BUILD" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
T=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$T"
cat >"$T/wadul.toml" <<TOML
[log]
syslog = false
[sla]
holiday_files = []
TOML
export WADUL_CONFIG="$T/wadul.toml" WADUL_NOW=2026-12-01T08:00:00+07:00

store() { # store FILE COUNT MONTHS: generated once, kept for re-runs when BENCH_DIR is set
    [ -s "$1" ] && return
    local s=$(date +%s.%N)
    "$GEN" "$1" "$2" "$3" "$MONTH"
    printf 'generated %s complaints in %.1f s (%s MB)\n' "$2" "$(echo "$(date +%s.%N) - $s" | bc)" \
        "$(( $(stat -c %s "$1") / 1048576 ))"
}

# The same figures the report computes, as plain SQL: per agency and channel the complaints
# received in the month and in the month before, forwarded, accepted, answered, approved,
# delivered and refused (events before the month's end); per officer the complaints forwarded
# and replied to; and every complaint still open at the month's end. (SQL has no working-hours
# calendar: the report's medians and deadlines come on top of this.)
reference_sql() {
    local a=$1 b=$2 pa=$3
    for range in "$a $b" "$pa $a"; do
        set -- $range
        # One pass over the month's complaints and their events (complaint_received, then
        # event_complaint), as the report does; CROSS JOIN keeps SQLite from starting at the
        # event_kind_at index and walking every month's events instead.
        cat <<SQL
SELECT agency, source, count(*), sum(fw), sum(acc), sum(ans), sum(apr), sum(del), sum(ref), sum(open)
FROM (SELECT c.id, c.source,
             max(CASE WHEN e.kind IN ('routed', 'assigned') THEN e.agency_id END) AS agency,
             max(e.kind = 'forwarded') AS fw, max(e.kind = 'accepted') AS acc, max(e.kind = 'answered') AS ans,
             max(e.kind = 'approved') AS apr, max(e.kind = 'delivered') AS del, max(e.kind = 'refused') AS ref,
             1 - max(e.kind IN ('delivered', 'closed')) AS open
      FROM complaint c CROSS JOIN event e ON e.complaint_id = c.id AND e.at < $2
      WHERE c.received_at >= $1 AND c.received_at < $2 GROUP BY c.id)
GROUP BY agency, source ORDER BY 1, 2;
SQL
    done
    cat <<SQL
SELECT f.officer_id, count(DISTINCT f.complaint_id),
       count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = f.complaint_id
             AND e.actor = o.phone AND e.kind IN ('accepted', 'answered', 'refused') AND e.at >= f.at
             AND e.at < $b) THEN f.complaint_id END)
FROM complaint c CROSS JOIN event f ON f.complaint_id = c.id AND f.kind = 'forwarded' AND f.at < $b
JOIN officer o ON o.id = f.officer_id
WHERE c.received_at >= $a AND c.received_at < $b GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM (
  SELECT id FROM complaint WHERE status IN ('received', 'triage', 'routed', 'forwarded', 'accepted', 'answered',
    'approved') AND received_at < $b
  UNION
  SELECT e.complaint_id FROM event e JOIN complaint c ON c.id = e.complaint_id
  WHERE e.kind IN ('delivered', 'closed') AND e.at >= $b AND c.received_at < $b AND c.status = 'closed');
SQL
}

measure() { # measure LABEL command...: prints "LABEL seconds peak-KB"
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >/dev/null
    echo "$label $(cat "$T/time")"
}

run() { # run STORE: the report vs the reference, best of three each (the page cache warm for both)
    local db=$1 a b pa best_w=999999 best_s=999999 mem_w=0 mem_s=0
    a=$(date -d "${MONTH}-01 00:00 +0700" +%s)
    b=$(date -d "${MONTH}-01 00:00 +0700 + 1 month" +%s)
    pa=$(date -d "${MONTH}-01 00:00 +0700 - 1 month" +%s)
    reference_sql "$a" "$b" "$pa" >"$T/reference.sql"
    sqlite3 "$db" <"$T/reference.sql" >/dev/null # warm the cache
    for i in 1 2 3; do
        read -r _ s m < <(measure report "$W" --store "$db" monthly --month "$MONTH" --format csv --out "$T/out")
        best_w=$(echo "if ($s < $best_w) $s else $best_w" | bc); [ "$m" -gt "$mem_w" ] && mem_w=$m
        read -r _ s m < <(measure sqlite3 sqlite3 "$db" ".read $T/reference.sql")
        best_s=$(echo "if ($s < $best_s) $s else $best_s" | bc); [ "$m" -gt "$mem_s" ] && mem_s=$m
    done
    local received
    received=$(awk -F, '$1 == "received" { print $3 }' "$T/out/wadul-$MONTH-ringkasan.csv")
    printf '%-26s %8s s %8s MB   (%s complaints in %s)\n' "wadul-report monthly csv" "$best_w" \
        "$((mem_w / 1024))" "$received" "$MONTH"
    printf '%-26s %8s s %8s MB\n' "sqlite3 reference" "$best_s" "$((mem_s / 1024))"
    printf 'ratio (report / sqlite3):  %s   goal <= 2\n' "$(echo "scale=2; $best_w / $best_s" | bc)"
    LAST_MEM=$mem_w
}

echo "## store of $N complaints over 24 months"
store "$T/big.db" "$N" 24
run "$T/big.db"
big_mem=$LAST_MEM
quarter=$((N / 4))
echo "## store of $quarter complaints over 6 months: the same month, a quarter of the store"
store "$T/small.db" "$quarter" 6
run "$T/small.db"
echo "peak memory of the report: $((big_mem / 1024)) MB on the whole store, $((LAST_MEM / 1024)) MB on a quarter of it"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$T"
