// wadul-fetch: moves every SMS from the modem's inbox into the store, and imports the web portal's
// complaints from its spool directory (see wadul-fetch(1)).
#include <cstdlib>
#include <cstring>

#include "wadul/error.hpp"
#include "wadul/fetch.hpp"
#include "wadul/lock.hpp"
#include "wadul/modem.hpp"
#include "wadul/portal.hpp"
#include "wadul/tool.hpp"

int main(int argc, char **argv) {
    CLI::App app{"Move every SMS from the modem's inbox, and the web portal's complaints, into the wadul store.",
                 "wadul-fetch"};
    wadul::CommonOptions opts;
    wadul::add_common_options(app, opts);
    return wadul::run_tool(app, argc, argv, opts, [&](wadul::Context &ctx) {
        const bool portal = !ctx.cfg.portal.inbox.empty();
        // Opened first so that a store error is reported once, not by both halves below.
        wadul::Db &db = ctx.store();
        int rc = 0;
        try {
            wadul::ModemLock lock(ctx.cfg.modem.lock);
            wadul::GammuModem modem(ctx.cfg);
            wadul::FetchOptions fo;
            fo.now = ctx.now();
            fo.multipart_timeout = ctx.cfg.modem.multipart_timeout;
            fo.followup_window_days = ctx.cfg.forward.followup_window_days;
            // Test hook for tests/cli/fetch_crash.sh only.
            const char *crash = std::getenv("WADUL_TEST_CRASH");
            fo.crash_after_first_commit = crash && std::strcmp(crash, "after-commit") == 0;
            const auto s = wadul::fetch_inbox(db, modem, fo, ctx.log);
            ctx.log.info("fetched {} parts ({} new), stored {} messages: {} complaints, {} officer messages, {} other, "
                         "{} incomplete; {} waiting for parts, {} set aside",
                         s.parts_read, s.parts_new, s.messages, s.complaints, s.officer, s.other, s.incomplete,
                         s.waiting, s.set_aside);
        } catch (const wadul::Error &e) {
            // The portal does not need the modem: its complaints still come in, and the run exits
            // with the modem's error code (or worse).
            if (!portal)
                throw;
            ctx.log.error("{}", e.what());
            rc = e.code();
        }
        if (portal) {
            try {
                const auto p = wadul::import_portal(db, ctx.cfg.portal.inbox, ctx.now(), ctx.log);
                if (p.files > 0)
                    ctx.log.info("portal: {} files, {} web complaints stored, {} already stored, {} moved to bad/",
                                 p.files, p.imported, p.duplicates, p.bad);
                rc = wadul::worse(rc, p.exit_code);
            } catch (const wadul::Error &e) {
                ctx.log.error("{}", e.what());
                rc = wadul::worse(rc, e.code());
            }
        }
        return rc;
    });
}
