#!/bin/bash
# wadul-report end to end: a store made with the sqlite3 shell, the monthly report's CSV stable
# byte for byte, the PDF's text (pdftotext) and pages (pdftoppm), the listings, and the errors.
set -u
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || { echo "skip: poppler-utils missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 shell missing"; exit 77; }
W="$WADUL_BIN/wadul-report"
T=$(mktemp -d)
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() { # expect_rc CODE command...
    local want=$1; shift
    "$@" >"$T/out" 2>"$T/err"; local rc=$?
    [ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want: $(cat "$T/err")"
}

cat >"$T/wadul.toml" <<TOML
[store]
path = "$T/wadul.db"
[log]
syslog = false
[sla]
holiday_files = []
[report]
signatory = "Drs. Contoh Pejabat"
TOML
export WADUL_CONFIG="$T/wadul.toml" WADUL_NOW=2026-12-01T08:00:00+07:00

# The store's schema comes from wadul itself (a run that changes complaints creates the store; a
# view never does); the data from SQL.
expect_rc 66 "$W" complaints
expect_rc 0 env WADUL_REGISTRY_PATH= "$WADUL_BIN/wadul-route"
expect_rc 0 "$W" complaints
t() { echo "CAST(strftime('%s', '$1') AS INTEGER) - 7 * 3600"; } # a WIB time as Unix seconds
sqlite3 "$T/wadul.db" <<SQL || { echo "cannot build the store"; exit 1; }
INSERT INTO agency(id, code, name, kind) VALUES
  (1, 'DINKES', 'Dinas Kesehatan', 'opd'), (2, 'DPUTARU', 'Dinas Pekerjaan Umum dan Penataan Ruang', 'opd'),
  (3, 'POLRES', 'Kepolisian Resor Rembang', 'vertical');
INSERT INTO officer(id, agency_id, name, phone, role, valid_from, valid_to) VALUES
  (1, 1, 'Agus Santoso', '+6281100000001', 'liaison', $(t '2026-01-05 08:00'), NULL),
  (2, 1, 'Dr. Hadi', '+6281100000009', 'head', $(t '2026-01-05 08:00'), NULL),
  (3, 2, 'Joko Diam', '+6281100000021', 'liaison', $(t '2026-01-05 08:00'), NULL),
  (4, 2, 'Ir. Bambang', '+6281100000029', 'head', $(t '2026-01-05 08:00'), NULL);
INSERT INTO complaint(id, ticket, source, reporter, reporter_name, confidential, text, received_at, status, agency_id, updated_at) VALUES
  (1, 'AAAAAA1', 'sms', '+6285700000001', NULL, 0, 'Jalan rusak di Desa Leteh', $(t '2026-11-02 08:00'), 'closed', 1, 0),
  (2, 'BBBBBB2', 'sms', '+628999000111', 'Siti Rahasia', 1, 'Pungutan liar di kantor desa', $(t '2026-11-09 09:00'), 'forwarded', 2, 0),
  (3, 'CCCCCC3', 'web', 'web:42', 'Budi', 0, 'Lampu jalan mati', $(t '2026-11-10 10:00'), 'accepted', 1, 0),
  (4, 'DDDDDD4', 'sms', '+6285700000004', NULL, 0, 'Sampah menumpuk', $(t '2026-10-20 10:00'), 'closed', 1, 0);
INSERT INTO event(complaint_id, at, kind, actor, agency_id, officer_id, detail) VALUES
  (1, $(t '2026-11-02 08:00'), 'received', '+6285700000001', NULL, NULL, 'sms'),
  (1, $(t '2026-11-02 08:00:05'), 'routed', 'system', 1, NULL, NULL),
  (1, $(t '2026-11-02 08:00:10'), 'forwarded', 'system', 1, 1, NULL),
  (1, $(t '2026-11-02 08:00:10'), 'forwarded', 'system', 1, 2, NULL),
  (1, $(t '2026-11-02 08:20'), 'accepted', '+6281100000001', 1, 1, NULL),
  (1, $(t '2026-11-04 10:00'), 'answered', '+6281100000001', 1, 1, 'Sudah diperbaiki'),
  (1, $(t '2026-11-04 14:00'), 'approved', '+6281100000009', 1, 2, NULL),
  (1, $(t '2026-11-04 14:05'), 'delivered', 'system', NULL, NULL, NULL),
  (1, $(t '2026-11-04 15:00'), 'followup', '+6285700000001', NULL, NULL, 'Terima kasih pak'),
  (2, $(t '2026-11-09 09:00'), 'received', '+628999000111', NULL, NULL, 'sms'),
  (2, $(t '2026-11-09 09:00:05'), 'routed', 'system', 2, NULL, NULL),
  (2, $(t '2026-11-09 09:00:10'), 'forwarded', 'system', 2, 3, NULL),
  (2, $(t '2026-11-20 09:00'), 'followup', '+628999000111', NULL, NULL, 'Saya +628999000111 belum dihubungi'),
  (3, $(t '2026-11-10 10:00'), 'received', 'web', NULL, NULL, 'web'),
  (3, $(t '2026-11-10 10:00:05'), 'routed', 'system', 1, NULL, NULL),
  (3, $(t '2026-11-10 10:00:10'), 'forwarded', 'system', 1, 1, NULL),
  (3, $(t '2026-11-10 10:10'), 'accepted', '+6281100000001', 1, 1, NULL),
  (4, $(t '2026-10-20 10:00'), 'received', '+6285700000004', NULL, NULL, 'sms'),
  (4, $(t '2026-10-20 10:00:05'), 'routed', 'system', 1, NULL, NULL),
  (4, $(t '2026-10-20 10:00:10'), 'forwarded', 'system', 1, 1, NULL),
  (4, $(t '2026-10-20 11:00'), 'closed', 'admin:rina', NULL, NULL, 'duplikat');
SQL

# The monthly report: silent on success, the same CSV bytes on every run.
expect_rc 0 "$W" monthly --month 2026-11 --out "$T/a"
[ -s "$T/out" ] && fail "monthly printed on stdout: $(cat "$T/out")"
[ -s "$T/err" ] && fail "monthly printed on stderr: $(cat "$T/err")"
expect_rc 0 "$W" monthly --month 2026-11 --out "$T/b" --format csv
for name in ringkasan instansi waktu pejabat terlambat belum-terkirim; do
    f="wadul-2026-11-$name.csv"
    [ -s "$T/a/$f" ] || fail "missing $f"
    cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs between two runs"
done
[ -s "$T/a/wadul-2026-11.pdf" ] || fail "missing the PDF"
[ -e "$T/b/wadul-2026-11.pdf" ] && fail "--format csv wrote a PDF"

# The numbers, read back from the CSV.
csv_field() { # csv_field FILE KEY COLUMN-NAME: the value in the row whose first field is KEY
    awk -F, -v key="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 == key { sub(/\r$/, "", $c); print $c }' "$1"
}
I="$T/a/wadul-2026-11-instansi.csv"
[ "$(csv_field "$I" DINKES diterima)" = 2 ] || fail "DINKES received: $(csv_field "$I" DINKES diterima)"
[ "$(csv_field "$I" DINKES web)" = 1 ] || fail "DINKES web: $(csv_field "$I" DINKES web)"
[ "$(csv_field "$I" DINKES ditindaklanjuti)" = 1 ] || fail "DINKES followed up"
[ "$(csv_field "$I" DPUTARU terlambat)" = 1 ] || fail "DPUTARU overdue"
[ "$(csv_field "$I" POLRES diterima)" = 0 ] || fail "POLRES listed with 0"
[ "$(csv_field "$I" JUMLAH diterima)" = 3 ] || fail "total received"
[ "$(csv_field "$T/a/wadul-2026-11-ringkasan.csv" received bulan_lalu)" = 1 ] || fail "October's count"
[ "$(csv_field "$T/a/wadul-2026-11-ringkasan.csv" thanked bulan_ini)" = 1 ] || fail "thanks after the answer"
[ "$(csv_field "$T/a/wadul-2026-11-ringkasan.csv" closed_unanswered bulan_ini)" = 0 ] || fail "closed unanswered"
[ "$(csv_field "$T/a/wadul-2026-11-ringkasan.csv" closed_unanswered bulan_lalu)" = 1 ] || fail "October's duplicate"
grep -q 'Joko Diam.*,ya' "$T/a/wadul-2026-11-pejabat.csv" || fail "Joko Diam not flagged as never responding"
grep -q '^BBBBBB2,' "$T/a/wadul-2026-11-terlambat.csv" || fail "BBBBBB2 not in the overdue list"

# Excel in an Indonesian locale: BOM, ';' and decimal comma.
expect_rc 0 "$W" monthly --month 2026-11 --out "$T/x" --format csv --excel
head -c 3 "$T/x/wadul-2026-11-ringkasan.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM with --excel"
grep -q 'kode;indikator;' "$T/x/wadul-2026-11-ringkasan.csv" || fail "no ';' with --excel"
grep -q 'followup_share_pct;[^;]*;33,3;' "$T/x/wadul-2026-11-ringkasan.csv" || fail "no decimal comma with --excel"

# The PDF: its text, and its pages rendered.
pdftotext -layout "$T/a/wadul-2026-11.pdf" "$T/pdf.txt" || fail "pdftotext failed"
for s in "PEMERINTAH KABUPATEN REMBANG" "DINAS KOMUNIKASI DAN INFORMATIKA" "Jalan Gatot Subroto No. 8 Rembang" \
         "Laporan Bulanan Layanan SMS Wadul Bupati" "November 2026" "Rembang, 1 Desember 2026" \
         "30 November 2026" "Halaman 1 dari" "Dinas Kesehatan" "Dinas Pekerjaan Umum dan Penataan Ruang" \
         "Kepolisian Resor Rembang" "Joko Diam" "Tidak pernah" "BBBBBB2" "Drs. Contoh Pejabat" \
         "menyampaikan ucapan terima kasih setelah menerima jawaban" "Pelapor berterima kasih atas jawaban"; do
    grep -qF "$s" "$T/pdf.txt" || fail "the PDF lacks '$s'"
done
pages=$(pdfinfo "$T/a/wadul-2026-11.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
grep -qF "Halaman $pages dari $pages" "$T/pdf.txt" || fail "no 'Halaman $pages dari $pages'"
pdfinfo "$T/a/wadul-2026-11.pdf" | grep -q 'Page size: *595.* x 841.*A4' || fail "not A4"
pdftoppm -png -r 30 "$T/a/wadul-2026-11.pdf" "$T/page" || fail "pdftoppm failed"
[ -s "$T/page-1.png" ] || fail "no page image"

# The sysadmin's listings.
expect_rc 0 "$W" complaints --format json
for key in ticket status agency source text received_at; do
    grep -q "\"$key\":" "$T/out" || fail "JSON lacks '$key'"
done
if command -v python3 >/dev/null; then
    python3 -c 'import json, sys; a = json.load(open(sys.argv[1])); assert isinstance(a, list) and len(a) == 4, a' \
        "$T/out" || fail "the JSON is not an array of 4 objects"
fi
cp "$T/out" "$T/complaints.json"
expect_rc 0 "$W" complaints --status open --agency DPUTARU
grep -q BBBBBB2 "$T/out" || fail "--status open --agency DPUTARU lacks BBBBBB2"
expect_rc 0 "$W" complaints --status open --agency dputaru
grep -q BBBBBB2 "$T/out" || fail "--agency dputaru (any case) lacks BBBBBB2"
grep -q AAAAAA1 "$T/out" && fail "--status open lists a closed complaint"
expect_rc 0 "$W" complaints --since 2026-11-10 --format csv
[ "$(grep -c '^[A-Z0-9]\{7\},' "$T/out")" = 1 ] || fail "--since 2026-11-10 should list one complaint"
# The follow-up results, for the admin portal to enter in LAPOR! SP4N.
expect_rc 0 "$W" complaints --status closed --format csv
head -1 "$T/out" | grep -q ',external_id,answer,answered_at,closed_at' || fail "the CSV lacks the follow-up columns"
grep -q '^AAAAAA1,.*,Sudah diperbaiki,2026-11-04T10:00:00+07:00,2026-11-04T14:05:00+07:00' "$T/out" ||
    fail "AAAAAA1 lacks its answer and closing time: $(cat "$T/out")"
grep -q '^DDDDDD4,.*,,,2026-10-20T11:00:00+07:00' "$T/out" || fail "DDDDDD4 (closed by an admin) lacks its closing time"
expect_rc 0 "$W" complaints --status open --format json
grep -q '"closed_at": *null' "$T/out" || fail "an open complaint has a closing time"
grep -q '"answer": *"Sudah' "$T/out" && fail "an open complaint shows an answer it has not got"
expect_rc 0 "$W" show bbbbbb2
cp "$T/out" "$T/show.txt"
grep -q '^stage: *disposition .*overdue' "$T/show.txt" || fail "show lacks the overdue stage"
grep -q 'forwarded' "$T/show.txt" || fail "show lacks the events"

# A confidential complaint never shows its reporter, anywhere.
for f in "$T"/a/*.csv "$T"/x/*.csv "$T/pdf.txt" "$T/complaints.json" "$T/show.txt"; do
    grep -q -e '+628999000111' -e 'Siti Rahasia' "$f" && fail "'$f' shows the confidential reporter"
done

# Complaints whose forward SMS never reached their agency (wadul-sla(1), "The forward not sent
# yet"), on a copy of the store with five more: EEEEEE5's forwards failed (DINKES has a liaison);
# FFFFFF6 went to POLRES, which has no officer at all; GGGGGG7's forward was sent (not listed);
# HHHHHH8 was routed 15 office minutes before the month ended (not yet); JJJJJJ9 came in
# October and its forward still waits for the modem.
U="$T/unsent.db"
cp "$T/wadul.db" "$U"
sqlite3 "$U" <<SQL || { echo "cannot build the store"; exit 1; }
INSERT INTO complaint(id, ticket, source, reporter, confidential, text, received_at, status, agency_id, updated_at) VALUES
  (5, 'EEEEEE5', 'sms', '+6285700000005', 0, 'Puskesmas tutup siang hari', $(t '2026-11-24 09:00'), 'routed', 1, 0),
  (6, 'FFFFFF6', 'sms', '+6285700000006', 0, 'Balap liar tiap malam', $(t '2026-11-25 10:00'), 'routed', 3, 0),
  (7, 'GGGGGG7', 'sms', '+6285700000007', 0, 'Jembatan retak', $(t '2026-11-26 09:00'), 'accepted', 2, 0),
  (8, 'HHHHHH8', 'sms', '+6285700000008', 0, 'Obat habis', $(t '2026-11-30 13:45'), 'routed', 1, 0),
  (9, 'JJJJJJ9', 'sms', '+6285700000009', 0, 'Saluran air tersumbat', $(t '2026-10-28 09:00'), 'routed', 2, 0);
INSERT INTO event(complaint_id, at, kind, actor, agency_id, officer_id, detail) VALUES
  (5, $(t '2026-11-24 09:00'), 'received', '+6285700000005', NULL, NULL, 'sms'),
  (5, $(t '2026-11-24 09:00'), 'routed', 'system', 1, NULL, NULL),
  (6, $(t '2026-11-25 10:00'), 'received', '+6285700000006', NULL, NULL, 'sms'),
  (6, $(t '2026-11-25 10:00'), 'routed', 'system', 3, NULL, NULL),
  (6, $(t '2026-11-25 10:00'), 'note', 'system', 3, NULL, 'not forwarded: no officer registered for Kepolisian Resor Rembang'),
  (7, $(t '2026-11-26 09:00'), 'received', '+6285700000007', NULL, NULL, 'sms'),
  (7, $(t '2026-11-26 09:00'), 'routed', 'system', 2, NULL, NULL),
  (7, $(t '2026-11-26 09:02'), 'forwarded', 'system', 2, 3, NULL),
  (7, $(t '2026-11-26 09:20'), 'accepted', '+6281100000021', 2, 3, NULL),
  (8, $(t '2026-11-30 13:45'), 'received', '+6285700000008', NULL, NULL, 'sms'),
  (8, $(t '2026-11-30 13:45'), 'routed', 'system', 1, NULL, NULL),
  (9, $(t '2026-10-28 09:00'), 'received', '+6285700000009', NULL, NULL, 'sms'),
  (9, $(t '2026-10-28 09:00'), 'routed', 'system', 2, NULL, NULL);
INSERT INTO outbound(recipient, text, purpose, complaint_id, dedupe, created_at, status, attempts, next_attempt_at, sent_at, last_error)
SELECT o.phone, 'WADUL ' || c.ticket, 'forward', c.id, 'fwd:' || e.id || ':' || o.id, e.at + 60, x.status, x.attempts,
       x.next, x.sent, x.error
FROM (SELECT 5 AS cid, 1 AS oid, 'failed' AS status, 5 AS attempts, $(t '2026-11-24 10:00') AS next, NULL AS sent,
             'CMS error 38' AS error
      UNION ALL SELECT 5, 2, 'failed', 5, $(t '2026-11-24 10:00'), NULL, 'CMS error 38'
      UNION ALL SELECT 7, 3, 'sent', 1, $(t '2026-11-26 09:01'), $(t '2026-11-26 09:02'), NULL
      UNION ALL SELECT 8, 1, 'queued', 0, $(t '2026-11-30 13:46'), NULL, NULL
      UNION ALL SELECT 9, 3, 'queued', 7, $(t '2026-12-01 09:00'), NULL, 'cannot open the modem') x
JOIN complaint c ON c.id = x.cid JOIN officer o ON o.id = x.oid
JOIN event e ON e.complaint_id = c.id AND e.kind = 'routed';
SQL
expect_rc 0 "$W" --store "$U" monthly --month 2026-11 --out "$T/u"
B="$T/u/wadul-2026-11-belum-terkirim.csv"
[ -s "$B" ] || fail "missing wadul-2026-11-belum-terkirim.csv"
head -1 "$B" | grep -q '^tiket,diterima,kode_instansi,instansi,diarahkan,belum_terkirim_jam_kerja,sebab,' ||
    fail "belum-terkirim header: $(head -1 "$B")"
listed=$(awk -F, 'NR > 1 { print $1 ":" $7 }' "$B" | tr '\n' ' ')
[ "$listed" = "EEEEEE5:failed JJJJJJ9:queued FFFFFF6:no_liaison " ] || fail "complaints never forwarded: '$listed'"
# Tuesday 24 November 09:00 to the end: 5 + 7 + 7 + 4 (Friday) + 5.5 (Saturday) + 7 office hours.
grep -q '^EEEEEE5,2026-11-24 09:00,DINKES,Dinas Kesehatan,2026-11-24 09:00,35.5,failed,' "$B" ||
    fail "EEEEEE5's row: $(grep EEEEEE5 "$B")"
R="$T/u/wadul-2026-11-ringkasan.csv"
[ "$(csv_field "$R" unsent bulan_ini)" = 3 ] || fail "unsent this month: $(csv_field "$R" unsent bulan_ini)"
[ "$(csv_field "$R" unsent bulan_lalu)" = 1 ] || fail "unsent at the end of October: $(csv_field "$R" unsent bulan_lalu)"
[ "$(csv_field "$T/a/wadul-2026-11-ringkasan.csv" unsent bulan_ini)" = 0 ] || fail "unsent in the first store"
# Not the agencies' breaches: the overdue list and the agencies' overdue counts are as before.
grep -q -e EEEEEE5 -e FFFFFF6 -e JJJJJJ9 -e HHHHHH8 "$T/u/wadul-2026-11-terlambat.csv" &&
    fail "a complaint never forwarded is in the overdue list"
# (GGGGGG7 counts for DPUTARU as any complaint: its disposition done in time, its answer overdue.)
for ag in DINKES POLRES; do
    for col in terlambat disposisi_terlambat disposisi_selesai disposisi_tepat_waktu; do
        [ "$(csv_field "$T/u/wadul-2026-11-instansi.csv" $ag $col)" = "$(csv_field "$I" $ag $col)" ] ||
            fail "$ag $col changed by complaints never forwarded"
    done
done
[ "$(csv_field "$T/u/wadul-2026-11-instansi.csv" DPUTARU disposisi_terlambat)" = \
  "$(csv_field "$I" DPUTARU disposisi_terlambat)" ] || fail "DPUTARU's late dispositions changed by JJJJJJ9"
grep -q '^FFFFFF6,.*,no_liaison,Tidak ada pejabat penghubung,tidak,Balap liar tiap malam' "$B" ||
    fail "FFFFFF6's row: $(grep FFFFFF6 "$B")"
pdftotext -layout "$T/u/wadul-2026-11.pdf" "$T/u.txt" || fail "pdftotext failed"
for s in "Aduan yang belum terkirim kepada instansi" "EEEEEE5" "FFFFFF6" \
         "JJJJJJ9" "gagal terkirim" "masih antre" "Kepolisian Resor Rembang"; do
    grep -qF "$s" "$T/u.txt" || fail "the PDF lacks '$s'"
done
# The summary's sentence, wherever its lines break.
pdftotext "$T/u/wadul-2026-11.pdf" - | tr '\n' ' ' | grep -qF "Sebanyak 3 aduan belum sampai kepada instansi" ||
    fail "the PDF's summary lacks 'Sebanyak 3 aduan belum sampai kepada instansi'"
grep -q HHHHHH8 "$T/u.txt" && fail "the PDF lists HHHHHH8, routed 15 office minutes before the end"
# An empty list prints nothing: the first store's PDF has no such section.
grep -qF "belum terkirim kepada instansi" "$T/pdf.txt" && fail "the PDF has the section with nothing to list"

# Errors.
expect_rc 64 "$W" monthly --month 2026-13
grep -q "^wadul-report: error: invalid month '2026-13'" "$T/err" || fail "bad month message: $(cat "$T/err")"
expect_rc 64 "$W" monthly --month ""
grep -q "^wadul-report: error: invalid month ''" "$T/err" || fail "empty month message: $(cat "$T/err")"
expect_rc 64 "$W" monthly --month 2030-01 --out "$T/future"
grep -qF "wadul-report: error: invalid month '2030-01': it has not begun (today is 2026-12-01)" "$T/err" ||
    fail "future month message: $(cat "$T/err")"
[ -e "$T/future" ] && fail "a future month created its directory"
# The month not over yet: written, with a warning, and the PDF says the figures are provisional.
expect_rc 0 "$W" monthly --month 2026-12 --out "$T/now"
grep -qF "wadul-report: warning: the month 2026-12 is not over" "$T/err" || fail "no warning for the current month"
pdftotext "$T/now/wadul-2026-12.pdf" - | grep -qF "LAPORAN SEMENTARA" || fail "the current month's PDF is not marked"
pdftotext "$T/a/wadul-2026-11.pdf" - | grep -qF "LAPORAN SEMENTARA" && fail "a finished month's PDF is marked"
# ...and speaks of the moment it was printed, not of a month's end that has not come.
pdftotext "$T/now/wadul-2026-12.pdf" - | tr '\n' ' ' | grep -qF "Pada 1 Desember 2026" ||
    fail "the current month's summary does not speak of the moment of printing"
pdftotext "$T/now/wadul-2026-12.pdf" - | tr '\n' ' ' | grep -qF "Pada akhir bulan terdapat" &&
    fail "the current month's summary speaks of the month's end"
pdftotext "$T/a/wadul-2026-11.pdf" - | tr '\n' ' ' | grep -qF "Pada akhir bulan terdapat" ||
    fail "a finished month's summary does not speak of the month's end"
expect_rc 64 "$W" monthly --format docx
expect_rc 64 "$W" complaints --status bogus
expect_rc 64 "$W" complaints --format xml
expect_rc 66 "$W" show ZZZZZZZ
expect_rc 66 "$W" --store "$T/missing.db" monthly --out "$T/m"
[ -e "$T/missing.db" ] && fail "a report created a store"
expect_rc 64 "$W"

# The month defaults to the one before WADUL_NOW.
expect_rc 0 "$W" monthly --out "$T/d" --format csv
[ -s "$T/d/wadul-2026-11-ringkasan.csv" ] || fail "the default month is not 2026-11"

if [ "$fails" = 0 ]; then rm -rf "$T"; else echo "kept $T"; fi
[ "$fails" = 0 ]
