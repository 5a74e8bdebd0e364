#include "wadul/complaint.hpp"

#include <map>

#include "wadul/error.hpp"
#include "wadul/store.hpp"
#include "wadul/ticket.hpp"

namespace wadul {

std::optional<std::string> status_after(const std::string &kind) {
    static const std::map<std::string, std::string> kStatus = {
        {"received", "received"}, {"routed", "routed"},     {"triaged", "triage"},  {"assigned", "routed"},
        {"forwarded", "forwarded"}, {"accepted", "accepted"}, {"answered", "answered"}, {"revision", "accepted"},
        {"approved", "approved"}, {"refused", "triage"},    {"delivered", "closed"}, {"closed", "closed"},
    };
    auto it = kStatus.find(kind);
    if (it == kStatus.end()) return std::nullopt;
    return it->second;
}

std::int64_t append_event(Db &db, const EventInput &e) {
    Stmt ins(db, "INSERT INTO event(complaint_id, at, kind, actor, agency_id, officer_id, detail) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins.args(e.complaint_id, e.at, e.kind, e.actor, e.agency_id, e.officer_id, e.detail).run();
    const std::int64_t id = db.last_insert_id();
    if (!e.complaint_id) return id;
    const auto status = status_after(e.kind);
    if (!status) {
        Stmt(db, "UPDATE complaint SET updated_at = max(updated_at, ?) WHERE id = ?").args(e.at, *e.complaint_id).run();
        return id;
    }
    if (e.kind == "routed" || e.kind == "assigned") {
        Stmt(db, "UPDATE complaint SET status = ?, agency_id = ?, updated_at = ? WHERE id = ?")
            .args(*status, e.agency_id, e.at, *e.complaint_id)
            .run();
    } else if (e.kind == "refused" || e.kind == "triaged") {
        Stmt(db, "UPDATE complaint SET status = ?, agency_id = NULL, updated_at = ? WHERE id = ?")
            .args(*status, e.at, *e.complaint_id)
            .run();
    } else if (e.kind == "forwarded") {
        // A forward SMS can reach an officer after the agency has moved on (the head's copy sent
        // after the liaison's TERIMA): the event is recorded, the status goes forward only.
        Stmt(db, "UPDATE complaint SET status = CASE WHEN status = 'routed' THEN ? ELSE status END, "
                 "updated_at = max(updated_at, ?) WHERE id = ?")
            .args(*status, e.at, *e.complaint_id)
            .run();
    } else {
        Stmt(db, "UPDATE complaint SET status = ?, updated_at = ? WHERE id = ?").args(*status, e.at, *e.complaint_id).run();
    }
    return id;
}

ComplaintRef create_complaint(Db &db, const NewComplaint &c) {
    if (c.external_id) { // an import run again finds what it stored the first time
        Stmt find(db, "SELECT id, ticket FROM complaint WHERE source = ? AND external_id = ?");
        find.args(c.source, *c.external_id);
        if (find.step()) return {find.i64(0), find.str(1)};
    }
    Stmt ins(db, "INSERT OR IGNORE INTO complaint(ticket, source, reporter, reporter_name, confidential, text, "
                 "received_at, status, updated_at, external_id, inbound_id) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)");
    // 2^30 tickets: a collision is rare, and retried with a fresh one.
    for (int attempt = 0; attempt < 64; ++attempt) {
        const std::string ticket = random_ticket();
        ins.args(ticket, c.source, c.reporter, c.reporter_name, c.confidential ? 1 : 0, c.text, c.received_at,
                 c.received_at, c.external_id, c.inbound_id);
        if (ins.run() == 1) {
            ComplaintRef ref{db.last_insert_id(), ticket};
            append_event(db, {ref.id, c.received_at, "received", c.source == "web" ? "web" : c.reporter,
                              std::nullopt, std::nullopt, c.source});
            return ref;
        }
    }
    fail(kExitSoftware, "cannot find a free ticket number");
}

std::optional<ComplaintRef> find_complaint(Db &db, const std::string &ticket) {
    Stmt s(db, "SELECT id, ticket FROM complaint WHERE ticket = ?");
    s.bind(1, ticket);
    if (!s.step()) return std::nullopt;
    return ComplaintRef{s.i64(0), s.str(1)};
}

std::vector<std::string> complaint_followups(Db &db, std::int64_t complaint_id) {
    Stmt s(db, "SELECT coalesce(detail, '') FROM event WHERE complaint_id = ? AND kind = 'followup' ORDER BY id");
    s.args(complaint_id);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.str(0));
    return out;
}

bool first_warning_today(Db &db, const std::string &detail, Timestamp now) {
    const CivilTime d = to_civil(now);
    const Timestamp day = from_civil(d.year, d.month, d.day, 0, 0, 0);
    const std::string note = "warned: " + detail;
    Stmt seen(db, "SELECT 1 FROM event WHERE kind = 'note' AND at >= ? AND at < ? AND complaint_id IS NULL "
                  "AND detail = ?");
    seen.args(day, day + 86400, note);
    if (seen.step()) return false;
    append_event(db, {std::nullopt, now, "note", "system", std::nullopt, std::nullopt, note});
    return true;
}

} // namespace wadul
