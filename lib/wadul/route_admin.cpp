#include "wadul/route_admin.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/json.hpp"
#include "wadul/route.hpp"
#include "wadul/store.hpp"
#include "wadul/ticket.hpp"

namespace wadul {

namespace {

std::string upper(std::string s) {
    for (auto &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string lower(std::string s) {
    for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

size_t edit_distance(const std::string &a, const std::string &b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// UTF-8-safe cut to at most `max` code points, with "…" when cut; newlines become spaces.
std::string excerpt(const std::string &s, size_t max) {
    std::string out;
    size_t points = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) {
            if (points == max) return out + "…";
            ++points;
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : s[i];
    }
    return out;
}

size_t width(const std::string &s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string pad(const std::string &s, size_t w) { return s + std::string(w > width(s) ? w - width(s) : 0, ' '); }

std::string tsv_field(std::string s) {
    for (auto &c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

std::string table(const std::vector<std::vector<std::string>> &rows) {
    std::vector<size_t> w;
    for (const auto &r : rows)
        for (size_t i = 0; i < r.size(); ++i) {
            if (w.size() <= i) w.push_back(0);
            w[i] = std::max(w[i], width(r[i]));
        }
    std::string out;
    for (const auto &r : rows) {
        std::string line;
        for (size_t i = 0; i < r.size(); ++i) line += i + 1 < r.size() ? pad(r[i], w[i]) + "  " : r[i];
        out += line + "\n";
    }
    return out;
}

struct AgencyRow {
    std::int64_t id;
    std::string code, name;
    bool active;
};

AgencyRow find_agency(Db &db, const std::string &typed) {
    const std::string want = upper(typed);
    std::vector<AgencyRow> all;
    Stmt s(db, "SELECT id, code, name, active FROM agency ORDER BY code");
    while (s.step()) all.push_back({s.i64(0), s.str(1), s.str(2), s.i64(3) != 0});
    for (const auto &a : all) {
        if (upper(a.code) != want) continue;
        if (!a.active) fail(kExitDataErr, "agency '{}' is retired: it is no longer in the registry", a.code);
        return a;
    }
    std::vector<std::string> close;
    const std::string wl = lower(typed);
    for (const auto &a : all) {
        if (!a.active) continue;
        const std::string cu = upper(a.code);
        const bool near = edit_distance(cu, want) <= std::max<size_t>(1, want.size() / 3) ||
                          (want.size() >= 3 && cu.find(want) != std::string::npos) ||
                          (wl.size() >= 4 && lower(a.name).find(wl) != std::string::npos);
        if (near) close.push_back(a.code);
    }
    if (close.size() > 6) close.resize(6);
    if (close.empty())
        fail(kExitDataErr, "unknown agency '{}'; 'wadul-route agencies' lists the codes", typed);
    std::string list;
    for (const auto &c : close) list += (list.empty() ? "" : ", ") + c;
    fail(kExitDataErr, "unknown agency '{}'; did you mean {}?", typed, list);
}

} // namespace

std::vector<TriageItem> triage_queue(Db &db) {
    // The reason is the latest triaged/refused event's, or the router's note on reading the
    // follow-ups since; a refusal names the agency that refused. The time is the queue's entry.
    Stmt s(db, R"sql(
SELECT c.ticket, c.source, c.text, c.received_at,
       (SELECT max(at) FROM event WHERE complaint_id = c.id AND kind IN ('triaged', 'refused')),
       e.kind, e.detail, a.code, c.id
FROM complaint c
LEFT JOIN event e ON e.id = (SELECT max(id) FROM event WHERE complaint_id = c.id AND
                             (kind IN ('triaged', 'refused') OR
                              kind = 'note' AND actor = 'system' AND substr(detail, 1, ?1) = ?2))
LEFT JOIN officer o ON o.id = e.officer_id
LEFT JOIN agency a ON a.id = coalesce(o.agency_id, e.agency_id)
WHERE c.status = 'triage'
ORDER BY c.received_at, c.id
)sql");
    s.args(static_cast<std::int64_t>(kRereadNote.size()), std::string(kRereadNote));
    std::vector<TriageItem> out;
    while (s.step()) {
        TriageItem t;
        t.ticket = s.str(0);
        t.source = s.str(1);
        t.text = s.str(2);
        t.received_at = s.i64(3);
        t.triaged_at = s.is_null(4) ? t.received_at : s.i64(4);
        const std::string kind = s.is_null(5) ? "" : s.str(5);
        const std::string detail = s.opt_str(6).value_or("");
        if (kind == "refused") {
            const std::string by = s.is_null(7) ? "an officer" : s.str(7);
            t.reason = detail.empty() ? "refused by " + by : "refused by " + by + ": " + detail;
        } else {
            t.reason = detail.empty() ? "no reason recorded" : detail;
        }
        t.followups = complaint_followups(db, s.i64(8));
        out.push_back(std::move(t));
    }
    return out;
}

AssignResult assign_complaint(Db &db, const AssignRequest &req, Timestamp now) {
    const auto ticket = parse_ticket(req.ticket);
    if (!ticket) fail(kExitDataErr, "'{}' is not a ticket number", req.ticket);
    if (req.by.empty()) fail(kExitUsage, "cannot record an assignment without the admin's name (--by)");
    Tx tx(db);
    const auto ref = find_complaint(db, *ticket);
    if (!ref) fail(kExitDataErr, "no complaint with ticket '{}'", *ticket);
    const AgencyRow agency = find_agency(db, req.agency);
    Stmt c(db, "SELECT c.status, a.code FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id WHERE c.id = ?");
    c.args(ref->id);
    c.step();
    AssignResult r;
    r.ticket = ref->ticket;
    r.agency = agency.code;
    r.agency_name = agency.name;
    r.previous_status = c.str(0);
    r.previous_agency = c.opt_str(1).value_or("");
    c.reset();
    if (r.previous_status == "closed") fail(kExitDataErr, "complaint '{}' is closed", r.ticket);
    const bool with_agency = !r.previous_agency.empty();
    if (req.reroute && !with_agency)
        fail(kExitDataErr, "complaint '{}' is not with an agency (status {}); use 'wadul-route assign'", r.ticket,
             r.previous_status);
    if (with_agency && r.previous_agency == agency.code)
        fail(kExitDataErr, "complaint '{}' is already with {} (status {})", r.ticket, agency.code, r.previous_status);
    std::string detail;
    if (with_agency) {
        // Forwards since the complaint last reached its current agency are superseded.
        Stmt f(db, "SELECT count(*) FROM event WHERE complaint_id = ? AND kind = 'forwarded' AND id > "
                   "coalesce((SELECT max(id) FROM event WHERE complaint_id = ? AND kind IN ('routed', 'assigned')), 0)");
        f.args(ref->id, ref->id);
        f.step();
        r.superseded_forwards = f.i32(0);
        detail = fmt::format("{} from {} ({})", req.reroute ? "re-routed" : "reassigned", r.previous_agency,
                             r.previous_status);
        if (r.superseded_forwards > 0)
            detail += fmt::format("; supersedes {} forward(s) to {}", r.superseded_forwards, r.previous_agency);
    } else {
        detail = fmt::format("assigned from {}", r.previous_status);
    }
    if (!req.note.empty()) detail += "; note: " + req.note;
    append_event(db, {ref->id, now, "assigned", "admin:" + req.by, agency.id, std::nullopt, detail});
    tx.commit();
    return r;
}

const char *admin_act_done(AdminAct act) {
    switch (act) {
    case AdminAct::close: return "closed";
    case AdminAct::pause: return "paused";
    case AdminAct::resume: return "resumed";
    case AdminAct::note: break;
    }
    return "noted";
}

AdminActResult admin_act(Db &db, const AdminActRequest &req, Timestamp now) {
    const auto ticket = parse_ticket(req.ticket);
    if (!ticket) fail(kExitDataErr, "'{}' is not a ticket number", req.ticket);
    if (req.by.empty()) fail(kExitUsage, "cannot record the act without the admin's name (--by)");
    if (req.text.empty() && req.act != AdminAct::resume)
        fail(kExitUsage, "{}: the event log keeps it",
             req.act == AdminAct::note ? "a note needs its text"
                                       : req.act == AdminAct::close ? "closing needs a reason" : "pausing needs a reason");
    Tx tx(db);
    const auto ref = find_complaint(db, *ticket);
    if (!ref) fail(kExitDataErr, "no complaint with ticket '{}'", *ticket);
    Stmt c(db, "SELECT c.status, c.agency_id, "
               "(SELECT kind FROM event WHERE complaint_id = c.id AND kind IN ('paused', 'resumed') "
               "ORDER BY id DESC LIMIT 1) FROM complaint c WHERE c.id = ?");
    c.args(ref->id);
    c.step();
    AdminActResult r{ref->ticket, c.str(0)};
    const std::optional<std::int64_t> agency = c.is_null(1) ? std::nullopt : std::optional(c.i64(1));
    const bool paused = c.opt_str(2).value_or("") == "paused";
    c.reset();
    const bool closed = r.previous_status == "closed";
    const char *kind = "note";
    switch (req.act) {
    case AdminAct::close:
        if (closed) fail(kExitDataErr, "complaint '{}' is already closed", r.ticket);
        kind = "closed";
        break;
    case AdminAct::pause:
        if (closed) fail(kExitDataErr, "complaint '{}' is closed", r.ticket);
        if (paused) fail(kExitDataErr, "complaint '{}' is already paused", r.ticket);
        kind = "paused";
        break;
    case AdminAct::resume:
        if (!paused) fail(kExitDataErr, "complaint '{}' is not paused", r.ticket);
        kind = "resumed";
        break;
    case AdminAct::note: break;
    }
    std::optional<std::string> detail;
    if (!req.text.empty()) detail = req.text;
    append_event(db, {ref->id, now, kind, "admin:" + req.by, agency, std::nullopt, detail});
    // A closed complaint's clock must not stay stopped: a later reopening is not a thing, but the
    // report reads the pauses, and an open pause at the close would count as waiting forever.
    if (req.act == AdminAct::close && paused)
        append_event(db, {ref->id, now, "resumed", "admin:" + req.by, agency, std::nullopt, std::string("closed")});
    tx.commit();
    return r;
}

std::vector<AgencyInfo> list_agencies(Db &db, bool include_retired) {
    std::vector<AgencyInfo> out;
    std::vector<std::int64_t> ids;
    Stmt s(db, "SELECT id, code, name, kind, duties, active FROM agency WHERE active = 1 OR ? ORDER BY kind, code");
    s.args(include_retired ? 1 : 0);
    while (s.step()) {
        AgencyInfo a;
        ids.push_back(s.i64(0));
        a.code = s.str(1);
        a.name = s.str(2);
        a.kind = s.str(3);
        const std::string d = s.str(4);
        for (size_t i = 0; i < d.size();) {
            size_t j = d.find('\n', i);
            if (j == std::string::npos) j = d.size();
            if (j > i) a.duties.push_back(d.substr(i, j - i));
            i = j + 1;
        }
        a.active = s.i64(5) != 0;
        out.push_back(std::move(a));
    }
    Stmt o(db, "SELECT name, role, phone, coalesce(letter, ''), valid_from FROM officer "
               "WHERE agency_id = ? AND valid_to IS NULL ORDER BY role DESC, valid_from, id");
    for (size_t i = 0; i < out.size(); ++i) {
        o.args(ids[i]);
        while (o.step()) out[i].officers.push_back({o.str(0), o.str(1), o.str(2), o.str(3), o.i64(4)});
        o.reset();
    }
    return out;
}

std::string format_triage(const std::vector<TriageItem> &items, const std::string &format) {
    auto joined = [](const TriageItem &t, const std::string &first) {
        std::string s = first;
        for (const auto &f : t.followups) s += (s.empty() ? "" : " / ") + f;
        return s;
    };
    if (format == "json") {
        std::string out = "[";
        for (size_t i = 0; i < items.size(); ++i) {
            const auto &t = items[i];
            std::string more;
            for (const auto &f : t.followups) more += (more.empty() ? "" : ", ") + json_quote(f);
            out += fmt::format("{}\n  {{\"ticket\": {}, \"received\": {}, \"triaged\": {}, \"source\": {}, "
                               "\"reason\": {}, \"text\": {}, \"followups\": [{}]}}",
                               i ? "," : "", json_quote(t.ticket), json_quote(format_iso8601(t.received_at)),
                               json_quote(format_iso8601(t.triaged_at)), json_quote(t.source), json_quote(t.reason),
                               json_quote(t.text), more);
        }
        return out + (items.empty() ? "]\n" : "\n]\n");
    }
    if (format == "tsv") {
        // The follow-ups last, " / " between: a column added at the end breaks no reader of the others.
        std::string out = "ticket\treceived\ttriaged\tsource\treason\ttext\tfollowups\n";
        for (const auto &t : items)
            out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", t.ticket, format_iso8601(t.received_at),
                               format_iso8601(t.triaged_at), t.source, tsv_field(t.reason), tsv_field(t.text),
                               tsv_field(joined(t, "")));
        return out;
    }
    if (format != "table") fail(kExitUsage, "unknown format '{}': expected table, json or tsv", format);
    if (items.empty()) return "";
    // The follow-ups are often the complaint itself, after a greeting: the text shows them, with
    // more room when there are some.
    std::vector<std::vector<std::string>> rows{{"TICKET", "RECEIVED (WIB)", "REASON", "TEXT"}};
    for (const auto &t : items)
        rows.push_back({t.ticket, format_wib(t.received_at), excerpt(t.reason, 60),
                        excerpt(joined(t, t.text), t.followups.empty() ? 50 : 100)});
    return table(rows);
}

std::string format_agencies(const std::vector<AgencyInfo> &agencies, const std::string &format) {
    auto officers_text = [](const AgencyInfo &a) {
        std::string s;
        for (const auto &o : a.officers)
            s += (s.empty() ? "" : "; ") + fmt::format("{} {} ({})", o.role, o.name, o.phone);
        return s.empty() ? std::string("none") : s;
    };
    auto duties_text = [](const AgencyInfo &a) {
        std::string s;
        for (const auto &d : a.duties) s += (s.empty() ? "" : ", ") + d;
        return s;
    };
    if (format == "json") {
        std::string out = "[";
        for (size_t i = 0; i < agencies.size(); ++i) {
            const auto &a = agencies[i];
            std::string duties, officers;
            for (const auto &d : a.duties) duties += (duties.empty() ? "" : ", ") + json_quote(d);
            for (const auto &o : a.officers)
                officers += fmt::format("{}{{\"name\": {}, \"role\": {}, \"phone\": {}, \"letter\": {}, \"since\": {}}}",
                                        officers.empty() ? "" : ", ", json_quote(o.name), json_quote(o.role),
                                        json_quote(o.phone), json_quote(o.letter), json_quote(format_iso8601(o.since)));
            out += fmt::format("{}\n  {{\"code\": {}, \"name\": {}, \"kind\": {}, \"active\": {}, \"duties\": [{}], "
                               "\"officers\": [{}]}}",
                               i ? "," : "", json_quote(a.code), json_quote(a.name), json_quote(a.kind),
                               a.active ? "true" : "false", duties, officers);
        }
        return out + (agencies.empty() ? "]\n" : "\n]\n");
    }
    if (format == "tsv") {
        std::string out = "code\tkind\tactive\tname\tofficers\tduties\n";
        for (const auto &a : agencies)
            out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", a.code, a.kind, a.active ? 1 : 0, tsv_field(a.name),
                               tsv_field(officers_text(a)), tsv_field(duties_text(a)));
        return out;
    }
    if (format != "table") fail(kExitUsage, "unknown format '{}': expected table, json or tsv", format);
    // One block per agency: a table row cannot hold twenty duty phrases readably.
    std::string out;
    for (const auto &a : agencies) {
        out += fmt::format("{}  {} ({}{})\n", a.code, a.name, a.kind, a.active ? "" : ", retired");
        for (const auto &o : a.officers)
            out += fmt::format("  {:<8} {}  {}{}\n", o.role, o.phone, o.name,
                               o.letter.empty() ? "" : "  [" + o.letter + "]");
        if (a.officers.empty()) out += "  no officer in post\n";
        if (!a.duties.empty()) out += "  duties: " + duties_text(a) + "\n";
    }
    return out;
}

} // namespace wadul
