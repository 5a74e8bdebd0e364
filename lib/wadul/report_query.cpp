#include "wadul/report_query.hpp"

#include <cctype>
#include <map>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "wadul/csv.hpp"
#include "wadul/error.hpp"
#include "wadul/registry.hpp"
#include "wadul/report_track.hpp"
#include "wadul/store.hpp"
#include "wadul/ticket.hpp"

namespace wadul {

namespace {

const char *const kStatuses[] = {"received", "triage", "routed", "forwarded", "accepted", "answered", "approved", "closed"};

constexpr std::string_view kHidden = "(confidential)";

// Replaces every occurrence of the reporter's number and name: events carry the citizen's
// number as actor, and follow-up texts may quote it.
std::string redact(std::string s, const std::string &reporter, const std::optional<std::string> &name) {
    for (const std::string *secret : {&reporter, name ? &*name : nullptr}) {
        if (!secret || secret->empty()) continue;
        for (size_t pos = s.find(*secret); pos != std::string::npos; pos = s.find(*secret, pos + kHidden.size()))
            s.replace(pos, secret->size(), kHidden);
    }
    return s;
}

// Up to `width` code points of one line of `s`, with "…" when cut: a table cell.
std::string cell(std::string_view s, size_t width) {
    std::string out;
    size_t points = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) {
            if (points == width) {
                // Step back over the last code point to make room for the ellipsis.
                while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
                if (!out.empty()) out.pop_back();
                return out + "\u2026";
            }
            ++points;
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : static_cast<char>(c);
    }
    return out;
}

size_t points(std::string_view s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

std::string pad(const std::string &s, size_t width) {
    const size_t n = points(s);
    return n >= width ? s : s + std::string(width - n, ' ');
}

} // namespace

ListFormat parse_list_format(const std::string &s) {
    if (s == "table") return ListFormat::Table;
    if (s == "json") return ListFormat::Json;
    if (s == "csv") return ListFormat::Csv;
    fail(kExitUsage, "invalid format '{}': expected table, json or csv", s);
}

std::int64_t list_complaints(Db &db, const ComplaintFilter &f, ListFormat fmt, std::ostream &out) {
    // The follow-up result, for the admin portal to pass on to LAPOR! SP4N: the agency's latest
    // answer and when the complaint was closed (its answer delivered, or closed by an admin).
    std::string sql = "SELECT c.ticket, c.status, a.code, a.name, c.source, c.text, c.received_at, c.confidential, "
                      "c.reporter, c.reporter_name, c.external_id, ans.detail, ans.at, "
                      "(SELECT max(e.at) FROM event e WHERE e.complaint_id = c.id AND e.kind IN ('delivered', 'closed') "
                      "AND c.status = 'closed') "
                      "FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id "
                      "LEFT JOIN event ans ON ans.id = (SELECT e.id FROM event e WHERE e.complaint_id = c.id "
                      "AND e.kind = 'answered' ORDER BY e.at DESC, e.id DESC LIMIT 1) "
                      "WHERE c.received_at >= ?1";
    if (f.status == "open") {
        sql += " AND c.status <> 'closed'";
    } else if (!f.status.empty()) {
        bool known = false;
        for (const char *s : kStatuses) known |= f.status == s;
        if (!known)
            fail(kExitUsage, "invalid status '{}': expected open, received, triage, routed, forwarded, accepted, "
                             "answered, approved or closed",
                 f.status);
        sql += " AND c.status = ?2";
    }
    std::string agency;
    if (!f.agency.empty()) {
        agency = require_agency_code(db, f.agency);
        sql += " AND a.code = ?3";
    }
    if (f.closed_since)
        sql += " AND c.status = 'closed' AND EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id AND "
               "e.kind IN ('delivered', 'closed') AND e.at >= ?4)";
    sql += " ORDER BY c.received_at, c.id";
    Stmt s(db, sql);
    s.bind(1, f.since.value_or(INT64_MIN));
    if (!f.status.empty() && f.status != "open") s.bind(2, f.status);
    if (!agency.empty()) s.bind(3, agency);
    if (f.closed_since) s.bind(4, *f.closed_since);

    CsvWriter csv;
    std::int64_t n = 0;
    if (fmt == ListFormat::Table)
        out << fmt::format("{:<8} {:<16} {:<9} {:<10} {:<6} {}\n", "TICKET", "RECEIVED", "STATUS", "AGENCY", "SOURCE",
                           "TEXT");
    if (fmt == ListFormat::Csv) csv.row({"ticket", "status", "agency", "source", "text", "received_at", "confidential",
                                         "reporter", "reporter_name", "external_id", "answer", "answered_at",
                                         "closed_at"});
    if (fmt == ListFormat::Json) out << "[";
    while (s.step()) {
        const bool confidential = s.i64(7) != 0;
        const std::string agency = s.opt_str(2).value_or("");
        const std::string reporter = confidential ? std::string() : s.str(8);
        const std::string reporter_name = confidential ? std::string() : s.opt_str(9).value_or("");
        const std::optional<std::string> external_id = s.opt_str(10);
        // An answer may quote the citizen; a confidential complaint's answer is shown without them.
        std::optional<std::string> answer = s.opt_str(11);
        if (answer && confidential) answer = redact(*answer, s.str(8), s.opt_str(9));
        const std::string answered_at = s.is_null(12) ? std::string() : format_iso8601(s.i64(12));
        const std::string closed_at = s.is_null(13) ? std::string() : format_iso8601(s.i64(13));
        switch (fmt) {
        case ListFormat::Table:
            out << fmt::format("{:<8} {:<16} {:<9} {} {:<6} {}\n", s.str(0), format_wib(s.i64(6)), s.str(1),
                               pad(agency.empty() ? "-" : agency, 10), s.str(4), cell(s.view(5), 60));
            break;
        case ListFormat::Csv:
            csv.row({s.str(0), s.str(1), agency, s.str(4), s.str(5), format_iso8601(s.i64(6)),
                     confidential ? "true" : "false", reporter, reporter_name, external_id.value_or(""),
                     answer.value_or(""), answered_at, closed_at});
            out << csv.str();
            csv = CsvWriter();
            break;
        case ListFormat::Json: {
            nlohmann::ordered_json j;
            j["ticket"] = s.str(0);
            j["status"] = s.str(1);
            j["agency"] = agency.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(agency);
            j["agency_name"] = s.is_null(3) ? nlohmann::ordered_json() : nlohmann::ordered_json(s.str(3));
            j["source"] = s.str(4);
            j["text"] = s.str(5);
            j["received_at"] = format_iso8601(s.i64(6));
            j["confidential"] = confidential;
            j["reporter"] = confidential ? nlohmann::ordered_json() : nlohmann::ordered_json(reporter);
            j["reporter_name"] = reporter_name.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(reporter_name);
            auto or_null = [](const std::string &v) {
                return v.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
            };
            j["external_id"] = or_null(external_id.value_or(""));
            j["answer"] = or_null(answer.value_or(""));
            j["answered_at"] = or_null(answered_at);
            j["closed_at"] = or_null(closed_at);
            // A text that is not valid UTF-8 (a broken SMS part) is shown with U+FFFD, not refused.
            out << (n ? ",\n  " : "\n  ") << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            break;
        }
        }
        ++n;
    }
    if (fmt == ListFormat::Json) out << (n ? "\n]\n" : "]\n");
    if (fmt == ListFormat::Csv) out << csv.str(); // the header alone when nothing matched
    return n;
}

void show_complaint(Db &db, const Config &cfg, const Calendar &cal, const std::string &typed, Timestamp now,
                    std::ostream &out) {
    // A typo-tolerant reading first; a ticket from an older scheme is matched as typed, upper-cased.
    std::string ticket = parse_ticket(typed).value_or(typed);
    for (char &ch : ticket) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    Stmt c(db, "SELECT c.id, c.ticket, c.status, a.code, a.name, c.source, c.reporter, c.reporter_name, "
               "c.confidential, c.text, c.received_at, c.external_id FROM complaint c "
               "LEFT JOIN agency a ON a.id = c.agency_id WHERE c.ticket = ?");
    c.bind(1, ticket);
    if (!c.step()) fail(kExitNoInput, "cannot find complaint '{}': no such ticket", typed);
    const std::int64_t id = c.i64(0);
    const bool confidential = c.i64(8) != 0;
    const std::string reporter = c.str(6);
    const std::optional<std::string> reporter_name = c.opt_str(7);
    auto safe = [&](std::string s) { return confidential ? redact(std::move(s), reporter, reporter_name) : s; };

    std::unordered_map<std::int64_t, std::string> phones, officer_names, agency_codes;
    {
        Stmt o(db, "SELECT o.id, o.phone, o.name FROM officer o WHERE o.id IN "
                   "(SELECT officer_id FROM event WHERE complaint_id = ?)");
        o.bind(1, id);
        while (o.step()) {
            phones[o.i64(0)] = o.str(1);
            officer_names[o.i64(0)] = o.str(2);
        }
        Stmt a(db, "SELECT id, code FROM agency");
        while (a.step()) agency_codes[a.i64(0)] = a.str(1);
    }

    Track track(id, c.i64(10), phones, cfg.sla.pause_on_citizen);
    struct Row {
        Timestamp at;
        std::string kind, actor, who, detail;
    };
    std::vector<Row> rows;
    Stmt ev(db, "SELECT at, kind, actor, agency_id, officer_id, detail FROM event WHERE complaint_id = ? "
                "ORDER BY at, id");
    ev.bind(1, id);
    while (ev.step()) {
        track.apply(ev.i64(0), event_kind(ev.view(1)), ev.view(2), ev.opt_i64(3), ev.opt_i64(4));
        std::string who;
        if (auto a = ev.opt_i64(3)) who = "agency " + agency_codes[*a];
        if (auto o = ev.opt_i64(4)) who += (who.empty() ? "" : ", ") + std::string("officer ") + officer_names[*o];
        rows.push_back({ev.i64(0), ev.str(1), safe(ev.str(2)), who, safe(ev.opt_str(5).value_or(""))});
    }

    // The stage and deadline as `wadul-sla status` shows them.
    const Deadlines dl(cal, cfg);
    std::string stage = track.open() ? "none (not yet routed)" : "closed";
    if (const StageSpan *sp = track.stage()) {
        const std::optional<Timestamp> due = track.current_due(dl);
        stage = fmt::format("{} since {}, ", stage_name(sp->stage), format_wib(sp->started));
        stage += due         ? fmt::format("due {}{}", format_wib(*due), overdue_at(due, now) ? " (overdue)" : "")
                 : sp->unsent ? std::string("no deadline yet (the forward SMS has not been sent)")
                              : std::string("paused (waiting on the citizen)");
    }
    out << fmt::format("ticket:    {}\n", c.str(1));
    out << fmt::format("status:    {}\n", c.str(2));
    out << fmt::format("stage:     {}\n", stage);
    out << fmt::format("agency:    {}\n", c.is_null(3) ? std::string("-") : c.str(3) + " (" + c.str(4) + ")");
    out << fmt::format("source:    {}{}\n", c.str(5), c.is_null(11) ? std::string() : " " + c.str(11));
    if (confidential)
        out << "reporter:  (confidential)\n";
    else
        out << fmt::format("reporter:  {}{}\n", reporter, reporter_name ? " (" + *reporter_name + ")" : std::string());
    out << fmt::format("received:  {}\n", format_iso8601(c.i64(10)));
    out << "text:\n";
    std::string text = safe(c.str(9));
    for (size_t pos = 0; pos <= text.size();) {
        const size_t nl = text.find('\n', pos);
        out << "  " << text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos) << "\n";
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    out << "events:\n";
    for (const Row &r : rows) {
        out << fmt::format("  {}  {:<9}  {}", format_wib(r.at), r.kind, r.actor);
        if (!r.who.empty()) out << "  [" << r.who << "]";
        if (!r.detail.empty()) out << "  " << cell(r.detail, 200);
        out << "\n";
    }
}

} // namespace wadul
