#include "wadul/sla.hpp"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/outbox.hpp"
#include "wadul/store.hpp"

namespace wadul {

namespace {

struct Ev {
    std::int64_t id;
    Timestamp at;
    std::string kind;
    std::optional<std::int64_t> agency_id;
    std::string detail;
};

// Turns one complaint's events (in order) into its stages, with the sweep's marks on each.
void build(const Deadlines &dl, const Config &cfg, std::int64_t cid, const std::string &ticket,
           const std::vector<Ev> &events, const std::unordered_map<std::int64_t, std::string> &codes, Timestamp now,
           bool current_only, std::vector<StageClock> &out) {
    StageMachine m(cfg.sla.pause_on_citizen);
    std::vector<StageClock> stages; // one per span of `m`, in step
    for (const auto &e : events) {
        const EventKind kind = event_kind(e.kind);
        if (kind == EventKind::Reminded || kind == EventKind::Escalated || kind == EventKind::Breached) {
            if (!m.current()) continue;
            StageClock &cur = stages.back();
            const std::string name = stage_name(cur.stage);
            if (e.detail.compare(0, name.size(), name) != 0) continue;
            if (kind == EventKind::Reminded) {
                ++cur.reminders;
                cur.resumed_since_reminder = false;
            } else if (kind == EventKind::Breached) cur.breach_recorded = true;
            else cur.escalated.push_back(e.detail);
            continue;
        }
        if (kind == EventKind::Resumed && m.current() && !stages.empty() && stages.back().reminders > 0)
            stages.back().resumed_since_reminder = true;
        m.apply(e.at, kind, e.agency_id, e.id);
        if (m.spans().size() == stages.size()) continue;
        const StageSpan &sp = m.spans().back();
        StageClock st;
        st.complaint_id = cid;
        st.ticket = ticket;
        st.agency_id = sp.agency_id;
        if (st.agency_id) {
            auto it = codes.find(*st.agency_id);
            st.agency = it == codes.end() ? std::to_string(*st.agency_id) : it->second;
        }
        st.stage = sp.stage;
        st.start_event = sp.start_event;
        st.started = sp.started;
        stages.push_back(std::move(st));
    }
    for (size_t i = 0; i < stages.size(); ++i) {
        const StageSpan &sp = m.spans()[i];
        StageClock &st = stages[i];
        st.ended = sp.ended;
        if (current_only && st.ended) continue;
        st.started = sp.started; // a `forwarded` event after the span began may have moved it
        st.unsent = sp.unsent;
        st.limit = dl.limit(sp.stage, sp.started, sp.rework);
        const std::vector<Pause> mine = m.pauses_in(sp);
        st.deadline = dl.due(sp, mine);
        if (cfg.sla.reminder_at > 0 && !st.unsent)
            st.remind_at = dl.after(st.started, std::llround(cfg.sla.reminder_at * static_cast<double>(st.limit)), mine);
        st.paused = !st.ended && !mine.empty() && !mine.back().to && mine.back().from <= now;
        out.push_back(std::move(st));
    }
}

// The step of the admins' notice that a disposition's forward SMS has not gone out (in its
// dedupe key and its `escalated` event: "disposition unsent 1").
const char *const kUnsentStep = "unsent";

// The complaints a sweep looks at: open ones, and recently closed ones whose last stage may have
// ended late between two sweeps (bound: now - kLookbackDays).
constexpr const char *kInScope = "(c.status NOT IN ('closed', 'received') OR c.updated_at >= ?)";
Timestamp scope_since(Timestamp now) { return now - static_cast<Timestamp>(kLookbackDays) * 86400; }
// The event kinds StageMachine acts on: those that start or end a stage, `forwarded` (starts the
// disposition's clock), and pauses.
const std::string kStageKinds = "'triaged', 'refused', 'routed', 'assigned', 'forwarded', 'accepted', 'revision', "
                                "'answered', 'approved', 'delivered', 'closed', 'paused', 'resumed'";
} // namespace

void for_each_stage(Db &db, const Calendar &cal, const Config &cfg, Timestamp now, bool current_only,
                    const std::string &agency, const std::function<void(StageClock &)> &fn) {
    const Deadlines dl(cal, cfg);
    std::unordered_map<std::int64_t, std::string> codes;
    {
        Stmt s(db, "SELECT id, code FROM agency");
        while (s.step()) codes.emplace(s.i64(0), s.str(1));
    }
    // Open complaints, and recently closed ones whose last stage may have ended late between
    // two sweeps. Only the kinds that start, end or mark a stage are read.
    Stmt s(db, std::string("SELECT c.id, c.ticket, e.id, e.at, e.kind, e.agency_id, e.detail FROM complaint c ") +
               "JOIN event e ON e.complaint_id = c.id WHERE " + kInScope +
               " AND e.kind IN (" + kStageKinds + ", 'reminded', 'escalated', 'breached') ORDER BY c.id, e.at, e.id");
    s.bind(1, scope_since(now));
    std::vector<StageClock> stages;
    std::vector<Ev> events;
    std::int64_t cid = -1;
    std::string ticket;
    auto flush = [&] {
        if (cid < 0) return;
        build(dl, cfg, cid, ticket, events, codes, now, current_only, stages);
        for (auto &st : stages)
            if (agency.empty() || st.agency == agency) fn(st);
        stages.clear();
        events.clear();
    };
    while (s.step()) {
        // The row is copied out before `fn` runs: a sweep writes on this connection meanwhile.
        Ev ev{s.i64(2), s.i64(3), s.str(4), s.opt_i64(5), s.is_null(6) ? std::string() : s.str(6)};
        const std::int64_t row_cid = s.i64(0);
        if (row_cid != cid) {
            std::string row_ticket = s.str(1);
            flush();
            cid = row_cid;
            ticket = std::move(row_ticket);
        }
        events.push_back(std::move(ev));
    }
    flush();
}

std::vector<StageClock> load_stages(Db &db, const Calendar &cal, const Config &cfg, Timestamp now, bool current_only,
                                    const std::string &agency) {
    std::vector<StageClock> out;
    {
        // Sized once: growing a vector of 100,000 stages copies it again and again.
        Stmt n(db, std::string("SELECT count(*) FROM complaint c WHERE ") + kInScope);
        n.bind(1, scope_since(now));
        if (n.step()) out.reserve(static_cast<size_t>(n.i64(0)) * (current_only ? 1 : 3));
    }
    for_each_stage(db, cal, cfg, now, current_only, agency, [&out](StageClock &st) { out.push_back(std::move(st)); });
    return out;
}

namespace {

struct Officers {
    std::vector<std::string> liaison, head;
};

// Whose act each stage waits for (SOP "Layanan SMS Wadul Bupati"), and so who is reminded:
// the disposition is the head's (step 3), recorded by the liaison's TERIMA; review and answer
// are the liaison's with the agency's team (steps 4-5); the approval is the head's SETUJU (step
// 6); triage and the follow-up (the answer reaching the citizen, by SMS or through the web
// portal) are the admin portal's.
std::vector<const char *> reminded_roles(Stage s) {
    switch (s) {
    case Stage::disposition: return {"liaison", "head"};
    case Stage::answer: return {"liaison"};
    case Stage::approval: return {"head"};
    case Stage::triage:
    case Stage::followup: break;
    }
    return {"admin"};
}

// Escalation goes up from whoever's act is late: the liaison's answer to the head, then the
// admins; the head's disposition or approval straight to the admins; the admins' own stages stay
// with the admins (repeated). Level names are part of the escalated events' details.
std::vector<const char *> escalation_ladder(Stage s) {
    switch (s) {
    case Stage::disposition:
    case Stage::approval: return {"head", "admin"};
    case Stage::answer: return {"liaison", "head", "admin"};
    case Stage::triage:
    case Stage::followup: break;
    }
    return {"admin"};
}

class Sweeper {
public:
    Sweeper(Db &db, const Config &cfg, Timestamp now, SweepResult &res)
        : db_(db), cfg_(cfg), now_(now), res_(res),
          breach_check_(db, "SELECT 1 FROM event WHERE complaint_id = ? AND kind = 'breached' AND detail = ? AND at >= ?"),
          queue_(db, "INSERT OR IGNORE INTO outbound(recipient, text, purpose, complaint_id, dedupe, created_at, "
                     "status, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)") {
        Stmt o(db, "SELECT agency_id, phone, role FROM officer WHERE valid_to IS NULL OR valid_to > ? ORDER BY id");
        o.bind(1, now);
        while (o.step()) (o.str(2) == "head" ? officers_[o.i64(0)].head : officers_[o.i64(0)].liaison).push_back(o.str(1));
        Stmt a(db, "SELECT id, name FROM agency");
        while (a.step()) names_.emplace(a.i64(0), a.str(1));
    }

    void breach(const StageClock &st) {
        // Checked again inside the transaction: another sweep may have recorded it meanwhile.
        breach_check_.args(st.complaint_id, std::string(stage_name(st.stage)), st.started);
        const bool known = breach_check_.step();
        breach_check_.reset();
        if (known) return;
        append_event(db_, {st.complaint_id, *st.deadline, "breached", "system", st.agency_id, std::nullopt,
                           std::string(stage_name(st.stage))});
        ++res_.breaches;
    }

    // Round 1, or a later round when the earlier one was cancelled (reminder_cancelled).
    void reminder(const StageClock &st, std::int64_t round) {
        const std::vector<const char *> roles = reminded_roles(st.stage);
        std::vector<std::string> to;
        for (const char *role : roles) {
            const auto &p = phones(st, role);
            to.insert(to.end(), p.begin(), p.end());
        }
        const std::string text = render_template(cfg_.templates.at("reminder"),
                                                 {{"ticket", st.ticket},
                                                  {"stage", stage_name_id(st.stage)},
                                                  {"deadline", format_datetime_id(*st.deadline)}});
        if (queue(st, "reminder", round, to, text, "reminder")) {
            append_event(db_, {st.complaint_id, now_, "reminded", "system", st.agency_id, std::nullopt,
                               std::string(stage_name(st.stage))});
            ++res_.reminders;
        } else if (to.empty()) {
            note(st, "a reminder", roles);
        }
    }

    // Every reminder queued for the stage was cancelled and none went out: a pause that began
    // between the sweep that queued it and the send (wadul-forward cancels it, the stage being
    // paused). After the resume the stage still deserves its reminder.
    bool reminder_cancelled(const StageClock &st) {
        const std::string prefix = fmt::format("sla:{}:{}:reminder:", st.complaint_id, st.start_event);
        Stmt q(db_, "SELECT count(*), coalesce(sum(status = 'cancelled'), 0) FROM outbound WHERE dedupe >= ? "
                    "AND dedupe < ?");
        q.args(prefix, dedupe_prefix_end(prefix));
        return q.step() && q.i64(0) > 0 && q.i64(0) == q.i64(1);
    }

    // The stage's ladder (escalation_ladder), one step per sla.repeat_minutes of office time after
    // the deadline, then the top step (the admins) again at that interval until the stage ends.
    void escalate(const StageClock &st, std::int64_t overdue_office_secs) {
        const std::vector<const char *> ladder = escalation_ladder(st.stage);
        const std::int64_t size = static_cast<std::int64_t>(ladder.size());
        const std::int64_t k = overdue_office_secs / (static_cast<std::int64_t>(cfg_.sla.repeat_minutes) * 60);
        for (std::int64_t step = 0; step < size && step <= k; ++step) {
            const bool top = step == size - 1;
            // Steps below the top are sent once; of the top step's rounds, only the current one
            // (rounds missed while the sweep did not run are not sent late).
            const std::int64_t round = top ? k - step + 1 : 1;
            const std::string level = ladder[static_cast<size_t>(step)];
            const std::string detail = fmt::format("{} {} {}", stage_name(st.stage), level, round);
            if (std::find(st.escalated.begin(), st.escalated.end(), detail) != st.escalated.end()) continue;
            const std::vector<std::string> &to = phones(st, level);
            const std::string text = render_template(cfg_.templates.at("escalation"),
                                                     {{"ticket", st.ticket},
                                                      {"agency", agency_name(st, "admin portal")},
                                                      {"stage", stage_name_id(st.stage)},
                                                      {"deadline", format_datetime_id(*st.deadline)}});
            if (queue(st, level, round, to, text, "escalation")) {
                append_event(db_, {st.complaint_id, now_, "escalated", "system", st.agency_id, std::nullopt, detail});
                ++res_.escalations;
            } else if (to.empty()) {
                note(st, "the " + level + " escalation", {ladder[static_cast<size_t>(step)]});
            }
        }
    }

    // A disposition still waiting for its forward SMS after its whole limit of office time: the
    // agency cannot act, so the admins are told (once per routing), in office hours, as the top of
    // every ladder; the sysadmin sees it with -v. The message is cancelled at the claim if the
    // forward went out meanwhile (stale_step).
    void unsent(const StageClock &st, std::int64_t waited_office_secs, bool open) {
        if (waited_office_secs < st.limit) return;
        res_.notes.push_back(fmt::format("complaint '{}' was routed to {} at {} and its forward SMS has not been "
                                         "sent yet: no deadline runs for the agency (see 'wadul-forward queue')",
                                         st.ticket, st.agency, format_wib(st.started)));
        const std::string detail = fmt::format("{} {} 1", stage_name(st.stage), kUnsentStep);
        if (!open || std::find(st.escalated.begin(), st.escalated.end(), detail) != st.escalated.end()) return;
        const std::string text = render_template(cfg_.templates.at("unsent"),
                                                 {{"ticket", st.ticket},
                                                  {"agency", agency_name(st, st.agency)},
                                                  {"since", format_datetime_id(st.started)}});
        if (queue(st, kUnsentStep, 1, phones(st, "admin"), text, "escalation")) {
            append_event(db_, {st.complaint_id, now_, "escalated", "system", st.agency_id, std::nullopt, detail});
            ++res_.escalations;
        } else if (cfg_.sla.admin_phones.empty()) {
            note(st, "the notice that the forward has not gone out", {"admin"});
        }
    }

private:
    // The stage's agency's full name, for the SMS texts; `none` in triage or for an unknown id.
    std::string agency_name(const StageClock &st, const std::string &none) const {
        auto it = st.agency_id ? names_.find(*st.agency_id) : names_.end();
        return it != names_.end() ? it->second : none;
    }

    // The numbers of "liaison", "head" (the stage's agency, in post) or "admin" (sla.admin_phones).
    const std::vector<std::string> &phones(const StageClock &st, const std::string &role) {
        static const std::vector<std::string> kNone;
        if (role == "admin") return cfg_.sla.admin_phones;
        if (!st.agency_id) return kNone;
        auto it = officers_.find(*st.agency_id);
        if (it == officers_.end()) return kNone;
        return role == "head" ? it->second.head : it->second.liaison;
    }

    // Queues one SMS per recipient; true when at least one row is new (the dedupe key makes a
    // step that was queued before a no-op).
    bool queue(const StageClock &st, const std::string &step, std::int64_t round, const std::vector<std::string> &to,
               const std::string &text, const char *purpose) {
        Stmt &ins = queue_;
        bool any = false;
        for (const auto &phone : to) {
            const std::string key = fmt::format("sla:{}:{}:{}:{}:{}", st.complaint_id, st.start_event, step, round, phone);
            ins.args(phone, text, purpose, st.complaint_id, key, now_, now_);
            if (ins.run() == 1) {
                any = true;
                ++res_.messages;
            }
        }
        return any;
    }

    // A step nobody could be sent: no officer of `roles` in post, or no sla.admin_phones.
    void note(const StageClock &st, const std::string &what, const std::vector<const char *> &roles) {
        std::string missing;
        for (const char *role : roles) {
            const std::string r = role;
            if (r == "admin" && cfg_.sla.admin_phones.empty()) ++res_.admin_unsent;
            if (!missing.empty()) missing += " or ";
            missing += r == "admin" ? "admin phone (sla.admin_phones)" : r == "head" ? "head of agency" : "liaison officer";
        }
        if (roles.size() != 1 || std::string(roles[0]) != "admin") missing += " in post";
        res_.notes.push_back(fmt::format("cannot send {} for complaint '{}' ({} stage{}): no {}", what, st.ticket,
                                         stage_name(st.stage), st.agency.empty() ? "" : ", agency " + st.agency, missing));
    }

    Db &db_;
    const Config &cfg_;
    Timestamp now_;
    SweepResult &res_;
    std::map<std::int64_t, Officers> officers_;
    std::map<std::int64_t, std::string> names_;
    Stmt breach_check_, queue_; // prepared once: a catch-up sweep runs them many thousand times
};

} // namespace

SweepResult sweep(Db &db, const Calendar &cal, const Config &cfg, Timestamp now) {
    SweepResult res;
    const bool open = cal.is_open(now);
    // One write transaction around the read too: the sweep acts on exactly what it read, and
    // stages stream through without the whole list in memory.
    Tx tx(db);
    Sweeper s(db, cfg, now, res);
    for_each_stage(db, cal, cfg, now, false, "", [&](StageClock &st) {
        if (st.started > now) return; // a replay (WADUL_NOW) looking at a stage not yet begun
        if (st.unsent) {
            // Nothing for the agency: a reminder would reach its officers before the complaint
            // itself. The forward is the sysadmin's (wadul-forward warns about failed sends).
            if (!st.ended) s.unsent(st, cal.working_seconds(st.started, now), open);
            return;
        }
        if (!st.deadline) return; // the clock is stopped: waiting on the citizen
        if (st.ended) {
            // Ended after its deadline, between two sweeps: the breach still goes on record.
            if (*st.ended > *st.deadline && !st.breach_recorded) s.breach(st);
            return;
        }
        if (now >= *st.deadline) {
            if (!st.breach_recorded) s.breach(st);
            if (open && !st.paused) s.escalate(st, cal.working_seconds(*st.deadline, now));
        } else if (open && st.remind_at && now >= *st.remind_at &&
                   (st.reminders == 0 || (st.resumed_since_reminder && s.reminder_cancelled(st)))) {
            s.reminder(st, st.reminders + 1);
        }
    });
    tx.commit();
    return res;
}

namespace {

// Why a reminder or escalation queued with `dedupe` (sla:COMPLAINT:STAGE-EVENT:STEP:ROUND:PHONE,
// as Sweeper::queue writes it) must not go out, given its complaint replayed (`sm`, nullptr when
// the complaint has no stage events); empty when it still holds.
std::string stale_step_reason(const StageMachine *sm, const std::string &dedupe, Timestamp now) {
    std::int64_t cid = 0, start = 0;
    int step_at = 0;
    if (std::sscanf(dedupe.c_str(), "sla:%" SCNd64 ":%" SCNd64 ":%n", &cid, &start, &step_at) != 2 || !step_at) return {};
    // The admins' notice that the forward has not gone out is about the opposite of the others.
    const bool unsent_notice = dedupe.compare(static_cast<size_t>(step_at), std::strlen(kUnsentStep) + 1,
                                              std::string(kUnsentStep) + ":") == 0;
    const StageSpan *cur = sm ? sm->current() : nullptr;
    std::string about = "stage";
    if (sm)
        for (const auto &sp : sm->spans())
            if (sp.start_event == start) about = std::string(stage_name(sp.stage)) + " stage";
    std::string why;
    if (!cur)
        why = sm && sm->closed() ? "the complaint was closed" : "the " + about + " has ended";
    else if (cur->start_event != start)
        why = fmt::format("the {} has ended (now in {} {} stage)", about,
                          about == std::string(stage_name(cur->stage)) + " stage" ? "a new" : "the",
                          stage_name(cur->stage));
    else if (unsent_notice) {
        if (!cur->unsent) why = "the forward SMS has reached the agency";
    } else if (sm->paused_at(now))
        why = "the complaint is paused (waiting on the citizen)";
    else if (cur->unsent)
        why = "the forward SMS has not reached the agency";
    return why.empty() ? why : "stale: " + why + " before it was sent";
}

} // namespace

std::vector<StaleStep> cancel_stale_steps(Db &db, const Config &cfg, Timestamp now) {
    std::vector<StaleStep> out;
    // Most runs have nothing queued: no write lock for them (a long sweep may hold it).
    {
        Stmt any(db, "SELECT 1 FROM outbound WHERE status = 'queued' AND purpose IN ('reminder', 'escalation') LIMIT 1");
        if (!any.step()) return out;
    }
    // In one transaction with the cancelling: a reply recorded meanwhile is seen, or waits.
    Tx tx(db);
    struct Queued {
        std::int64_t id, complaint_id;
        std::string dedupe, purpose, recipient, ticket;
    };
    std::vector<Queued> rows;
    {
        Stmt q(db, "SELECT o.id, o.complaint_id, o.dedupe, o.purpose, o.recipient, c.ticket FROM outbound o "
                   "JOIN complaint c ON c.id = o.complaint_id "
                   "WHERE o.status = 'queued' AND o.purpose IN ('reminder', 'escalation') ORDER BY o.complaint_id, o.id");
        while (q.step()) rows.push_back({q.i64(0), q.i64(1), q.str(2), q.str(3), q.str(4), q.str(5)});
    }
    // Each of those complaints replayed as the sweep replays it (same kinds, same order).
    std::map<std::int64_t, StageMachine> machines;
    {
        Stmt e(db, "SELECT complaint_id, id, at, kind, agency_id FROM event WHERE complaint_id IN "
                   "(SELECT complaint_id FROM outbound WHERE status = 'queued' AND purpose IN ('reminder', 'escalation')) "
                   "AND kind IN (" + kStageKinds + ") ORDER BY complaint_id, at, id");
        while (e.step()) {
            auto it = machines.try_emplace(e.i64(0), cfg.sla.pause_on_citizen).first;
            it->second.apply(e.i64(2), event_kind(e.str(3)), e.opt_i64(4), e.i64(1));
        }
    }
    for (const Queued &r : rows) {
        const auto m = machines.find(r.complaint_id);
        const std::string why = stale_step_reason(m == machines.end() ? nullptr : &m->second, r.dedupe, now);
        if (why.empty()) continue;
        cancel(db, r.id, now, why);
        out.push_back({r.id, r.purpose, r.recipient, r.ticket, why});
    }
    tx.commit();
    return out;
}

std::optional<std::string> stale_step(Db &db, const Config &cfg, std::int64_t complaint_id, const std::string &dedupe,
                                      Timestamp now) {
    StageMachine sm(cfg.sla.pause_on_citizen);
    bool any = false;
    Stmt e(db, "SELECT id, at, kind, agency_id FROM event WHERE complaint_id = ? AND kind IN (" + kStageKinds +
                   ") ORDER BY at, id");
    e.bind(1, complaint_id);
    while (e.step()) {
        sm.apply(e.i64(1), event_kind(e.str(2)), e.opt_i64(3), e.i64(0));
        any = true;
    }
    std::string why = stale_step_reason(any ? &sm : nullptr, dedupe, now);
    if (why.empty()) return std::nullopt;
    return why;
}

} // namespace wadul
