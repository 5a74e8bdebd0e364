# wadul-fetch: 1,000 inbox messages are all stored once, each with its own complaint and ticket,
# and all deleted from the phone; a second run stores nothing new.
. "$WADUL_SRC/tests/support/fetch_env.sh"

"$MKSMS" "$T/phone" --bulk 1000
expect_eq "$(inbox_count)" 1000 "parts on the phone before"
fetch_ok
expect_eq "$(inbox_count)" 0 "parts left on the phone"
expect_eq "$(q "SELECT count(*), count(DISTINCT text), count(DISTINCT complaint_id) FROM inbound")" \
    "1000|1000|1000" "inbound rows"
expect_eq "$(q "SELECT count(*), count(DISTINCT ticket) FROM complaint")" "1000|1000" "complaints and tickets"
expect_eq "$(q "SELECT count(*) FROM event WHERE kind = 'received'")" 1000 "received events"
expect_eq "$(q "SELECT count(*) FROM sms_part WHERE inbound_id IS NULL")" 0 "parts not assembled"
# Complaints are numbered in the order the citizens sent them.
expect_eq "$(q "SELECT count(*) FROM complaint a JOIN complaint b ON b.id = a.id + 1
                JOIN inbound ia ON ia.id = a.inbound_id JOIN inbound ib ON ib.id = b.inbound_id
                WHERE ib.sent_at < ia.sent_at")" 0 "complaints in sending order"

fetch_ok
expect_eq "$(q "SELECT count(*) FROM inbound") $(q "SELECT count(*) FROM complaint")" "1000 1000" "after a second run"
echo ok
