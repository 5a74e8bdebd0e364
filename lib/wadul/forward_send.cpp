// Step (c) of wadul-forward: the outbound queue through the modem, at most once per message.
#include <csignal>
#include <memory>

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
        const auto m = claim_next(db, opt.now, cfg.forward.lease_seconds);
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
            mark_sent(db, m->id, opt.now, r.parts);
            record_delivery(db, *m, opt.now);
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
