# wadul-route end to end: cron routing, the triage queue, assign, reroute, explain, agencies.
set -u
BIN=${WADUL_BIN:?}
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing"; exit 77; }
T=$(mktemp -d)
fails=0
check() { # check DESCRIPTION CONDITION...
    local what=$1; shift
    if "$@"; then :; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
has() { grep -qF -- "$2" "$1"; }

cat > "$T/agencies.toml" <<'TOML'
[[agency]]
code = "DPU"
name = "Dinas Pekerjaan Umum"
duties = ["jalan rusak", "jembatan"]
  [[agency.officer]]
  name = "Budi"
  phone = "081200000101"

[[agency]]
code = "DISHUB"
name = "Dinas Perhubungan"
duties = ["lampu jalan", "parkir liar"]
  [[agency.officer]]
  name = "Sari"
  phone = "081200000201"
TOML
cat > "$T/wadul.toml" <<TOML
[store]
path = "$T/wadul.db"
[registry]
path = "$T/agencies.toml"
[log]
syslog = false
[route]
threshold = 0.5
[sla]
holiday_files = []
TOML
export WADUL_CONFIG=$T/wadul.toml WADUL_NOW=2026-11-02T09:00:00+07:00
route() { "$BIN/wadul-route" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc() { cat "$T/rc"; }

# The first run creates the store and loads the registry; nothing to route, nothing printed.
route
check "empty cron run exits 0" [ "$(rc)" = 0 ]
check "empty cron run is silent" [ ! -s "$T/out" ] && [ ! -s "$T/err" ]

# Complaints as the intake would have stored them (status 'received').
sqlite3 "$T/wadul.db" <<'SQL'
INSERT INTO complaint(ticket, source, reporter, text, received_at, status, updated_at) VALUES
 ('00YGJ1D', 'sms', '+6281299990001', 'jln rsk parah di depan pasar', 1793500000, 'received', 1793500000),
 ('01X142Q', 'sms', '+6281299990002', 'mohon perhatian pak bupati, pelayanan lambat', 1793500100, 'received', 1793500100),
 ('02VHP32', 'web', 'warga01', 'lampu jalan mati sdh 3 hari', 1793500200, 'received', 1793500200);
SQL
route
check "cron run exits 0" [ "$(rc)" = 0 ]
check "cron run prints nothing on success" [ ! -s "$T/out" ] && [ ! -s "$T/err" ]
st() { sqlite3 "$T/wadul.db" "SELECT c.status || ' ' || coalesce(a.code, '-') FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id WHERE ticket = '$1'"; }
check "road complaint routed to DPU" [ "$(st 00YGJ1D)" = "routed DPU" ]
check "vague complaint in triage" [ "$(st 01X142Q)" = "triage -" ]
check "lamp complaint routed to DISHUB" [ "$(st 02VHP32)" = "routed DISHUB" ]
detail=$(sqlite3 "$T/wadul.db" "SELECT detail FROM event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '00YGJ1D' AND kind = 'routed'")
check "routed event carries confidence and duty words ($detail)" bash -c "[[ '$detail' == confidence=0.* ]] && [[ '$detail' == *'duty words: jalan rusak'* ]]"
events=$(sqlite3 "$T/wadul.db" "SELECT count(*) FROM event")
route
check "re-run adds no events" [ "$(sqlite3 "$T/wadul.db" "SELECT count(*) FROM event")" = "$events" ]

# The triage queue, in each format.
route triage
check "triage exits 0" [ "$(rc)" = 0 ]
check "triage table has a header" has "$T/out" "TICKET"
check "triage table lists the vague complaint" has "$T/out" "01X142Q"
check "triage table shows WIB time" has "$T/out" "2026-11-01"
check "triage table gives the reason" has "$T/out" "no duty word matched"
check "triage table leaves routed ones out" bash -c "! grep -q 00YGJ1D '$T/out'"
route triage --format tsv
check "tsv header" [ "$(head -1 "$T/out")" = "$(printf 'ticket\treceived\ttriaged\tsource\treason\ttext\tfollowups')" ]
check "tsv one row" [ "$(wc -l < "$T/out")" = 2 ]
route triage --format json
check "json has the ticket" has "$T/out" '"ticket": "01X142Q"'
check "json has the reason" has "$T/out" '"reason": "confidence=0.00; no duty word matched"'
# Common options work after the subcommand too.
route triage --format tsv --store "$T/wadul.db" -q
check "common options after the subcommand" [ "$(rc)" = 0 ] && [ "$(wc -l < "$T/out")" = 2 ]
route triage --bogus
check "an unknown option is a usage error in our words" [ "$(rc)" = 64 ] && [ "$(head -1 "$T/err")" = "wadul-route: error: the following argument was not expected: --bogus" ]
route triage --format xml
check "bad format is a usage error" [ "$(rc)" = 64 ]

# assign: errors first.
route assign 01X142Q DPUU --by rina
check "unknown agency exits 65" [ "$(rc)" = 65 ]
check "unknown agency lists close matches" has "$T/err" "wadul-route: error: unknown agency 'DPUU'; did you mean DPU?"
route assign 0000000 DPU --by rina
check "unknown ticket exits 65" [ "$(rc)" = 65 ]
check "unknown ticket message" has "$T/err" "wadul-route: error: no complaint with ticket '0000000'"
route assign NOTATICKET DPU
check "malformed ticket exits 65" [ "$(rc)" = 65 ]
check "malformed ticket message" has "$T/err" "'NOTATICKET' is not a ticket number"
route reroute 01X142Q DPU --by rina
check "reroute of a triaged complaint exits 65" [ "$(rc)" = 65 ]
check "reroute explains to use assign" has "$T/err" "use 'wadul-route assign'"
route assign
check "missing arguments are a usage error" [ "$(rc)" = 64 ]

# assign for real: lower case and a dash are fine, the note is kept, the actor is the admin.
route assign 01x-142q dishub --by rina --note "lampu di alun-alun"
check "assign exits 0" [ "$(rc)" = 0 ]
check "assign prints nothing" [ ! -s "$T/out" ] && [ ! -s "$T/err" ]
check "assigned to DISHUB" [ "$(st 01X142Q)" = "routed DISHUB" ]
check "event actor is admin:rina" [ "$(sqlite3 "$T/wadul.db" "SELECT actor FROM event WHERE kind = 'assigned'")" = "admin:rina" ]
check "event keeps the note" has <(sqlite3 "$T/wadul.db" "SELECT detail FROM event WHERE kind = 'assigned'") "note: lampu di alun-alun"
route triage
check "triage queue now empty" [ ! -s "$T/out" ]
SUDO_USER= USER=andi route reroute 01X142Q DPU
check "reroute exits 0" [ "$(rc)" = 0 ]
check "reroute moved it" [ "$(st 01X142Q)" = "routed DPU" ]
check "reroute default admin from \$USER" [ "$(sqlite3 "$T/wadul.db" "SELECT actor FROM event WHERE kind = 'assigned' ORDER BY id DESC LIMIT 1")" = "admin:andi" ]
check "reroute records where from" has <(sqlite3 "$T/wadul.db" "SELECT detail FROM event WHERE kind = 'assigned' ORDER BY id DESC LIMIT 1") "re-routed from DISHUB"
route reroute 01X142Q DPU --by rina
check "reroute to the same agency exits 65" [ "$(rc)" = 65 ]

# explain and agencies.
route explain "parkir liar di depan toko"
check "explain routes parkir liar" [ "$(cut -f1-2 "$T/out")" = "$(printf 'routed\tDISHUB')" ]
route agencies
check "agencies lists officers" has "$T/out" "+6281200000101  Budi"
check "agencies lists duties" has "$T/out" "duties: jalan rusak, jembatan"
route agencies --format json
check "agencies json" has "$T/out" '"code": "DISHUB"'

# train from the store: DISHUB and DPU each have confirmed complaints now? Only one assignment
# is the latest per complaint, so one agency: too little.
route train
check "train with one agency exits 65" [ "$(rc)" = 65 ]
check "train explains" has "$T/err" "at least two agencies needed"

# close, pause, resume, note: the admin portal's other acts, each an event by admin:NAME.
ev() { sqlite3 "$T/wadul.db" "SELECT e.kind || '|' || e.actor || '|' || coalesce(e.detail, '') FROM event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '$1' ORDER BY e.id DESC LIMIT 1"; }
route pause 02VHP32 --by rina
check "pause without a reason is a usage error" [ "$(rc)" = 64 ]
SUDO_USER= USER= LOGNAME= route pause 02VHP32 "minta alamat lengkap"
check "pause without an admin name is a usage error" [ "$(rc)" = 64 ] && has "$T/err" "without the admin's name (--by)"
route close 02VHP32 "" --by rina
check "close with an empty reason is a usage error" [ "$(rc)" = 64 ] && has "$T/err" "closing needs a reason"
route note 02VHP32 "" --by rina
check "an empty note is a usage error" [ "$(rc)" = 64 ] && has "$T/err" "a note needs its text"
route pause 02VHP32 "minta alamat lengkap" --by rina
check "pause exits 0 quietly" [ "$(rc)" = 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]
check "pause event" [ "$(ev 02VHP32)" = "paused|admin:rina|minta alamat lengkap" ]
check "pause leaves the status" [ "$(st 02VHP32)" = "routed DISHUB" ]
# (Its forward has not been sent, no wadul-forward ran: the state column says unsent; the
# JSON has both.)
"$BIN/wadul-sla" status --format json >"$T/sla" 2>"$T/err"
check "sla status shows the complaint paused" bash -c "grep 02VHP32 '$T/sla' | grep -q '\"paused\": true, \"unsent\": true'"
route pause 02VHP32 "lagi" --by rina
check "pausing a paused complaint exits 65" [ "$(rc)" = 65 ] && has "$T/err" "complaint '02VHP32' is already paused"
route resume 02VHP32 --by rina
check "resume exits 0" [ "$(rc)" = 0 ] && [ "$(ev 02VHP32)" = "resumed|admin:rina|" ]
route resume 02VHP32 --by rina
check "resuming a running complaint exits 65" [ "$(rc)" = 65 ] && has "$T/err" "is not paused"
route note 02VHP32 "LAPOR! SP4N 4821734" --by rina
check "note exits 0" [ "$(rc)" = 0 ] && [ "$(ev 02VHP32)" = "note|admin:rina|LAPOR! SP4N 4821734" ]
route pause 02VHP32 "foto jalan" --by rina
route close 02VHP32 "duplikat dari 00YGJ1D" --by rina
check "close exits 0" [ "$(rc)" = 0 ]
check "close sets status closed" [ "$(st 02VHP32)" = "closed DISHUB" ]
check "closing a paused complaint resumes its clock first" [ "$(sqlite3 "$T/wadul.db" "SELECT group_concat(kind, ',') FROM (SELECT e.kind FROM event e JOIN complaint c ON c.id = e.complaint_id WHERE c.ticket = '02VHP32' ORDER BY e.id DESC LIMIT 3)")" = "resumed,closed,paused" ]
route close 02VHP32 "lagi" --by rina
check "closing a closed complaint exits 65" [ "$(rc)" = 65 ] && has "$T/err" "is already closed"
route pause 02VHP32 "x" --by rina
check "pausing a closed complaint exits 65" [ "$(rc)" = 65 ]
route assign 02VHP32 DPU --by rina
check "a closed complaint cannot be assigned" [ "$(rc)" = 65 ]
"$BIN/wadul-sla" status --format tsv >"$T/sla" 2>"$T/err"
check "sla status leaves the closed complaint out" bash -c "! grep -q 02VHP32 '$T/sla'"
route close NOTATICKET x --by rina
check "close of a malformed ticket exits 65" [ "$(rc)" = 65 ]

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed; files in $T"; exit 1; fi
rm -rf "$T"
