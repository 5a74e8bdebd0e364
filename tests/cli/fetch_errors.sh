# wadul-fetch's failures: store locked or modem lock busy -> 75, bad config -> 78 naming file:line,
# modem directory missing -> 69, gammurc missing -> 78; nothing is deleted from the phone.
. "$WADUL_SRC/tests/support/fetch_env.sh"
command -v flock >/dev/null || { echo "flock not installed" >&2; exit 77; }

printf '+6281234567001\t-\tLampu jalan mati.\n' | "$MKSMS" "$T/phone"
fetch_ok # creates the store
printf '+6281234567002\t-\tJalan berlubang.\n' | "$MKSMS" "$T/phone"

# Another wadul run holds the modem lock.
mkdir -p "$T/run"
exec 4>"$T/run/modem.lock"
flock -n 4 || fail "cannot take the lock for the test"
fetch 4>&-
exec 4>&-
expect_eq "$rc" 75 "exit code, modem lock busy"
expect_eq "$(cat "$T/err")" "wadul-fetch: error: modem is in use by another wadul run (lock '$T/run/modem.lock')" "stderr, lock busy"
[ ! -s "$T/out" ] || fail "stdout not empty"
expect_eq "$(inbox_count)" 1 "the phone untouched while the lock is held"

# Another process holds a write transaction on the store (busy_timeout_ms = 200).
mkfifo "$T/fifo"
sqlite3 "$T/wadul.db" <"$T/fifo" >/dev/null &
writer=$!
exec 3>"$T/fifo"
echo "BEGIN IMMEDIATE; INSERT INTO registry_state VALUES (1, 'x', 'y', 0); SELECT 'locked';" >&3
for _ in $(seq 50); do
    sqlite3 "$T/wadul.db" "PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || break
    sleep 0.1
done
fetch
echo "ROLLBACK;" >&3
exec 3>&-
wait "$writer" || true
expect_eq "$rc" 75 "exit code, store locked"
grep -q '^wadul-fetch: error: .*database is locked' "$T/err" || fail "stderr, store locked: $(cat "$T/err")"
expect_eq "$(inbox_count)" 1 "nothing deleted when the store is locked"
fetch_ok
expect_eq "$(inbox_count) $(q "SELECT count(*) FROM inbound")" "0 2" "stored once the store is free"

# A bad config names file:line.
cp "$T/wadul.toml" "$T/good.toml"
printf '[store]\npath = "%s/wadul.db"\n\n[modem]\nmultipart_timeout = "soon"\n' "$T" >"$T/wadul.toml"
fetch
expect_eq "$rc" 78 "exit code, bad value"
grep -q "^wadul-fetch: error: $T/wadul.toml:5:" "$T/err" || fail "stderr should name file:line: $(cat "$T/err")"
printf '[store]\npath = "%s/wadul.db"\nbogus_key = 1\n' "$T" >"$T/wadul.toml"
fetch
expect_eq "$rc" 78 "exit code, unknown key"
grep -q "^wadul-fetch: error: $T/wadul.toml:3:" "$T/err" || fail "stderr should name file:line: $(cat "$T/err")"
rc=0; "$FETCH" -c "$T/nonexistent.toml" 2>"$T/err" || rc=$?
expect_eq "$rc" 78 "exit code, missing config"

# The modem's directory is missing.
cp "$T/good.toml" "$T/wadul.toml"
sed -i "s|^device = .*|device = \"$T/no-such-phone\"|" "$T/wadul.toml"
fetch
expect_eq "$rc" 69 "exit code, modem missing"
grep -q "^wadul-fetch: error: cannot open modem '$T/no-such-phone': " "$T/err" || fail "stderr, modem missing: $(cat "$T/err")"

# Modem-side configuration errors are 78 (or 73 for the debug log), not 69, which reads as "modem
# unplugged": each names the key to fix. Nothing is read from the phone.
cp "$T/good.toml" "$T/wadul.toml"
printf '+6281234567004\t-\tAir PDAM mati.\n' | "$MKSMS" "$T/phone"
WADUL_MODEM_DEBUG_LOG="$T/nonexist/dir/log" fetch
expect_eq "$rc" 73 "exit code, debug log directory missing"
expect_eq "$(cat "$T/err")" "wadul-fetch: error: cannot open modem debug log '$T/nonexist/dir/log' (modem.debug_log): no such file or directory" "stderr, debug log"
WADUL_MODEM_CONNECTION=bogus fetch
expect_eq "$rc" 78 "exit code, unknown connection"
expect_eq "$(cat "$T/err")" "wadul-fetch: error: cannot open modem '$T/phone': modem.connection 'bogus' is not valid: Unknown connection type string. Check config file" "stderr, unknown connection"
# A connection type this libgammu was built without.
WADUL_MODEM_CONNECTION=irdaphonet fetch
expect_eq "$rc" 78 "exit code, connection disabled at compile time"
grep -q "^wadul-fetch: error: cannot open modem '$T/phone': modem.connection 'irdaphonet' is not valid: " "$T/err" || fail "stderr, disabled connection: $(cat "$T/err")"
expect_eq "$(inbox_count)" 1 "nothing read while the modem config is wrong"
# A debug log that works is created, not world-readable (it shows sent SMS in full), and written.
(umask 022; WADUL_MODEM_DEBUG_LOG="$T/gammu.log" fetch_ok)
expect_eq "$(stat -c %a "$T/gammu.log")" 640 "mode of a new debug log"
grep -q "GSM_GetNextSMS" "$T/gammu.log" || fail "libgammu did not write the debug log"

# A gammurc that does not exist (no inline device).
grep -v '^device\|^connection\|^model' "$T/good.toml" >"$T/wadul.toml"
sed -i "s|^\[modem\]|[modem]\ngammurc = \"$T/no-gammurc\"|" "$T/wadul.toml"
fetch
expect_eq "$rc" 78 "exit code, gammurc missing"
grep -q "^wadul-fetch: error: cannot read gammu config '$T/no-gammurc'" "$T/err" || fail "stderr, gammurc: $(cat "$T/err")"

# A gammurc that works, with a section number.
printf '[gammu]\ndevice = /nonexistent\n\n[gammu1]\ndevice = %s/phone\nmodel = dummy\nconnection = none\n' "$T" >"$T/gammurc"
sed -i "s|^gammurc = .*|gammurc = \"$T/gammurc\"\nsection = 1|" "$T/wadul.toml"
printf '+6281234567003\t-\tSampah menumpuk.\n' | "$MKSMS" "$T/phone"
fetch_ok
expect_eq "$(inbox_count) $(q "SELECT count(*) FROM inbound")" "0 4" "fetched through gammurc section 1"

# A bad connection in the gammurc names the gammurc's key.
sed -i 's/^connection = none/connection = bogus/' "$T/gammurc"
fetch
expect_eq "$rc" 78 "exit code, gammurc connection"
grep -q "^wadul-fetch: error: cannot open modem '$T/phone': connection 'bogus' in section \[gammu1\] of '$T/gammurc' is not valid: " "$T/err" || fail "stderr, gammurc connection: $(cat "$T/err")"
echo ok
