# wadul-forward, the whole SOP cycle against the dummy phone with the real wadul-fetch: citizen →
# ack → forward to liaison and head → TERIMA → JAWAB → approval request → SETUJU → the citizen gets
# the answer; CEK; a further SMS; a 500-character Unicode answer in correct concatenated parts.
# What was sent is checked in libgammu's debug log, what happened in the event log.
. "$WADUL_SRC/tests/support/forward_env.sh"

sms $CITIZEN "Jalan rusak di Desa Sumber Kec. Sulang, banyak lubang. Mohon diperbaiki."
cycle
t=$(ticket_of $CITIZEN)
[ -n "$t" ] || fail "no complaint opened"
expect_eq "$(count_to $CITIZEN)" 1 "messages to the citizen"
expect_has "$(sent_to $CITIZEN)" "nomor tiket $t" "ack"
expect_has "$(sent_to $CITIZEN)" "CEK $t" "ack explains CEK"
expect_eq "$(wc -l <"$T/sent")" 1 "messages sent in the first run"
forward_ok # nothing new: nothing sent
expect_eq "$(wc -l <"$T/sent")" 0 "messages sent by an idle run"
[ ! -e "$T/gammu.log" ] || fail "an idle run opened the modem"

# The real router: "jalan rusak" is one of DPUPR's duties.
"$WADUL_BIN/wadul-route" -c "$T/wadul.toml" >"$T/out" 2>&1 || fail "wadul-route: $(cat "$T/out")"
expect_eq "$(q "SELECT c.status || ' ' || a.code FROM complaint c JOIN agency a ON a.id = c.agency_id")" \
    "routed DPUPR" "routing"
tick
forward_ok
expect_eq "$(status_of "$t")" forwarded "status after forwarding"
fwd=$(sent_to $LIAISON)
expect_has "$fwd" "WADUL $t (30 November 2026" "forward: ticket and date"
expect_has "$fwd" "Jalan rusak di Desa Sumber Kec. Sulang, banyak lubang. Mohon diperbaiki." "forward: the complaint"
expect_has "$fwd" "+62857****0001" "forward: the citizen, masked"
expect_not "$fwd" "$CITIZEN" "forward: the full number"
expect_has "$fwd" "TERIMA $t" "forward: how to reply"
expect_eq "$(sent_to $HEAD)" "$fwd" "the head's copy"
expect_eq "$(count_to $OTHER)" 0 "another agency's officer"

sms $LIAISON "terima  ${t,,}"
cycle
expect_eq "$(status_of "$t")" accepted "status after TERIMA"
expect_eq "$(wc -l <"$T/sent")" 0 "messages sent after TERIMA"

sms $LIAISON "#jawab$t Lubang sudah ditambal tanggal 2 Desember, pengaspalan ulang dijadwalkan Januari."
cycle
expect_eq "$(status_of "$t")" answered "status after JAWAB"
expect_eq "$(count_to $CITIZEN)" 0 "the citizen before approval"
appr=$(sent_to $HEAD)
expect_has "$appr" "Lubang sudah ditambal tanggal 2 Desember" "approval request: the answer"
expect_has "$appr" "SETUJU $t" "approval request: how to approve"

sms $HEAD "Setuju $t"
cycle
expect_eq "$(count_to $CITIZEN)" 1 "the answer to the citizen"
ans=$(sent_to $CITIZEN)
expect_has "$ans" "tiket $t" "answer: ticket"
expect_has "$ans" "Dinas Pekerjaan Umum dan Penataan Ruang" "answer: the agency"
expect_has "$ans" "Lubang sudah ditambal tanggal 2 Desember, pengaspalan ulang dijadwalkan Januari." "answer: its text"
expect_eq "$(status_of "$t")" closed "status after the answer went out"
expect_eq "$(events_of "$t")" "received routed forwarded forwarded accepted answered approved delivered" "event log"
expect_eq "$(q "SELECT actor FROM event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '$t'
                AND kind IN ('accepted', 'answered', 'approved') ORDER BY e.id")" "$LIAISON
$LIAISON
$HEAD" "actors"
# Each officer's event carries the time their SMS arrived; system events the run's time.
expect_eq "$(q "SELECT e.at = i.received_at FROM event e JOIN inbound i ON i.complaint_id = e.complaint_id
                WHERE e.kind = 'accepted' AND i.text LIKE 'terima%'")" 1 "time of the accepted event"
expect_eq "$(q "SELECT count(DISTINCT at) FROM event e JOIN complaint c ON c.id = e.complaint_id
                WHERE c.ticket = '$t' AND kind IN ('forwarded', 'accepted', 'answered', 'approved')")" 4 \
    "distinct times of the SOP steps"

# CEK: the citizen's own ticket gets the stage and agency; someone else's gets nothing.
sms $CITIZEN "cek $t"
sms $STRANGER "CEK $t"
sms $STRANGER "CEK 000001Y" # a valid ticket nobody has
sms $STRANGER "CEK 000001X" # mistyped
sms +6289900000008 "CEK"    # no complaint from that number
cycle
expect_has "$(sent_to $CITIZEN)" "Tiket $t: sudah selesai (Dinas Pekerjaan Umum dan Penataan Ruang)" "CEK reply"
expect_has "$(sent_to $STRANGER)" "tidak ditemukan" "CEK of someone else's ticket"
expect_not "$(sent_to $STRANGER)" "Dinas" "CEK of someone else's ticket"
expect_eq "$(q "SELECT count(*) FROM complaint")" 1 "CEK opens no complaint"
# Each CEK answered "not found" is logged, with the complaint when the ticket names one.
expect_eq "$(q "SELECT coalesce(c.ticket, '-') || ' ' || e.actor || ' ' || e.detail FROM event e
                LEFT JOIN complaint c ON c.id = e.complaint_id WHERE e.kind = 'rejected' ORDER BY e.id")" \
    "$t $STRANGER CEK $t: not the reporter's ticket
- $STRANGER CEK 000001Y: unknown ticket
- $STRANGER CEK 000001X: mistyped ticket
- +6289900000008 CEK: no complaint from this number" "rejected CEK events"
expect_eq "$(sent_to +6289900000008)" \
    "Belum ada aduan dari nomor Anda. Silakan kirim aduan Anda melalui SMS ke nomor ini." "bare CEK, no complaint"

# A further SMS while the complaint is open joins it and reaches the officer.
sms $CITIZEN "Pohon tumbang menutup jalan di depan SD Negeri 2 Pamotan"
cycle
t2=$(ticket_of $CITIZEN)
[ "$t2" != "$t" ] || fail "a closed complaint took a new SMS"
route "$t2" DPUPR
tick
forward_ok
sms $CITIZEN "Tambahan: kabel listrik juga ikut tertimpa"
cycle
expect_eq "$(q "SELECT count(*) FROM complaint")" 2 "a further SMS opens no complaint"
expect_has "$(sent_to $LIAISON)" "Tambahan dari pelapor aduan $t2: Tambahan: kabel listrik" "follow-up to the officer"
expect_eq "$(count_to $CITIZEN)" 0 "no ack for a follow-up"
expect_eq "$(events_of "$t2")" "received routed forwarded forwarded followup" "follow-up event"

# A 500-character Unicode answer goes out as correct concatenated UCS-2 parts.
sms $LIAISON "TERIMA $t2"
long=""
while [ ${#long} -lt 500 ]; do long="${long}Pohon sudah dipotong oleh tim “BPBD” — kabel diperbaiki PLN; "; done
long="${long:0:499}."
sms $LIAISON "JAWAB $t2 $long"
cycle
sms $HEAD "SETUJU $t2"
cycle
expect_eq "$(count_to $CITIZEN)" 1 "the long answer"
ans=$(sent_to $CITIZEN)
expect_has "$ans" "$long" "the long answer, whole"
expected="Wadul Bupati Rembang, tiket $t2. Jawaban Dinas Pekerjaan Umum dan Penataan Ruang: $long"
expect_eq "$ans" "$expected" "the long answer, exactly"
nparts=$(awk -F '\t' -v to=$CITIZEN '$1 == to' "$T/sent.parts" | wc -l)
expect_eq "$nparts" 9 "parts of the long answer"
expect_eq "$(awk -F '\t' -v to=$CITIZEN '$1 == to { print $2 }' "$T/sent.parts" | sort -u)" ucs2 "coding"
expect_eq "$(awk -F '\t' -v to=$CITIZEN '$1 == to { print $3 }' "$T/sent.parts" | tr '\n' ' ')" \
    "1/9 2/9 3/9 4/9 5/9 6/9 7/9 8/9 9/9 " "part numbers"
expect_eq "$(awk -F '\t' -v to=$CITIZEN '$1 == to { print $4 }' "$T/sent.parts" | sort -u | wc -l)" 1 "one reference"
expect_eq "$(q "SELECT parts FROM outbound WHERE purpose = 'answer' ORDER BY id DESC LIMIT 1")" 9 "parts recorded"
expect_eq "$(status_of "$t2")" closed "status of the second complaint"

# Thanks after the answer is recorded on the answered complaint: no new ticket, no reply. Thanks
# with a new problem in it is a new complaint.
sms $CITIZEN "Matur nuwun pak, sdh dibantu 🙏 ${t2,,}"
cycle
expect_eq "$(q "SELECT count(*) FROM complaint")" 2 "thanks opens no complaint"
expect_eq "$(count_to $CITIZEN)" 0 "no reply to thanks"
expect_eq "$(q "SELECT e.kind FROM event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '$t2'
                ORDER BY e.id DESC LIMIT 1")" followup "thanks recorded on the answered complaint"
expect_eq "$(status_of "$t2")" closed "status after thanks"
sms $CITIZEN "Terima kasih, tapi kabel di depan SD masih menjuntai"
cycle
expect_eq "$(q "SELECT count(*) FROM complaint")" 3 "thanks with a new problem"
echo ok
