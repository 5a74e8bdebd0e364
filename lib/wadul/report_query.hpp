// The sysadmin's view of the store: complaints listed with filters (table, JSON, CSV) and one
// complaint shown with every event. A confidential complaint never shows its reporter.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "wadul/calendar.hpp"
#include "wadul/clock.hpp"
#include "wadul/config.hpp"

namespace wadul {

class Db;

struct ComplaintFilter {
    std::string status;       // a complaint status, "open" (anything but closed), or empty: all
    std::string agency;       // an agency code, or empty: all
    std::optional<Timestamp> since; // received at or after
    // closed (answer delivered, or closed by an admin) at or after: the day's follow-ups for LAPOR!
    std::optional<Timestamp> closed_since;
};

enum class ListFormat { Table, Json, Csv };
// "table", "json" or "csv"; Error(kExitUsage) otherwise.
ListFormat parse_list_format(const std::string &s);

// Writes the complaints matching `f`, oldest first, to `out`. Error(kExitUsage) for an unknown
// status or agency code. Returns the number of complaints written.
std::int64_t list_complaints(Db &db, const ComplaintFilter &f, ListFormat fmt, std::ostream &out);

// Writes one complaint: ticket, status, its SOP stage and deadline at `now`, agency, text and every
// event. Error(kExitNoInput) when no complaint has that ticket.
void show_complaint(Db &db, const Config &cfg, const Calendar &cal, const std::string &ticket, Timestamp now,
                    std::ostream &out);

} // namespace wadul
