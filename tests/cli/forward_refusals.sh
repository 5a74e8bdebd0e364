# wadul-forward against the dummy phone: what must change nothing. REVISI, TOLAK, a JAWAB from an
# unregistered number, an officer of another agency, an unknown ticket, a repeated JAWAB,
# a malformed command, and a reply without a ticket while two complaints are open.
. "$WADUL_SRC/tests/support/forward_env.sh"

# Two complaints, both forwarded to DPUPR.
sms $CITIZEN "Jembatan gantung di Desa Kalipang miring dan berbahaya"
sms +6285700000002 "Saluran air di Jl. Pemuda tersumbat, air meluap ke jalan"
cycle
a=$(ticket_of $CITIZEN)
b=$(ticket_of +6285700000002)
route "$a" DPUPR
route "$b" DPUPR
tick
forward_ok

# No ticket while two complaints are open: the officer is asked which.
sms $LIAISON "TERIMA"
cycle
expect_eq "$(status_of "$a") $(status_of "$b")" "forwarded forwarded" "statuses after a TERIMA without ticket"
ask=$(sent_to $LIAISON)
expect_has "$ask" "2 aduan terbuka" "the question"
expect_has "$ask" "$a" "the question names A"
expect_has "$ask" "$b" "the question names B"

# A JAWAB from an unregistered number (an officer's new phone, or a forgery): nothing changes, it
# is logged once (wadul-fetch and wadul-forward both look at it), it opens no complaint, and the
# sender is told the number is not registered.
sms $STRANGER "JAWAB $a sudah diperbaiki, kasus ditutup"
cycle
expect_eq "$(status_of "$a")" forwarded "status after the forged JAWAB"
expect_eq "$(q "SELECT count(*) FROM event e JOIN complaint c ON c.id = e.complaint_id
                WHERE c.ticket = '$a' AND e.kind = 'rejected' AND e.actor = '$STRANGER'")" 1 "forgery logged"
expect_eq "$(count_to $CITIZEN)" 0 "the citizen hears nothing of the forgery"
expect_eq "$(count_to $STRANGER)" 1 "one reply to the unregistered number"
expect_has "$(sent_to $STRANGER)" "tidak terdaftar sebagai pejabat penghubung" "the sender is told"
expect_not "$(sent_to $STRANGER)" "aduan Anda kami terima" "no acknowledgement of a complaint"
expect_eq "$(q "SELECT count(*) FROM complaint WHERE reporter = '$STRANGER'")" 0 "no complaint from the command"

# An officer of another agency: nothing changes, logged, told the ticket is not theirs.
sms $OTHER "JAWAB $a ini bukan urusan kami tapi sudah beres"
cycle
expect_eq "$(status_of "$a")" forwarded "status after another agency's JAWAB"
expect_has "$(sent_to $OTHER)" "tidak ditemukan" "reply to the other agency's officer"
expect_eq "$(q "SELECT count(*) FROM event WHERE kind = 'rejected' AND actor = '$OTHER'")" 1 "logged"

# An unknown (well-formed) ticket and a mistyped one.
sms $LIAISON "TERIMA 000001Y"
sms $LIAISON "TERIMA 7KQ4MX2"
cycle
expect_has "$(sent_to $LIAISON)" "Tiket 000001Y tidak ditemukan" "reply to an unknown ticket"
expect_has "$(sent_to $LIAISON)" "Format balasan" "help after a mistyped ticket"
expect_eq "$(count_to $LIAISON)" 2 "replies to the liaison"

# Malformed: JAWAB without an answer gets the help text.
sms $LIAISON "JAWAB $a"
cycle
expect_has "$(sent_to $LIAISON)" "Format balasan: TERIMA tiket" "help text"
expect_eq "$(status_of "$a")" forwarded "status after a malformed JAWAB"

# REVISI: the head sends the answer back; the liaison answers again; the head approves.
sms $LIAISON "TERIMA $a"
sms $LIAISON "JAWAB $a Jembatan sudah dicek"
cycle
expect_eq "$(status_of "$a")" answered "status after JAWAB"
sms $HEAD "revisi $a sebutkan kapan perbaikan dimulai"
cycle
expect_eq "$(status_of "$a")" accepted "status after REVISI"
expect_has "$(sent_to $LIAISON)" "perlu direvisi: sebutkan kapan perbaikan dimulai" "revision note to the liaison"
expect_eq "$(count_to $CITIZEN)" 0 "the citizen before approval"
# The liaison may not approve; the head does.
sms $LIAISON "JAWAB $a Perbaikan dimulai 7 Desember oleh tim DPUPR"
cycle
sms $LIAISON "SETUJU $a"
cycle
expect_eq "$(status_of "$a")" answered "status after a liaison's SETUJU"
expect_has "$(sent_to $LIAISON)" "hanya oleh Kepala OPD" "reply to a liaison who tries to approve"
expect_not "$(sent_to $LIAISON)" "Format balasan" "no format help to a liaison who tries to approve"
# A repeated JAWAB with the same text while waiting for approval changes nothing.
sms $LIAISON "JAWAB $a Perbaikan dimulai 7 Desember oleh tim DPUPR"
cycle
expect_eq "$(q "SELECT count(*) FROM event e JOIN complaint c ON c.id = e.complaint_id
                WHERE c.ticket = '$a' AND kind = 'answered'")" 2 "answers recorded"
expect_eq "$(count_to $HEAD)" 0 "no second approval request for the same answer"
sms $HEAD "SETUJU $a"
cycle
expect_eq "$(count_to $CITIZEN)" 1 "the answer"
expect_has "$(sent_to $CITIZEN)" "Perbaikan dimulai 7 Desember oleh tim DPUPR" "the revised answer"
expect_not "$(sent_to $CITIZEN)" "sudah dicek" "the first answer"
expect_eq "$(status_of "$a")" closed "status after delivery"
# A repeated JAWAB after the answer went out: refused, the citizen gets nothing more.
sms $LIAISON "JAWAB $a Perbaikan dimulai 8 Desember"
cycle
expect_eq "$(count_to $CITIZEN)" 0 "a repeated JAWAB reaches the citizen"
expect_has "$(sent_to $LIAISON)" "Tiket $a: sudah selesai" "the officer is told the stage"
expect_eq "$(status_of "$a")" closed "status after a repeated JAWAB"
expect_eq "$(events_of "$a")" \
    "received routed forwarded forwarded rejected rejected accepted answered revision answered rejected rejected approved delivered rejected" \
    "event log of A"

# TOLAK: B goes back to triage, without an agency, and the citizen hears nothing.
sms $LIAISON "Tolak $b saluran itu kewenangan BBWS Pemali-Juana"
cycle
expect_eq "$(status_of "$b")" triage "status after TOLAK"
expect_eq "$(q "SELECT agency_id IS NULL FROM complaint WHERE ticket = '$b'")" 1 "agency cleared"
expect_eq "$(q "SELECT detail FROM event WHERE kind = 'refused'")" "saluran itu kewenangan BBWS Pemali-Juana" "reason"
expect_eq "$(count_to +6285700000002)" 0 "the citizen of B"
# The former agency can no longer act on it.
sms $LIAISON "JAWAB $b sudah"
cycle
expect_eq "$(status_of "$b")" triage "status after a JAWAB on a refused complaint"
expect_has "$(sent_to $LIAISON)" "tidak ditemukan" "reply"
# The admin assigns it to another agency (the real wadul-route); it is forwarded there.
"$WADUL_BIN/wadul-route" -c "$T/wadul.toml" assign "$b" DINKES --by rina >"$T/out" 2>&1 ||
    fail "wadul-route assign: $(cat "$T/out")"
tick
forward_ok
expect_has "$(sent_to $OTHER)" "WADUL $b" "forward after re-routing"
expect_eq "$(status_of "$b")" forwarded "status after re-routing"
expect_eq "$(events_of "$b")" "received routed forwarded forwarded refused rejected assigned forwarded" "event log of B"
echo ok
