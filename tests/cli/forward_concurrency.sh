# Two wadul-forward runs at once send each message exactly once, against the dummy phone.
# First with separate lock files, so that both really send side by side and only the store's
# claims keep them apart; then with the shared modem lock, as cron runs them.
. "$WADUL_SRC/tests/support/forward_env.sh"
export WADUL_FORWARD_RATE_PER_MINUTE=6000

"$MKSMS" "$T/phone" --bulk 300
tick
fetch_ok
forward_ok --no-send
[ ! -e "$T/gammu.log" ] || fail "--no-send opened the modem"
expect_eq "$(q "SELECT count(*) FROM outbound WHERE status = 'queued'")" 300 "acks queued"

# both LOCK_A LOCK_B: two runs started together; exit codes in $rc_a $rc_b, logs in $T/a.log $T/b.log.
both() {
    rm -f "$T/a.log" "$T/b.log"
    WADUL_MODEM_DEBUG_LOG="$T/a.log" WADUL_MODEM_LOCK="$1" "$FWD" -c "$T/wadul.toml" 2>"$T/a.err" &
    local pa=$!
    WADUL_MODEM_DEBUG_LOG="$T/b.log" WADUL_MODEM_LOCK="$2" "$FWD" -c "$T/wadul.toml" 2>"$T/b.err" &
    local pb=$!
    rc_a=0 rc_b=0
    wait $pa || rc_a=$?
    wait $pb || rc_b=$?
    for x in a b; do
        if [ -f "$T/$x.log" ]; then messages_in_log "$T/$x.log" >"$T/$x.sent"; else : >"$T/$x.sent"; fi
    done
}

tick
both "$T/run/lock.a" "$T/run/lock.b"
expect_eq "$rc_a $rc_b" "0 0" "exit codes (separate locks)"
[ ! -s "$T/a.err" ] && [ ! -s "$T/b.err" ] || fail "stderr: $(cat "$T/a.err" "$T/b.err")"
na=$(wc -l <"$T/a.sent") nb=$(wc -l <"$T/b.sent")
echo "separate locks: run A sent $na, run B sent $nb" >&2
expect_eq "$((na + nb))" 300 "messages sent by both runs"
expect_eq "$(cat "$T/a.sent" "$T/b.sent" | cut -f1 | sort -u | wc -l)" 300 "distinct recipients"
expect_eq "$(cat "$T/a.sent" "$T/b.sent" | cut -f1 | sort | uniq -d)" "" "a recipient served twice"
expect_eq "$(q "SELECT count(*) FROM outbound WHERE status = 'sent' AND attempts = 1")" 300 "store: sent once each"

# The shared lock: one run sends, the other finds the modem busy (75) or nothing left to do (0).
# New senders (the bulk ones would be follow-ups to their open complaints, which get no ack).
for i in $(seq 100); do printf '+628580000%04d\t-\tKeluhan baru nomor %d\n' "$i" "$i"; done | "$MKSMS" "$T/phone"
tick
fetch_ok
forward_ok --no-send
tick
both "$T/run/modem.lock" "$T/run/modem.lock"
case "$rc_a $rc_b" in "0 0" | "0 75" | "75 0") ;; *) fail "exit codes (shared lock): $rc_a $rc_b" ;; esac
na=$(wc -l <"$T/a.sent") nb=$(wc -l <"$T/b.sent")
echo "shared lock: run A sent $na (exit $rc_a), run B sent $nb (exit $rc_b)" >&2
expect_eq "$((na + nb))" 100 "messages sent by both runs (shared lock)"
expect_eq "$(cat "$T/a.sent" "$T/b.sent" | cut -f1 | sort | uniq -d)" "" "a recipient served twice (shared lock)"
expect_eq "$(q "SELECT count(*) FROM outbound WHERE status = 'sent'")" 400 "store: all sent"
echo ok
