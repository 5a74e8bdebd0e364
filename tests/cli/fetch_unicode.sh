# wadul-fetch: UCS-2 SMS with emoji, single and long, decode to the exact UTF-8 that was sent;
# GSM-7 text with extension characters (€, [, ]) too.
. "$WADUL_SRC/tests/support/fetch_env.sh"

S="Keluhan: harga “beras” naik—Rp 15.000/kg 😡 tolong dicek, Pak!"
# 66 UTF-16 units, then an emoji: its surrogate pair straddles the 67-unit boundary of a UCS-2 part.
pad="Jalan rusak parah di Desa Sumberjo, mohon diperbaiki. Terima kasih"
L="${pad:0:66}😡🙏 Jalan di depan SD Negeri 2 berlubang, sudah ada korban jatuh—tolong “segera”! 🚧🚧"
G="Iuran sampah naik jadi €5? Tolong [cek] {segera} ~ terima kasih ^_^ | Pak \\ Bu"

printf '+6281234567001\t2026-11-28T09:00:00\t%s\n' "$S" | "$MKSMS" "$T/phone"
printf '+6281234567002\t2026-11-28T09:01:00\t%s\n' "$L" | "$MKSMS" "$T/phone"
printf '+6281234567003\t2026-11-28T09:02:00\t%s\n' "${G//\\/\\\\}" | "$MKSMS" "$T/phone"
grep -q '^Coding = Unicode_No_Compression' "$T/phone/sms/1/1" || fail "the emoji message should be UCS-2"
grep -q '^Coding = Default_No_Compression' "$T/phone/sms/1/$(inbox_count)" || fail "G should be GSM-7"
[ "$(inbox_count)" -ge 4 ] || fail "L should be a long message"

# libgammu's encoder keeps surrogate pairs whole; some phones do not. Two hand-written parts whose
# boundary falls inside "😡" (D83D | DE21): "Banjir " + 😡 + "!" once joined.
raw_part() { # LOCATION PARTNO HEX
    cat >"$T/phone/sms/1/.raw" <<RAW
[SMSBackup000]
SMSC = "+6281100000"
Sent = 20261128T030000Z
PDU = Deliver
State = UnRead
Number = "+6281234567004"
Coding = Unicode_No_Compression
UDH = 0500037702$2
Text00 = $3
Class = -1
RAW
    mv "$T/phone/sms/1/.raw" "$T/phone/sms/1/$1"
}
raw_part 9001 01 00420061006E006A006900720020D83D
raw_part 9002 02 DE210021
# A broken handset's U+0000 inside a UCS-2 text, and two more as padding: the text goes on after
# it (it used to end there), the U+0000 shown as U+FFFD, the padding dropped.
sed -e 's/^UDH = .*$//' -e 's/^Number = .*/Number = "+6281234567005"/' \
    -e 's/^Text00 = .*/Text00 = 0053006100720061006E0000006100690072000000000000/' \
    "$T/phone/sms/1/9002" >"$T/phone/sms/1/.raw" && mv "$T/phone/sms/1/.raw" "$T/phone/sms/1/9003"

fetch_ok
expect_eq "$(q "SELECT text FROM inbound WHERE sender = '+6281234567004'")" "Banjir 😡!" "surrogate pair split across parts"
expect_eq "$(q "SELECT text FROM inbound WHERE sender = '+6281234567005'")" "Saran�air" "U+0000 inside UCS-2"
expect_eq "$(q "SELECT text FROM inbound WHERE sender = '+6281234567001'")" "$S" "UCS-2 single"
expect_eq "$(q "SELECT complete, text FROM inbound WHERE sender = '+6281234567002'")" "1|$L" "UCS-2 long, split emoji"
expect_eq "$(q "SELECT text FROM inbound WHERE sender = '+6281234567003'")" "$G" "GSM-7 extension characters"
expect_eq "$(q "SELECT count(*) FROM complaint WHERE text LIKE '%😡%'")" 3 "complaint text keeps the emoji"
expect_eq "$(q "SELECT count(*) FROM inbound WHERE text LIKE '%' || char(65533) || '%'")" 1 "no other replacement characters"
echo ok
