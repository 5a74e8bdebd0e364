# wadul-fetch: long SMS are assembled per sender: parts in order, out of order, and two senders
# interleaved with the same concatenation reference (libgammu's own linking mixes those).
. "$WADUL_SRC/tests/support/fetch_env.sh"

A="Selamat pagi. Saya ingin melaporkan bahwa saluran air di RT 03 RW 07 Kelurahan Sukamaju tersumbat sejak dua minggu yang lalu sehingga setiap kali hujan turun air meluap ke jalan dan masuk ke rumah warga. Mohon segera ditindaklanjuti oleh dinas terkait. Terima kasih. Hormat saya, Budi Santoso."
B="Lapor Pak Bupati, jembatan penghubung Desa Kabongan Kidul dan Desa Kabongan Lor sudah retak di tiga tempat dan papan lantainya banyak yang lepas, anak-anak sekolah terpaksa memutar sejauh empat kilometer setiap hari. Mohon perbaikan sebelum musim hujan. Siti Aminah."
C="Keluhan pelayanan: antrean di puskesmas kecamatan Sarang sangat panjang, loket pendaftaran baru buka pukul sembilan padahal jadwalnya pukul tujuh, dan petugasnya hanya satu orang. Banyak lansia yang menunggu sampai siang tanpa tempat duduk yang cukup. Terima kasih atas perhatiannya."

# In order.
printf '+6281234567001\t2026-11-28T09:00:00\t%s\n' "$A" | "$MKSMS" "$T/phone" --ref 66
expect_eq "$(inbox_count)" 2 "parts of A"
fetch_ok
expect_eq "$(q "SELECT parts, complete, text FROM inbound WHERE sender = '+6281234567001'")" "2|1|$A" "A in order"

# Out of order: the last part at the lowest location.
printf '+6281234567002\t2026-11-28T09:05:00\t%s\n' "$B" | "$MKSMS" "$T/phone" --ref 66 --order reverse
n=$(inbox_count)
[ "$n" -ge 2 ] || fail "B should have several parts"
first=$(ls "$T/phone/sms/1" | sort -n | head -1)
grep -q "^UDH = 050003420${n}0${n}\$" "$T/phone/sms/1/$first" || fail "the lowest location should hold the last part"
fetch_ok
expect_eq "$(q "SELECT parts, complete, text FROM inbound WHERE sender = '+6281234567002'")" "$n|1|$B" "B out of order"

# Two senders, same reference 0x11, parts interleaved (B1 C1 B2 C2 ...).
printf '+6281234567003\t2026-11-28T10:00:00\t%s\n+6281234567004\t2026-11-28T10:00:00\t%s\n' "$B" "$C" |
    "$MKSMS" "$T/phone" --ref 17 --order interleave
fetch_ok
expect_eq "$(q "SELECT text FROM inbound WHERE sender = '+6281234567003'")" "$B" "B interleaved"
expect_eq "$(q "SELECT text FROM inbound WHERE sender = '+6281234567004'")" "$C" "C interleaved"
expect_eq "$(q "SELECT count(*) FROM inbound") $(q "SELECT count(*) FROM complaint")" "4 4" "one message per sender"

# A binary (8-bit) part inside a text message: its place is marked and the message is incomplete,
# not stored whole with a part silently gone.
printf '+6281234567005\t2026-11-28T11:00:00\t%s\n' "$A" | "$MKSMS" "$T/phone" --ref 71
second=$(grep -l '^UDH = 050003470202$' "$T/phone/sms/1"/*)
sed -i -e 's/^Coding = .*/Coding = 8bit/' -e '/^Text0[1-9] = /d' -e 's/^Text00 = .*/Text00 = 0102030405/' \
    -e 's/^Length = .*/Length = 5/' "$second"
fetch
expect_eq "$rc" 0 "8-bit part: exit code"
expect_eq "$(q "SELECT parts, complete FROM inbound WHERE sender = '+6281234567005'")" "2|0" "8-bit part: incomplete"
expect_eq "$(q "SELECT substr(text, -3) FROM inbound WHERE sender = '+6281234567005'")" "[…]" "8-bit part: marked"
grep -q "stored without 1 of its 2 parts: 1 binary (8-bit) inside a text message" "$T/err" ||
    fail "8-bit part: no warning ($(cat "$T/err"))"
# "Part 5 of 2" cannot be placed: it is a message of its own, whole, at once.
printf '+6281234567006\t2026-11-28T11:10:00\tLampu jalan mati di Desa Leteh.\n' | "$MKSMS" "$T/phone"
odd=$(grep -l '^Number = "+6281234567006"' "$T/phone/sms/1"/*)
sed -i 's/^Coding = /UDH = 050003480205\nCoding = /' "$odd"
fetch
expect_eq "$rc" 0 "part 5 of 2: exit code"
expect_eq "$(q "SELECT parts, complete, text FROM inbound WHERE sender = '+6281234567006'")" \
    "1|1|Lampu jalan mati di Desa Leteh." "part 5 of 2"
expect_eq "$(q "SELECT count(*) FROM sms_part WHERE inbound_id IS NULL")" 0 "no part left waiting"
expect_eq "$(inbox_count)" 0 "parts left on the phone"
echo ok
