#!/bin/bash
# End-to-end: wadul-sla's sweep and status on a store built with the sqlite3 shell, replayed with
# WADUL_NOW; stdout, stderr and exit codes of the happy and the error paths.
set -u
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 77; }
BIN=${WADUL_BIN:?}; SRC=${WADUL_SRC:?}; BUILD=${WADUL_BUILD:-}
T=$(mktemp -d /tmp/wadul-sla-cli.XXXXXX)
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect CODE "description" command...: runs with stdout/stderr captured in $T/out, $T/err.
expect() {
    local want=$1 what=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    [ "$rc" = "$want" ] || { fail "$what: exit $rc, expected $want"; sed 's/^/  stderr: /' "$T/err"; }
}
cat >"$T/wadul.toml" <<CONF
[store]
path = "$T/wadul.db"
[log]
syslog = false
[registry]  # none: the test builds agencies and officers itself
path = ""
[sla]
holiday_files = ["$SRC/etc/holidays/2025.toml", "$SRC/etc/holidays/2026.toml"]
admin_phones = ["+628100000001"]
CONF
export WADUL_CONFIG="$T/wadul.toml"
SLA="$BIN/wadul-sla"

# No store yet: status is a view and does not create one (66); the sweep does, and nothing is open.
expect 66 "status without a store" env WADUL_NOW=2026-01-12T09:00:00+07:00 "$SLA" status --format json
[ -e "$T/wadul.db" ] && fail "status created the store"
expect 0 "sweep creates the store" env WADUL_NOW=2026-01-12T09:00:00+07:00 "$SLA"
expect 0 "status on an empty store" env WADUL_NOW=2026-01-12T09:00:00+07:00 "$SLA" status --format json
[ "$(cat "$T/out")" = "[]" ] || fail "empty store: expected [], got '$(cat "$T/out")'"

# Two agencies, their officers, three complaints, each forwarded by SMS as soon as it was routed
# (WIB = UTC+7).
sqlite3 "$T/wadul.db" <<'SQL' || fail "building the store"
INSERT INTO agency(id, code, name, kind) VALUES (1, 'DPU', 'Dinas Pekerjaan Umum', 'opd'), (2, 'DINKES', 'Dinas Kesehatan', 'opd');
INSERT INTO officer(agency_id, name, phone, role, valid_from) VALUES
  (1, 'Budi', '+628111111111', 'liaison', 0), (1, 'Sri', '+628122222222', 'head', 0),
  (2, 'Ani', '+628144444444', 'liaison', 0);
INSERT INTO complaint(id, ticket, source, reporter, text, received_at, status, agency_id, updated_at) VALUES
  (1, 'AAA1111', 'sms', '+628199999999', 'jalan rusak', strftime('%s', '2026-01-12 01:55'), 'forwarded', 1, strftime('%s', '2026-01-12 02:00')),
  (2, 'BBB2222', 'sms', '+628199999998', 'puskesmas tutup', strftime('%s', '2026-01-12 00:55'), 'accepted', 2, strftime('%s', '2026-01-12 01:30')),
  (3, 'CCC3333', 'sms', '+628199999997', 'lampu mati', strftime('%s', '2026-01-12 01:00'), 'closed', 1, strftime('%s', '2026-01-12 01:20'));
INSERT INTO event(complaint_id, at, kind, actor, agency_id) VALUES
  (1, strftime('%s', '2026-01-12 01:55'), 'received', '+628199999999', NULL),
  (1, strftime('%s', '2026-01-12 02:00'), 'routed', 'system', 1),
  (1, strftime('%s', '2026-01-12 02:00'), 'forwarded', 'system', 1),
  (2, strftime('%s', '2026-01-12 00:55'), 'received', '+628199999998', NULL),
  (2, strftime('%s', '2026-01-12 01:00'), 'routed', 'system', 2),
  (2, strftime('%s', '2026-01-12 01:00'), 'forwarded', 'system', 2),
  (2, strftime('%s', '2026-01-12 01:30'), 'accepted', '+628144444444', 2),
  (3, strftime('%s', '2026-01-12 01:00'), 'routed', 'system', 1),
  (3, strftime('%s', '2026-01-12 01:00'), 'forwarded', 'system', 1),
  (3, strftime('%s', '2026-01-12 01:20'), 'closed', 'admin:rina', NULL);
SQL
q() { sqlite3 "$T/wadul.db" "$1"; }

# Before any deadline: a quiet sweep that queues nothing, and --check passes.
expect 0 "sweep at 09:10" env WADUL_NOW=2026-01-12T09:10:00+07:00 "$SLA"
[ -s "$T/out" ] && fail "sweep printed on stdout: $(cat "$T/out")"
[ -s "$T/err" ] && fail "sweep printed on stderr: $(cat "$T/err")"
[ "$(q 'SELECT count(*) FROM outbound')" = 0 ] || fail "queued before the reminder time"
expect 0 "--check before any deadline" env WADUL_NOW=2026-01-12T09:10:00+07:00 "$SLA" --check
[ -s "$T/out" ] && fail "--check printed: $(cat "$T/out")"

# 09:16: the disposition's reminder to DPU's liaison and head (SOP step 3 is the head's); once.
expect 0 "sweep at 09:16" env WADUL_NOW=2026-01-12T09:16:00+07:00 "$SLA"
[ "$(q "SELECT group_concat(recipient || ' ' || purpose, ', ') FROM (SELECT * FROM outbound ORDER BY recipient)")" = \
    "+628111111111 reminder, +628122222222 reminder" ] || fail "reminder: $(q 'SELECT * FROM outbound')"
expect 0 "sweep again at 09:17" env WADUL_NOW=2026-01-12T09:17:00+07:00 "$SLA"
[ "$(q 'SELECT count(*) FROM outbound')" = 2 ] || fail "the reminder was queued twice"

# 09:31: overdue. Breach recorded once, the head escalated; a re-run changes nothing.
expect 0 "sweep at 09:31" env WADUL_NOW=2026-01-12T09:31:00+07:00 "$SLA"
[ -s "$T/out" ] && fail "sweep printed on stdout: $(cat "$T/out")"
expect 0 "sweep again at 09:31" env WADUL_NOW=2026-01-12T09:31:00+07:00 "$SLA"
[ "$(q "SELECT count(*) FROM event WHERE kind = 'breached'")" = 1 ] || fail "breaches: $(q "SELECT * FROM event WHERE kind = 'breached'")"
[ "$(q "SELECT group_concat(recipient) FROM outbound WHERE purpose = 'escalation'")" = +628122222222 ] ||
    fail "escalations: $(q 'SELECT * FROM outbound')"
q "SELECT text FROM outbound WHERE purpose = 'escalation'" | grep -q "AAA1111 (Dinas Pekerjaan Umum).*12 Januari 2026 09\.30 WIB" ||
    fail "escalation text: $(q "SELECT text FROM outbound WHERE purpose = 'escalation'")"
# -v reports what it did on stderr, still nothing on stdout; 240 working minutes on, the admins.
expect 0 "sweep -v at 13:30" env WADUL_NOW=2026-01-12T13:30:00+07:00 "$SLA" -v
grep -q "1 escalations" "$T/err" || fail "-v: $(cat "$T/err")"
[ "$(q "SELECT recipient FROM outbound WHERE purpose = 'escalation' ORDER BY id DESC LIMIT 1")" = +628100000001 ] ||
    fail "second escalation: $(q 'SELECT * FROM outbound')"
[ -s "$T/out" ] && fail "-v printed on stdout"

# Saturday 20:00, after hours: nothing is sent.
before=$(q 'SELECT count(*) FROM outbound')
expect 0 "sweep Saturday night" env WADUL_NOW=2026-01-17T20:00:00+07:00 "$SLA"
[ "$(q 'SELECT count(*) FROM outbound')" = "$before" ] || fail "sent outside office hours"

# Status: overdue first; formats; --agency; --check.
expect 0 "status json" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status --format json
out=$(cat "$T/out")
for key in '"ticket": "AAA1111"' '"agency": "DPU"' '"stage": "disposition"' '"deadline": "2026-01-12T09:30:00+07:00"' \
    '"overdue": true' '"stage": "answer"' '"overdue": false'; do
    grep -qF "$key" <<<"$out" || fail "json lacks $key: $out"
done
grep -q CCC3333 <<<"$out" && fail "a closed complaint is listed"
[ "$(head -c1 <<<"$out")" = "[" ] || fail "json is not an array"
expect 0 "status tsv" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status --format tsv
[ "$(sed -n 2p "$T/out" | cut -f1,3,7)" = "$(printf 'AAA1111\tdisposition\toverdue')" ] || fail "tsv order: $(cat "$T/out")"
[ "$(wc -l <"$T/out")" = 3 ] || fail "tsv rows: $(cat "$T/out")"
expect 0 "status table" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status
head -1 "$T/out" | grep -q "^TICKET *AGENCY *STAGE *DEADLINE *LEFT *STATE" || fail "table header: $(cat "$T/out")"
grep -q "^AAA1111 .* -30m  overdue" "$T/out" || fail "table row: $(cat "$T/out")"
expect 0 "status --agency DINKES" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status --agency DINKES --format tsv
[ "$(tail -n +2 "$T/out" | cut -f1)" = BBB2222 ] || fail "--agency: $(cat "$T/out")"
expect 0 "status --agency dinkes (any case)" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status --agency dinkes --format tsv
[ "$(tail -n +2 "$T/out" | cut -f1)" = BBB2222 ] || fail "--agency dinkes: $(cat "$T/out")"
expect 1 "status --check with a breach" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status --check
grep -q AAA1111 "$T/out" || fail "status --check lists nothing"
expect 1 "--check with a breach" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" --check
[ -s "$T/out" ] && fail "--check printed: $(cat "$T/out")"
# --check before 'status' is ambiguous (the silent check, or the listing's?): a usage error.
expect 64 "--check status" env WADUL_NOW=2026-01-14T10:00:00+07:00 "$SLA" --check status
[ -s "$T/out" ] && fail "--check status printed: $(cat "$T/out")"
grep -q "^wadul-sla: error: --check before 'status' is the sweep's silent check: use 'wadul-sla status --check'" "$T/err" ||
    fail "--check status diagnostic: $(cat "$T/err")"
expect 0 "status --check --agency without a breach" env WADUL_NOW=2026-01-12T10:00:00+07:00 "$SLA" status --check --agency DINKES
expect 64 "status --agency of an unknown agency" "$SLA" status --check --agency NOPE
grep -q "^wadul-sla: error: unknown agency 'NOPE': not in the registry" "$T/err" || fail "unknown agency: $(cat "$T/err")"

# sla.admin_phones empty: what was for the admins (here two triage reminders) is not sent, and
# one warning per run says so on stderr, for cron to mail; nothing due, nothing said.
sed -e '/^admin_phones/d' -e "s#$T/wadul.db#$T/noadmin.db#" "$T/wadul.toml" >"$T/noadmin.toml"
expect 0 "a new store" env WADUL_CONFIG="$T/noadmin.toml" WADUL_NOW=2026-01-12T09:00:00+07:00 "$SLA" # the sweep creates it; status would not
sqlite3 "$T/noadmin.db" <<'SQL' || fail "building the second store"
INSERT INTO complaint(id, ticket, source, reporter, text, received_at, status, updated_at) VALUES
  (1, 'DDD4444', 'sms', '+628199999996', 'entah', strftime('%s', '2026-01-12 01:55'), 'triage', strftime('%s', '2026-01-12 02:00')),
  (2, 'EEE5555', 'sms', '+628199999995', 'apa', strftime('%s', '2026-01-12 01:55'), 'triage', strftime('%s', '2026-01-12 02:00'));
INSERT INTO event(complaint_id, at, kind, actor) VALUES
  (1, strftime('%s', '2026-01-12 02:00'), 'triaged', 'system'),
  (2, strftime('%s', '2026-01-12 02:00'), 'triaged', 'system');
SQL
expect 0 "no admin phones, nothing due" env WADUL_CONFIG="$T/noadmin.toml" WADUL_NOW=2026-01-12T09:10:00+07:00 "$SLA"
[ -s "$T/err" ] && fail "no admin phones, nothing due: stderr: $(cat "$T/err")"
expect 0 "no admin phones, reminders due" env WADUL_CONFIG="$T/noadmin.toml" WADUL_NOW=2026-01-12T12:31:00+07:00 "$SLA"
[ -s "$T/out" ] && fail "no admin phones: stdout: $(cat "$T/out")"
[ "$(cat "$T/err")" = "wadul-sla: warning: sla.admin_phones is empty: reminders and escalations for the admin portal are not sent" ] ||
    fail "no admin phones: stderr: $(cat "$T/err")"
[ "$(sqlite3 "$T/noadmin.db" 'SELECT count(*) FROM outbound')" = 0 ] || fail "no admin phones: something queued"
expect 0 "no admin phones, -q" env WADUL_CONFIG="$T/noadmin.toml" WADUL_NOW=2026-01-12T12:32:00+07:00 "$SLA" -q
[ -s "$T/err" ] && fail "no admin phones, -q: stderr: $(cat "$T/err")"
# Once a day, not at every run (cron every two minutes would mail it 700 times); the next day again.
expect 0 "no admin phones, later that day" env WADUL_CONFIG="$T/noadmin.toml" WADUL_NOW=2026-01-12T13:40:00+07:00 "$SLA"
[ -s "$T/err" ] && fail "no admin phones, warned twice in a day: $(cat "$T/err")"
expect 0 "no admin phones, the next day" env WADUL_CONFIG="$T/noadmin.toml" WADUL_NOW=2026-01-13T08:00:00+07:00 "$SLA"
grep -q "warning: sla.admin_phones is empty" "$T/err" || fail "no admin phones, next day: stderr: $(cat "$T/err")"
[ "$(sqlite3 "$T/noadmin.db" "SELECT count(*) FROM event WHERE kind = 'note' AND complaint_id IS NULL AND detail LIKE 'warned: sla.admin_phones%'")" = 2 ] ||
    fail "no admin phones: the warnings are not in the event log once a day"

# Error paths.
expect 64 "bad WADUL_NOW" env WADUL_NOW=yesterday "$SLA" status
grep -q "^wadul-sla: error: invalid WADUL_NOW 'yesterday'" "$T/err" || fail "bad WADUL_NOW message: $(cat "$T/err")"
expect 64 "bad --format" "$SLA" status --format xml
grep -q "^wadul-sla: error: " "$T/err" || fail "bad --format message: $(cat "$T/err")"
expect 64 "unknown option" "$SLA" --frobnicate
sed "s#/2026.toml#/2031.toml#" "$T/wadul.toml" >"$T/bad.toml"
expect 78 "missing holiday file" env WADUL_CONFIG="$T/bad.toml" "$SLA" status
grep -q "^wadul-sla: error: cannot read holiday file '$SRC/etc/holidays/2031.toml' (sla.holiday_files): no such file or directory$" "$T/err" || fail "missing holiday file: $(cat "$T/err")"
printf 'year = 2026\n[[holiday]]\ndate = 2026-01-01\nnama = "x"\n' >"$T/h.toml"
sed "s#\"$SRC/etc/holidays/2026.toml\"#\"$T/h.toml\"#" "$T/wadul.toml" >"$T/bad2.toml"
expect 78 "bad holiday file" env WADUL_CONFIG="$T/bad2.toml" "$SLA" status
grep -q "^wadul-sla: error: $T/h.toml:4:1: unknown key 'nama'" "$T/err" || fail "bad holiday file: $(cat "$T/err")"
# A year without a holiday file is warned about (on stderr), -q silences it.
expect 0 "no holiday file for 2027" env WADUL_NOW=2027-01-12T10:00:00+07:00 "$SLA"
grep -q "warning: no holiday file for 2027" "$T/err" || fail "2027 warning: $(cat "$T/err")"
expect 0 "-q" env WADUL_NOW=2027-01-12T10:00:00+07:00 "$SLA" -q
[ -s "$T/err" ] && fail "-q still warns: $(cat "$T/err")"
expect 0 "the sweep again that day" env WADUL_NOW=2027-01-12T10:02:00+07:00 "$SLA"
[ -s "$T/err" ] && fail "the sweep warned twice in a day: $(cat "$T/err")"
expect 0 "status warns at every run" env WADUL_NOW=2027-01-12T10:04:00+07:00 "$SLA" status
grep -q "warning: no holiday file for 2027 in sla.holiday_files: deadlines count no public holiday or cuti bersama as a day off$" \
    "$T/err" || fail "status, 2027 warning: $(cat "$T/err")"
env WADUL_NOW=2027-01-12T10:06:00+07:00 "$SLA" --check >"$T/out" 2>"$T/err" || true # 1: breaches
[ -s "$T/err" ] && fail "--check warned: $(cat "$T/err")"
# From 15 December, the next year's file is wanted too: deadlines reach into January.
expect 0 "no holiday file for next year" env WADUL_NOW=2026-12-16T10:00:00+07:00 "$SLA"
grep -q "warning: no holiday file for 2027 in sla.holiday_files: deadlines from 1 January" "$T/err" ||
    fail "next year's warning: $(cat "$T/err")"
expect 0 "early December" env WADUL_NOW=2026-12-14T10:00:00+07:00 "$SLA"
[ -s "$T/err" ] && fail "warning before 15 December: $(cat "$T/err")"
# A directory named as a holiday file.
sed "s#\"$SRC/etc/holidays/2026.toml\"#\"$T\"#" "$T/wadul.toml" >"$T/bad3.toml"
expect 78 "holiday file is a directory" env WADUL_CONFIG="$T/bad3.toml" "$SLA" status
grep -qF "wadul-sla: error: cannot read holiday file '$T': it is a directory" "$T/err" || fail "directory: $(cat "$T/err")"

# The man page documents every long option of --help, and mandoc finds no error in it
# (scdoc output always draws "PP empty" warnings).
PAGE="$BUILD/man/wadul-sla.1"
if [ -n "$BUILD" ] && [ -f "$PAGE" ]; then
    for opt in $( ("$SLA" --help; "$SLA" status --help) | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "${opt//-/\\\\-}\|$opt" "$PAGE" || fail "man page lacks $opt"
    done
    if command -v mandoc >/dev/null; then
        mandoc -Tlint -Werror "$PAGE" >"$T/lint" 2>&1 || { fail "mandoc -Tlint"; cat "$T/lint"; }
    fi
else
    fail "man page not built at '$PAGE'"
fi

if [ "$fails" = 0 ]; then rm -rf "$T"; echo "sla_sweep: all checks passed"; exit 0; fi
echo "sla_sweep: $fails failed (files kept in $T)"
exit 1
