#include "wadul/report.hpp"

#include <filesystem>
#include <sstream>

#include "wadul/calendar.hpp"
#include "wadul/error.hpp"
#include "wadul/report_csv.hpp"
#include "wadul/report_pdf.hpp"
#include "wadul/report_stats.hpp"

namespace wadul {

std::vector<std::string> run_monthly_report(Context &ctx, const MonthlyOptions &o) {
    Month month = Month::before(ctx.now());
    if (!o.month.empty() || o.month_given) {
        auto m = Month::parse(o.month);
        if (!m) fail(kExitUsage, "invalid month '{}': expected YYYY-MM, e.g. 2026-11", o.month);
        month = *m;
    }
    if (month.start() > ctx.now())
        fail(kExitUsage, "invalid month '{}': it has not begun (today is {})", month.iso(),
             format_iso8601(ctx.now()).substr(0, 10));
    if (month.end() > ctx.now())
        ctx.log.warn("the month {} is not over: the report shows the figures as of now, marked 'LAPORAN SEMENTARA'; "
                     "they will change until {}",
                     month.iso(), format_iso8601(month.end()).substr(0, 10));
    bool pdf = false, csv = false;
    std::stringstream list(o.formats);
    for (std::string f; std::getline(list, f, ',');) {
        if (f == "pdf")
            pdf = true;
        else if (f == "csv")
            csv = true;
        else
            fail(kExitUsage, "invalid format '{}': expected pdf, csv or both, comma-separated", f);
    }
    if (!pdf && !csv) fail(kExitUsage, "invalid format '{}': expected pdf, csv or both, comma-separated", o.formats);
    if (pdf && !pdf_available())
        fail(kExitUnavailable, "cannot write the PDF report: this wadul was built without Cairo and Pango");

    const std::string dir = o.out_dir.empty() ? ctx.cfg.report.out_dir : o.out_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail(kExitCantCreate, "cannot create directory '{}': {}", dir, lower_first(ec.message()));

    const Calendar cal = Calendar::from_config(ctx.cfg);
    Db &db = ctx.existing_store();
    const MonthlyReport r = build_monthly_report(db, ctx.cfg, cal, month);
    ctx.log.debug("{}: {} complaints received, {} open at month end", month.iso(), r.total.received, r.open_at_end);

    std::vector<std::string> files;
    if (csv)
        for (auto &p : write_monthly_csv(r, dir, o.excel)) files.push_back(std::move(p));
    if (pdf) {
        const std::string path = (std::filesystem::path(dir) / ("wadul-" + month.iso() + ".pdf")).string();
        const int pages = write_monthly_pdf(r, ctx.cfg, ctx.now(), path);
        ctx.log.debug("'{}': {} pages", path, pages);
        files.push_back(path);
    }
    for (const auto &f : files) ctx.log.info("wrote '{}'", f);
    return files;
}

int run_complaints(Context &ctx, const ComplaintsOptions &o, std::ostream &out) {
    ComplaintFilter f;
    f.status = o.status;
    f.agency = o.agency;
    if (!o.closed_since.empty()) {
        f.closed_since = parse_iso8601(o.closed_since);
        if (!f.closed_since) fail(kExitUsage, "invalid date '{}': expected YYYY-MM-DD or ISO 8601", o.closed_since);
    }
    if (!o.since.empty()) {
        f.since = parse_iso8601(o.since);
        if (!f.since) fail(kExitUsage, "invalid date '{}': expected YYYY-MM-DD or ISO 8601", o.since);
    }
    const ListFormat fmt = parse_list_format(o.format);
    list_complaints(ctx.existing_store(), f, fmt, out);
    return kExitOk;
}

int run_show(Context &ctx, const std::string &ticket, std::ostream &out) {
    const Calendar cal = Calendar::from_config(ctx.cfg);
    show_complaint(ctx.existing_store(), ctx.cfg, cal, ticket, ctx.now(), out);
    return kExitOk;
}

} // namespace wadul
