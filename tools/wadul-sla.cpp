// wadul-sla: the SOP's deadlines. Run by cron for the sweep; `status` for the sysadmin.
#include <algorithm>
#include <cstdio>

#include "wadul/calendar.hpp"
#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/sla.hpp"
#include "wadul/tool.hpp"

int main(int argc, char **argv) {
    using namespace wadul;
    CLI::App app("Reminds and escalates SLA deadlines of open complaints, and lists them.", "wadul-sla");
    CommonOptions opts;
    add_common_options(app, opts);
    bool check_only = false;
    auto *check_all = app.add_flag("--check", check_only, "Do not sweep: print nothing, exit 1 when any deadline is breached");
    auto *status = app.add_subcommand("status", "List open complaints by time left, overdue first");
    std::string agency, format = "table";
    bool check = false;
    status->add_option("--agency", agency, "Only complaints of agency CODE")->option_text("CODE");
    status->add_option("--format", format, "Output format")->check(CLI::IsMember({"table", "json", "tsv"}))
        ->option_text("table|json|tsv");
    status->add_flag("--check", check, "Exit 1 when any listed deadline is breached");
    app.require_subcommand(0, 1);
    // "--check status" would be the silent check with the listing dropped, or the listing with
    // its check: which one is not for us to guess.
    app.callback([&] {
        if (status->parsed() && check_all->count() > 0)
            throw CLI::ExcludesError("--check before 'status' is the sweep's silent check: use 'wadul-sla status "
                                     "--check' for the listing and its exit code, or 'wadul-sla --check' alone",
                                     CLI::ExitCodes::ExcludesError);
    });
    return run_tool(app, argc, argv, opts, [&](Context &ctx) {
        const Calendar cal = Calendar::from_config(ctx.cfg);
        const CivilTime today = to_civil(ctx.now());
        // The sysadmin's to fix, said where cron mails it: once a day from the sweep (a run every
        // two minutes would mail it 700 times), at every `status`, never by the silent --check.
        auto warn = [&](const std::string &what) {
            if (check_only) return;
            if (status->parsed() || first_warning_today(ctx.store(), what, ctx.now())) ctx.log.warn("{}", what);
        };
        if (!cal.covers_year(today.year))
            warn(fmt::format("no holiday file for {} in sla.holiday_files: deadlines count no public holiday or cuti "
                             "bersama as a day off",
                             today.year));
        // From mid-December, deadlines reach into the next year.
        else if (today.month == 12 && today.day >= 15 && !cal.covers_year(today.year + 1))
            warn(fmt::format("no holiday file for {} in sla.holiday_files: deadlines from 1 January count no public "
                             "holiday or cuti bersama as a day off",
                             today.year + 1));
        if (status->parsed() || check_only) {
            const auto rows = status_rows(ctx.existing_store(), cal, ctx.cfg, ctx.now(), agency);
            if (!check_only) {
                const StatusFormat f = format == "json" ? StatusFormat::json
                                       : format == "tsv" ? StatusFormat::tsv : StatusFormat::table;
                std::fputs(format_status(rows, f).c_str(), stdout);
            }
            const bool breached = std::any_of(rows.begin(), rows.end(), [](const StatusRow &r) { return r.overdue; });
            return (check || check_only) && breached ? kExitFinding : kExitOk;
        }
        const SweepResult r = sweep(ctx.store(), cal, ctx.cfg, ctx.now());
        for (const auto &n : r.notes) ctx.log.info("{}", n);
        // A deployment that never set the admins' numbers.
        if (r.admin_unsent)
            warn("sla.admin_phones is empty: reminders and escalations for the admin portal are not sent");
        if (r.reminders || r.escalations || r.breaches)
            ctx.log.info("{} reminders, {} escalations, {} breaches recorded, {} messages queued", r.reminders,
                     r.escalations, r.breaches, r.messages);
        return kExitOk;
    });
}
