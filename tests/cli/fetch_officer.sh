# wadul-fetch: an SMS from a registered officer's current number is stored as an officer message
# (no complaint); the same number after the officer left the post is a citizen again.
. "$WADUL_SRC/tests/support/fetch_env.sh"

fetch_ok # creates the store
q "INSERT INTO agency(id, code, name, kind) VALUES (1, 'dpupr', 'Dinas Pekerjaan Umum dan Penataan Ruang', 'opd');
   INSERT INTO officer(id, agency_id, name, phone, role, valid_from) VALUES (7, 1, 'Agus', '+6281300000007', 'liaison', 0);
   INSERT INTO officer(id, agency_id, name, phone, role, valid_from, valid_to) VALUES (8, 1, 'Budi', '+6281300000008', 'liaison', 0, 100);"

printf '081300000007\t-\tTERIMA 7KQ4MX2\n+6281300000008\t-\tJAWAB 7KQ4MX2 sudah diperbaiki\n+6281234567001\t-\tJalan rusak.\n' |
    "$MKSMS" "$T/phone"
fetch_ok
expect_eq "$(q "SELECT sender, kind, officer_id, complaint_id IS NULL, handled_at IS NULL, text FROM inbound ORDER BY id")" \
"+6281300000007|officer|7|1|1|TERIMA 7KQ4MX2
+6281300000008|citizen||0|1|JAWAB 7KQ4MX2 sudah diperbaiki
+6281234567001|citizen||0|1|Jalan rusak." "officer and citizen messages"
expect_eq "$(q "SELECT count(*) FROM complaint")" 2 "complaints"
echo ok
