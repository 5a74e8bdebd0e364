#include "wadul/forward.hpp"

#include <cinttypes>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "wadul/complaint.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/log.hpp"
#include "wadul/msisdn.hpp"
#include "wadul/outbox.hpp"
#include "wadul/protocol.hpp"
#include "wadul/sla.hpp"
#include "wadul/store.hpp"

namespace wadul {

namespace {

// Why a queued message is cancelled: shared by step (b)'s sweeps and the last check at the claim.
const char *const kRoutedAgain = "superseded: the complaint was routed again";
const char *const kNewerAnswer = "superseded: a newer answer (JAWAB) replaced it";
const char *const kAnswerNotWaiting = "superseded: the answer no longer waits for approval";
const char *const kNotInPost = "superseded: the recipient is no longer an officer of the complaint's agency";
std::string not_with_agency(const std::string &status) {
    return "superseded: the complaint is no longer with the agency (status " + status + ")";
}

// The routing event of a forward's dedupe key, fwd:ROUTE:OFFICER as forwards() writes it.
std::optional<std::int64_t> forward_route(const std::string &dedupe) {
    std::int64_t route = 0, officer = 0;
    char end = 0;
    if (std::sscanf(dedupe.c_str(), "fwd:%" SCNd64 ":%" SCNd64 "%c", &route, &officer, &end) != 2)
        return std::nullopt;
    return route;
}

struct ComplaintInfo {
    std::int64_t id = 0;
    std::string ticket, status, source, reporter, text;
    bool confidential = false;
    std::optional<std::int64_t> agency_id;
    std::string agency_name; // "" when none
    Timestamp received_at = 0;
    std::optional<std::int64_t> inbound_id;
};

constexpr const char *kComplaintSelect =
    "SELECT c.id, c.ticket, c.status, c.source, c.reporter, c.text, c.confidential, c.agency_id, "
    "coalesce(a.name, ''), c.received_at, c.inbound_id FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id ";

ComplaintInfo read_complaint(const Stmt &q) {
    ComplaintInfo c;
    c.id = q.i64(0);
    c.ticket = q.str(1);
    c.status = q.str(2);
    c.source = q.str(3);
    c.reporter = q.str(4);
    c.text = q.str(5);
    c.confidential = q.i64(6) != 0;
    c.agency_id = q.opt_i64(7);
    c.agency_name = q.str(8);
    c.received_at = q.i64(9);
    c.inbound_id = q.opt_i64(10);
    return c;
}

std::optional<ComplaintInfo> complaint_by_id(Db &db, std::int64_t id) {
    Stmt q(db, std::string(kComplaintSelect) + "WHERE c.id = ?");
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return read_complaint(q);
}

std::optional<ComplaintInfo> complaint_by_ticket(Db &db, const std::string &ticket) {
    Stmt q(db, std::string(kComplaintSelect) + "WHERE c.ticket = ?");
    q.bind(1, ticket);
    if (!q.step())
        return std::nullopt;
    return read_complaint(q);
}

struct Officer {
    std::int64_t id = 0, agency_id = 0;
    std::string name, role, phone;
    bool current = true;
};

std::optional<Officer> officer_by_id(Db &db, std::int64_t id) {
    Stmt q(db, "SELECT id, agency_id, name, role, phone, valid_to IS NULL FROM officer WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return Officer{q.i64(0), q.i64(1), q.str(2), q.str(3), q.str(4), q.i64(5) != 0};
}

// The agency's current officers in `roles` ("liaison", "head"), liaisons first.
std::vector<Officer> officers_of(Db &db, std::int64_t agency_id, bool liaisons, bool heads) {
    Stmt q(db, "SELECT id, agency_id, name, role, phone FROM officer WHERE agency_id = ? AND valid_to IS NULL "
               "AND ((role = 'liaison' AND ?) OR (role = 'head' AND ?)) ORDER BY role = 'head', id");
    q.args(agency_id, liaisons ? 1 : 0, heads ? 1 : 0);
    std::vector<Officer> out;
    while (q.step())
        out.push_back({q.i64(0), q.i64(1), q.str(2), q.str(3), q.str(4), true});
    return out;
}

struct EventRef {
    std::int64_t id = 0;
    Timestamp at = 0;
    std::string actor;
    std::optional<std::int64_t> agency_id, officer_id;
    std::string detail;
};

// The latest event of one of `kinds` ("'routed','assigned'") on the complaint.
std::optional<EventRef> latest_event(Db &db, std::int64_t complaint_id, const char *kinds) {
    Stmt q(db, fmt::format("SELECT id, at, actor, agency_id, officer_id, coalesce(detail, '') FROM event "
                           "WHERE complaint_id = ? AND kind IN ({}) ORDER BY id DESC LIMIT 1",
                           kinds));
    q.bind(1, complaint_id);
    if (!q.step())
        return std::nullopt;
    return EventRef{q.i64(0), q.i64(1), q.str(2), q.opt_i64(3), q.opt_i64(4), q.str(5)};
}

std::string render(const Config &cfg, const char *name, const std::map<std::string, std::string> &values) {
    auto it = cfg.templates.find(name);
    if (it == cfg.templates.end())
        fail(kExitSoftware, "template '{}' is missing", name);
    return render_template(it->second, values);
}

bool is_phone(const std::string &s) {
    return normalize_msisdn(s).has_value() && s[0] == '+';
}

// The first `n` code points of UTF-8 text.
std::string utf8_prefix(const std::string &s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80)
            continue;
        if (count++ == n)
            return s.substr(0, i);
    }
    return s;
}

// Cuts UTF-8 text to at most `n` code points, ending with "..." when cut (three dots, not "…",
// which is outside GSM-7 and would turn the whole SMS into UCS-2, more than doubling its parts).
std::string cut_utf8(const std::string &s, size_t n) {
    std::string out = utf8_prefix(s, n);
    return out.size() < s.size() ? out + "..." : out;
}

size_t utf8_length(const std::string &s) {
    size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// The largest n in [0, hi] for which `fits(n)` holds, by bisection; `fits` holds for small n
// and fails from some n on (more text never needs fewer parts).
template <typename Fits> size_t longest_fitting(size_t hi, Fits fits) {
    size_t lo = 0;
    while (lo < hi) {
        const size_t mid = (lo + hi + 1) / 2;
        if (fits(mid))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

bool fits_parts(const Config &cfg, const std::string &sms) {
    return sms_parts(sms) <= cfg.forward.max_parts;
}

// Renders a template whose {text} is the one value allowed to be shortened so that the whole SMS
// fits in `max_parts`: a long complaint still reaches the officer, its tail on the admin portal.
std::string render_fitting(const Config &cfg, const char *name, std::map<std::string, std::string> values,
                           const std::string &key) {
    const std::string full = values[key];
    std::string out = render(cfg, name, values);
    if (fits_parts(cfg, out))
        return out;
    const size_t keep = longest_fitting(utf8_length(full), [&](size_t n) {
        values[key] = cut_utf8(full, n);
        return fits_parts(cfg, render(cfg, name, values));
    });
    values[key] = cut_utf8(full, keep);
    return render(cfg, name, values);
}

// The first `n` characters of a text, counted in the alphabet of the whole: when the whole needs
// UCS-2 but the prefix stops before its first character outside GSM-7, the prefix's last
// character becomes one (’, the apostrophe phones put in), or it would promise GSM-7's room.
std::string prefix_in_alphabet(const std::string &text, size_t n, bool ucs2) {
    std::string p = utf8_prefix(text, n);
    if (ucs2 && n > 0 && !sms_size(p).ucs2)
        p = utf8_prefix(text, n - 1) + "\u2019";
    return p;
}

class Job {
public:
    Job(Db &db, const Config &cfg, const ForwardOptions &opt, Log &log, ForwardSummary &sum)
        : db_(db), cfg_(cfg), opt_(opt), log_(log), sum_(sum) {}

    void inbound();
    void notifications();

private:
    struct Row {
        std::int64_t id = 0;
        std::string sender, text, kind;
        std::optional<std::int64_t> officer_id, complaint_id;
        Timestamp received_at = 0;
    };

    void officer_sms(const Row &r);
    void citizen_sms(const Row &r);
    void query(const Row &r, const Command &cmd);
    void followup(const Row &r, const ComplaintInfo &c);
    bool merge_followup(const ComplaintInfo &c, const Officer &o, const Row &r);
    // Applies an officer's command to the complaint (already checked to be their agency's).
    void apply(const Row &r, const Officer &o, const Command &cmd, const ComplaintInfo &c);

    void queue(const std::string &to, const std::string &text, const char *purpose,
               std::optional<std::int64_t> complaint_id, const std::string &dedupe) {
        if (enqueue(db_, {to, text, purpose, complaint_id, dedupe}, opt_.now))
            ++sum_.queued;
    }
    void reply(const Row &r, const std::string &text, const char *purpose, std::optional<std::int64_t> cid) {
        queue(r.sender, text, purpose, cid, fmt::format("reply:{}", r.id));
    }
    void reply_status(const Row &r, const ComplaintInfo &c) {
        // Before routing, or back in triage after a TOLAK, no agency holds it: a sentence without
        // one, not "(-)".
        std::map<std::string, std::string> values{
            {"ticket", c.ticket}, {"stage", stage_name(c.status)}, {"date", format_date_id(c.received_at)}};
        if (!c.agency_name.empty())
            values["agency"] = c.agency_name;
        reply(r, render(cfg_, c.agency_name.empty() ? "status_no_agency" : "status", values), "status", c.id);
    }
    void reply_unknown(const Row &r, const std::string &ticket) {
        reply(r, render(cfg_, "status_unknown", {{"ticket", ticket}}), "status", std::nullopt);
    }
    void reply_help(const Row &r) { reply(r, render(cfg_, "officer_help", {}), "help", std::nullopt); }
    void rejected(const Row &r, std::optional<std::int64_t> cid, std::optional<std::int64_t> agency,
                  std::optional<std::int64_t> officer, const std::string &why) {
        append_event(db_, {cid, r.received_at, "rejected", r.sender, agency, officer, why});
        ++sum_.rejected;
        log_.info("SMS {} from {} refused: {}", r.id, r.sender, why);
    }
    void event(const Row &r, const Officer &o, const ComplaintInfo &c, const char *kind,
               std::optional<std::string> detail = std::nullopt) {
        append_event(db_, {c.id, r.received_at, kind, o.phone, o.agency_id, o.id, std::move(detail)});
    }
    std::optional<size_t> answer_room(const ComplaintInfo &c, const std::string &answer);
    std::string forward_text(const ComplaintInfo &c);
    std::string forward_status(std::int64_t complaint, const std::string &prefix, const std::string &phone);
    bool answer_failed(const ComplaintInfo &c);

    void acks();
    void forwards();
    void approvals();
    void answers();

    Db &db_;
    const Config &cfg_;
    const ForwardOptions &opt_;
    Log &log_;
    ForwardSummary &sum_;
};

void Job::inbound() {
    std::vector<Row> rows;
    {
        Stmt q(db_, "SELECT id, sender, text, kind, officer_id, complaint_id, received_at FROM inbound "
                    "WHERE handled_at IS NULL ORDER BY id");
        while (q.step())
            rows.push_back({q.i64(0), q.str(1), q.str(2), q.str(3), q.opt_i64(4), q.opt_i64(5), q.i64(6)});
    }
    for (const Row &r : rows) {
        try {
            Tx tx(db_);
            // Another run may have handled it while we waited for the write lock.
            Stmt still(db_, "SELECT 1 FROM inbound WHERE id = ? AND handled_at IS NULL");
            still.bind(1, r.id);
            if (!still.step())
                continue;
            still.reset();
            if (r.kind == "officer" && r.officer_id)
                officer_sms(r);
            else
                citizen_sms(r);
            Stmt(db_, "UPDATE inbound SET handled_at = ? WHERE id = ?").args(opt_.now, r.id).run();
            tx.commit();
            ++sum_.inbound;
        } catch (const Error &e) {
            // One bad message must not hold up the others; it is tried again next run.
            if (e.code() == kExitTempFail)
                throw;
            log_.error("cannot handle inbound SMS {} from {}: {}", r.id, r.sender, e.what());
            sum_.exit_code = worse(sum_.exit_code, e.code());
        }
    }
}

void Job::officer_sms(const Row &r) {
    const auto o = officer_by_id(db_, *r.officer_id);
    if (!o || !o->current) {
        rejected(r, std::nullopt, o ? std::optional(o->agency_id) : std::nullopt, r.officer_id,
                 "the sender is no longer a registered officer");
        return;
    }
    Command cmd = parse_command(r.text);
    if (cmd.verb == Verb::none || cmd.malformed || cmd.bad_ticket) {
        rejected(r, std::nullopt, o->agency_id, o->id,
                 cmd.verb == Verb::none ? "not a command: " + cut_utf8(r.text, 60)
                 : cmd.bad_ticket       ? fmt::format("{}: mistyped ticket", verb_name(cmd.verb))
                                        : fmt::format("{}: text missing", verb_name(cmd.verb)));
        reply_help(r);
        return;
    }
    std::optional<ComplaintInfo> c;
    if (cmd.ticket) {
        c = complaint_by_ticket(db_, *cmd.ticket);
        // "JAWAB selesai …" with no ticket: SELESAI happens to pass the check symbol. A word that
        // names no complaint is read as the start of the text.
        if (!c && cmd.ticket_may_be_word && cfg_.forward.implicit_ticket) {
            cmd.ticket.reset();
            cmd.text = cmd.text_without_ticket;
        } else if (!c) {
            rejected(r, std::nullopt, o->agency_id, o->id,
                     fmt::format("{} {}: unknown ticket", verb_name(cmd.verb), *cmd.ticket));
            reply_unknown(r, *cmd.ticket);
            return;
        }
    }
    if (!c) {
        std::vector<std::pair<std::int64_t, std::string>> open;
        Stmt q(db_, "SELECT id, ticket FROM complaint WHERE agency_id = ? AND status IN ('forwarded', 'accepted', "
                    "'answered') ORDER BY received_at, id");
        q.bind(1, o->agency_id);
        while (q.step())
            open.emplace_back(q.i64(0), q.str(1));
        if (!cfg_.forward.implicit_ticket || open.empty()) {
            rejected(r, std::nullopt, o->agency_id, o->id, fmt::format("{} without a ticket", verb_name(cmd.verb)));
            reply_help(r);
            return;
        }
        if (open.size() > 1) {
            std::string list;
            for (size_t i = 0; i < open.size() && i < 5; ++i)
                list += (i ? ", " : "") + open[i].second;
            if (open.size() > 5)
                list += ", ...";
            rejected(r, std::nullopt, o->agency_id, o->id,
                     fmt::format("{} without a ticket, {} complaints open", verb_name(cmd.verb), open.size()));
            reply(r, render(cfg_, "ask_ticket", {{"count", std::to_string(open.size())}, {"tickets", list}}), "ask",
                  std::nullopt);
            return;
        }
        c = complaint_by_id(db_, open.front().first);
    }
    Stmt(db_, "UPDATE inbound SET complaint_id = ? WHERE id = ?").args(c->id, r.id).run();
    if (c->agency_id != o->agency_id) {
        rejected(r, c->id, o->agency_id, o->id,
                 fmt::format("{} {}: the complaint is not assigned to the officer's agency", verb_name(cmd.verb),
                             c->ticket));
        reply_unknown(r, c->ticket);
        return;
    }
    apply(r, *o, cmd, *c);
}

void Job::apply(const Row &r, const Officer &o, const Command &cmd, const ComplaintInfo &c) {
    const std::string &st = c.status;
    auto refuse = [&](const std::string &why) {
        rejected(r, c.id, o.agency_id, o.id, fmt::format("{} {}: {}", verb_name(cmd.verb), c.ticket, why));
        reply_status(r, c);
    };
    switch (cmd.verb) {
    case Verb::cek:
        ++sum_.queries;
        reply_status(r, c);
        return;
    case Verb::terima:
        // Routed: the forward has not been sent yet, but the officer has the ticket (by phone,
        // from the portal): the agency acts on it, which is what the SOP wants.
        if (st != "forwarded" && st != "routed")
            return refuse("status is " + st);
        // SOP step 3 is the head's disposition; the event says who confirmed it.
        event(r, o, c, "accepted", std::string(o.role == "head" ? "by the head" : "by the liaison officer"));
        break;
    case Verb::jawab:
        if (st == "answered") {
            const auto prev = latest_event(db_, c.id, "'answered'");
            if (prev && prev->detail == cmd.text)
                return refuse("the same answer again");
        } else if (st != "routed" && st != "forwarded" && st != "accepted" && !(st == "approved" && answer_failed(c))) {
            return refuse("status is " + st);
        }
        if (const auto room = answer_room(c, cmd.text)) {
            const size_t length = utf8_length(cmd.text);
            rejected(r, c.id, o.agency_id, o.id,
                     fmt::format("JAWAB {}: the answer is too long for forward.max_parts ({} parts): {} characters, "
                                 "at most {} fit",
                                 c.ticket, cfg_.forward.max_parts, length, *room));
            reply(r,
                  render(cfg_, "answer_too_long",
                         {{"ticket", c.ticket}, {"length", std::to_string(length)}, {"max", std::to_string(*room)}}),
                  "help", c.id);
            return;
        }
        if (st == "routed" || st == "forwarded") {
            // Answering without TERIMA first: the disposition is taken as received at the answer.
            event(r, o, c, "accepted", std::string("implicit: JAWAB without TERIMA"));
        }
        event(r, o, c, "answered", cmd.text);
        break;
    case Verb::tolak:
        if (st != "routed" && st != "forwarded" && st != "accepted")
            return refuse("status is " + st);
        event(r, o, c, "refused", cmd.text);
        break;
    case Verb::setuju:
    case Verb::revisi:
        if (!cfg_.forward.approval)
            return refuse("answer approval is off (forward.approval)");
        if (o.role != "head") {
            rejected(r, c.id, o.agency_id, o.id,
                     fmt::format("{} {}: only the head of the agency approves answers", verb_name(cmd.verb), c.ticket));
            // The help text lists SETUJU: it would send the liaison back to the same refusal.
            reply(r, render(cfg_, "head_only", {{"ticket", c.ticket}}), "help", c.id);
            return;
        }
        if (st != "answered")
            return refuse("status is " + st);
        if (cmd.verb == Verb::setuju) {
            event(r, o, c, "approved");
        } else {
            const std::int64_t ev =
                append_event(db_, {c.id, r.received_at, "revision", o.phone, o.agency_id, o.id, cmd.text});
            auto to = officers_of(db_, c.agency_id.value_or(0), true, false);
            if (to.empty()) { // no liaison: back to whoever answered
                const auto ans = latest_event(db_, c.id, "'answered'");
                if (ans && ans->officer_id)
                    if (auto a = officer_by_id(db_, *ans->officer_id); a && a->current)
                        to.push_back(*a);
            }
            for (const auto &l : to)
                queue(l.phone, render(cfg_, "revision", {{"ticket", c.ticket}, {"note", cmd.text}}), "revision", c.id,
                      fmt::format("rev:{}:{}", ev, l.id));
        }
        break;
    case Verb::none:
        return;
    }
    ++sum_.commands;
    log_.info("{} {} by {} ({})", verb_name(cmd.verb), c.ticket, o.phone, o.name);
}

// An answer travels whole or not at all: to the head, who must approve the text the citizen will
// read (when approval applies: approvals() asks only a registered head), and to the citizen of an
// SMS complaint (a web complaint's answer goes back through the portal). A text longer than
// forward.max_parts parts would fail at the modem for good and leave the complaint stuck, so it
// is refused here. nullopt when it fits; else how many of its first characters would fit, in the
// alphabet the whole answer needs (GSM-7, or UCS-2 when it has any other character).
std::optional<size_t> Job::answer_room(const ComplaintInfo &c, const std::string &answer) {
    std::vector<const char *> carriers;
    if (cfg_.forward.approval && c.agency_id && !officers_of(db_, *c.agency_id, false, true).empty())
        carriers.push_back("approve_request");
    if (c.source == "sms" && is_phone(c.reporter))
        carriers.push_back("answer");
    std::map<std::string, std::string> values{{"ticket", c.ticket}, {"agency", c.agency_name}, {"answer", answer}};
    bool fits = true;
    for (const char *name : carriers)
        fits = fits && fits_parts(cfg_, render(cfg_, name, values));
    if (fits)
        return std::nullopt;
    const bool ucs2 = sms_size(answer).ucs2;
    size_t room = utf8_length(answer);
    for (const char *name : carriers)
        room = longest_fitting(room, [&](size_t n) {
            values["answer"] = prefix_in_alphabet(answer, n, ucs2);
            return fits_parts(cfg_, render(cfg_, name, values));
        });
    return room;
}

// The approved answer's SMS to the citizen failed for good (the modem refused it, or it was longer
// than forward.max_parts allows now): a new JAWAB may replace it, and goes through approval again.
bool Job::answer_failed(const ComplaintInfo &c) {
    const auto ok = latest_event(db_, c.id, "'approved'");
    if (!ok)
        return false;
    Stmt q(db_, "SELECT 1 FROM outbound WHERE dedupe = ? AND status = 'failed'");
    q.bind(1, fmt::format("answer:{}", ok->id));
    return q.step();
}

void Job::citizen_sms(const Row &r) {
    std::optional<ComplaintInfo> c;
    if (r.complaint_id) {
        c = complaint_by_id(db_, *r.complaint_id);
    } else {
        // Stored by a wadul-fetch that did not decide (or a CEK it left to us).
        const Admission a =
            admit_citizen_sms(db_, r.id, r.sender, r.text, r.received_at, cfg_.forward.followup_window_days);
        if (a.kind == CitizenSms::query)
            return query(r, parse_command(r.text));
        if (a.kind == CitizenSms::not_officer) {
            ++sum_.rejected;
            log_.info("SMS {} from {} refused: an officer's command from a number not registered to any agency",
                      r.id, r.sender);
            if (is_phone(r.sender))
                reply(r, render(cfg_, "not_officer", {{"ticket", *parse_command(r.text).ticket}}), "help",
                      std::nullopt);
            return;
        }
        if (a.complaint)
            c = complaint_by_id(db_, a.complaint->id);
    }
    if (c && c->inbound_id != r.id)
        followup(r, *c);
}

void Job::query(const Row &r, const Command &cmd) {
    ++sum_.queries;
    if (!is_phone(r.sender))
        return;
    std::optional<ComplaintInfo> c;
    if (cmd.ticket) {
        c = complaint_by_ticket(db_, *cmd.ticket);
        if (c && c->reporter != r.sender) {
            rejected(r, c->id, std::nullopt, std::nullopt, fmt::format("CEK {}: not the reporter's ticket", c->ticket));
            c.reset();
        } else if (!c) {
            // Guessing tickets leaves a trace too (wadul-forward(1), CITIZENS).
            rejected(r, std::nullopt, std::nullopt, std::nullopt, fmt::format("CEK {}: unknown ticket", *cmd.ticket));
        }
        if (!c)
            return reply_unknown(r, *cmd.ticket);
    } else if (!cmd.bad_ticket) { // bare "CEK": the citizen's latest complaint
        Stmt q(db_,
               std::string(kComplaintSelect) + "WHERE c.reporter = ? ORDER BY c.received_at DESC, c.id DESC LIMIT 1");
        q.bind(1, r.sender);
        if (q.step())
            c = read_complaint(q);
    }
    if (!c) {
        const std::string named = cmd.text_without_ticket.empty() ? "-" : cut_utf8(cmd.text_without_ticket, 12);
        rejected(r, std::nullopt, std::nullopt, std::nullopt,
                 cmd.bad_ticket ? fmt::format("CEK {}: mistyped ticket", named)
                                : std::string("CEK: no complaint from this number"));
        if (!cmd.bad_ticket && cmd.bare) // "Tiket - tidak ditemukan" says nothing
            return reply(r, render(cfg_, "status_none", {}), "status", std::nullopt);
        return reply_unknown(r, named);
    }
    Stmt(db_, "UPDATE inbound SET complaint_id = ? WHERE id = ?").args(c->id, r.id).run();
    reply_status(r, *c);
}

void Job::followup(const Row &r, const ComplaintInfo &c) {
    ++sum_.followups;
    if (!c.agency_id ||
        (c.status != "routed" && c.status != "forwarded" && c.status != "accepted" && c.status != "answered"))
        return;
    // The forward itself carries the citizen's further SMS: one still waiting for the modem gets
    // the new text; an officer whose forward is not queued yet gets it from forwards().
    const auto route = latest_event(db_, c.id, "'routed', 'assigned'");
    if (!route)
        return;
    const std::string prefix = fmt::format("fwd:{}:", route->id);
    Stmt(db_, "UPDATE outbound SET text = ? WHERE dedupe >= ? AND dedupe < ? AND complaint_id = ? "
              "AND purpose = 'forward' AND status = 'queued'")
        .args(forward_text(c), prefix, dedupe_prefix_end(prefix), c.id)
        .run();
    for (const auto &o : officers_of(db_, *c.agency_id, true, false)) {
        const std::string fwd = forward_status(c.id, prefix, o.phone);
        // Their forward has gone out, or is going (sending, unknown), or failed: the SMS on its own.
        if (fwd == "queued" || (fwd.empty() && c.status == "routed"))
            continue;
        if (merge_followup(c, o, r))
            continue;
        queue(o.phone, render_fitting(cfg_, "followup", {{"ticket", c.ticket}, {"text", r.text}}, "text"), "followup",
              c.id, fmt::format("fup:{}:{}", r.id, o.id));
    }
}

// An impatient citizen's burst (30 SMS "tolong cepat") would be 30 SMS to each officer, eating
// the rate limit every message shares. A follow-up still queued for the officer takes the new
// text instead, when the whole still fits forward.max_parts uncut (nothing is lost: otherwise the
// new text goes on its own). The dedupe key lists the inbound SMS it carries, "fup:12+15+18:3",
// so that the text is rebuilt from them whatever the template.
bool Job::merge_followup(const ComplaintInfo &c, const Officer &o, const Row &r) {
    Stmt q(db_, "SELECT id, dedupe FROM outbound WHERE complaint_id = ? AND purpose = 'followup' AND recipient = ? "
                "AND status = 'queued' ORDER BY id DESC LIMIT 1");
    q.args(c.id, o.phone);
    if (!q.step())
        return false;
    const std::int64_t id = q.i64(0);
    const std::string key = q.str(1);
    const size_t colon = key.rfind(':');
    if (key.compare(0, 4, "fup:") != 0 || colon == std::string::npos || colon <= 4)
        return false;
    const std::string ids = key.substr(4, colon - 4);
    std::string text;
    Stmt in(db_, "SELECT text FROM inbound WHERE id = ?");
    for (size_t at = 0; at <= ids.size();) {
        size_t end = ids.find('+', at);
        if (end == std::string::npos)
            end = ids.size();
        std::int64_t inbound = 0;
        const std::string one = ids.substr(at, end - at);
        char rest = 0;
        if (std::sscanf(one.c_str(), "%" SCNd64 "%c", &inbound, &rest) != 1)
            return false;
        in.bind(1, inbound);
        if (!in.step())
            return false;
        text += in.str(0) + " / ";
        in.reset();
        at = end + 1;
    }
    text += r.text;
    const std::string sms = render(cfg_, "followup", {{"ticket", c.ticket}, {"text", text}});
    if (!fits_parts(cfg_, sms))
        return false;
    return Stmt(db_, "UPDATE outbound SET text = ?, dedupe = ? WHERE id = ? AND status = 'queued'")
               .args(sms, fmt::format("fup:{}+{}{}", ids, r.id, key.substr(colon)), id)
               .run() == 1;
}

void Job::notifications() {
    // wadul-sla queued these one tick ago; the replies just handled may have ended their stage.
    for (const auto &c : cancel_stale_steps(db_, cfg_, opt_.now))
        log_.info("message {} ({}) to {} for complaint {} cancelled: {}", c.id, c.purpose, c.recipient, c.ticket,
                  c.why);
    acks();
    forwards();
    approvals();
    answers();
}

// Every complaint whose ids are returned by `sql` (bound with no parameters), one transaction each.
template <typename Fn> void each_complaint(Db &db, const char *sql, Fn fn) {
    std::vector<std::int64_t> ids;
    {
        Stmt q(db, sql);
        while (q.step())
            ids.push_back(q.i64(0));
    }
    for (auto id : ids) {
        Tx tx(db);
        if (auto c = complaint_by_id(db, id))
            fn(*c);
        tx.commit();
    }
}

void Job::acks() {
    each_complaint(
        db_,
        "SELECT id FROM complaint c WHERE source = 'sms' AND status <> 'closed' AND NOT EXISTS "
        "(SELECT 1 FROM outbound o WHERE o.dedupe = 'ack:' || c.id) ORDER BY id",
        [&](const ComplaintInfo &c) {
            if (!is_phone(c.reporter))
                return;
            queue(c.reporter, render(cfg_, "ack", {{"ticket", c.ticket}}), "ack", c.id, fmt::format("ack:{}", c.id));
        });
}

void Job::forwards() {
    // Forwards still waiting for the modem whose routing no longer holds (forward_superseded: the
    // complaint was routed again, sent back to triage by a TOLAK, or closed): the officers must
    // not receive them. Checked again in the transaction that cancels them, as the claim does.
    {
        std::vector<std::pair<std::int64_t, std::int64_t>> stale; // outbound id, complaint id
        auto superseded = [&](std::int64_t complaint, const std::string &dedupe) {
            const auto route = forward_route(dedupe);
            return route ? forward_superseded(db_, complaint, *route) : std::nullopt;
        };
        {
            Stmt q(db_, "SELECT id, complaint_id, dedupe FROM outbound WHERE status = 'queued' AND purpose = 'forward' "
                        "AND complaint_id IS NOT NULL");
            while (q.step())
                if (superseded(q.i64(1), q.str(2)))
                    stale.emplace_back(q.i64(0), q.i64(1));
        }
        if (!stale.empty()) {
            Tx tx(db_);
            Stmt key(db_, "SELECT dedupe FROM outbound WHERE id = ? AND status = 'queued'");
            for (const auto &[id, complaint] : stale) {
                key.bind(1, id);
                if (key.step())
                    if (const auto why = superseded(complaint, key.str(0)))
                        cancel(db_, id, opt_.now, *why);
                key.reset();
            }
            tx.commit();
        }
    }
    // The routed complaints, and the handover: the forwarded or accepted ones whose agency has an
    // officer in post who never had their forward (a new Surat Tugas, a second liaison, a head
    // added): the complaint still waits for the agency's TERIMA or JAWAB, and the new officer
    // needs its text and ticket to give them. The query finds those pairs through the dedupe
    // key's index ("fwd:ROUTE:" up to "fwd:ROUTE;"), not by reading the queue.
    const std::string sql = fmt::format(
        "SELECT id FROM complaint WHERE status = 'routed' UNION "
        "SELECT c.id FROM complaint c JOIN officer o ON o.agency_id = c.agency_id AND o.valid_to IS NULL "
        "AND (o.role = 'liaison' OR ({} AND o.role = 'head')) "
        "WHERE c.status IN ('forwarded', 'accepted') AND NOT EXISTS (SELECT 1 FROM outbound b, "
        "(SELECT max(id) AS id FROM event WHERE complaint_id = c.id AND kind IN ('routed', 'assigned')) r "
        "WHERE b.dedupe >= 'fwd:' || r.id || ':' AND b.dedupe < 'fwd:' || r.id || ';' AND b.complaint_id = c.id "
        "AND b.purpose = 'forward' AND b.recipient = o.phone AND b.status <> 'cancelled') ORDER BY 1",
        cfg_.forward.notify_head ? 1 : 0);
    each_complaint(db_, sql.c_str(), [&](const ComplaintInfo &c) {
        const auto route = latest_event(db_, c.id, "'routed', 'assigned'");
        const bool handover = c.status == "forwarded" || c.status == "accepted";
        if ((c.status != "routed" && !handover) || !route || !c.agency_id)
            return;
        const auto to = officers_of(db_, *c.agency_id, true, cfg_.forward.notify_head);
        if (to.empty()) {
            if (handover)
                return;
            // Warned once per routing (a `note` remembers it), not at every cron run.
            const std::string why = "not forwarded: no officer registered for " + c.agency_name;
            Stmt seen(db_, "SELECT 1 FROM event WHERE complaint_id = ? AND kind = 'note' AND id > ? AND detail = ?");
            seen.args(c.id, route->id, why);
            if (!seen.step()) {
                append_event(db_, {c.id, opt_.now, "note", "system", c.agency_id, std::nullopt, why});
                log_.warn("complaint {} is routed to '{}', which has no officer registered; it waits", c.ticket,
                          c.agency_name);
            }
            return;
        }
        // Queued once per officer and routing; the `forwarded` event waits for the modem
        // (send_queue): until the SMS is sent the complaint stays routed and the agency's clock
        // does not run. A run while the forward waits queues nothing new.
        // One per number: a registry change of role while the forward waits (a new officer row,
        // the same person) must not queue a second one.
        const std::string msg = forward_text(c);
        const std::string prefix = fmt::format("fwd:{}:", route->id);
        long fresh = 0;
        for (const auto &o : to)
            if (forward_status(c.id, prefix, o.phone).empty() &&
                enqueue(db_, {o.phone, msg, "forward", c.id, prefix + std::to_string(o.id)}, opt_.now))
                ++fresh;
        sum_.queued += fresh;
        if (fresh > 0 && handover)
            log_.info("complaint {}: forward to {} new in post at {} queued (handover)", c.ticket,
                      fresh == 1 ? "1 officer" : std::to_string(fresh) + " officers", c.agency_name);
        else if (fresh > 0)
            log_.info("complaint {}: forward to {} queued ({} officers)", c.ticket, c.agency_name, fresh);
    });
}

// The status of the forward of a routing (dedupe prefix "fwd:ROUTE:") to a number, whichever
// officer row it was queued for; "" when none, or only cancelled ones.
std::string Job::forward_status(std::int64_t complaint, const std::string &prefix, const std::string &phone) {
    Stmt f(db_, "SELECT status FROM outbound WHERE dedupe >= ? AND dedupe < ? AND complaint_id = ? "
                "AND purpose = 'forward' AND recipient = ? AND status <> 'cancelled' ORDER BY id DESC LIMIT 1");
    f.args(prefix, dedupe_prefix_end(prefix), complaint, phone);
    return f.step() ? f.str(0) : std::string();
}

// The forward SMS of a complaint: its text with the citizen's further SMS so far.
std::string Job::forward_text(const ComplaintInfo &c) {
    std::string text = c.text;
    for (const auto &f : complaint_followups(db_, c.id))
        text += " / " + f;
    const std::string citizen = c.confidential              ? std::string("(dirahasiakan)")
                                : !is_phone(c.reporter)     ? c.reporter
                                : cfg_.forward.mask_citizen ? mask_msisdn(c.reporter)
                                                            : c.reporter;
    return render_fitting(cfg_, "forward",
                          {{"ticket", c.ticket},
                           {"date", format_datetime_id(c.received_at)},
                           {"citizen", citizen},
                           {"text", text},
                           {"agency", c.agency_name}},
                          "text");
}

void Job::approvals() {
    // Approval requests for an answer that is no longer waiting (approved by the system, closed
    // by an admin, sent back by REVISI): the head must not be asked about it.
    {
        std::vector<std::int64_t> ids;
        {
            Stmt q(db_, "SELECT o.id FROM outbound o JOIN complaint c ON c.id = o.complaint_id "
                        "WHERE o.status = 'queued' AND o.purpose = 'approval' AND c.status <> 'answered'");
            while (q.step())
                ids.push_back(q.i64(0));
        }
        if (!ids.empty()) {
            Tx tx(db_);
            for (auto id : ids)
                cancel(db_, id, opt_.now, kAnswerNotWaiting);
            tx.commit();
        }
    }
    each_complaint(db_, "SELECT id FROM complaint WHERE status = 'answered' ORDER BY id", [&](const ComplaintInfo &c) {
        const auto ans = latest_event(db_, c.id, "'answered'");
        if (!ans || !c.agency_id)
            return;
        const auto heads = cfg_.forward.approval ? officers_of(db_, *c.agency_id, false, true) : std::vector<Officer>{};
        if (heads.empty()) {
            append_event(db_, {c.id, opt_.now, "approved", "system", c.agency_id, std::nullopt,
                               std::string(cfg_.forward.approval ? "no head of agency registered"
                                                                 : "approval off (forward.approval)")});
            return;
        }
        // A newer JAWAB replaced the answer: asking about the old text would have SETUJU approve
        // a text the head may not have read.
        cancel_superseded(db_, c.id, "approval", fmt::format("appr:{}:", ans->id), opt_.now, kNewerAnswer);
        // JAWAB made sure the answer fits; cutting is left for an answer stored under a larger
        // forward.max_parts, so that the head still hears of it.
        for (const auto &h : heads)
            queue(h.phone,
                  render_fitting(cfg_, "approve_request",
                                 {{"ticket", c.ticket}, {"agency", c.agency_name}, {"answer", ans->detail}}, "answer"),
                  "approval", c.id, fmt::format("appr:{}:{}", ans->id, h.id));
    });
}

void Job::answers() {
    each_complaint(db_, "SELECT id FROM complaint WHERE status = 'approved' ORDER BY id", [&](const ComplaintInfo &c) {
        const auto ok = latest_event(db_, c.id, "'approved'");
        const auto ans = latest_event(db_, c.id, "'answered'");
        // A web complaint's answer goes back through the admin portal, not by SMS.
        if (!ok || !ans || c.source != "sms" || !is_phone(c.reporter))
            return;
        queue(c.reporter,
              render(cfg_, "answer", {{"ticket", c.ticket}, {"agency", c.agency_name}, {"answer", ans->detail}}),
              "answer", c.id, fmt::format("answer:{}", ok->id));
    });
}

// What an officer is sent about a complaint is for the agency's officers in post: one whose post
// ended while it waited (the registry changed, or the complaint went to another agency) must not
// get the complaint, and a reply from them would be refused. Matched by number, so that a change
// of role (a new officer row, the same person) still reaches them; an approval request, heads only.
std::optional<std::string> not_in_post(Db &db, const Claimed &m, bool head) {
    Stmt o(db, "SELECT 1 FROM officer o JOIN complaint c ON c.agency_id = o.agency_id WHERE c.id = ? "
               "AND o.phone = ? AND o.valid_to IS NULL AND (? = 0 OR o.role = 'head')");
    o.args(*m.complaint_id, m.recipient, head ? 1 : 0);
    if (o.step())
        return std::nullopt;
    return std::string(kNotInPost);
}

} // namespace

std::optional<std::string> forward_superseded(Db &db, std::int64_t complaint_id, std::int64_t route) {
    Stmt q(db, "SELECT status, (SELECT max(id) FROM event WHERE complaint_id = c.id AND kind IN ('routed', 'assigned')) "
               "FROM complaint c WHERE id = ?");
    q.bind(1, complaint_id);
    if (!q.step())
        return std::nullopt;
    const std::string status = q.str(0);
    if (status == "received" || status == "triage" || status == "closed")
        return not_with_agency(status);
    if (q.opt_i64(1) != route)
        return std::string(kRoutedAgain);
    return std::nullopt;
}

std::optional<std::string> stale_message(Db &db, const Config &cfg, const Claimed &m, Timestamp now) {
    if (!m.complaint_id)
        return std::nullopt;
    if (m.purpose == "reminder" || m.purpose == "escalation")
        return stale_step(db, cfg, *m.complaint_id, m.dedupe, now);
    if (m.purpose == "revision" || m.purpose == "followup")
        return not_in_post(db, m, false);
    if (m.purpose == "forward") {
        const auto route = forward_route(m.dedupe);
        if (!route)
            return std::nullopt;
        if (auto why = forward_superseded(db, *m.complaint_id, *route))
            return why;
        return not_in_post(db, m, false);
    }
    // appr:ANSWER-EVENT:HEAD, as approvals() queues it.
    if (m.purpose != "approval")
        return std::nullopt;
    std::int64_t key = 0, head = 0;
    char end = 0;
    if (std::sscanf(m.dedupe.c_str(), "appr:%" SCNd64 ":%" SCNd64 "%c", &key, &head, &end) != 2)
        return std::nullopt;
    Stmt q(db, "SELECT status, (SELECT max(id) FROM event WHERE complaint_id = c.id AND kind = 'answered') "
               "FROM complaint c WHERE id = ?");
    q.bind(1, *m.complaint_id);
    if (!q.step())
        return std::nullopt;
    if (q.str(0) != "answered")
        return std::string(kAnswerNotWaiting);
    if (q.opt_i64(1) != key)
        return std::string(kNewerAnswer);
    return not_in_post(db, m, true);
}

// Each reads in both CEK sentences: "Tiket X: {stage} (Dinas PUPR), diterima 3 Maret 2026." and,
// with no agency (received, triage, closed by an admin), "Tiket X: aduan Anda diterima 3 Maret 2026
// dan {stage}." None says "diterima": the templates do, once.
std::string stage_name(const std::string &status) {
    if (status == "received")
        return "menunggu ditelaah admin";
    if (status == "triage")
        return "sedang ditelaah admin";
    if (status == "routed") // the forward SMS waits for the modem
        return "segera diteruskan ke instansi";
    if (status == "forwarded")
        return "diteruskan ke instansi";
    if (status == "accepted")
        return "sedang diproses instansi";
    if (status == "answered")
        return "jawaban menunggu persetujuan pimpinan";
    if (status == "approved")
        return "jawaban disetujui, segera dikirim";
    if (status == "closed")
        return "sudah selesai";
    return status;
}

void process_inbound(Db &db, const Config &cfg, const ForwardOptions &opt, Log &log, ForwardSummary &sum) {
    Job(db, cfg, opt, log, sum).inbound();
}

void queue_notifications(Db &db, const Config &cfg, const ForwardOptions &opt, Log &log, ForwardSummary &sum) {
    Job(db, cfg, opt, log, sum).notifications();
}

Admission admit_citizen_sms(Db &db, std::int64_t inbound_id, const std::string &sender, const std::string &text,
                            Timestamp received_at, int followup_window_days) {
    if (is_blank(text)) {
        // Nothing to route or answer: no complaint, no follow-up. The event log says so, once per
        // message (wadul-forward asks again about a row its caller did not mark handled).
        const std::string note =
            fmt::format("empty SMS from {} (inbound {}) stored without a complaint", sender, inbound_id);
        Stmt seen(db, "SELECT 1 FROM event WHERE complaint_id IS NULL AND kind = 'note' AND detail = ?");
        seen.bind(1, note);
        if (!seen.step())
            append_event(db, {std::nullopt, received_at, "note", "system", std::nullopt, std::nullopt, note});
        return {CitizenSms::blank, std::nullopt};
    }
    const Command cmd = parse_command(text);
    if (cmd.verb == Verb::cek && (cmd.ticket || cmd.bad_ticket || cmd.bare))
        return {CitizenSms::query, std::nullopt};
    if (is_officer_verb(cmd.verb) && cmd.ticket) {
        const auto c = complaint_by_ticket(db, *cmd.ticket);
        const std::optional<std::int64_t> named = c ? std::optional(c->id) : std::nullopt;
        // An officer's command naming a real complaint, from someone else than its citizen: an
        // officer on a new phone (or a forgery), not a complaint. A junk ticket would be acked,
        // triaged and counted; the sender is told to have the number registered instead. Recorded
        // once per message: wadul-forward admits again a row wadul-fetch left without a complaint.
        if (c && c->reporter != sender) {
            const std::string why =
                fmt::format("{} {}: the number is not registered to any agency; no complaint opened (inbound {})",
                            verb_name(cmd.verb), *cmd.ticket, inbound_id);
            Stmt seen(db, "SELECT 1 FROM event WHERE complaint_id = ? AND kind = 'rejected' AND detail = ?");
            seen.args(*named, why);
            if (!seen.step())
                append_event(db, {named, received_at, "rejected", sender, std::nullopt, std::nullopt, why});
            return {CitizenSms::not_officer, std::nullopt};
        }
        // A ticket nobody has may be a citizen's words; the complaint's own citizen is no officer.
        append_event(
            db, {named, received_at, "rejected", sender, std::nullopt, std::nullopt,
                 fmt::format("{} {}: the number is not registered to any agency", verb_name(cmd.verb), *cmd.ticket)});
    }
    if (followup_window_days > 0) {
        const Timestamp since = received_at - static_cast<Timestamp>(followup_window_days) * 86400;
        // The citizen's latest complaint of a kind whose last event of `kinds` is within the window.
        auto latest = [&](const char *status_is, const char *kinds) -> std::optional<ComplaintRef> {
            Stmt q(db, fmt::format("SELECT c.id, c.ticket FROM complaint c WHERE c.reporter = ? AND c.status {} AND "
                                   "(SELECT max(at) FROM event e WHERE e.complaint_id = c.id AND e.kind IN ({})) >= ? "
                                   "ORDER BY c.received_at DESC, c.id DESC LIMIT 1",
                                   status_is, kinds));
            q.args(sender, since);
            if (!q.step()) return std::nullopt;
            return ComplaintRef{q.i64(0), q.str(1)};
        };
        auto attach = [&](const ComplaintRef &ref, CitizenSms kind) -> Admission {
            append_event(db, {ref.id, received_at, "followup", sender, std::nullopt, std::nullopt, text});
            Stmt(db, "UPDATE inbound SET complaint_id = ? WHERE id = ?").args(ref.id, inbound_id).run();
            return {kind, ref};
        };
        // The open complaint they last wrote about.
        if (const auto open = latest("<> 'closed'", "'received', 'followup'"))
            return attach(*open, CitizenSms::followup);
        // Thanks for a complaint answered or closed within the window: recorded on it, no new ticket
        // (a new one would be acknowledged, routed, and then wait for an admin to close it).
        if (const auto done = latest("= 'closed'", "'delivered', 'closed'"); done && is_thanks(text, done->ticket))
            return attach(*done, CitizenSms::thanks);
    }
    NewComplaint n;
    n.source = "sms";
    n.reporter = sender;
    n.text = text;
    n.received_at = received_at;
    n.inbound_id = inbound_id;
    const ComplaintRef ref = create_complaint(db, n);
    Stmt(db, "UPDATE inbound SET complaint_id = ? WHERE id = ?").args(ref.id, inbound_id).run();
    return {CitizenSms::complaint, ref};
}

} // namespace wadul
