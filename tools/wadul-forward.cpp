// wadul-forward: officers' replies into events, complaints to officers, answers to citizens, and
// the outbound SMS queue (see wadul-forward(1)).
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "wadul/error.hpp"
#include "wadul/forward.hpp"
#include "wadul/lock.hpp"
#include "wadul/modem.hpp"
#include "wadul/outbox.hpp"
#include "wadul/portal.hpp"
#include "wadul/tool.hpp"

namespace {

// The modem, opened only when something is due, and only while holding the modem lock.
class LockedModem : public wadul::Transport {
public:
    explicit LockedModem(const wadul::Config &cfg) : lock_(cfg.modem.lock), modem_(cfg) {}
    void scan_inbox(const std::function<bool(const wadul::InboxPart &)> &part,
                    const std::function<void(const wadul::UnreadablePart &)> &bad) override {
        modem_.scan_inbox(part, bad);
    }
    bool remove(int folder, int location) override { return modem_.remove(folder, location); }
    wadul::SendResult send(const std::string &to, const std::string &text, int max_parts) override {
        return modem_.send(to, text, max_parts);
    }

private:
    wadul::ModemLock lock_;
    wadul::GammuModem modem_;
};

// wadul-forward modem: what the sysadmin checks first when SMS stop flowing.
int show_modem(wadul::Context &ctx, const std::string &format) {
    wadul::ModemLock lock(ctx.cfg.modem.lock);
    wadul::GammuModem modem(ctx.cfg);
    const wadul::ModemInfo m = modem.info();
    std::fputs(wadul::format_modem_info(m, format).c_str(), stdout);
    std::fflush(stdout);
    if (m.sim_used && m.sim_size && *m.sim_size > 0 && *m.sim_used * 10 >= *m.sim_size * 9)
        ctx.log.warn("the SIM's SMS memory is nearly full ({} of {}): new SMS are refused when it is full; "
                     "wadul-fetch empties it at each run",
                     *m.sim_used, *m.sim_size);
    if (!m.usable()) {
        ctx.log.error("modem '{}' is not registered to a network ({}): no SMS can be sent or received", m.device,
                      m.network == "searching" ? "still searching"
                      : m.network == "denied"  ? "registration denied: check the SIM and its credit"
                                               : "no network: check the antenna and the SIM");
        return wadul::kExitUnavailable;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    CLI::App app{"Forward complaints to officers, record their replies, answer citizens, send the SMS queue.",
                 "wadul-forward"};
    wadul::CommonOptions opts;
    wadul::add_common_options(app, opts);
    bool no_send = false;
    app.add_flag("--no-send", no_send,
                 "Process replies and queue messages, but do not open the modem nor write the portal outbox");
    app.require_subcommand(0, 1);

    auto *queue = app.add_subcommand("queue", "List the outbound SMS queue");
    std::string status, format = "table";
    queue->add_option("--status", status, "Only messages in STATUS")
        ->check(CLI::IsMember({"queued", "sending", "sent", "failed", "unknown", "cancelled"}))
        ->option_text("STATUS");
    queue->add_option("--format", format, "table (default), json or tsv")
        ->check(CLI::IsMember({"table", "json", "tsv"}))
        ->option_text("FORMAT");

    auto *retry = app.add_subcommand("retry", "Queue a failed, unknown or cancelled message again");
    std::vector<std::int64_t> ids;
    retry->add_option("ID", ids, "Message ids, as 'queue' lists them")->required();

    auto *modem = app.add_subcommand("modem", "Show the modem's identity, network, signal and SMS memory");
    std::string modem_format = "text";
    modem->add_option("--format", modem_format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->option_text("FORMAT");

    return wadul::run_tool(app, argc, argv, opts, [&](wadul::Context &ctx) {
        if (modem->parsed()) // no store: the modem alone, under the lock fetch and forward take
            return show_modem(ctx, modem_format);
        // The queue is a view: a mistyped --store must not create an empty store.
        wadul::Db &db = queue->parsed() ? ctx.existing_store() : ctx.store();
        if (queue->parsed()) {
            std::fputs(wadul::format_outbox(wadul::list_outbox(db, status), format).c_str(), stdout);
            return 0;
        }
        if (retry->parsed()) {
            int rc = 0;
            // "retry 7 7" means message 7, once: the second would find it queued and fail.
            std::vector<std::int64_t> seen;
            for (auto id : ids) {
                if (std::find(seen.begin(), seen.end(), id) != seen.end())
                    continue;
                seen.push_back(id);
                if (wadul::retry(db, id, ctx.now())) {
                    ctx.log.info("message {} queued again", id);
                } else {
                    ctx.log.error("cannot retry message {}: no failed, unknown or cancelled message with that id", id);
                    rc = wadul::worse(rc, wadul::kExitDataErr);
                }
            }
            return rc;
        }
        wadul::ForwardOptions fo;
        fo.now = ctx.now();
        // Test hooks for tests/cli/forward_*.sh only (see ForwardOptions).
        const char *crash = std::getenv("WADUL_TEST_CRASH");
        fo.crash_after_first_send = crash && std::strcmp(crash, "after-send") == 0;
        if (const char *f = std::getenv("WADUL_TEST_SEND_FAIL"))
            fo.fail_recipient = f;

        wadul::ForwardSummary s;
        wadul::process_inbound(db, ctx.cfg, fo, ctx.log, s);
        wadul::queue_notifications(db, ctx.cfg, fo, ctx.log, s);
        // Web complaints' answers go to the portal's outbox before the modem is opened: a modem
        // problem must not hold them back.
        int rc = 0;
        if (!no_send && !ctx.cfg.portal.outbox.empty()) {
            const auto p = wadul::export_portal(db, ctx.cfg.portal.outbox, fo.now, ctx.log);
            if (p.written > 0)
                ctx.log.info("wrote {} answers to the portal outbox", p.written);
            rc = p.exit_code;
        }
        if (!no_send)
            wadul::send_queue(
                db, ctx.cfg, fo, [&] { return std::unique_ptr<wadul::Transport>(new LockedModem(ctx.cfg)); }, ctx.log,
                s);
        ctx.log.info("handled {} SMS ({} commands, {} refused, {} CEK, {} follow-ups); forwarded {} complaints; "
                     "queued {} messages; sent {} ({} parts), {} to retry, {} failed, {} unknown, {} left for later",
                     s.inbound, s.commands, s.rejected, s.queries, s.followups, s.forwarded, s.queued, s.sent, s.parts,
                     s.retrying, s.failed, s.unknown, s.left);
        return wadul::worse(rc, s.exit_code);
    });
}
