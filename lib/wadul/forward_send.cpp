// Step (c) of wadul-forward: the outbound queue through the modem, at most once per message.
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/forward.hpp"
#include "wadul/log.hpp"
#include "wadul/outbox.hpp"
#include "wadul/store.hpp"
#include "wadul/transport.hpp"

namespace wadul {

namespace {

// The answer reached the modem: the SOP's last step for an SMS complaint is done.
void record_delivery(Db &db, const Claimed &m, Timestamp now) {
    if (m.purpose != "answer" || !m.complaint_id)
        return;
    Stmt q(db, "SELECT status, agency_id FROM complaint WHERE id = ?");
    q.bind(1, *m.complaint_id);
    if (!q.step() || q.str(0) != "approved")
        return;
    const auto agency = q.opt_i64(1);
    q.reset();
    append_event(db, {m.complaint_id, now, "delivered", "system", agency, std::nullopt, std::nullopt});
}

// A forward reached an officer: the `forwarded` event, at the send, in the transaction that marks
// the row sent (a crash before the commit leaves neither: the row becomes 'unknown', and only a
// send recorded later writes the event). Only for the complaint's current routing while the
// agency still holds it (forward_superseded, the rule the claim applied just before): a forward
// handed to the modem before a re-routing, a TOLAK or a close changes nothing. One event per officer and routing. Returns the complaint's ticket and
// agency name when this was the routing's first forward to go out (the agency has it from now on).
std::optional<std::pair<std::string, std::string>> record_forward(Db &db, const Claimed &m, Timestamp now) {
    std::int64_t route = 0, officer = 0;
    char end = 0;
    if (m.purpose != "forward" || !m.complaint_id ||
        std::sscanf(m.dedupe.c_str(), "fwd:%" SCNd64 ":%" SCNd64 "%c", &route, &officer, &end) != 2)
        return std::nullopt;
    if (forward_superseded(db, *m.complaint_id, route))
        return std::nullopt;
    Stmt q(db, "SELECT c.ticket, e.agency_id, coalesce((SELECT name FROM agency WHERE id = e.agency_id), ''), "
               "(SELECT count(*) FROM event f WHERE f.complaint_id = c.id AND f.kind = 'forwarded' AND f.id > e.id), "
               "(SELECT count(*) FROM event f WHERE f.complaint_id = c.id AND f.kind = 'forwarded' AND f.id > e.id "
               "AND f.officer_id = ?) "
               "FROM complaint c JOIN event e ON e.complaint_id = c.id WHERE c.id = ? AND e.id = ?");
    q.args(officer, *m.complaint_id, route);
    if (!q.step() || q.i64(4) > 0)
        return std::nullopt;
    std::pair<std::string, std::string> named{q.str(0), q.str(2)};
    const auto agency = q.opt_i64(1);
    const bool first = q.i64(3) == 0;
    q.reset();
    append_event(db, {m.complaint_id, now, "forwarded", "system", agency, officer, std::nullopt});
    if (!first)
        return std::nullopt;
    return named;
}

} // namespace

void send_queue(Db &db, const Config &cfg, const ForwardOptions &opt, const TransportOpener &open, Log &log,
                ForwardSummary &sum) {
    for (auto id : expire_leases(db, opt.now)) {
        ++sum.unknown;
        log.warn("message {} was being sent by a run that did not finish: marked 'unknown', not resent "
                 "(check with the recipient, then 'wadul-forward retry {}' if needed)",
                 id, id);
    }
    if (!any_due(db, opt.now))
        return;
    // Parts sent in the last minute by any run count against the limit.
    int budget = cfg.forward.rate_per_minute - parts_sent_since(db, opt.now - 59);
    if (budget <= 0) {
        log.info("rate limit of {} SMS parts a minute reached; the queue waits", cfg.forward.rate_per_minute);
        return;
    }
    const std::unique_ptr<Transport> modem = open();
    const RetryPolicy policy{cfg.forward.max_attempts, cfg.forward.retry_seconds};
    bool first = true;
    while (budget > 0) {
        std::vector<Dropped> dropped;
        const auto m = claim_next(
            db, opt.now, cfg.forward.lease_seconds,
            [&](const Claimed &c) { return stale_message(db, cfg, c, opt.now); }, &dropped);
        for (const auto &d : dropped)
            log.info("message {} ({}) to {} cancelled: {}", d.message.id, d.message.purpose, d.message.recipient,
                     d.why);
        if (!m)
            break;
        // From here until the result is committed, a crash leaves the row in 'sending' and it is
        // never sent again automatically: the recipient gets it at most once.
        SendResult r;
        if (!opt.fail_recipient.empty() && m->recipient == opt.fail_recipient) {
            r.error = "refused by the test hook WADUL_TEST_SEND_FAIL";
        } else {
            r = modem->send(m->recipient, m->text, cfg.forward.max_parts);
        }
        if (r.ok && first && opt.crash_after_first_send)
            std::raise(SIGKILL); // test hook, see ForwardOptions
        first = false;
        Tx tx(db);
        if (r.ok) {
            if (mark_sent(db, m->id, opt.now, r.parts)) {
                record_delivery(db, *m, opt.now);
                if (const auto fwd = record_forward(db, *m, opt.now)) {
                    ++sum.forwarded;
                    log.info("complaint {} forwarded to {}", fwd->first, fwd->second);
                }
            }
            ++sum.sent;
            sum.parts += r.parts;
            budget -= r.parts;
            log.debug("message {} ({}) sent to {} in {} parts", m->id, m->purpose, m->recipient, r.parts);
        } else {
            const std::string status = mark_failed(db, m->id, opt.now, r.error, r.permanent, policy);
            if (status == "failed") {
                ++sum.failed;
                log.warn("message {} ({}) to {} failed after {} attempts: {}", m->id, m->purpose, m->recipient,
                         m->attempts, r.error);
            } else {
                ++sum.retrying;
                log.info("message {} ({}) to {}: attempt {} failed, retried later: {}", m->id, m->purpose, m->recipient,
                         m->attempts, r.error);
            }
        }
        tx.commit();
    }
    if (budget <= 0 && any_due(db, opt.now)) {
        Stmt q(db, "SELECT count(*) FROM outbound WHERE status = 'queued' AND next_attempt_at <= ?");
        q.bind(1, opt.now);
        q.step();
        sum.left = q.i64(0);
        log.info("rate limit of {} SMS parts a minute reached; {} messages wait for the next run",
                 cfg.forward.rate_per_minute, sum.left);
    }
}

} // namespace wadul
