#include "wadul/outbox.hpp"

#include <cstdlib>
#include <memory>

#include <gammu.h>

#include "wadul/error.hpp"
#include "wadul/store.hpp"

namespace wadul {

std::optional<std::int64_t> enqueue(Db &db, const OutMessage &m, Timestamp now) {
    Stmt ins(db, "INSERT INTO outbound(recipient, text, purpose, complaint_id, dedupe, created_at, status, attempts, "
                 "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?) ON CONFLICT(dedupe) DO NOTHING");
    ins.args(m.recipient, m.text, m.purpose, m.complaint_id, m.dedupe, now, now);
    if (ins.run() == 0) return std::nullopt;
    return db.last_insert_id();
}

std::optional<Claimed> claim_next(Db &db, Timestamp now, int lease_seconds) {
    Tx tx(db);
    Stmt pick(db, "SELECT id, recipient, text, purpose, dedupe, complaint_id, attempts FROM outbound "
                  "WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1");
    pick.bind(1, now);
    if (!pick.step()) return std::nullopt;
    Claimed c;
    c.id = pick.i64(0);
    c.recipient = pick.str(1);
    c.text = pick.str(2);
    c.purpose = pick.str(3);
    c.dedupe = pick.str(4);
    c.complaint_id = pick.opt_i64(5);
    c.attempts = pick.i32(6) + 1;
    pick.reset();
    // The status condition makes the claim exclusive even without BEGIN IMMEDIATE's write lock.
    Stmt claim(db, "UPDATE outbound SET status = 'sending', lease_until = ?, attempts = attempts + 1 "
                   "WHERE id = ? AND status = 'queued'");
    if (claim.args(now + lease_seconds, c.id).run() != 1) return std::nullopt;
    tx.commit();
    return c;
}

std::vector<std::int64_t> expire_leases(Db &db, Timestamp now) {
    std::vector<std::int64_t> ids;
    Tx tx(db);
    Stmt q(db, "SELECT id FROM outbound WHERE status = 'sending' AND lease_until < ?");
    q.bind(1, now);
    while (q.step()) ids.push_back(q.i64(0));
    q.reset();
    Stmt up(db, "UPDATE outbound SET status = 'unknown', lease_until = NULL, "
                "last_error = 'interrupted after it was handed to the modem; not resent automatically' "
                "WHERE id = ? AND status = 'sending'");
    for (auto id : ids) up.args(id).run();
    tx.commit();
    return ids;
}

void mark_sent(Db &db, std::int64_t id, Timestamp now, int parts) {
    // 'unknown' too: a run slower than its lease still records what really happened.
    Stmt(db, "UPDATE outbound SET status = 'sent', sent_at = ?, parts = ?, lease_until = NULL, last_error = NULL "
             "WHERE id = ? AND status IN ('sending', 'unknown')")
        .args(now, parts, id)
        .run();
}

std::string mark_failed(Db &db, std::int64_t id, Timestamp now, const std::string &error, bool permanent,
                        const RetryPolicy &policy) {
    Stmt q(db, "SELECT attempts FROM outbound WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) fail(kExitSoftware, "outbound message {} vanished", id);
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
    Stmt(db, "UPDATE outbound SET status = 'failed', next_attempt_at = ?, last_error = ? "
             "WHERE id = ? AND status = 'queued'")
        .args(now, why, id)
        .run();
}

bool retry(Db &db, std::int64_t id, Timestamp now) {
    Tx tx(db);
    Stmt up(db, "UPDATE outbound SET status = 'queued', attempts = 0, next_attempt_at = ?, lease_until = NULL "
                "WHERE id = ? AND status IN ('failed', 'unknown')");
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
        if (auto p = q.opt_i64(13)) r.parts = static_cast<int>(*p);
        out.push_back(std::move(r));
    }
    return out;
}

int sms_parts(const std::string &utf8) {
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
    if (!msms) throw std::bad_alloc();
    if (GSM_EncodeMultiPartSMS(GSM_GetGlobalDebug(), &info, msms.get()) != ERR_NONE) return GSM_MAX_MULTI_SMS + 1;
    return msms->Number;
}

} // namespace wadul
