# wadul-fetch with the store's disk full: the run fails with exit 74 naming the store and the full
# disk; what was committed before stays, nothing the store does not hold is deleted from the
# phone, and once there is room again the next run stores every message exactly once.
# The full disk is a small tmpfs in a private mount namespace (unshare -rm: the test runs itself
# again inside one); skipped where the kernel does not give an unprivileged user one.
if [ -z "${WADUL_IN_NS:-}" ]; then
    command -v unshare >/dev/null || { echo "unshare not installed" >&2; exit 77; }
    unshare -rm true 2>/dev/null || { echo "no private mount namespace for this user" >&2; exit 77; }
    WADUL_IN_NS=1 exec unshare -rm bash "$0"
fi
. "$WADUL_SRC/tests/support/fetch_env.sh"
mkdir "$T/small"
mount -t tmpfs -o size=400k tmpfs "$T/small" || { echo "cannot mount a tmpfs" >&2; exit 77; }
trap 'umount "$T/small"; rm -rf "$T"' EXIT
sed -i "s|^path = \"$T/wadul.db\"|path = \"$T/small/wadul.db\"|" "$T/wadul.toml"
grep -q "small/wadul.db" "$T/wadul.toml" || fail "the test config names no store on the small disk"
q() { sqlite3 -batch "$T/small/wadul.db" "$1"; }

"$MKSMS" "$T/phone" --bulk 1500
expect_eq "$(inbox_count)" 1500 "parts on the phone before"
fetch
expect_eq "$rc" 74 "exit code with the disk full"
grep -qx "wadul-fetch: error: store '$T/small/wadul.db': .*: the disk is full (free space on its file system and run again)" \
    "$T/err" || fail "message: $(cat "$T/err")"
stored=$(q "SELECT count(*) FROM sms_part")
[ "$stored" -gt 0 ] && [ "$stored" -lt 1500 ] || fail "parts stored before the disk filled: $stored"
left=$(inbox_count)
[ $((stored + left)) -ge 1500 ] || fail "$stored parts stored and $left left on the phone: some were lost"
expect_eq "$(q "PRAGMA integrity_check")" ok "store integrity"

mount -o remount,size=20m "$T/small"
fetch_ok
expect_eq "$(inbox_count)" 0 "parts left on the phone"
expect_eq "$(q "SELECT count(*), count(DISTINCT text) FROM inbound")" "1500|1500" "inbound rows, once each"
expect_eq "$(q "SELECT count(*), count(DISTINCT ticket) FROM complaint")" "1500|1500" "complaints"
expect_eq "$(q "PRAGMA integrity_check")" ok "store integrity"
echo ok
