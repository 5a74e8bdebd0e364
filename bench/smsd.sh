# Sourced by bench/fetch.sh and bench/forward.sh: the gammu-smsd reference, run the same way in
# both, and the scratch directory $W they share with it.

# bench_setup NAME NEEDED...: exits 77 when a program or file NEEDED, gammu-smsd, sqlite3 or
# libdbd-sqlite3 is missing; then makes the scratch directory $W, on tmpfs when there is one
# (fsync would otherwise dominate both sides), removed on exit with smsd stopped.
bench_setup() {
    local name=$1 need base
    shift
    for need in "$@" gammu-smsd sqlite3 /usr/share/doc/gammu-smsd/examples/sqlite.sql; do
        command -v "$need" >/dev/null || [ -e "$need" ] || { echo "bench/$name: missing $need" >&2; exit 77; }
    done
    ls /usr/lib/*/dbd/libdbdsqlite3.so >/dev/null 2>&1 ||
        { echo "bench/$name: gammu-smsd needs libdbd-sqlite3" >&2; exit 77; }
    base=/dev/shm
    [ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
    W=$(mktemp -d -p "$base" wadul-bench.XXXXXX)
    trap 'smsd_stop; rm -rf "$W"' EXIT
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }

# smsd_config RC PHONE DBDIR [KEY = VALUE...]: a fresh database in DBDIR (the schema Debian ships,
# WAL) and an SQL service on SQLite (libdbd-sqlite3) over the
# dummy phone PHONE, every periodic check off, debug off; the extra lines tune the loop.
smsd_config() {
    local rc=$1 phone=$2 db=$3
    shift 3
    mkdir -p "$db"
    sqlite3 "$db/smsd.db" </usr/share/doc/gammu-smsd/examples/sqlite.sql
    sqlite3 "$db/smsd.db" "PRAGMA journal_mode=WAL;" >/dev/null
    {
        printf '[gammu]\ndevice = %s\nmodel = dummy\nconnection = none\n\n[smsd]\n' "$phone"
        printf 'service = sql\ndriver = sqlite3\ndbdir = %s/\ndatabase = smsd.db\n' "$db"
        printf 'logfile = %s/smsd.log\ndebuglevel = 0\nphoneid = bench\n' "$db"
        printf 'checksecurity = 0\ncheckbattery = 0\nchecksignal = 0\nchecknetwork = 0\n'
        printf 'statusfrequency = 0\n'
        for line in "$@"; do printf '%s\n' "$line"; done
    } >"$rc"
}

# smsd_run RC SQL N: starts gammu-smsd and waits until the query SQL on its database counts N;
# sets smsd_s (seconds) and smsd_kb (peak RSS), and stops it.
smsd_pid=
smsd_run() {
    local rc=$1 sql=$2 want=$3 db t0 t1 n
    db=$(sed -n 's/^dbdir = //p' "$rc")smsd.db
    t0=$(now)
    gammu-smsd -c "$rc" >"$rc.stdout" 2>&1 &
    smsd_pid=$!
    while :; do
        n=$(sqlite3 -cmd ".timeout 2000" "$db" "$sql" 2>/dev/null || echo 0)
        [ "${n:-0}" -ge "$want" ] && break
        kill -0 "$smsd_pid" 2>/dev/null || { echo "gammu-smsd died; see $(dirname "$db")/smsd.log" >&2; exit 1; }
        sleep 0.05
    done
    t1=$(now)
    smsd_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$smsd_pid/status")
    kill "$smsd_pid"
    wait "$smsd_pid" 2>/dev/null || true
    smsd_pid=
    smsd_s=$(elapsed "$t0" "$t1")
}

smsd_stop() {
    if [ -n "$smsd_pid" ]; then kill "$smsd_pid" 2>/dev/null || true; wait "$smsd_pid" 2>/dev/null || true; fi
}
