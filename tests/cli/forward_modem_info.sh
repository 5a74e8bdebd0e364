# wadul-forward modem: the dummy phone's identity, network, signal and SMS memory, in text and
# JSON; no store opened; a warning when the SIM's SMS memory is nearly full; 75 while another run
# holds the modem lock; 69 when the modem cannot be opened.
. "$WADUL_SRC/tests/support/fetch_env.sh"
FWD="$WADUL_BIN/wadul-forward"
modem() { rc=0; "$FWD" -c "$T/wadul.toml" modem "$@" >"$T/out" 2>"$T/err" || rc=$?; }

modem
expect_eq "$rc" 0 "exit code"
[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"
expect_eq "$(cat "$T/out")" "device        $T/phone
manufacturer  Gammu
model         Dummy
firmware      1.42.0
imei          999999999999999
network       home, 999 99 (GammuT3l)
signal        42 dBm, 42 %
sms memory    SIM 0 of 10000 used; phone 0 of 10000 used" "text report"
[ ! -e "$T/wadul.db" ] || fail "the modem report created a store"

"$MKSMS" "$T/phone" --bulk 9100
modem --format json
expect_eq "$rc" 0 "exit code, SIM nearly full"
grep -q '"network":{"state":"home","code":"999 99","name":"GammuT3l"}' "$T/out" || fail "json: $(cat "$T/out")"
grep -q '"sms_memory":{"sim_used":9100,"sim_size":10000,' "$T/out" || fail "json memory: $(cat "$T/out")"
grep -q '"usable":true}$' "$T/out" || fail "json usable: $(cat "$T/out")"
expect_eq "$(cat "$T/err")" "wadul-forward: warning: the SIM's SMS memory is nearly full (9100 of 10000): new SMS are refused when it is full; wadul-fetch empties it at each run" "the warning"
rc=0; "$FWD" -c "$T/wadul.toml" -q modem >/dev/null 2>"$T/err" || rc=$?
expect_eq "$rc:$(cat "$T/err")" "0:" "-q silences the warning"

# Another run holds the modem lock (this shell, here): 75, and the modem is not touched.
mkdir -p "$T/run"
exec 9>"$T/run/modem.lock"
flock -n 9 || fail "cannot take the modem lock for the test"
modem
exec 9>&-
expect_eq "$rc" 75 "exit code while the lock is held"
[ ! -s "$T/out" ] || fail "stdout while the lock is held: $(cat "$T/out")"

sed -i "s|^device = \"$T/phone\"|device = \"$T/nophone\"|" "$T/wadul.toml"
modem
expect_eq "$rc" 69 "exit code without the modem"
grep -q "^wadul-forward: error: cannot open modem '$T/nophone'" "$T/err" || fail "message: $(cat "$T/err")"
echo ok
