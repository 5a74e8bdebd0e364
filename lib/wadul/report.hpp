// wadul-report's subcommands over the shared runner's Context: the monthly report's files, the
// complaint listing and one complaint's history. The tool's main only declares the options.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "wadul/report_query.hpp"
#include "wadul/tool.hpp"

namespace wadul {

struct MonthlyOptions {
    std::string month;            // "2026-11"; empty: the month before ctx.now()
    bool month_given = false;     // --month was on the command line (so empty is an error)
    std::string out_dir;          // empty: report.out_dir
    std::string formats = "pdf,csv";
    bool excel = false;           // CSV for Excel in an Indonesian locale
};

// Writes the month's report files; returns their paths. Error(kExitUsage) for a bad month or format.
std::vector<std::string> run_monthly_report(Context &ctx, const MonthlyOptions &o);

struct ComplaintsOptions {
    std::string status, agency, since, closed_since;
    std::string format = "table";
};
int run_complaints(Context &ctx, const ComplaintsOptions &o, std::ostream &out);
int run_show(Context &ctx, const std::string &ticket, std::ostream &out);

} // namespace wadul
