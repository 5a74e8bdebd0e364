#include "wadul/outbox.hpp"

#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <gammu.h>

#include "wadul/error.hpp"
#include "wadul/json.hpp"
#include "wadul/store.hpp"

namespace wadul {

std::string dedupe_prefix_end(std::string prefix) {
    if (!prefix.empty())
        prefix.back() = static_cast<char>(prefix.back() + 1);
    return prefix;
}

std::optional<std::int64_t> enqueue(Db &db, const OutMessage &m, Timestamp now) {
    Stmt ins(db, "INSERT INTO outbound(recipient, text, purpose, complaint_id, dedupe, created_at, status, attempts, "
                 "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?) ON CONFLICT(dedupe) DO NOTHING");
    ins.args(m.recipient, m.text, m.purpose, m.complaint_id, m.dedupe, now, now);
    if (ins.run() == 0)
        return std::nullopt;
    return db.last_insert_id();
}

std::optional<Claimed> claim_next(Db &db, Timestamp now, int lease_seconds, const StaleCheck &stale,
                                  std::vector<Dropped> *dropped) {
    Tx tx(db);
    Stmt pick(db, "SELECT id, recipient, text, purpose, dedupe, complaint_id, attempts FROM outbound "
                  "WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1");
    for (;;) {
        pick.bind(1, now); // again each time: Stmt::reset() clears the bindings
        if (!pick.step())
            break;
        Claimed c;
        c.id = pick.i64(0);
        c.recipient = pick.str(1);
        c.text = pick.str(2);
        c.purpose = pick.str(3);
        c.dedupe = pick.opt_str(4).value_or("");
        c.complaint_id = pick.opt_i64(5);
        c.attempts = pick.i32(6) + 1;
        pick.reset();
        if (stale) {
            if (auto why = stale(c)) {
                cancel(db, c.id, now, *why);
                if (dropped)
                    dropped->push_back({std::move(c), std::move(*why)});
                continue;
            }
        }
        // The status condition makes the claim exclusive even without BEGIN IMMEDIATE's write lock.
        Stmt claim(db, "UPDATE outbound SET status = 'sending', lease_until = ?, attempts = attempts + 1 "
                       "WHERE id = ? AND status = 'queued'");
        if (claim.args(now + lease_seconds, c.id).run() != 1)
            break;
        tx.commit();
        return c;
    }
    // What was cancelled stays cancelled.
    tx.commit();
    return std::nullopt;
}

std::vector<std::int64_t> expire_leases(Db &db, Timestamp now) {
    std::vector<std::int64_t> ids;
    Tx tx(db);
    Stmt q(db, "SELECT id FROM outbound WHERE status = 'sending' AND lease_until < ?");
    q.bind(1, now);
    while (q.step())
        ids.push_back(q.i64(0));
    q.reset();
    Stmt up(db, "UPDATE outbound SET status = 'unknown', lease_until = NULL, "
                "last_error = 'interrupted after it was handed to the modem; not resent automatically' "
                "WHERE id = ? AND status = 'sending'");
    for (auto id : ids)
        up.args(id).run();
    tx.commit();
    return ids;
}

bool mark_sent(Db &db, std::int64_t id, Timestamp now, int parts) {
    // 'unknown' too: a run slower than its lease still records what really happened.
    return Stmt(db, "UPDATE outbound SET status = 'sent', sent_at = ?, parts = ?, lease_until = NULL, "
                    "last_error = NULL WHERE id = ? AND status IN ('sending', 'unknown')")
               .args(now, parts, id)
               .run() == 1;
}

std::string mark_failed(Db &db, std::int64_t id, Timestamp now, const std::string &error, bool permanent,
                        const RetryPolicy &policy) {
    Stmt q(db, "SELECT attempts FROM outbound WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
        fail(kExitSoftware, "outbound message {} vanished", id);
    const int attempts = q.i32(0);
    q.reset();
    const bool give_up = permanent || attempts >= policy.max_attempts;
    // retry_seconds * 2^(attempts-1), capped so a large max_attempts cannot overflow.
    const int shift = attempts < 1 ? 0 : (attempts - 1 > 20 ? 20 : attempts - 1);
    const Timestamp next = now + static_cast<Timestamp>(policy.retry_seconds) * (Timestamp{1} << shift);
    const std::string status = give_up ? "failed" : "queued";
    Stmt(db, "UPDATE outbound SET status = ?, next_attempt_at = ?, lease_until = NULL, last_error = ? "
             "WHERE id = ? AND status IN ('sending', 'unknown')")
        .args(status, give_up ? now : next, error, id)
        .run();
    return status;
}

void cancel(Db &db, std::int64_t id, Timestamp now, const std::string &why) {
    Stmt(db, "UPDATE outbound SET status = 'cancelled', next_attempt_at = ?, last_error = ? "
             "WHERE id = ? AND status = 'queued'")
        .args(now, why, id)
        .run();
}

void cancel_superseded(Db &db, std::int64_t complaint_id, const char *purpose, const std::string &current,
                       Timestamp now, const std::string &why) {
    Stmt old(db, "SELECT id FROM outbound WHERE complaint_id = ? AND purpose = ? AND status = 'queued' "
                 "AND dedupe NOT LIKE ?");
    old.args(complaint_id, purpose, current + "%");
    std::vector<std::int64_t> ids;
    while (old.step()) ids.push_back(old.i64(0));
    for (auto id : ids) cancel(db, id, now, why);
}

bool retry(Db &db, std::int64_t id, Timestamp now) {
    Tx tx(db);
    Stmt up(db, "UPDATE outbound SET status = 'queued', attempts = 0, next_attempt_at = ?, lease_until = NULL "
                "WHERE id = ? AND status IN ('failed', 'unknown', 'cancelled')");
    const bool ok = up.args(now, id).run() == 1;
    tx.commit();
    return ok;
}

int parts_sent_since(Db &db, Timestamp since) {
    Stmt q(db, "SELECT coalesce(sum(coalesce(parts, 1)), 0) FROM outbound WHERE status = 'sent' AND sent_at >= ?");
    q.bind(1, since);
    q.step();
    return q.i32(0);
}

bool any_due(Db &db, Timestamp now) {
    Stmt q(db, "SELECT 1 FROM outbound WHERE status = 'queued' AND next_attempt_at <= ? LIMIT 1");
    q.bind(1, now);
    return q.step();
}

std::vector<OutRow> list_outbox(Db &db, const std::string &status) {
    Stmt q(db, "SELECT o.id, o.recipient, o.text, o.purpose, o.status, o.dedupe, c.ticket, o.last_error, o.attempts, "
               "o.created_at, o.next_attempt_at, o.sent_at, o.lease_until, o.parts "
               "FROM outbound o LEFT JOIN complaint c ON c.id = o.complaint_id "
               "WHERE ? = '' OR o.status = ? ORDER BY o.id");
    q.args(status, status);
    std::vector<OutRow> out;
    while (q.step()) {
        OutRow r;
        r.id = q.i64(0);
        r.recipient = q.str(1);
        r.text = q.str(2);
        r.purpose = q.str(3);
        r.status = q.str(4);
        r.dedupe = q.opt_str(5).value_or("");
        r.ticket = q.opt_str(6);
        r.last_error = q.opt_str(7);
        r.attempts = q.i32(8);
        r.created_at = q.i64(9);
        r.next_attempt_at = q.i64(10);
        r.sent_at = q.opt_i64(11);
        r.lease_until = q.opt_i64(12);
        if (auto p = q.opt_i64(13))
            r.parts = static_cast<int>(*p);
        out.push_back(std::move(r));
    }
    return out;
}

namespace {

std::string tsv_field(const std::string &s) {
    std::string out;
    for (char c : s) {
        if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\\')
            out += "\\\\";
        else
            out += c;
    }
    return out;
}

std::string opt_time(const std::optional<Timestamp> &t) {
    return t ? format_wib(*t) : "";
}

// One line of at most `n` code points, for the table.
std::string one_line(const std::string &s, size_t n) {
    std::string out;
    size_t count = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && count++ == n)
            return out + "...";
        out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : s[i];
    }
    return out;
}

} // namespace

std::string format_outbox(const std::vector<OutRow> &rows, const std::string &format) {
    std::string out;
    if (format == "json") {
        out = "[";
        for (size_t i = 0; i < rows.size(); ++i) {
            const OutRow &r = rows[i];
            out += fmt::format(
                "{}\n  {{\"id\": {}, \"status\": {}, \"attempts\": {}, \"recipient\": {}, \"purpose\": {}, "
                "\"ticket\": {}, \"created_at\": {}, \"next_attempt_at\": {}, \"sent_at\": {}, \"parts\": {}, "
                "\"last_error\": {}, \"dedupe\": {}, \"text\": {}}}",
                i ? "," : "", r.id, json_quote(r.status), r.attempts, json_quote(r.recipient), json_quote(r.purpose),
                r.ticket ? json_quote(*r.ticket) : "null", json_quote(format_iso8601(r.created_at)),
                json_quote(format_iso8601(r.next_attempt_at)),
                r.sent_at ? json_quote(format_iso8601(*r.sent_at)) : "null",
                r.parts ? std::to_string(*r.parts) : "null", r.last_error ? json_quote(*r.last_error) : "null",
                json_quote(r.dedupe), json_quote(r.text));
        }
        return out + (rows.empty() ? "]\n" : "\n]\n");
    }
    if (format == "tsv") {
        out = "id\tstatus\tattempts\trecipient\tpurpose\tticket\tcreated_at\tnext_attempt_at\tsent_at\tparts\t"
              "last_error\tdedupe\ttext\n";
        for (const OutRow &r : rows)
            out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.id, r.status, r.attempts,
                               r.recipient, r.purpose, r.ticket.value_or(""), format_iso8601(r.created_at),
                               format_iso8601(r.next_attempt_at), r.sent_at ? format_iso8601(*r.sent_at) : "",
                               r.parts ? std::to_string(*r.parts) : "", tsv_field(r.last_error.value_or("")),
                               tsv_field(r.dedupe), tsv_field(r.text));
        return out;
    }
    if (format != "table")
        fail(kExitUsage, "unknown format '{}' (expected table, json or tsv)", format);
    out = fmt::format("{:>6}  {:<9} {:>5}  {:<16}  {:<15} {:<15} {:<8}  {}\n", "ID", "STATUS", "TRIES", "WHEN (WIB)",
                      "TO", "PURPOSE", "TICKET", "TEXT / ERROR");
    for (const OutRow &r : rows) {
        // sent: when it went; sending: until when the run holds it; otherwise: when it is (was) due.
        const std::string when = r.status == "sent"      ? opt_time(r.sent_at)
                                 : r.status == "sending" ? opt_time(r.lease_until)
                                                         : format_wib(r.next_attempt_at);
        // "!" marks what went wrong; a cancellation shows its reason unmarked: nothing failed.
        const std::string what = (r.status == "failed" || r.status == "unknown") && r.last_error
                                     ? "! " + one_line(*r.last_error, 60)
                                 : r.status == "cancelled" && r.last_error ? one_line(*r.last_error, 60)
                                                                           : one_line(r.text, 60);
        out += fmt::format("{:>6}  {:<9} {:>5}  {:<16}  {:<15} {:<15} {:<8}  {}\n", r.id, r.status, r.attempts, when,
                           r.recipient, r.purpose, r.ticket.value_or("-"), what);
    }
    return out;
}

SmsSize sms_size(const std::string &utf8) {
    std::vector<unsigned char> text((utf8.size() + 1) * 2 + 2, 0);
    DecodeUTF8(text.data(), utf8.data(), utf8.size());
    GSM_MultiPartSMSInfo info;
    GSM_ClearMultiPartSMSInfo(&info);
    info.Class = -1;
    info.EntriesNum = 1;
    info.UnicodeCoding = FALSE; // as the modem does: AutoText picks UCS-2 only when needed
    info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
    info.Entries[0].Buffer = text.data();
    std::unique_ptr<GSM_MultiSMSMessage, decltype(&std::free)> msms(
        static_cast<GSM_MultiSMSMessage *>(std::calloc(1, sizeof(GSM_MultiSMSMessage))), &std::free);
    if (!msms)
        throw std::bad_alloc();
    if (GSM_EncodeMultiPartSMS(GSM_GetGlobalDebug(), &info, msms.get()) != ERR_NONE)
        return {GSM_MAX_MULTI_SMS + 1, true};
    return {msms->Number, msms->Number > 0 && msms->SMS[0].Coding == SMS_Coding_Unicode_No_Compression};
}

} // namespace wadul
