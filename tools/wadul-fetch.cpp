// wadul-fetch: moves every SMS from the modem's inbox into the store (see wadul-fetch(1)).
#include <cstdlib>
#include <cstring>

#include "wadul/fetch.hpp"
#include "wadul/lock.hpp"
#include "wadul/modem.hpp"
#include "wadul/tool.hpp"

int main(int argc, char **argv) {
    CLI::App app{"Move every SMS from the modem's inbox into the wadul store.", "wadul-fetch"};
    wadul::CommonOptions opts;
    wadul::add_common_options(app, opts);
    return wadul::run_tool(app, argc, argv, opts, [&](wadul::Context &ctx) {
        wadul::ModemLock lock(ctx.cfg.modem.lock);
        wadul::Db &db = ctx.store();
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
        return 0;
    });
}
