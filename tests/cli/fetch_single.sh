# wadul-fetch: one SMS becomes one citizen complaint with a ticket and a `received` event; the
# sender is normalised; a second run stores nothing new; a non-number sender gets no complaint.
. "$WADUL_SRC/tests/support/fetch_env.sh"

printf '081234567001\t2026-11-28T09:30:00\tLampu jalan di Jl. Merdeka No. 5 mati sejak kemarin.\n' |
    "$MKSMS" "$T/phone"
expect_eq "$(inbox_count)" 1 "parts on the phone before"

fetch_ok
expect_eq "$(inbox_count)" 0 "parts left on the phone"
expect_eq "$(q "SELECT sender, sent_at, parts, complete, kind, text FROM inbound")" \
    "+6281234567001|1795833000|1|1|citizen|Lampu jalan di Jl. Merdeka No. 5 mati sejak kemarin." "inbound row"
expect_eq "$(q "SELECT count(*) FROM complaint c JOIN inbound i ON i.complaint_id = c.id AND c.inbound_id = i.id
                WHERE c.source = 'sms' AND c.status = 'received' AND c.reporter = '+6281234567001'
                  AND c.text = i.text AND length(c.ticket) >= 6")" 1 "complaint linked both ways"
expect_eq "$(q "SELECT e.kind || '|' || e.actor FROM event e JOIN complaint c ON c.id = e.complaint_id")" \
    "received|+6281234567001" "received event"
expect_eq "$(q "SELECT count(*) FROM sms_part WHERE inbound_id IS NOT NULL")" 1 "part assembled"

# -v reports a summary on stderr, still nothing on stdout.
printf '+6281234567002\t-\tJalan berlubang di depan pasar.\n' | "$MKSMS" "$T/phone"
fetch -v
expect_eq "$rc" 0 "exit code with -v"
[ ! -s "$T/out" ] || fail "stdout not empty with -v"
grep -q 'fetched 1 parts (1 new), stored 1 messages: 1 complaints' "$T/err" || fail "no summary: $(cat "$T/err")"

# A second run with an empty phone stores nothing new.
fetch_ok
expect_eq "$(q "SELECT count(*) FROM inbound") $(q "SELECT count(*) FROM complaint")" "2 2" "after a second run"

# The same SMS delivered again (identical sender, time, text) is recognised.
printf '081234567001\t2026-11-28T09:30:00\tLampu jalan di Jl. Merdeka No. 5 mati sejak kemarin.\n' |
    "$MKSMS" "$T/phone"
fetch_ok
expect_eq "$(q "SELECT count(*) FROM inbound")" 2 "a redelivered part is not stored twice"
expect_eq "$(inbox_count)" 0 "a redelivered part is deleted"

# An operator's broadcast from a name: kept, but no complaint (nobody to answer).
printf 'TELKOMSEL\t-\tPaket internet Anda hampir habis.\n' | "$MKSMS" "$T/phone"
fetch_ok
expect_eq "$(q "SELECT sender, kind, complaint_id IS NULL, handled_at IS NOT NULL FROM inbound WHERE id = 3")" \
    "TELKOMSEL|citizen|1|1" "non-number sender"
expect_eq "$(q "SELECT count(*) FROM complaint")" 2 "no complaint for a broadcast"

# "0062…" is the international prefix written out: a phone number, and a complaint.
printf '006281234567003\t-\tSampah menumpuk di depan pasar.\n' | "$MKSMS" "$T/phone"
fetch_ok
expect_eq "$(q "SELECT sender || '|' || (complaint_id IS NOT NULL) FROM inbound WHERE id = 4")" "+6281234567003|1" \
    "a 0062 sender"
expect_eq "$(q "SELECT reporter FROM complaint ORDER BY id DESC LIMIT 1")" "+6281234567003" "the 0062 reporter"

# An empty SMS and one of spaces and a line break: stored, no complaint (no ack, no triage, no
# admin's clock), handled, and logged.
printf '+6281234567004\t-\t\n+6281234567004\t2026-11-28T10:00:00\t   \\n \n' | "$MKSMS" "$T/phone"
fetch -v
expect_eq "$rc" 0 "exit code, empty SMS"
expect_eq "$(q "SELECT group_concat(r, ' ') FROM (SELECT quote(text) || '|' || (complaint_id IS NULL) || '|' ||
                (handled_at IS NOT NULL) AS r FROM inbound WHERE sender = '+6281234567004' ORDER BY length(text))")" \
    "''|1|1 '   
 '|1|1" "empty SMS stored without a complaint"
expect_eq "$(q "SELECT count(*) FROM complaint")" 3 "no complaint for an empty SMS"
expect_eq "$(grep -c 'wadul-fetch: SMS from +6281234567004 stored without a complaint: empty message' "$T/err")" 2 \
    "empty SMS logged"
echo ok
