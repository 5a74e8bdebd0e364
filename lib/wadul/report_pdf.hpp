// The monthly report as the document the Regent reads: A4, Indonesian, the agency's letterhead,
// summary figures, a deadline-compliance chart and tables, "Halaman N dari M" on every page.
#pragma once

#include <string>

#include "wadul/config.hpp"
#include "wadul/report_stats.hpp"

namespace wadul {

// True when this wadul was built with Cairo and Pango.
bool pdf_available();

// Writes the PDF to `path` (atomically); `printed` is the date printed under the report and in the
// PDF's metadata. Returns the page count. Error(kExitCantCreate) when the file cannot be written,
// Error(kExitUnavailable) when built without Cairo/Pango.
int write_monthly_pdf(const MonthlyReport &r, const Config &cfg, Timestamp printed, const std::string &path);

// Indonesian number forms: "1.234", "87,5".
std::string id_int(long long v);
std::string id_decimal(double v, int decimals = 1);

} // namespace wadul
