// wadul-report: the monthly report to the Regent (PDF, CSV), and the sysadmin's complaint listings.
#include <iostream>

#include "wadul/report.hpp"

int main(int argc, char **argv) {
    CLI::App app{"Monthly report to the Regent, and complaint listings for the sysadmin.", "wadul-report"};
    wadul::CommonOptions opts;
    opts.sync_registry = false; // a report reads the store as the pipeline left it
    wadul::add_common_options(app, opts);
    app.require_subcommand(1);

    wadul::MonthlyOptions monthly;
    auto *m = app.add_subcommand("monthly", "Write the month's report: PDF for the Regent, one CSV per table");
    m->add_option("--month", monthly.month, "The month reported (default: the previous month)")->option_text("YYYY-MM");
    m->add_option("--out", monthly.out_dir, "Write the files into DIR (default: report.out_dir)")->option_text("DIR");
    m->add_option("--format", monthly.formats, "pdf, csv or pdf,csv (default)")->option_text("LIST");
    m->add_flag("--excel", monthly.excel, "CSV for Excel in an Indonesian locale: ';', BOM, decimal comma");

    wadul::ComplaintsOptions list;
    auto *c = app.add_subcommand("complaints", "List complaints, oldest first");
    c->add_option("--status", list.status, "Only this status, or 'open' for any but closed")->option_text("S");
    c->add_option("--agency", list.agency, "Only complaints now with this agency (its code)")->option_text("A");
    c->add_option("--since", list.since, "Only complaints received on or after DATE")->option_text("DATE");
    c->add_option("--closed-since", list.closed_since,
                  "Only complaints closed (answer delivered, or closed by an admin) on or after DATE")
        ->option_text("DATE");
    c->add_option("--format", list.format, "table (default), json or csv")->option_text("F");

    std::string ticket;
    auto *s = app.add_subcommand("show", "Show one complaint: text, agency, stage and every event");
    s->add_option("TICKET", ticket, "The complaint's ticket")->required();

    return wadul::run_tool(app, argc, argv, opts, [&](wadul::Context &ctx) {
        if (*m) {
            monthly.month_given = m->count("--month") > 0;
            wadul::run_monthly_report(ctx, monthly);
            return 0;
        }
        if (*c) return wadul::run_complaints(ctx, list, std::cout);
        return wadul::run_show(ctx, ticket, std::cout);
    });
}
