# The modem down for hours (no credit, SIM blocked, modem hung): a complaint routed meanwhile stays
# 'routed' with its forward queued, and wadul-sla charges the agency nothing for it (no reminder,
# no escalation, no breach; `status` says unsent) while telling the sysadmin (-v) and, once, the
# admins (their SMS waits in the queue behind the forward, and is cancelled once the forward went
# out: the modem's outage is the sysadmin's). When the modem works again the forward goes out,
# the `forwarded` events carry the time of the send, and the agency's 30 minutes run from there. The real wadul-fetch, wadul-forward and wadul-sla against
# libgammu's dummy phone; the modem "breaks" as in forward_failures.sh: its device goes away.
. "$WADUL_SRC/tests/support/forward_env.sh"
use_sla
sla_ok() {
    "$SLA" -c "$T/wadul.toml" "$@" >"$T/out" 2>"$T/err" || fail "wadul-sla exited $?: $(cat "$T/err")"
}
iso() { date -u -d "@$(($1 + 7 * 3600))" +%Y-%m-%dT%H:%M:%S+07:00; }
# The SLA's SMS and events so far about the agency (the admins' notice that the forward has not
# gone out aside).
sla_rows() { q "SELECT count(*) FROM outbound WHERE purpose IN ('reminder', 'escalation') AND recipient <> '$ADMIN'"; }
sla_events() { q "SELECT count(*) FROM event WHERE kind IN ('reminded', 'escalated', 'breached')
                  AND coalesce(detail, '') <> 'disposition unsent 1'"; }
notice() { q "SELECT count(*) || ' ' || coalesce(group_concat(status), '') FROM outbound WHERE recipient = '$ADMIN'"; }

# Monday 30 November 09:01: a complaint, acknowledged while the modem still works.
sms $CITIZEN "Jembatan di Desa Sumber retak, mohon segera diperbaiki"
cycle
t=$(ticket_of $CITIZEN)
expect_eq "$(sent_to $CITIZEN | grep -c "$t")" 1 "the acknowledgement"

# 09:02 the modem is gone, and wadul-route sends the complaint to DPUPR.
mv "$T/phone" "$T/phone.away"
tick
route "$t" DPUPR
routed_at=$clock
# Three and a half hours of office time, wadul-forward and wadul-sla every few minutes as cron runs
# them: wadul-forward fails (69) with the forward kept queued, the complaint stays routed, and
# nothing reaches (or is queued for) the agency's officers or its head; after 30 office minutes
# one notice is queued for the admins.
waited=0
for step in 10 600 900 1800 3600 3600 1800; do
    waited=$((waited + step))
    tick "$step"
    forward
    expect_eq "$rc" 69 "wadul-forward without the modem at $WADUL_NOW"
    expect_has "$(cat "$T/err")" "wadul-forward: error: cannot open modem" "diagnostic at $WADUL_NOW"
    sla_ok
    [ ! -s "$T/err" ] || fail "wadul-sla stderr at $WADUL_NOW: $(cat "$T/err")"
    expect_eq "$(sla_rows)" 0 "reminders/escalations queued by $WADUL_NOW"
    expect_eq "$(sla_events)" 0 "SLA events by $WADUL_NOW"
    if [ "$waited" -ge 1800 ]; then want="1 queued"; else want="0 "; fi
    expect_eq "$(notice)" "$want" "the admins' notice by $WADUL_NOW"
done
expect_has "$(q "SELECT text FROM outbound WHERE recipient = '$ADMIN'")" \
    "WADUL: aduan $t untuk Dinas Pekerjaan Umum dan Penataan Ruang belum terkirim ke pejabat penghubungnya sejak" \
    "the admins' notice"
expect_eq "$(q "SELECT count(*) FROM event WHERE kind = 'escalated' AND detail = 'disposition unsent 1'")" 1 \
    "the notice's event"
expect_eq "$(status_of "$t")" routed "status while the modem is down"
expect_eq "$(events_of "$t")" "received routed escalated" "event log while the modem is down"
expect_eq "$(q "SELECT group_concat(recipient || ' ' || status || ' ' || attempts, ', ') FROM
                (SELECT * FROM outbound WHERE purpose = 'forward' ORDER BY id)")" \
    "$LIAISON queued 0, $HEAD queued 0" "the forward, queued once for each officer"
# The sysadmin's view: unsent since the routing, no deadline, no breach for --check.
sla_ok status --format tsv
expect_eq "$(grep -F "$t" "$T/out" | cut -f2-7)" \
    "DPUPR	disposition	$(iso $routed_at)			unsent" "wadul-sla status"
sla_ok status --check --format json
expect_has "$(cat "$T/out")" '"deadline": null, "left_minutes": null, "overdue": false, "paused": false, "unsent": true' \
    "wadul-sla status json"
sla_ok -v
expect_has "$(cat "$T/err")" "complaint '$t' was routed to DPUPR at" "the sweep's note for the sysadmin"
expect_has "$(cat "$T/err")" "its forward SMS has not been sent yet" "the sweep's note for the sysadmin"
sla_ok --check
"$WADUL_BIN/wadul-report" -c "$T/wadul.toml" show "$t" >"$T/out" 2>"$T/err" || fail "wadul-report show: $(cat "$T/err")"
expect_has "$(cat "$T/out")" "stage:     disposition since $(date -u -d "@$((routed_at + 7 * 3600))" '+%Y-%m-%d %H:%M'), no deadline yet (the forward SMS has not been sent)" \
    "wadul-report show"

# 12:28 the modem is back: the forward goes to the liaison and the head, the complaint is
# forwarded from now, one event per officer, at the send.
mv "$T/phone.away" "$T/phone"
tick
forward -v
expect_eq "$rc" 0 "wadul-forward with the modem back"
sent_at=$clock
expect_has "$(sent_to $LIAISON)" "$t" "the forward to the liaison"
expect_has "$(sent_to $HEAD)" "$t" "the forward to the head"
expect_has "$(cat "$T/err")" "complaint $t forwarded to Dinas Pekerjaan Umum dan Penataan Ruang" "the log"
expect_has "$(cat "$T/err")" "forwarded 1 complaints" "the summary"
expect_eq "$(status_of "$t")" forwarded "status once sent"
expect_eq "$(events_of "$t")" "received routed escalated forwarded forwarded" "event log once sent"
expect_eq "$(q "SELECT group_concat(DISTINCT at) FROM event WHERE kind = 'forwarded'")" "$sent_at" "time of the events"
# The admins' notice, behind the forward in the queue, is stale by the time it is claimed.
expect_eq "$(count_to $ADMIN)" 0 "the admins' notice sent after the forward"
expect_eq "$(q "SELECT status || ' ' || last_error FROM outbound WHERE recipient = '$ADMIN'")" \
    "cancelled stale: the forward SMS has reached the agency before it was sent" "the admins' notice"
expect_eq "$(q "SELECT count(DISTINCT officer_id) FROM event WHERE kind = 'forwarded'")" 2 "officers reached"
# Runs after that change nothing.
tick
forward_ok
expect_eq "$(events_of "$t")" "received routed escalated forwarded forwarded" "event log after another run"

# The agency's 30 minutes run from the send (12:28), not from the routing (09:02).
sla_ok status --format tsv
expect_eq "$(grep -F "$t" "$T/out" | cut -f3-5,7)" \
    "disposition	$(iso $sent_at)	$(iso $((sent_at + 1800)))	open" "wadul-sla status after the send"
tick 900 # 12:43: half of it used: the reminder, the first SLA message about the complaint
sla_ok
expect_eq "$(q "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM outbound WHERE purpose = 'reminder'
                ORDER BY recipient)")" "$LIAISON $HEAD" "the reminder after the send"
expect_eq "$(q "SELECT count(*) FROM event WHERE kind = 'breached'")" 0 "no breach before the deadline"
tick 1080 # 13:01, three minutes past the deadline (12:58): the breach, the head's escalation
sla_ok
expect_eq "$(q "SELECT at FROM event WHERE kind = 'breached' AND detail = 'disposition'")" "$((sent_at + 1800))" \
    "the breach, at the deadline counted from the send"
expect_eq "$(q "SELECT recipient FROM outbound WHERE purpose = 'escalation' AND status <> 'cancelled'")" "$HEAD" "the escalation"

# The modem works, but the network refuses the forward for good (the officer's number is dead):
# the complaint stays routed, and after 30 office minutes the admins are told, by SMS.
C2=+6285700000002
sms $C2 "Puskesmas Sumber tutup pada jam pelayanan"
cycle
t2=$(ticket_of $C2)
route "$t2" DINKES
for step in 10 60 120 240 480 960; do
    tick "$step"
    WADUL_TEST_SEND_FAIL=$OTHER forward
done
expect_eq "$(q "SELECT status FROM outbound WHERE purpose = 'forward' AND recipient = '$OTHER'")" failed \
    "the forward the network refused"
expect_eq "$(status_of "$t2")" routed "status of a complaint whose forward failed"
tick 120
sla_ok
forward_ok
expect_eq "$(count_to $ADMIN)" 1 "the admins' notice about the failed forward"
expect_has "$(sent_to $ADMIN)" "WADUL: aduan $t2 untuk Dinas Kesehatan belum terkirim ke pejabat penghubungnya sejak" \
    "its text"
# Once only.
tick 3600
sla_ok
forward_ok
expect_eq "$(count_to $ADMIN)" 0 "a second notice"
echo ok
