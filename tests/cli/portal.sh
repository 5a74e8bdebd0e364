# The web portal's spool directories end to end with the real binaries: two complaint files in the
# inbox → wadul-fetch (with the dummy phone) → wadul-route assign / wadul-route → wadul-forward
# sends them to the officers by SMS → TERIMA, JAWAB, SETUJU → the answer file in the outbox and the
# complaint closed, no SMS to the portal's account. Then the error paths: a bad file (65, bad/), a
# modem that is gone (the portal still imported), --no-send, an outbox that cannot be created (73).
. "$WADUL_SRC/tests/support/forward_env.sh"

cat >>"$T/wadul.toml" <<CFG

[portal]
inbox = "$T/portal/in"
outbox = "$T/portal/out"
CFG
ROUTE="$WADUL_BIN/wadul-route"

# The portal may not be set up yet: no inbox is no error, and no directory is made.
fetch_ok
[ ! -e "$T/portal" ] || fail "an idle run created the portal directories"

mkdir -p "$T/portal/in"
cat >"$T/portal/in/WEB-2026-00001.json" <<'EOF'
{"id": "WEB-2026-00001", "received": "2026-11-30T08:15:00+07:00",
 "text": "Jalan rusak di Desa Pamotan, lubangnya dalam dan sudah ada pengendara jatuh.",
 "name": "Ahmad Fauzi", "account": "ahmad.fauzi@example.com"}
EOF
cat >"$T/portal/in/WEB-2026-00002.json" <<'EOF'
{"id": "WEB-2026-00002", "received": "2026-11-30T08:40:00+07:00",
 "text": "Antrean puskesmas Sulang sangat panjang, petugas pendaftaran hanya satu.",
 "account": "081234567890", "confidential": true}
EOF
printf '{"id": "WEB-2026-0000' >"$T/portal/in/.WEB-2026-00003.json.tmp" # the portal still writing
sms $CITIZEN "Jembatan di Desa Kalipang miring, mohon dicek."
tick
fetch_ok
expect_eq "$(q "SELECT count(*) FROM complaint WHERE source = 'sms'")" 1 "the SMS complaint"
expect_eq "$(q "SELECT external_id || '|' || reporter || '|' || coalesce(reporter_name, '-') || '|' || confidential
                || '|' || datetime(received_at, 'unixepoch') || '|' || status
                FROM complaint WHERE source = 'web' ORDER BY id")" \
    "WEB-2026-00001|ahmad.fauzi@example.com|Ahmad Fauzi|0|2026-11-30 01:15:00|received
WEB-2026-00002|+6281234567890|-|1|2026-11-30 01:40:00|received" "web complaints"
expect_eq "$(ls -A "$T/portal/in")" ".WEB-2026-00003.json.tmp" "the inbox after the import"
w1=$(q "SELECT ticket FROM complaint WHERE external_id = 'WEB-2026-00001'")
w2=$(q "SELECT ticket FROM complaint WHERE external_id = 'WEB-2026-00002'")

# Routing: the admin assigns the first, the router routes the rest by duty words.
"$ROUTE" -c "$T/wadul.toml" assign "$w1" DPUPR --by rina >"$T/out" 2>&1 || fail "wadul-route assign: $(cat "$T/out")"
"$ROUTE" -c "$T/wadul.toml" >"$T/out" 2>&1 || fail "wadul-route: $(cat "$T/out")"
expect_eq "$(q "SELECT c.status || ' ' || a.code FROM complaint c JOIN agency a ON a.id = c.agency_id
                WHERE source = 'web' ORDER BY c.id")" "routed DPUPR
routed DINKES" "routing of the web complaints"

tick
forward_ok
expect_eq "$(status_of "$w1") $(status_of "$w2")" "forwarded forwarded" "statuses after forwarding"
fwd=$(sent_to $LIAISON)
expect_has "$fwd" "WADUL $w1 (30 November 2026 08.15 WIB) dari ahmad.fauzi@example.com: Jalan rusak di Desa Pamotan" \
    "forward of a web complaint"
expect_has "$(sent_to $OTHER)" "WADUL $w2 (30 November 2026 08.40 WIB) dari (dirahasiakan): Antrean puskesmas" \
    "forward of a confidential web complaint"
expect_eq "$(count_to $CITIZEN)" 1 "the SMS citizen's ack"
expect_eq "$(awk -F '\t' '$1 != "'$LIAISON'" && $1 != "'$HEAD'" && $1 != "'$OTHER'" && $1 != "'$CITIZEN'"' "$T/sent")" "" \
    "messages to anyone else (the portal accounts get no SMS)"

sms $LIAISON "TERIMA $w1"
cycle
sms $LIAISON "JAWAB $w1 Jalan di Desa Pamotan dijadwalkan ditambal tanggal 3 Desember 2026."
cycle
expect_eq "$(status_of "$w1")" answered "status after JAWAB"
expect_has "$(sent_to $HEAD)" "SETUJU $w1" "the approval request"
[ ! -e "$T/portal/out" ] || fail "the outbox was written before approval"

# --no-send: the answer is approved but neither the modem nor the outbox is touched.
sms $HEAD "SETUJU $w1"
tick
fetch_ok
forward_ok --no-send
expect_eq "$(status_of "$w1")" approved "status after SETUJU with --no-send"
[ ! -e "$T/portal/out" ] || fail "--no-send wrote the outbox"

# An outbox that cannot be created: 73, a clear error, the complaint stays approved.
: >"$T/portal/out"
forward
expect_eq "$rc" 73 "exit code, outbox cannot be created"
expect_has "$(cat "$T/err")" "wadul-forward: error: cannot create portal outbox '$T/portal/out': not a directory" \
    "stderr, outbox cannot be created"
expect_eq "$(status_of "$w1")" approved "status while the outbox cannot be written"
rm "$T/portal/out"

tick
forward_ok
out="$T/portal/out/$w1.json"
[ -f "$out" ] || fail "no answer file in the outbox: $(ls -A "$T/portal/out" 2>&1)"
expect_eq "$(cat "$out")" "{
  \"id\": \"WEB-2026-00001\",
  \"ticket\": \"$w1\",
  \"status\": \"answered\",
  \"agency\": \"DPUPR\",
  \"agency_name\": \"Dinas Pekerjaan Umum dan Penataan Ruang\",
  \"answered_at\": \"$(q "SELECT strftime('%Y-%m-%dT%H:%M:%S+07:00', max(at) + 25200, 'unixepoch') FROM event e
                        JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '$w1' AND kind = 'answered'")\",
  \"answer\": \"Jalan di Desa Pamotan dijadwalkan ditambal tanggal 3 Desember 2026.\"
}" "the answer file"
expect_eq "$(ls -A "$T/portal/out")" "$w1.json" "the outbox holds the one answer, no temporary file"
expect_eq "$(status_of "$w1")" closed "status after the answer went to the portal"
expect_eq "$(events_of "$w1")" "received assigned forwarded forwarded accepted answered approved delivered" "event log"
expect_eq "$(q "SELECT actor FROM event e JOIN complaint c ON c.id = e.complaint_id
                WHERE c.ticket = '$w1' AND kind = 'delivered'")" portal "the delivered event's actor"
expect_eq "$(wc -l <"$T/sent")" 0 "SMS sent for the web answer"
forward_ok # nothing left
expect_eq "$(ls -A "$T/portal/out")" "$w1.json" "the outbox after an idle run"

# A bad file and a repeated one: the good work is done, the bad file set aside, exit 65.
printf '{"id": "WEB-2026-00004", "text": "Tanpa tanggal."}\n' >"$T/portal/in/WEB-2026-00004.json"
cat >"$T/portal/in/WEB-2026-00005.json" <<'EOF'
{"id": "WEB-2026-00001", "received": "2026-11-30T08:15:00+07:00",
 "text": "Jalan rusak di Desa Pamotan, lubangnya dalam dan sudah ada pengendara jatuh."}
EOF
printf '{"id": "WEB-2026-00006", "received": "2026-11-30T10:00:00+07:00", "text": "Lampu jalan mati."}\n' \
    >"$T/portal/in/WEB-2026-00006.json"
tick
fetch
expect_eq "$rc" 65 "exit code, a bad portal file"
expect_eq "$(cat "$T/err")" "wadul-fetch: warning: cannot import portal file '$T/portal/in/WEB-2026-00004.json': 'received' is missing; moved to '$T/portal/in/bad/WEB-2026-00004.json'" \
    "stderr, a bad portal file"
expect_eq "$(ls -A "$T/portal/in" | tr '\n' ' ')" ".WEB-2026-00003.json.tmp bad " "the inbox after a bad file"
expect_eq "$(q "SELECT count(*) FROM complaint WHERE external_id = 'WEB-2026-00001'")" 1 "a repeated id"
expect_eq "$(q "SELECT count(*) FROM complaint WHERE external_id = 'WEB-2026-00006'")" 1 "the good file after the bad one"

# A link to a file the importer may read (here a secret that is a valid complaint, even) is moved
# to bad/ as a link, never followed; a text over 10,000 characters and a date from 1900 are
# refused; a file that is not JSON is named by position, its content not quoted.
printf 'rahasia:%s\n' "$(printf 's%.0s' $(seq 60))" >"$T/secret"
printf '{"id": "WEB-2026-00050", "received": "2026-11-30T08:00:00+07:00", "text": "Rahasia."}\n' >"$T/secret.json"
ln -s "$T/secret" "$T/portal/in/WEB-2026-00050.json"
ln -s "$T/secret.json" "$T/portal/in/WEB-2026-00051.json"
printf '{"id": "WEB-2026-00052", "received": "2026-11-30T08:00:00+07:00", "text": "%s"}\n' \
    "$(printf 'jalan rusak %.0s' $(seq 834))" >"$T/portal/in/WEB-2026-00052.json"
printf '{"id": "WEB-2026-00053", "received": "1900-01-01T00:00:00+07:00", "text": "Jalan rusak."}\n' \
    >"$T/portal/in/WEB-2026-00053.json"
cp "$T/secret" "$T/portal/in/WEB-2026-00054.json"
tick
fetch
expect_eq "$rc" 65 "exit code, links, a long text, an old date"
bad="$T/portal/in/bad"
expect_eq "$(cat "$T/err")" "wadul-fetch: warning: cannot import portal file '$T/portal/in/WEB-2026-00050.json': a symbolic link, not a regular file; not read; moved to '$bad/WEB-2026-00050.json'
wadul-fetch: warning: cannot import portal file '$T/portal/in/WEB-2026-00051.json': a symbolic link, not a regular file; not read; moved to '$bad/WEB-2026-00051.json'
wadul-fetch: warning: cannot import portal file '$T/portal/in/WEB-2026-00052.json': 'text' is 10008 characters long, more than the 10000 a complaint may have; moved to '$bad/WEB-2026-00052.json'
wadul-fetch: warning: cannot import portal file '$T/portal/in/WEB-2026-00053.json': 'received' is more than 366 days ago: 1900-01-01T00:00:00+07:00 (now 2026-11-30T$(date -u -d "@$((clock + 25200))" +%H:%M:%S)+07:00); moved to '$bad/WEB-2026-00053.json'
wadul-fetch: warning: cannot import portal file '$T/portal/in/WEB-2026-00054.json': not valid JSON: parse error at line 1, column 1: syntax error while parsing value - invalid literal; moved to '$bad/WEB-2026-00054.json'" \
    "stderr, links, a long text, an old date, not JSON"
[ -L "$bad/WEB-2026-00050.json" ] && [ -L "$bad/WEB-2026-00051.json" ] || fail "the links were not moved as links"
expect_eq "$(q "SELECT count(*) FROM complaint WHERE external_id BETWEEN 'WEB-2026-00050' AND 'WEB-2026-00054'")" 0 \
    "complaints from refused files"

# The modem gone: the portal's complaints still come in, the run exits 69.
printf '{"id": "WEB-2026-00007", "received": "2026-11-30T09:00:00+07:00", "text": "Pasar becek."}\n' \
    >"$T/portal/in/WEB-2026-00007.json"
mv "$T/phone" "$T/phone.away"
tick
fetch
expect_eq "$rc" 69 "exit code, modem gone"
grep -q "^wadul-fetch: error: " "$T/err" || fail "stderr, modem gone: $(cat "$T/err")"
expect_eq "$(q "SELECT count(*) FROM complaint WHERE external_id = 'WEB-2026-00007'")" 1 "imported without the modem"
[ ! -e "$T/portal/in/WEB-2026-00007.json" ] || fail "the imported file is still in the inbox"
mv "$T/phone.away" "$T/phone"

# Three cron runs at once over forty files: each complaint stored once, every file gone, and the
# runs that found the modem busy (75) still imported their share of the portal's files.
for i in $(seq 10 49); do
    printf '{"id": "WEB-2026-000%s", "received": "2026-11-30T08:%s:00+07:00", "text": "Lampu jalan mati nomor %s."}\n' \
        "$i" "$i" "$i" >"$T/portal/in/.t"
    mv "$T/portal/in/.t" "$T/portal/in/WEB-2026-000$i.json"
done
tick
for r in 1 2 3; do
    timeout -k 5 120 "$FETCH" -c "$T/wadul.toml" >"$T/out.$r" 2>"$T/err.$r" &
done
wait
for r in 1 2 3; do
    grep -v -e "^wadul-fetch: error: modem is in use" "$T/err.$r" | grep . && fail "run $r: $(cat "$T/err.$r")"
done
expect_eq "$(q "SELECT count(*), count(DISTINCT external_id) FROM complaint WHERE external_id BETWEEN 'WEB-2026-00010' AND 'WEB-2026-00049'")" \
    "40|40" "complaints from concurrent runs"
expect_eq "$(ls "$T/portal/in" | grep -c json)" 0 "files left after concurrent runs"

# Both directions off: nothing imported.
printf '{"id": "WEB-2026-00008", "received": "2026-11-30T09:00:00+07:00", "text": "Air mati."}\n' \
    >"$T/portal/in/WEB-2026-00008.json"
WADUL_PORTAL_INBOX= fetch_ok
[ -e "$T/portal/in/WEB-2026-00008.json" ] || fail "portal.inbox = \"\" imported anyway"
echo ok
