#include "wadul/report_stats.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "wadul/error.hpp"
#include "wadul/outbox.hpp"
#include "wadul/store.hpp"

namespace wadul {

const char *unsent_reason_key(UnsentReason r) {
    switch (r) {
    case UnsentReason::no_liaison: return "no_liaison";
    case UnsentReason::queued: return "queued";
    case UnsentReason::failed: return "failed";
    case UnsentReason::unknown: return "unknown";
    case UnsentReason::cancelled: return "cancelled";
    case UnsentReason::not_queued: return "not_queued";
    }
    return "?";
}

const char *unsent_reason_label(UnsentReason r) {
    switch (r) {
    case UnsentReason::no_liaison: return "Tidak ada pejabat penghubung";
    case UnsentReason::queued: return "SMS penerusan masih antre";
    case UnsentReason::failed: return "SMS penerusan gagal terkirim";
    case UnsentReason::unknown: return "Pengiriman SMS terputus";
    case UnsentReason::cancelled: return "SMS penerusan dibatalkan";
    case UnsentReason::not_queued: return "SMS penerusan belum dibuat";
    }
    return "?";
}

Timestamp Month::start() const { return from_civil(year, month, 1, 0, 0, 0); }
Timestamp Month::end() const { return month == 12 ? Month{year + 1, 1}.start() : Month{year, month + 1}.start(); }
Month Month::previous() const { return month == 1 ? Month{year - 1, 12} : Month{year, month - 1}; }
std::string Month::iso() const { return fmt::format("{:04}-{:02}", year, month); }

std::string Month::label() const {
    static const char *const kMonths[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                          "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
    return fmt::format("{} {}", kMonths[month - 1], year);
}

std::optional<Month> Month::parse(const std::string &s) {
    if (s.size() != 7 || s[4] != '-') return std::nullopt;
    for (size_t i : {0, 1, 2, 3, 5, 6})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    Month m{std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2))};
    if (m.month < 1 || m.month > 12 || m.year < 1970) return std::nullopt;
    return m;
}

Month Month::before(Timestamp t) {
    const CivilTime c = to_civil(t);
    return Month{c.year, c.month}.previous();
}

Quantiles quantiles(std::vector<std::int64_t> &secs) {
    Quantiles q;
    q.n = static_cast<std::int64_t>(secs.size());
    if (secs.empty()) return q;
    std::sort(secs.begin(), secs.end());
    auto rank = [&](double p) {
        auto r = static_cast<size_t>(std::ceil(p * static_cast<double>(secs.size())));
        return secs[std::clamp<size_t>(r, 1, secs.size()) - 1];
    };
    q.median_h = static_cast<double>(rank(0.5)) / 3600.0;
    q.p90_h = static_cast<double>(rank(0.9)) / 3600.0;
    return q;
}

std::optional<double> Counts::compliance() const {
    int good = 0, all = 0;
    for (Stage s : {Stage::disposition, Stage::answer, Stage::approval}) {
        const StageCount &c = stages[static_cast<int>(s)];
        good += c.on_time;
        all += c.done + c.overdue;
    }
    if (all == 0) return std::nullopt;
    return static_cast<double>(good) / all;
}

std::optional<double> Counts::followup_share() const {
    if (received == 0) return std::nullopt;
    return static_cast<double>(followed_up) / received;
}

namespace {

struct Acc {
    Counts c;
    std::vector<std::int64_t> sms[kMilestoneCount], assign[kMilestoneCount];
    void finish() {
        for (int m = 0; m < kMilestoneCount; ++m) {
            c.from_sms[m] = quantiles(sms[m]);
            c.from_assignment[m] = quantiles(assign[m]);
            std::vector<std::int64_t>().swap(sms[m]);
            std::vector<std::int64_t>().swap(assign[m]);
        }
    }
};

struct OfficerInfo {
    std::int64_t agency_id;
    std::string name, phone, role, letter;
    Timestamp valid_from;
    std::optional<Timestamp> valid_to;
};

struct OfficerAcc {
    int forwarded = 0, responded = 0;
    std::vector<std::int64_t> response;
};

class Builder {
public:
    Builder(Db &db, const Config &cfg, const Calendar &cal)
        : db_(db), dl_(cal, cfg), wc_(cal), pause_on_citizen_(cfg.sla.pause_on_citizen) {
        Stmt o(db, "SELECT id, agency_id, name, phone, role, letter, valid_from, valid_to FROM officer");
        while (o.step()) {
            officers_[o.i64(0)] = {o.i64(1), o.str(2), o.str(3), o.str(4), o.opt_str(5).value_or(""), o.i64(6),
                                   o.opt_i64(7)};
            phones_[o.i64(0)] = o.str(3);
        }
    }

    // Every figure about the complaints received in `m`; officers' figures when `officers` is set.
    void cohort(Month m, std::unordered_map<std::int64_t, Acc> &agencies, Acc &total,
                std::unordered_map<std::int64_t, OfficerAcc> *officers) {
        const Timestamp end = m.end();
        // Ordered by received_at first so SQLite walks complaint_received then event_complaint
        // without sorting: memory stays with one complaint's events.
        Stmt s(db_, "SELECT c.id, c.source, c.received_at, e.at, e.kind, e.actor, e.agency_id, e.officer_id "
                    "FROM complaint c JOIN event e ON e.complaint_id = c.id "
                    "WHERE c.received_at >= ? AND c.received_at < ? AND e.at < ? "
                    "ORDER BY c.received_at, c.id, e.at, e.id");
        s.args(m.start(), end, end);
        std::optional<Track> t;
        bool web = false;
        while (s.step()) {
            const std::int64_t id = s.i64(0);
            if (!t || t->id() != id) {
                if (t) finish(*t, web, end, agencies, total, officers);
                t.emplace(id, s.i64(2), phones_, pause_on_citizen_);
                web = s.view(1) == "web";
            }
            t->apply(s.i64(3), event_kind(s.view(4)), s.view(5), s.opt_i64(6), s.opt_i64(7));
        }
        if (t) finish(*t, web, end, agencies, total, officers);
        total.finish();
        for (auto &[id, a] : agencies) a.finish();
    }

    // Every complaint open at the end of `m`, whatever month it came in: the overdue ones listed,
    // and those whose forward never reached their agency (`liaison`: the agencies with a liaison
    // officer in post then).
    void open_at(Month m, MonthlyReport &r, const std::unordered_map<std::int64_t, std::pair<std::string, std::string>> &names,
                 const std::set<std::int64_t> &liaison) {
        const Timestamp end = m.end();
        auto agency_of = [&](const StageSpan &st, std::string &code, std::string &name) {
            if (!st.agency_id) return;
            auto it = names.find(*st.agency_id);
            if (it != names.end()) std::tie(code, name) = it->second;
        };
        each_open_at(end, [&](const Track &t, const Stmt &info) {
            ++r.open_at_end;
            const bool confidential = info.i64(2) != 0;
            if (const StageSpan *st = unsent_at(t, end)) {
                UnsentRow row;
                row.ticket = info.str(0);
                row.received_at = t.received_at();
                agency_of(*st, row.agency_code, row.agency_name);
                row.routed_at = st->started;
                row.waited_hours = wc_.hours(st->started, end);
                row.reason = unsent_reason(t.id(), *st, end, st->agency_id && liaison.count(*st->agency_id));
                row.confidential = confidential;
                if (!confidential) row.text = info.str(3);
                r.unsent.push_back(std::move(row));
                return;
            }
            // The same test as `wadul-sla status` at `end`.
            const std::optional<Timestamp> due = t.current_due(dl_);
            if (!overdue_at(due, end)) return;
            const StageSpan &st = *t.stage();
            OverdueRow row;
            row.ticket = info.str(0);
            row.received_at = t.received_at();
            agency_of(st, row.agency_code, row.agency_name);
            row.stage = st.stage;
            row.stage_since = st.started;
            row.due = *due;
            row.late_hours = wc_.hours(*due, end);
            row.confidential = confidential;
            if (!row.confidential) row.text = info.str(3);
            r.overdue.push_back(std::move(row));
        });
        std::sort(r.overdue.begin(), r.overdue.end(), [](const OverdueRow &a, const OverdueRow &b) {
            if (a.agency_code != b.agency_code) return a.agency_code < b.agency_code;
            if (a.received_at != b.received_at) return a.received_at < b.received_at;
            return a.ticket < b.ticket;
        });
        std::sort(r.unsent.begin(), r.unsent.end(), [](const UnsentRow &a, const UnsentRow &b) {
            if (a.agency_code != b.agency_code) return a.agency_code < b.agency_code;
            if (a.routed_at != b.routed_at) return a.routed_at < b.routed_at;
            return a.ticket < b.ticket;
        });
    }

    // How many complaints' forwards had not reached their agency at `end` (UnsentRow).
    int unsent_count(Timestamp end) {
        int n = 0;
        each_open_at(end, [&](const Track &t, const Stmt &) { n += unsent_at(t, end) != nullptr; });
        return n;
    }

    const std::unordered_map<std::int64_t, OfficerInfo> &officers() const { return officers_; }
    WorkClock &clock() { return wc_; }

private:
    // Replays every complaint open at `end`, whatever month it came in, as the log stood then, and
    // hands it to `fn` with its complaint row (ticket, received_at, confidential, text).
    template <typename Fn> void each_open_at(Timestamp end, Fn fn) {
        Stmt ev(db_, "SELECT at, kind, actor, agency_id, officer_id, id FROM event WHERE complaint_id = ? AND at < ? "
                     "ORDER BY at, id");
        Stmt info(db_, "SELECT ticket, received_at, confidential, text FROM complaint WHERE id = ?");
        // Open now (the status index), or closed only after `end` (the kind/at index): together
        // every complaint open at `end`, without walking the whole store.
        Stmt open_now(db_, "SELECT id FROM complaint WHERE status IN ('received', 'triage', 'routed', 'forwarded', "
                           "'accepted', 'answered', 'approved') AND received_at < ? ORDER BY id");
        open_now.bind(1, end);
        std::vector<std::int64_t> ids;
        while (open_now.step()) ids.push_back(open_now.i64(0));
        Stmt closed_later(db_, "SELECT DISTINCT e.complaint_id FROM event e JOIN complaint c ON c.id = e.complaint_id "
                               "WHERE e.kind IN ('delivered', 'closed') AND e.at >= ? AND c.received_at < ? "
                               "AND c.status = 'closed'");
        closed_later.args(end, end);
        while (closed_later.step()) ids.push_back(closed_later.i64(0));
        for (auto id : ids) {
            info.reset();
            info.bind(1, id);
            if (!info.step()) continue;
            Track t(id, info.i64(1), phones_, pause_on_citizen_);
            ev.reset();
            ev.args(id, end);
            while (ev.step())
                t.apply(ev.i64(0), event_kind(ev.view(1)), ev.view(2), ev.opt_i64(3), ev.opt_i64(4), ev.i64(5));
            if (t.open()) fn(static_cast<const Track &>(t), static_cast<const Stmt &>(info));
        }
    }

    // The running disposition whose forward SMS has not gone out, once it has waited the whole
    // disposition time of office time at `end`: the test of wadul-sla's notice to the admins
    // (Sweeper::unsent). nullptr otherwise.
    const StageSpan *unsent_at(const Track &t, Timestamp end) {
        const StageSpan *st = t.stage();
        if (!st || !st->unsent || st->started >= end) return nullptr;
        if (wc_.between(st->started, end) < dl_.limit(st->stage, st->started, st->rework)) return nullptr;
        return st;
    }

    // Why the forward of routing `st` had not gone out at `end`. The queue's rows (fwd:ROUTE:OFFICER,
    // as wadul-forward queues them) keep only their latest state, so each is placed before or
    // after the cut-off by its times: queued at created_at, failed or cancelled at next_attempt_at,
    // sent at sent_at. A row retried after the cut-off counts as waiting.
    UnsentReason unsent_reason(std::int64_t complaint, const StageSpan &st, Timestamp end, bool liaison_in_post) {
        if (!liaison_in_post) return UnsentReason::no_liaison;
        const std::string prefix = fmt::format("fwd:{}:", st.start_event);
        Stmt q(db_, "SELECT status, created_at, next_attempt_at, sent_at FROM outbound WHERE dedupe >= ? AND "
                    "dedupe < ? AND complaint_id = ? AND purpose = 'forward'");
        q.args(prefix, dedupe_prefix_end(prefix), complaint);
        bool queued = false, failed = false, unknown = false, cancelled = false;
        while (q.step()) {
            if (q.i64(1) >= end) continue; // queued only after the cut-off
            const std::string_view status = q.view(0);
            const Timestamp changed = q.i64(2);
            const std::optional<Timestamp> sent = q.opt_i64(3);
            if (status == "failed" && changed < end) failed = true;
            else if (status == "cancelled" && changed < end) cancelled = true;
            else if (status == "unknown") unknown = true;
            else if (status == "sent" && sent && *sent < end) continue; // sent, yet no `forwarded`: tells nothing
            else queued = true;
        }
        return queued      ? UnsentReason::queued
               : failed    ? UnsentReason::failed
               : unknown   ? UnsentReason::unknown
               : cancelled ? UnsentReason::cancelled
                           : UnsentReason::not_queued;
    }

    void finish(const Track &t, bool web, Timestamp end, std::unordered_map<std::int64_t, Acc> &agencies, Acc &total,
                std::unordered_map<std::int64_t, OfficerAcc> *officers) {
        const Timestamp rec = t.received_at();
        auto count_in = [&](Counts &c) {
            ++c.received;
            ++(web ? c.web : c.sms);
        };
        count_in(total.c);
        bool any[kMilestoneCount] = {}, refused = false, rerouted = false;
        Timestamp first_at[kMilestoneCount];
        const AgencyPart *first_part[kMilestoneCount] = {};
        for (const AgencyPart &p : t.parts()) {
            Acc &a = agencies[p.agency_id];
            count_in(a.c);
            int *flags[kMilestoneCount] = {&a.c.forwarded, &a.c.accepted, &a.c.answered, &a.c.approved,
                                           &a.c.followed_up};
            for (int m = 0; m < kMilestoneCount; ++m) {
                const Timestamp at = p.at(m);
                if (at == kNever) continue;
                ++*flags[m];
                a.sms[m].push_back(wc_.between(rec, at));
                a.assign[m].push_back(wc_.between(p.assigned, at));
                if (!any[m] || at < first_at[m]) {
                    any[m] = true;
                    first_at[m] = at;
                    first_part[m] = &p;
                }
            }
            a.c.refused += p.refused;
            a.c.rerouted += p.rerouted;
            refused |= p.refused;
            rerouted |= p.rerouted;
        }
        int *flags[kMilestoneCount] = {&total.c.forwarded, &total.c.accepted, &total.c.answered, &total.c.approved,
                                       &total.c.followed_up};
        for (int m = 0; m < kMilestoneCount; ++m) {
            if (!any[m]) continue;
            ++*flags[m];
            total.sms[m].push_back(wc_.between(rec, first_at[m]));
            total.assign[m].push_back(wc_.between(first_part[m]->assigned, first_at[m]));
        }
        total.c.refused += refused;
        total.c.rerouted += rerouted;
        // Every stage that ended before `end` is done, and on time unless wadul-sla would have
        // recorded it as breached; the running one counts as overdue when past its deadline. A
        // stage counts for the agency that held it (triage for the total only).
        const StageMachine &sm = t.stages();
        for (const StageSpan &sp : sm.spans()) {
            const std::optional<Timestamp> due = dl_.due(sp, sm.pauses_in(sp));
            const int s = static_cast<int>(sp.stage);
            Counts *a = sp.agency_id && sp.stage != Stage::triage ? &agencies[*sp.agency_id].c : nullptr;
            for (Counts *c : {&total.c, a}) {
                if (!c) continue;
                if (sp.ended) {
                    ++c->stages[s].done;
                    c->stages[s].on_time += !due || *sp.ended <= *due;
                } else if (overdue_at(due, end)) {
                    ++c->stages[s].overdue;
                    ++c->overdue;
                }
            }
        }
        if (t.open()) {
            ++total.c.open;
            if (t.current()) ++agencies[t.current()->agency_id].c.open;
        } else if (!any[kMsDelivered]) {
            ++total.c.closed_unanswered;
        }
        if (!officers) return;
        const auto &fw = t.forwards();
        for (size_t i = 0; i < fw.size(); ++i) {
            bool seen = false; // one complaint counts once per officer, at its first forwarding
            for (size_t j = 0; j < i && !seen; ++j) seen = fw[j].officer_id == fw[i].officer_id;
            if (seen) continue;
            Timestamp resp = kNever;
            for (size_t j = i; j < fw.size(); ++j)
                if (fw[j].officer_id == fw[i].officer_id && fw[j].responded != kNever) {
                    resp = fw[j].responded;
                    break;
                }
            OfficerAcc &o = (*officers)[fw[i].officer_id];
            ++o.forwarded;
            if (resp != kNever) {
                ++o.responded;
                o.response.push_back(wc_.between(fw[i].at, resp));
            }
        }
    }

    Db &db_;
    Deadlines dl_;
    WorkClock wc_;
    bool pause_on_citizen_;
    std::unordered_map<std::int64_t, OfficerInfo> officers_;
    std::unordered_map<std::int64_t, std::string> phones_;
};

} // namespace

MonthlyReport build_monthly_report(Db &db, const Config &cfg, const Calendar &cal, Month m) {
    MonthlyReport r;
    r.month = m;
    r.disposition_minutes = cfg.sla.disposition_minutes;
    r.triage_days = cfg.sla.triage_days;
    r.review_days = cfg.sla.review_days;
    r.answer_days = cfg.sla.answer_days;
    r.approval_days = cfg.sla.approval_days;
    r.followup_days = cfg.sla.followup_days;

    Builder b(db, cfg, cal);
    std::unordered_map<std::int64_t, Acc> now, prev;
    std::unordered_map<std::int64_t, OfficerAcc> officers;
    Acc total, prev_total;
    b.cohort(m, now, total, &officers);
    b.cohort(m.previous(), prev, prev_total, nullptr);
    r.total = total.c;
    r.prev_total = prev_total.c;
    // Thanks is the only SMS a citizen's answered complaint still takes (admit_citizen_sms): a
    // followup after the delivery. As everything else, as the log stood at the end of the month.
    for (auto [c, mm] : {std::pair{&r.total, m}, std::pair{&r.prev_total, m.previous()}}) {
        Stmt q(db, "SELECT count(DISTINCT c.id) FROM complaint c JOIN event d ON d.complaint_id = c.id AND "
                   "d.kind = 'delivered' JOIN event f ON f.complaint_id = c.id AND f.kind = 'followup' AND "
                   "f.at >= d.at AND f.at < ? WHERE c.received_at >= ? AND c.received_at < ?");
        q.args(mm.end(), mm.start(), mm.end());
        q.step();
        c->thanked = static_cast<int>(q.i64(0));
    }

    std::unordered_map<std::int64_t, std::pair<std::string, std::string>> names;
    std::vector<std::int64_t> active;
    Stmt ag(db, "SELECT id, code, name, kind, active FROM agency ORDER BY kind, code, id");
    while (ag.step()) {
        AgencyRow row{ag.i64(0), ag.str(1), ag.str(2), ag.str(3), {}, {}};
        names[row.id] = {row.code, row.name};
        if (ag.i64(4) != 0) active.push_back(row.id);
        if (auto it = now.find(row.id); it != now.end()) row.now = it->second.c;
        if (auto it = prev.find(row.id); it != prev.end()) row.prev = it->second.c;
        // A disbanded agency still appears while it has complaints to account for.
        if (ag.i64(4) != 0 || row.now.received > 0 || row.prev.received > 0 || row.now.open > 0)
            r.agencies.push_back(std::move(row));
    }

    const Timestamp start = m.start(), end = m.end();
    // The registry's history at a month's end: the agencies with a liaison officer in post at
    // that instant; nullopt before the first officer was registered (wadul was not running yet).
    auto liaison_at = [&](Timestamp at) -> std::optional<std::set<std::int64_t>> {
        bool registry = false;
        std::set<std::int64_t> held;
        for (const auto &[oid, o] : b.officers()) {
            registry = registry || o.valid_from < at;
            if (o.role == "liaison" && o.valid_from < at && (!o.valid_to || *o.valid_to >= at)) held.insert(o.agency_id);
        }
        if (!registry) return std::nullopt;
        return held;
    };
    auto without_liaison = [&](const std::optional<std::set<std::int64_t>> &held) {
        std::vector<std::pair<std::string, std::string>> out;
        if (!held) return out;
        for (auto id : active)
            if (!held->count(id)) out.push_back(names[id]);
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto liaison_at_end = liaison_at(end);
    r.without_liaison = without_liaison(liaison_at_end);
    r.prev_without_liaison = static_cast<int>(without_liaison(liaison_at(m.previous().end())).size());
    for (const auto &[id, o] : b.officers()) {
        if (o.role != "liaison") continue;
        const bool in_post = o.valid_from < end && (!o.valid_to || *o.valid_to > start);
        auto acc = officers.find(id);
        if (!in_post && acc == officers.end()) continue;
        OfficerRow row;
        row.id = id;
        std::tie(row.agency_code, row.agency_name) = names[o.agency_id];
        row.name = o.name;
        row.phone = o.phone;
        row.letter = o.letter;
        row.valid_from = o.valid_from;
        row.valid_to = o.valid_to;
        if (acc != officers.end()) {
            row.forwarded = acc->second.forwarded;
            row.responded = acc->second.responded;
            row.response = quantiles(acc->second.response);
        }
        r.officers.push_back(std::move(row));
    }
    std::sort(r.officers.begin(), r.officers.end(), [](const OfficerRow &a, const OfficerRow &b) {
        if (a.agency_code != b.agency_code) return a.agency_code < b.agency_code;
        if (a.valid_from != b.valid_from) return a.valid_from < b.valid_from;
        if (a.name != b.name) return a.name < b.name;
        return a.id < b.id;
    });

    b.open_at(m, r, names, liaison_at_end.value_or(std::set<std::int64_t>()));
    r.prev_unsent = b.unsent_count(m.previous().end());
    return r;
}

} // namespace wadul
