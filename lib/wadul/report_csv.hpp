// The monthly report as CSV: RFC 4180, UTF-8, one file per table, byte-for-byte the same for
// the same store and month (no generation time inside).
#pragma once

#include <string>
#include <vector>

#include "wadul/report_stats.hpp"

namespace wadul {

struct CsvTable {
    std::string name; // "instansi" → wadul-2026-11-instansi.csv
    std::vector<std::vector<std::string>> rows; // the header first
};

// The report's tables. `excel_id`: decimal comma, as Excel in an Indonesian locale reads numbers.
std::vector<CsvTable> monthly_csv_tables(const MonthlyReport &r, bool excel_id);

// Writes every table into `dir` as wadul-YYYY-MM-NAME.csv; returns the paths written.
// `excel_id`: ';' separator, BOM and decimal comma. Error(kExitCantCreate) when a file cannot be written.
std::vector<std::string> write_monthly_csv(const MonthlyReport &r, const std::string &dir, bool excel_id);

} // namespace wadul
