# wadul-forward never sends a message whose occasion is gone by the time it would go out: a
# reminder or escalation (queued by wadul-sla one pipeline tick earlier) whose stage ended since —
# TERIMA arrived, the admin assigned the complaint elsewhere, closed or paused it — and an approval
# request for an answer a newer JAWAB replaced. Each is cancelled ('cancelled', with the reason); a
# reminder still valid goes out. Against the dummy phone, with the real wadul-fetch, wadul-sla
# and wadul-route, in the pipeline's order.
. "$WADUL_SRC/tests/support/forward_env.sh"
use_sla
ROUTE="$WADUL_BIN/wadul-route"
sla_ok() {
    "$SLA" -c "$T/wadul.toml" >"$T/out" 2>"$T/err" || fail "wadul-sla exited $?: $(cat "$T/err")"
    [ ! -s "$T/err" ] || fail "wadul-sla stderr: $(cat "$T/err")"
}
admin() { "$ROUTE" -c "$T/wadul.toml" "$@" --by rina >"$T/out" 2>&1 || fail "wadul-route $*: $(cat "$T/out")"; }
# The outbound rows of PURPOSE for TICKET: "recipient status" lines.
rows_of() { q "SELECT o.recipient || ' ' || o.status FROM outbound o JOIN complaint c ON c.id = o.complaint_id
               WHERE c.ticket = '$1' AND o.purpose = '$2' ORDER BY o.id"; }
# Reminders and escalations the last run sent about TICKET.
sla_sent() { grep -F "$1" "$T/sent" | grep -E 'Pengingat WADUL|melewati batas waktu' | cut -f1 | sort | tr '\n' ' '; }

# Monday 09:00: five complaints, routed to DPUPR at 09:01, forwarded at 09:02.
for i in 1 2 3 4 5; do sms +628570000010$i "Jalan rusak nomor $i di Desa Sumber, mohon diperbaiki"; done
cycle
for i in 1 2 3 4 5; do
    eval "t$i=\$(ticket_of +628570000010$i)"
    route "$(ticket_of +628570000010$i)" DPUPR
done
tick
forward_ok
for t in $t1 $t2 $t3 $t4 $t5; do expect_eq "$(status_of "$t")" forwarded "status of $t"; done

# 09:17: the disposition (30 minutes) is half used: wadul-sla queues each a reminder to the
# liaison and the head.
tick 900
sla_ok
expect_eq "$(q "SELECT count(*) FROM outbound WHERE purpose = 'reminder' AND status = 'queued'")" 10 "reminders queued"

# Meanwhile the stage of four of them ends: TERIMA for 1; the admin assigns 2 to DINKES, closes
# 3, pauses 4 (waiting on the citizen). Only 5's reminders are still true.
sms $LIAISON "TERIMA $t1"
admin assign "$t2" DINKES
admin close "$t3" "duplikat"
admin pause "$t4" "minta alamat lengkap"
cycle
expect_eq "$(status_of "$t1")" accepted "status after TERIMA"
expect_eq "$(sla_sent "$t5")" "$LIAISON $HEAD " "the reminder still valid is sent"
expect_has "$(grep -F "$t5" "$T/sent")" "menunggu disposisi Kepala OPD (TERIMA)" "its text"
for t in $t1 $t2 $t3 $t4; do
    expect_eq "$(sla_sent "$t")" "" "reminders sent for $t after its stage ended"
    expect_eq "$(rows_of "$t" reminder)" "$LIAISON cancelled
$HEAD cancelled" "reminder rows of $t"
done
expect_has "$(sent_to $OTHER)" "WADUL $t2" "the new agency gets the forward"
why() { q "SELECT DISTINCT o.last_error FROM outbound o JOIN complaint c ON c.id = o.complaint_id
           WHERE c.ticket = '$1' AND o.purpose = '$2'"; }
expect_eq "$(why "$t1" reminder)" "stale: the disposition stage has ended (now in the answer stage) before it was sent" "reason for 1"
expect_eq "$(why "$t2" reminder)" "stale: the disposition stage has ended (now in a new disposition stage) before it was sent" "reason for 2"
expect_eq "$(why "$t3" reminder)" "stale: the complaint was closed before it was sent" "reason for 3"
expect_eq "$(why "$t4" reminder)" "stale: the complaint is paused (waiting on the citizen) before it was sent" "reason for 4"
forward_ok
expect_eq "$(wc -l <"$T/sent")" 0 "a cancelled reminder stays cancelled"

# 09:35: 5's disposition is overdue: the breach, and the escalation to the head. Before the next
# wadul-forward, the admin assigns 5 to DINKES and closes it.
tick 900
sla_ok
expect_eq "$(rows_of "$t5" escalation)" "$HEAD queued" "escalation queued"
admin assign "$t5" DINKES
admin close "$t5" "sudah ditangani"
tick
forward_ok
expect_eq "$(sla_sent "$t5")" "" "escalation sent after re-assigning and closing"
expect_eq "$(rows_of "$t5" escalation)" "$HEAD cancelled" "escalation cancelled"
expect_eq "$(why "$t5" escalation)" "stale: the complaint was closed before it was sent" "reason for the escalation"

# An approval request for an answer replaced before it went out (wadul-forward --no-send in
# between, or the modem away): the head is asked about the last answer only.
sms $LIAISON "JAWAB $t1 Jawaban pertama: lubang ditambal minggu depan"
cycle --no-send
sms $LIAISON "JAWAB $t1 Jawaban kedua: lubang sudah ditambal hari ini"
cycle --no-send
expect_eq "$(rows_of "$t1" approval)" "$HEAD cancelled
$HEAD queued" "approval requests after the second JAWAB"
expect_eq "$(why "$t1" approval | head -1)" "superseded: a newer answer (JAWAB) replaced it" "reason"
forward_ok
expect_eq "$(count_to $HEAD)" 1 "approval requests sent to the head"
expect_has "$(sent_to $HEAD)" "Jawaban kedua" "the request is for the last answer"
expect_not "$(sent_to $HEAD)" "Jawaban pertama" "the replaced answer"

# The head sends REVISI on an earlier request while a new one waits: the queued one is dropped,
# since the answer no longer waits for approval.
sms $LIAISON "JAWAB $t1 Jawaban ketiga: ditambal dan diaspal"
cycle --no-send
sms $HEAD "REVISI $t1 sebutkan tanggalnya"
cycle
expect_eq "$(status_of "$t1")" accepted "status after REVISI"
expect_not "$(sent_to $HEAD)" "Jawaban ketiga" "approval request after REVISI"
expect_eq "$(q "SELECT o.status || ' ' || o.last_error FROM outbound o WHERE o.purpose = 'approval' ORDER BY o.id DESC LIMIT 1")" \
    "cancelled superseded: the answer no longer waits for approval" "the request left over"

# The sysadmin's list of failures holds none of these: nothing failed.
"$FWD" -c "$T/wadul.toml" queue --status failed --format tsv >"$T/q" || fail "queue exited $?"
expect_eq "$(tail -n +2 "$T/q")" "" "failed messages"
"$FWD" -c "$T/wadul.toml" queue --status cancelled >"$T/q" || fail "queue exited $?"
expect_has "$(cat "$T/q")" "cancelled     0" "a cancelled reminder in the listing"
expect_has "$(cat "$T/q")" "  stale: the complaint was closed before it was sent" "its reason, unmarked"
echo ok
