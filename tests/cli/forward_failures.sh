# wadul-forward when sending goes wrong, against the dummy phone: a crash right after the modem
# accepted a message (at most once: 'unknown', never resent automatically), a recipient the
# network keeps refusing (retried with backoff, then 'failed'), a text too long for
# forward.max_parts (libgammu's encoder counts the parts: failed at once), the modem missing (69,
# queue and attempts kept), the modem lock held (75), the rate limit, and the sysadmin's
# 'queue' and 'retry'.
. "$WADUL_SRC/tests/support/forward_env.sh"
C1=+6285700000011 C2=+6285700000012 C3=+6285700000013

# --- A crash between the modem accepting a message and the store recording it.
sms $C1 "Lampu penerangan jalan di Jl. Gatot Subroto mati"
sms $C2 "Sampah menumpuk di pasar Rembang"
tick
fetch_ok
WADUL_TEST_CRASH=after-send forward
[ "$rc" -gt 128 ] || fail "the crash hook did not kill wadul-forward (exit $rc)"
expect_eq "$(cut -f1 "$T/sent")" "$C1" "sent before the crash (debug log)"
expect_eq "$(q "SELECT recipient || ' ' || status || ' ' || attempts FROM outbound ORDER BY id")" "$C1 sending 1
$C2 queued 0" "queue after the crash"
# Within the lease: the row is left alone; the rest of the queue goes.
tick
forward_ok
expect_eq "$(cut -f1 "$T/sent")" "$C2" "sent within the lease"
expect_eq "$(q "SELECT status FROM outbound WHERE recipient = '$C1'")" sending "within the lease"
# After the lease: 'unknown', reported once, not resent.
tick 300
forward
expect_eq "$rc" 0 "exit after the lease expired"
expect_has "$(cat "$T/err")" "marked 'unknown', not resent" "warning"
expect_eq "$(wc -l <"$T/sent")" 0 "sent after the lease expired"
forward_ok
expect_eq "$(wc -l <"$T/sent")" 0 "sent by the next run"
id1=$(q "SELECT id FROM outbound WHERE recipient = '$C1'")
"$FWD" -c "$T/wadul.toml" queue --status unknown --format tsv >"$T/list" || fail "queue listing"
expect_eq "$(tail -n +2 "$T/list" | cut -f1,2,4)" "$id1	unknown	$C1" "the sysadmin's view (tsv)"
expect_eq "$(head -1 "$T/list" | cut -f1-3)" "id	status	attempts" "tsv header"
# The sysadmin decides to send it again.
"$FWD" -c "$T/wadul.toml" retry "$id1" || fail "retry"
forward_ok
expect_eq "$(cut -f1 "$T/sent")" "$C1" "sent after retry"
expect_eq "$(q "SELECT status FROM outbound WHERE id = $id1")" sent "status after retry"
# Sent again: a repeated id is one message, retried once.
q "UPDATE outbound SET status = 'unknown' WHERE id = $id1"
rc=0
"$FWD" -c "$T/wadul.toml" retry "$id1" "$id1" 2>"$T/err" || rc=$?
expect_eq "$rc" 0 "exit of retry with a repeated id"
[ ! -s "$T/err" ] || fail "retry with a repeated id: $(cat "$T/err")"
expect_eq "$(q "SELECT status FROM outbound WHERE id = $id1")" queued "status after retry with a repeated id"
forward_ok
expect_eq "$(cut -f1 "$T/sent")" "$C1" "sent once after retry with a repeated id"
rc=0
"$FWD" -c "$T/wadul.toml" retry 9999 2>"$T/err" || rc=$?
expect_eq "$rc" 65 "exit of retry with an unknown id"
expect_has "$(cat "$T/err")" "wadul-forward: error: cannot retry message 9999" "diagnostic"

# --- A recipient the network keeps refusing: attempt, backoff 60 s, 120 s, then failed.
export WADUL_FORWARD_MAX_ATTEMPTS=3 WADUL_FORWARD_RETRY_SECONDS=60
sms $C3 "Air PDAM tidak mengalir tiga hari"
tick
fetch_ok
WADUL_TEST_SEND_FAIL=$C3 forward_ok
id3=$(q "SELECT id FROM outbound WHERE recipient = '$C3'")
expect_eq "$(q "SELECT status || ' ' || attempts || ' ' || (next_attempt_at - $clock) FROM outbound WHERE id = $id3")" \
    "queued 1 60" "after the first failure"
tick 59
WADUL_TEST_SEND_FAIL=$C3 forward_ok
expect_eq "$(q "SELECT attempts FROM outbound WHERE id = $id3")" 1 "not retried before its time"
tick 1
WADUL_TEST_SEND_FAIL=$C3 forward_ok
expect_eq "$(q "SELECT status || ' ' || attempts || ' ' || (next_attempt_at - $clock) FROM outbound WHERE id = $id3")" \
    "queued 2 120" "after the second failure"
tick 120
WADUL_TEST_SEND_FAIL=$C3 forward
expect_eq "$rc" 0 "exit when a message fails"
expect_has "$(cat "$T/err")" "message $id3 (ack) to $C3 failed after 3 attempts" "warning for the sysadmin"
expect_eq "$(q "SELECT status || ' ' || attempts FROM outbound WHERE id = $id3")" "failed 3" "after the last attempt"
grep -q "$C3" "$T/sent.all" && fail "a refused message shows up in libgammu's log"
"$FWD" -c "$T/wadul.toml" queue --status failed >"$T/list" || fail "queue listing"
expect_has "$(cat "$T/list")" "! refused by the test hook" "the table shows the error"
tick 3600
forward_ok
expect_eq "$(wc -l <"$T/sent")" 0 "a failed message is not retried by itself"
"$FWD" -c "$T/wadul.toml" retry "$id3" || fail "retry"
forward_ok
expect_eq "$(cut -f1 "$T/sent")" "$C3" "sent after the sysadmin's retry"
unset WADUL_FORWARD_MAX_ATTEMPTS WADUL_FORWARD_RETRY_SECONDS

# --- Too long for forward.max_parts: libgammu's encoder needs 2 parts, 1 allowed: failed at once.
export WADUL_FORWARD_APPROVAL=false # and approval off: JAWAB goes straight to the citizen
t=$(ticket_of $C3)
route "$t" DPUPR
tick
forward_ok
sms $LIAISON "JAWAB $t Pipa transmisi di Desa Sendangmulyo bocor dan sudah diganti oleh petugas PDAM pada hari Senin; aliran air sudah normal kembali sejak Selasa pagi. Mohon maaf atas gangguannya."
tick
fetch_ok
# The JAWAB is taken under the usual limit (under 1 part it would be refused, too long: see
# forward_long_answer.sh); only the send runs under the lower one.
forward_ok --no-send
WADUL_FORWARD_MAX_PARTS=1 forward
expect_eq "$rc" 0 "exit after a permanent failure"
expect_has "$(cat "$T/err")" "failed after 1 attempts: the text needs 2 SMS parts, more than the 1 allowed" "warning"
expect_eq "$(status_of "$t")" approved "status while the answer has not gone out"
expect_eq "$(q "SELECT actor FROM event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '$t' AND kind = 'approved'")" \
    system "approval off: approved by the system"
ida=$(q "SELECT id FROM outbound WHERE purpose = 'answer'")
"$FWD" -c "$T/wadul.toml" retry "$ida" || fail "retry"
forward_ok
expect_has "$(sent_to $C3)" "aliran air sudah normal kembali" "the answer after retry with the default max_parts"
expect_eq "$(awk -F '\t' -v to=$C3 '$1 == to' "$T/sent.parts" | wc -l)" 2 "parts"
expect_eq "$(status_of "$t")" closed "status after delivery"
unset WADUL_FORWARD_APPROVAL

# --- The modem missing: exit 69, the queue and its attempts untouched.
sms +6285700000014 "Jalan tergenang di depan kantor kecamatan"
tick
fetch_ok
mv "$T/phone" "$T/phone.away"
forward
expect_eq "$rc" 69 "exit without the modem"
expect_has "$(cat "$T/err")" "wadul-forward: error: cannot open modem" "diagnostic"
expect_eq "$(q "SELECT status || ' ' || attempts FROM outbound WHERE recipient = '+6285700000014'")" "queued 0" \
    "queue without the modem"
mv "$T/phone.away" "$T/phone"

# --- The modem lock held by another run: exit 75, replies still processed and queued.
mkdir -p "$T/run"
exec 9>"$T/run/modem.lock" # this shell holds the lock, as a running wadul-fetch would
flock -n 9 || fail "cannot take the modem lock for the test"
forward
exec 9>&-
expect_eq "$rc" 75 "exit while the lock is held"
expect_has "$(cat "$T/err")" "wadul-forward: error:" "diagnostic"
expect_eq "$(q "SELECT status FROM outbound WHERE recipient = '+6285700000014'")" queued "queue while locked"
forward_ok
expect_eq "$(cut -f1 "$T/sent")" "+6285700000014" "sent once the lock is free"

# --- The rate limit: parts per minute across runs, counted from the store.
printf '+62857000001%02d\t-\tKeluhan nomor %d\n' 21 21 22 22 23 23 | "$MKSMS" "$T/phone"
tick 120
fetch_ok
WADUL_FORWARD_RATE_PER_MINUTE=2 forward -v
expect_eq "$rc" 0 "exit at the rate limit"
expect_eq "$(wc -l <"$T/sent")" 2 "sent under a limit of 2 a minute"
expect_has "$(cat "$T/err")" "1 messages wait for the next run" "summary"
tick 30
WADUL_FORWARD_RATE_PER_MINUTE=2 forward_ok
expect_eq "$(wc -l <"$T/sent")" 0 "sent in the same minute"
tick 30
WADUL_FORWARD_RATE_PER_MINUTE=2 forward_ok
expect_eq "$(wc -l <"$T/sent")" 1 "sent in the next minute"

# --- Every message was received at most once, except the crashed one the sysadmin chose to resend.
expect_eq "$(cut -f1,3 "$T/sent.all" | sort | uniq -d | cut -f1)" "$C1" "messages received twice"
expect_eq "$("$FWD" -c "$T/wadul.toml" queue --format json | grep -c '"status": "sent"')" \
    "$(q "SELECT count(*) FROM outbound WHERE status = 'sent'")" "json listing"
echo ok
