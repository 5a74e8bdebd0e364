# Sourced by tests/cli/forward_*.sh: fetch_env.sh's temp dir, dummy phone and config, plus a
# registry of two agencies, a fake clock, and a reader of what libgammu really sent.
#
# What was sent is read from libgammu's own debug log (logformat textall), never from our store:
# each part is a block from "SMS Submit" to "Leaving GSM_SendSMS" with the recipient, the UDH and
# the text. libgammu truncates that log at every connection, so each wadul-forward run writes it
# to its own file, parsed right after the run.
. "$WADUL_SRC/tests/support/fetch_env.sh"
FWD="$WADUL_BIN/wadul-forward"

CITIZEN=+6285700000001
LIAISON=+6281200000001 # DPUPR
HEAD=+6281200000002    # DPUPR
OTHER=+6281200000003   # DINKES liaison
STRANGER=+6289900000009
export WADUL_REGISTRY_PATH="$T/agencies.toml" # fetch_env.sh's config has none
cat >"$T/agencies.toml" <<'EOF'
[[agency]]
code = "DPUPR"
name = "Dinas Pekerjaan Umum dan Penataan Ruang"
kind = "opd"
duties = ["jalan rusak", "jembatan"]

  [[agency.officer]]
  name = "Budi Santoso"
  phone = "0812-0000-0001"
  role = "liaison"

  [[agency.officer]]
  name = "Ir. Hartono"
  phone = "081200000002"
  role = "head"

[[agency]]
code = "DINKES"
name = "Dinas Kesehatan"
kind = "opd"
duties = ["puskesmas"]

  [[agency.officer]]
  name = "Sari"
  phone = "081200000003"
  role = "liaison"
EOF

# The clock: Monday 30 November 2026, 09:00 WIB, moved on by tick.
clock=$(date -u -d 2026-11-30T02:00:00Z +%s)
export WADUL_NOW
set_now() { WADUL_NOW=$(date -u -d "@$clock" +%Y-%m-%dT%H:%M:%SZ); }
tick() { clock=$((clock + ${1:-60})); set_now; }
set_now

# sms FROM TEXT...: puts one received SMS (long texts in concatenated parts) into the phone's inbox.
sms() {
    local from=$1
    shift
    printf '%s\t-\t%s\n' "$from" "$*" | "$MKSMS" "$T/phone" || fail "wadul-mksms failed"
}

# Parts sent in a debug log, one line each: RECIPIENT<TAB>CODING<TAB>PART/TOTAL<TAB>REF<TAB>TEXT
# (newlines in the text as \n).
parts_in_log() {
    awk '
        function hex(h,   i, v) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1; return v }
        /^SMS Submit$/ { inpart = 1; to = ""; udh = ""; coding = ""; text = ""; intext = 0; next }
        !inpart { next }
        /^Recipient number "/ { to = $0; sub(/^Recipient number "/, "", to); sub(/"$/, "", to); next }
        /^UDH, length / { want_udh = 1; next }
        want_udh && /^[0-9A-F][0-9A-F] \|/ { udh = $0; want_udh = 0; next }
        /^7 bit SMS, length / && !intext { coding = "gsm7"; pre = 1; next }
        /^Unicode SMS, length / && !intext { coding = "ucs2"; pre = 1; next }
        /^Leaving GSM_SendSMS$/ {
            part = "1/1"; ref = "-"
            if (udh != "") {
                n = split(udh, b, /[ |]+/)
                # 05 00 03 RR TT PP: hex bytes, each followed by its printable form
                ref = b[4]; total = b[5]; no = b[6]
                gsub(/[^0-9A-F].*$/, "", ref); gsub(/[^0-9A-F].*$/, "", total); gsub(/[^0-9A-F].*$/, "", no)
                part = sprintf("%d/%d", hex(no), hex(total))
            }
            printf "%s\t%s\t%s\t%s\t%s\n", to, coding, part, ref, text
            inpart = 0; udh = ""; want_udh = 0; next
        }
        pre && ($0 == "" || /^[0-9A-F][0-9A-F] \|/) { next }
        pre { pre = 0; intext = 1; text = $0; next }
        intext { text = text "\\n" $0; next }
    ' "$1"
}

# Whole messages sent in a debug log, one line each: RECIPIENT<TAB>PARTS<TAB>TEXT, parts joined.
messages_in_log() {
    parts_in_log "$1" | awk -F '\t' '
        { split($3, p, "/") }
        p[1] == 1 { if (msg != "") print msg; to = $1; n = p[2]; body = $5; msg = to "\t" n "\t" body; next }
        { body = body $5; msg = to "\t" n "\t" body }
        END { if (msg != "") print msg }'
}

# forward [ARGS]: runs wadul-forward; exit code in $rc; stdout/stderr in $T/out, $T/err; what it
# sent in $T/sent (messages) and $T/sent.parts, also appended to $T/sent.all.
runs=0
forward() {
    runs=$((runs + 1))
    rm -f "$T/gammu.log"
    rc=0
    WADUL_MODEM_DEBUG_LOG="$T/gammu.log" timeout -k 5 120 "$FWD" -c "$T/wadul.toml" "$@" >"$T/out" 2>"$T/err" || rc=$?
    if [ -f "$T/gammu.log" ]; then
        cp "$T/gammu.log" "$T/gammu.$runs.log"
        parts_in_log "$T/gammu.log" >"$T/sent.parts"
        messages_in_log "$T/gammu.log" >"$T/sent"
    else
        : >"$T/sent.parts"
        : >"$T/sent"
    fi
    cat "$T/sent" >>"$T/sent.all"
}
# forward_ok [ARGS]: a quiet success.
forward_ok() {
    forward "$@"
    [ "$rc" = 0 ] || { cat "$T/err" >&2; fail "wadul-forward exited $rc"; }
    [ ! -s "$T/out" ] || fail "stdout not empty: $(cat "$T/out")"
    [ ! -s "$T/err" ] || fail "stderr not empty: $(cat "$T/err")"
}
# cycle: fetch what the phone holds, then forward; the clock moves a minute first.
cycle() {
    tick
    fetch_ok
    forward_ok "$@"
}
# sent_to NUMBER: texts the last run sent to NUMBER, one per line.
sent_to() { awk -F '\t' -v to="$1" '$1 == to { print $3 }' "$T/sent"; }
count_to() { awk -F '\t' -v to="$1" '$1 == to' "$T/sent" | wc -l; }
expect_has() { case "$1" in *"$2"*) ;; *) fail "$3: '$2' not in '$1'" ;; esac; }
expect_not() { case "$1" in *"$2"*) fail "$3: '$2' found in '$1'" ;; esac; }

# The ticket of NUMBER's latest complaint.
ticket_of() { q "SELECT ticket FROM complaint WHERE reporter = '$1' ORDER BY id DESC LIMIT 1"; }
status_of() { q "SELECT status FROM complaint WHERE ticket = '$1'"; }
# route TICKET CODE: what wadul-route does for a confident match, as append_event does it: the
# `routed` event and the status in one transaction.
route() {
    q "BEGIN IMMEDIATE;
       INSERT INTO event(complaint_id, at, kind, actor, agency_id, detail)
         SELECT c.id, $clock, 'routed', 'system', a.id, 'test' FROM complaint c, agency a
         WHERE c.ticket = '$1' AND a.code = '$2';
       UPDATE complaint SET status = 'routed', agency_id = (SELECT id FROM agency WHERE code = '$2'),
         updated_at = $clock WHERE ticket = '$1';
       COMMIT;"
}
events_of() { q "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM event e JOIN complaint c ON c.id = e.complaint_id
                 WHERE c.ticket = '$1' ORDER BY e.id)"; }

# use_sla: gives the config wadul-sla's section (the 2026 holidays, $ADMIN as the admin portal's
# number), for the tests that run wadul-sla in the pipeline's order.
ADMIN=+6281100000099
SLA="$WADUL_BIN/wadul-sla"
use_sla() {
    cat >>"$T/wadul.toml" <<CFG

[sla]
holiday_files = ["$WADUL_SRC/etc/holidays/2026.toml"]
admin_phones = ["$ADMIN"]
CFG
}
