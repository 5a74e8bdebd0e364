# wadul-fetch: a long SMS with a missing part waits (modem.multipart_timeout), then is stored
# incomplete with […] where the part is missing; a late part after that is its own message.
# An unreadable entry on the phone is set aside, warned about once, and blocks nothing.
. "$WADUL_SRC/tests/support/fetch_env.sh"

A="Selamat pagi. Saya ingin melaporkan bahwa saluran air di RT 03 RW 07 Kelurahan Sukamaju tersumbat sejak dua minggu yang lalu sehingga setiap kali hujan turun air meluap ke jalan dan masuk ke rumah warga. Mohon segera ditindaklanjuti oleh dinas terkait. Terima kasih atas perhatiannya. Hormat saya, Budi Santoso."
printf '+6281234567001\t2026-11-28T09:00:00\t%s\n' "$A" | "$MKSMS" "$T/phone" --ref 5
expect_eq "$(inbox_count)" 3 "parts of A"
mv "$T/phone/sms/1/2" "$T/part2" # part 2 is late
echo "this is not an SMS" >"$T/phone/sms/1/.bad" && mv "$T/phone/sms/1/.bad" "$T/phone/sms/1/50"
printf '+6281234567002\t2026-11-28T09:01:00\tLampu jalan mati.\n' | "$MKSMS" "$T/phone" --location 60

export WADUL_NOW=2026-11-28T09:05:00
fetch
expect_eq "$rc" 0 "exit code with an unreadable entry"
expect_eq "$(cat "$T/err")" \
    "wadul-fetch: warning: cannot read SMS at folder 1 location 50: File format not supported by Gammu; set aside, left on the modem" \
    "warning for the unreadable entry"
expect_eq "$(q "SELECT count(*) FROM inbound WHERE sender = '+6281234567002'")" 1 "the SMS after the bad entry"
expect_eq "$(q "SELECT count(*) FROM inbound WHERE sender = '+6281234567001'")" 0 "A waits for part 2"
expect_eq "$(q "SELECT folder, location FROM sms_setaside")" "1|50" "set aside"
expect_eq "$(ls "$T/phone/sms/1")" "50" "only the unreadable entry left on the phone"

# Within the timeout (default 600 s): still waiting, and no second warning.
export WADUL_NOW=2026-11-28T09:14:00
fetch_ok
expect_eq "$(q "SELECT count(*) FROM inbound")" 1 "still waiting"

# After the timeout: stored incomplete.
export WADUL_NOW=2026-11-28T09:15:01
fetch
expect_eq "$rc" 0 "exit code after the timeout"
grep -q "warning: long SMS from +6281234567001 stored without 1 of its 3 parts" "$T/err" || fail "no warning: $(cat "$T/err")"
expect_eq "$(q "SELECT parts, complete, text FROM inbound WHERE sender = '+6281234567001'")" \
    "2|0|${A:0:153}[…]${A:306}" "incomplete message"
expect_eq "$(q "SELECT count(*) FROM complaint")" 2 "the incomplete message is a complaint too"

# The late part arrives: a message of its own, after its own wait (here: timeout 0).
mv "$T/part2" "$T/phone/sms/1/2"
rm "$T/phone/sms/1/50"
fetch_ok
expect_eq "$(q "SELECT count(*) FROM sms_setaside")" 0 "a removed entry is forgotten"
WADUL_MODEM_MULTIPART_TIMEOUT=0 fetch
expect_eq "$rc" 0 "exit code, late part"
grep -q "stored without 2 of its 3 parts" "$T/err" || fail "no warning for the late part: $(cat "$T/err")"
expect_eq "$(q "SELECT parts, complete, text FROM inbound WHERE id = 3")" "1|0|[…]${A:153:153}[…]" "the late part alone"
echo ok
