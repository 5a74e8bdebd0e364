# How the tools open the store: read-only views never create one (exit 66 naming the missing
# file), the runs that own transitions create it with mode 0640, and a store this user cannot
# enter, read or write is named with the user (exit 77), whatever statement met it.
# As root, the permission checks run as nobody (setpriv); otherwise as the user with chmod.
set -u
BIN=${WADUL_BIN:?}; SRC=${WADUL_SRC:?}
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 77; }
export LC_ALL=C.UTF-8 TZ=UTC WADUL_NOW=2026-01-12T09:00:00+07:00
unset WADUL_CONFIG
umask 022
T=$(mktemp -d)
chmod 755 "$T"
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect CODE STDERR "description" command...: the exit code and the whole of stderr.
expect() {
    local want=$1 err=$2 what=$3; shift 3
    local rc=0
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$what: exit $rc, expected $want (stderr: $(cat "$T/err"))"
    [ "$(cat "$T/err")" = "$err" ] || fail "$what: stderr '$(cat "$T/err")', expected '$err'"
}
mode() { stat -c %a "$1"; }

cp "$SRC/etc/holidays/2026.toml" "$T/2026.toml"
cat >"$T/wadul.toml" <<CONF
[store]
path = "$T/wadul.db"
busy_timeout_ms = 200
[registry]
path = ""
[log]
syslog = false
[sla]
holiday_files = ["$T/2026.toml"]
CONF
chmod 644 "$T/wadul.toml" "$T/2026.toml"
C="-c $T/wadul.toml"

# --- Read-only views of a store that does not exist: 66, and nothing is created.
typo=$T/typo.db
missing="cannot open store '$typo': no such file"
expect 66 "wadul-sla: error: $missing" "sla --check" "$BIN/wadul-sla" $C --store "$typo" --check
expect 66 "wadul-sla: error: $missing" "sla status" "$BIN/wadul-sla" $C --store "$typo" status
expect 66 "wadul-sla: error: $missing" "sla status --check" "$BIN/wadul-sla" $C --store "$typo" status --check
expect 66 "wadul-forward: error: $missing" "forward queue" "$BIN/wadul-forward" $C --store "$typo" queue
expect 66 "wadul-route: error: $missing" "route triage" "$BIN/wadul-route" $C --store "$typo" triage
expect 66 "wadul-route: error: $missing" "route agencies" "$BIN/wadul-route" $C --store "$typo" agencies
expect 66 "wadul-route: error: $missing" "route explain" "$BIN/wadul-route" $C --store "$typo" explain "jalan rusak"
expect 66 "wadul-report: error: $missing" "report complaints" "$BIN/wadul-report" $C --store "$typo" complaints
[ -e "$typo" ] && fail "a read-only view created '$typo'"
[ -e "$typo-wal" ] || [ -e "$typo-shm" ] && fail "a read-only view created '$typo-wal' or '$typo-shm'"
[ -s "$T/out" ] && fail "a refused view printed on stdout: $(cat "$T/out")"

# An empty file is no store yet for a view (66), and stays empty.
: >"$T/empty.db"
expect 66 "wadul-report: error: cannot open store '$T/empty.db': the file is empty (no wadul run has written it yet)" \
    "report on an empty file" "$BIN/wadul-report" $C --store "$T/empty.db" complaints
[ -s "$T/empty.db" ] && fail "a view wrote into an empty file"
# Another program's SQLite database (gammu-smsd's, say) is never turned into a wadul store (65).
sqlite3 "$T/smsd.db" "CREATE TABLE inbox(id INTEGER); CREATE TABLE outbox(id INTEGER)"
other="cannot open store '$T/smsd.db': it is another program's SQLite database (tables inbox, outbox...), not a wadul store; store.path must name wadul's own file"
expect 65 "wadul-fetch: error: $other" "fetch on another database" "$BIN/wadul-fetch" $C --store "$T/smsd.db"
expect 65 "wadul-report: error: $other" "report on another database" "$BIN/wadul-report" $C --store "$T/smsd.db" complaints
[ "$(sqlite3 "$T/smsd.db" "SELECT group_concat(name) FROM sqlite_master")" = "inbox,outbox" ] ||
    fail "tables were added to another program's database"

# --- The runs that own transitions create it, not world-readable.
expect 0 "" "sla sweep creates the store" "$BIN/wadul-sla" $C
[ -f "$T/wadul.db" ] || fail "wadul-sla (sweep) did not create the store"
[ "$(mode "$T/wadul.db")" = 640 ] || fail "a new store has mode $(mode "$T/wadul.db"), expected 640"
for tool in wadul-route wadul-forward; do
    rm -f "$T/new.db"
    extra=""; [ "$tool" = wadul-forward ] && extra=--no-send
    expect 0 "" "$tool creates the store" "$BIN/$tool" $C --store "$T/new.db" $extra
    [ "$(mode "$T/new.db" 2>/dev/null)" = 640 ] || fail "$tool: a new store has mode $(mode "$T/new.db" 2>&1), expected 640"
done
# The views read an existing store as before.
expect 0 "" "sla status on the new store" "$BIN/wadul-sla" $C status
expect 0 "" "forward queue on the new store" "$BIN/wadul-forward" $C queue
expect 0 "" "route triage on the new store" "$BIN/wadul-route" $C triage

# --- Permissions. As root: run as nobody, with files owned by root; else as this user, with chmod.
if [ "$(id -u)" = 0 ]; then
    if ! command -v setpriv >/dev/null || ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$BIN/wadul-sla"; then
        echo "setpriv missing or the binaries not reachable by nobody: permission checks skipped"
        [ "$fails" = 0 ] && echo ok && exit 0
        exit 1
    fi
    uid=65534
    as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    give() { chown 65534 "$@"; } # to the user the tools run as
else
    uid=$(id -u)
    as_user() { "$@"; }
    give() { :; }
fi

# A store this user can read but not write, in a directory it cannot write (cron's store, seen by
# another user): refused on open, at the first write SQLite tries (the WAL set-up).
mkdir "$T/ro"
"$BIN/wadul-sla" $C --store "$T/ro/wadul.db" || fail "cannot create the read-only test store"
chmod 644 "$T/ro/wadul.db"
[ "$(id -u)" = 0 ] || { chmod 444 "$T/ro/wadul.db"; chmod 555 "$T/ro"; }
readonly_msg="store '$T/ro/wadul.db' is read-only for this user (uid $uid)"
expect 77 "wadul-sla: error: $readonly_msg" "read-only store, sla status" as_user "$BIN/wadul-sla" $C --store "$T/ro/wadul.db" status
expect 77 "wadul-fetch: error: $readonly_msg" "read-only store, fetch" as_user "$BIN/wadul-fetch" $C --store "$T/ro/wadul.db"
chmod 755 "$T/ro"

# A 0444 store in a directory this user may write: opened, then refused at the first write (here,
# loading the registry), naming the store rather than the statement.
mkdir "$T/rw"
"$BIN/wadul-sla" $C --store "$T/rw/wadul.db" || fail "cannot create the 0444 test store"
chmod 444 "$T/rw/wadul.db"
give "$T/rw" "$T/rw/wadul.db"
cat >"$T/agencies.toml" <<'TOML'
[[agency]]
code = "DPU"
name = "Dinas Pekerjaan Umum"
duties = ["jalan rusak"]
  [[agency.officer]]
  name = "Budi"
  phone = "081200000101"
TOML
chmod 644 "$T/agencies.toml"
sed "s|^path = \"\"|path = \"$T/agencies.toml\"|" "$T/wadul.toml" >"$T/reg.toml"
chmod 644 "$T/reg.toml"
expect 77 "wadul-route: error: store '$T/rw/wadul.db' is read-only for this user (uid $uid)" \
    "0444 store, a write" as_user "$BIN/wadul-route" -c "$T/reg.toml" --store "$T/rw/wadul.db"
[ "$(sqlite3 "$T/rw/wadul.db" 'SELECT count(*) FROM agency')" = 0 ] || fail "0444 store: the registry was written"

# A directory this user cannot enter: a permission problem (77), not "no such file" (73 or 66).
mkdir "$T/closed"
if [ "$(id -u)" = 0 ]; then chmod 700 "$T/closed"; else chmod 000 "$T/closed"; fi
closed="cannot open store '$T/closed/wadul.db': directory '$T/closed' is not accessible to this user (uid $uid)"
expect 77 "wadul-sla: error: $closed" "closed directory, sweep" as_user "$BIN/wadul-sla" $C --store "$T/closed/wadul.db"
expect 77 "wadul-sla: error: $closed" "closed directory, status" as_user "$BIN/wadul-sla" $C --store "$T/closed/wadul.db" status
chmod 755 "$T/closed"

# A directory this user cannot write: the new store cannot be created there (77).
mkdir "$T/nowrite"
[ "$(id -u)" = 0 ] || chmod 555 "$T/nowrite"
expect 77 "wadul-sla: error: cannot create store '$T/nowrite/wadul.db': directory '$T/nowrite' is not writable by this user (uid $uid)" \
    "unwritable directory, sweep" as_user "$BIN/wadul-sla" $C --store "$T/nowrite/wadul.db"
[ -e "$T/nowrite/wadul.db" ] && fail "a store appeared in the unwritable directory"

[ "$fails" = 0 ] && echo ok
[ "$fails" = 0 ]
