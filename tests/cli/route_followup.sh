# wadul-route end to end with wadul-fetch and wadul-forward: a greeting sent first opens the
# complaint and goes to triage; the complaint itself, a minute later, is a follow-up that the next
# routing run reads, and the forward carries both texts. A CEK on the way is no follow-up.
. "$WADUL_SRC/tests/support/forward_env.sh"
ROUTE="$WADUL_BIN/wadul-route"
C2=+6285700000002
route_run() {
    rc=0
    "$ROUTE" -c "$T/wadul.toml" "$@" >"$T/out" 2>"$T/err" || rc=$?
}
route_ok() {
    route_run "$@"
    [ "$rc" = 0 ] || { cat "$T/err" >&2; fail "wadul-route exited $rc"; }
    [ ! -s "$T/err" ] || fail "stderr not empty: $(cat "$T/err")"
}

sms $C2 "Assalamualaikum pak bupati"
cycle
t=$(ticket_of $C2)
route_ok
[ ! -s "$T/out" ] || fail "cron run printed: $(cat "$T/out")"
expect_eq "$(status_of "$t")" triage "the greeting alone"
tick
forward_ok

sms $C2 "Jalan rusak parah di desa Sumber, banyak lubang, mohon diperbaiki"
cycle
expect_eq "$(q "SELECT count(*) FROM complaint WHERE reporter = '$C2'")" 1 "one complaint"
expect_eq "$(events_of "$t")" "received triaged followup" "events before the next run"
# The admin's list shows the complaint itself, not only the greeting.
route_ok triage
expect_has "$(cat "$T/out")" "Assalamualaikum pak bupati / Jalan rusak parah" "triage table"
route_ok triage --format tsv
expect_has "$(tail -1 "$T/out")" "Jalan rusak parah di desa Sumber" "triage tsv"

# A CEK is answered, not read as the complaint.
sms $C2 "CEK $t"
cycle
expect_eq "$(events_of "$t")" "received triaged followup" "a CEK is no follow-up"
expect_has "$(sent_to $C2)" "$t" "the CEK reply"

route_run -v
[ "$rc" = 0 ] || { cat "$T/err" >&2; fail "wadul-route -v exited $rc"; }
expect_eq "$(status_of "$t")" routed "after the next run"
expect_eq "$(q "SELECT a.code FROM complaint c JOIN agency a ON a.id = c.agency_id WHERE c.ticket = '$t'")" DPUPR "agency"
expect_has "$(q "SELECT detail FROM event e JOIN complaint c ON c.id = e.complaint_id
                 WHERE c.ticket = '$t' AND e.kind = 'routed'")" "1 follow-up SMS read with the text; duty words: jalan rusak" "routed detail"
expect_has "$(cat "$T/err")" "1 routed, 0 to triage" "the -v summary"
route_ok triage
[ ! -s "$T/out" ] || fail "triage queue not empty: $(cat "$T/out")"

# The officer's forward carries both texts.
tick
forward_ok
expect_has "$(sent_to $LIAISON)" "Assalamualaikum pak bupati / Jalan rusak parah" "the forward"
expect_eq "$(status_of "$t")" forwarded "forwarded"

# Re-runs change nothing.
n=$(q "SELECT count(*) FROM event")
route_ok
expect_eq "$(q "SELECT count(*) FROM event")" "$n" "events after a re-run"
echo ok
