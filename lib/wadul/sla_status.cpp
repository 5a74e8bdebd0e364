// `wadul-sla status`: the current stages as a table, TSV or JSON.
#include <algorithm>
#include <iterator>
#include <array>

#include <fmt/format.h>

#include "wadul/json.hpp"
#include "wadul/registry.hpp"
#include "wadul/sla.hpp"

namespace wadul {

std::vector<StatusRow> status_rows(Db &db, const Calendar &cal, const Config &cfg, Timestamp now,
                                   const std::string &typed_agency) {
    const std::string agency = typed_agency.empty() ? typed_agency : require_agency_code(db, typed_agency);
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
    // Overdue first (longest overdue first), then by office time left; stopped clocks last:
    // forwards not sent yet (oldest routing first), then pauses.
    // Sorted as compact keys, so the comparisons stay in cache and each row moves once at the end.
    struct Key {
        std::int64_t primary, secondary; // running: left, deadline; unsent, paused: started, 0
        std::uint32_t rank;              // 0 overdue, 1 open, 2 unsent, 3 paused
        std::uint32_t row;
    };
    std::vector<Key> keys(rows.size());
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
        const StatusRow &r = rows[i];
        if (r.left) keys[i] = {*r.left, *r.clock.deadline, r.overdue ? 0u : 1u, i};
        else keys[i] = {r.clock.started, 0, r.clock.unsent ? 2u : 3u, i};
    }
    std::stable_sort(keys.begin(), keys.end(), [&rows](const Key &a, const Key &b) {
        if (a.rank != b.rank) return a.rank < b.rank;
        if (a.primary != b.primary) return a.primary < b.primary;
        if (a.secondary != b.secondary) return a.secondary < b.secondary;
        return a.rank != 3 && rows[a.row].clock.ticket < rows[b.row].clock.ticket;
    });
    std::vector<std::uint32_t> order(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].row;
    std::vector<Key>().swap(keys);
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

const char *state(const StatusRow &r) {
    return r.clock.unsent ? "unsent" : !r.left ? "paused" : (r.overdue ? "overdue" : "open");
}

} // namespace

std::string format_status(const std::vector<StatusRow> &rows, StatusFormat format) {
    std::string out;
    if (format == StatusFormat::json) {
        out = "[";
        out.reserve(rows.size() * 200);
        for (size_t i = 0; i < rows.size(); ++i) {
            const auto &r = rows[i];
            const auto &c = r.clock;
            out += i ? ",\n  {\"ticket\": " : "\n  {\"ticket\": ";
            out += json_quote(c.ticket);
            out += ", \"agency\": ";
            out += c.agency.empty() ? std::string("null") : json_quote(c.agency);
            out += ", \"stage\": \"";
            out += stage_name(c.stage);
            out += "\", \"started\": \"";
            append_iso8601(out, c.started);
            out += "\", \"deadline\": ";
            if (c.deadline) {
                out += '"';
                append_iso8601(out, *c.deadline);
                out += '"';
            } else {
                out += "null";
            }
            out += ", \"left_minutes\": ";
            if (r.left) fmt::format_to(std::back_inserter(out), "{}", *r.left / 60);
            else out += "null";
            out += ", \"overdue\": ";
            out += r.overdue ? "true" : "false";
            out += ", \"paused\": ";
            out += c.paused ? "true" : "false";
            out += ", \"unsent\": ";
            out += c.unsent ? "true}" : "false}";
        }
        return out + (rows.empty() ? "]\n" : "\n]\n");
    }
    if (format == StatusFormat::tsv) {
        out = "ticket\tagency\tstage\tstarted\tdeadline\tleft_minutes\tstate\n";
        out.reserve(out.size() + rows.size() * 96);
        auto field = [&out](const std::string &v) { // TSV fields cannot hold tabs or newlines
            for (char ch : v) out += (ch == '\t' || ch == '\n' || ch == '\r') ? ' ' : ch;
        };
        for (const auto &r : rows) {
            const auto &c = r.clock;
            field(c.ticket);
            out += '\t';
            field(c.agency);
            out += '\t';
            out += stage_name(c.stage);
            out += '\t';
            append_iso8601(out, c.started);
            out += '\t';
            if (c.deadline) append_iso8601(out, *c.deadline);
            out += '\t';
            if (r.left) fmt::format_to(std::back_inserter(out), "{}", *r.left / 60);
            out += '\t';
            out += state(r);
            out += '\n';
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
