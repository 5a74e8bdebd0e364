// `wadul-sla status`: the current stages as a table, TSV or JSON.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "wadul/json.hpp"
#include "wadul/sla.hpp"

namespace wadul {

std::vector<StatusRow> status_rows(Db &db, const Calendar &cal, const Config &cfg, Timestamp now,
                                   const std::string &agency) {
    std::vector<StageClock> stages = load_stages(db, cal, cfg, now, true, agency);
    std::vector<StatusRow> rows;
    rows.reserve(stages.size());
    for (auto &st : stages) {
        StatusRow r;
        if (st.deadline) {
            r.overdue = now >= *st.deadline;
            r.left = r.overdue ? -cal.working_seconds(*st.deadline, now) : cal.working_seconds(now, *st.deadline);
        }
        r.clock = std::move(st);
        rows.push_back(std::move(r));
    }
    std::vector<StageClock>().swap(stages); // moved from: give the memory back before sorting
    // Overdue first (longest overdue first), then by office time left; stopped clocks last.
    // Sorted by index, so each row moves once rather than at every step of the sort.
    std::vector<std::uint32_t> order(rows.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&rows](std::uint32_t x, std::uint32_t y) {
        const StatusRow &a = rows[x], &b = rows[y];
        if (a.left.has_value() != b.left.has_value()) return a.left.has_value();
        if (!a.left) return a.clock.started < b.clock.started;
        if (a.overdue != b.overdue) return a.overdue;
        if (*a.left != *b.left) return *a.left < *b.left;
        if (*a.clock.deadline != *b.clock.deadline) return *a.clock.deadline < *b.clock.deadline;
        return a.clock.ticket < b.clock.ticket;
    });
    // Apply the permutation in place, cycle by cycle: no second copy of the rows.
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        if (order[i] == i) continue;
        StatusRow held = std::move(rows[i]);
        std::uint32_t j = i;
        while (order[j] != i) {
            const std::uint32_t k = order[j];
            rows[j] = std::move(rows[k]);
            order[j] = j;
            j = k;
        }
        rows[j] = std::move(held);
        order[j] = j;
    }
    return rows;
}

namespace {

// Office time as "2h05m" / "-1h30m" / "45m".
std::string office_time(std::int64_t secs) {
    const bool neg = secs < 0;
    const std::int64_t m = (neg ? -secs : secs) / 60;
    if (m < 60) return fmt::format("{}{}m", neg ? "-" : "", m);
    return fmt::format("{}{}h{:02}m", neg ? "-" : "", m / 60, m % 60);
}

// TSV fields cannot hold tabs or newlines; tickets and codes never do, but be safe.
std::string tsv_field(std::string s) {
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return s;
}

const char *state(const StatusRow &r) { return !r.left ? "paused" : (r.overdue ? "overdue" : "open"); }

} // namespace

std::string format_status(const std::vector<StatusRow> &rows, StatusFormat format) {
    std::string out;
    if (format == StatusFormat::json) {
        out = "[";
        for (size_t i = 0; i < rows.size(); ++i) {
            const auto &r = rows[i];
            const auto &c = r.clock;
            out += fmt::format(
                "{}\n  {{\"ticket\": {}, \"agency\": {}, \"stage\": \"{}\", \"started\": \"{}\", \"deadline\": {}, "
                "\"left_minutes\": {}, \"overdue\": {}, \"paused\": {}}}",
                i ? "," : "", json_quote(c.ticket), c.agency.empty() ? "null" : json_quote(c.agency), stage_name(c.stage),
                format_iso8601(c.started), c.deadline ? "\"" + format_iso8601(*c.deadline) + "\"" : "null",
                r.left ? std::to_string(*r.left / 60) : "null", r.overdue ? "true" : "false", c.paused ? "true" : "false");
        }
        return out + (rows.empty() ? "]\n" : "\n]\n");
    }
    if (format == StatusFormat::tsv) {
        out = "ticket\tagency\tstage\tstarted\tdeadline\tleft_minutes\tstate\n";
        for (const auto &r : rows) {
            const auto &c = r.clock;
            out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", tsv_field(c.ticket), tsv_field(c.agency), stage_name(c.stage),
                               format_iso8601(c.started), c.deadline ? format_iso8601(*c.deadline) : "",
                               r.left ? std::to_string(*r.left / 60) : "", state(r));
        }
        return out;
    }
    std::vector<std::array<std::string, 6>> cells;
    cells.push_back({"TICKET", "AGENCY", "STAGE", "DEADLINE", "LEFT", "STATE"});
    for (const auto &r : rows) {
        const auto &c = r.clock;
        cells.push_back({c.ticket, c.agency.empty() ? "-" : c.agency, stage_name(c.stage),
                         c.deadline ? format_wib(*c.deadline) : "-", r.left ? office_time(*r.left) : "-", state(r)});
    }
    size_t width[6] = {};
    for (const auto &row : cells)
        for (size_t i = 0; i < 6; ++i) width[i] = std::max(width[i], row[i].size());
    for (const auto &row : cells) {
        std::string line;
        for (size_t i = 0; i < 6; ++i) {
            if (i == 4) line += fmt::format("{:>{}}", row[i], width[i]); // numbers right-aligned
            else line += i == 5 ? row[i] : fmt::format("{:<{}}", row[i], width[i]);
            if (i < 5) line += "  ";
        }
        out += line + "\n";
    }
    return out;
}

} // namespace wadul
