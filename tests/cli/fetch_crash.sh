# wadul-fetch: killed between a batch's commit and the deletion of its parts from the modem, the
# next run finds those parts again, recognises them, deletes them, and stores no duplicate.
. "$WADUL_SRC/tests/support/fetch_env.sh"

"$MKSMS" "$T/phone" --bulk 450
# Test hook: SIGKILL right after the first batch (200 parts) is committed.
rc=0
(WADUL_TEST_CRASH=after-commit "$FETCH" -c "$T/wadul.toml" >"$T/out" 2>"$T/err") 2>/dev/null || rc=$?
expect_eq "$rc" 137 "exit status of the killed run"
expect_eq "$(inbox_count)" 450 "nothing deleted before the crash"
expect_eq "$(q "SELECT count(*) FROM sms_part")" 200 "first batch committed"
expect_eq "$(q "SELECT count(*) FROM inbound")" 0 "nothing assembled yet"

fetch_ok
expect_eq "$(inbox_count)" 0 "parts left on the phone"
expect_eq "$(q "SELECT count(*) FROM sms_part")" 450 "parts stored once"
expect_eq "$(q "SELECT count(*), count(DISTINCT text) FROM inbound")" "450|450" "no duplicate message"
expect_eq "$(q "SELECT count(*) FROM complaint")" 450 "no duplicate complaint"
echo ok
