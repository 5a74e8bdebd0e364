#include "wadul/report_track.hpp"

#include <algorithm>
#include <climits>

namespace wadul {

namespace {

std::int64_t day_of(Timestamp t) {
    const Timestamp local = t + kWibOffset;
    return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

Timestamp day_start(std::int64_t day) { return day * 86400 - kWibOffset; }

} // namespace

const char *stage_key(Stage s) {
    switch (s) {
    case Stage::Admin: return "admin";
    case Stage::Disposition: return "disposition";
    case Stage::Answer: return "answer";
    case Stage::Approval: return "approval";
    case Stage::Followup: return "followup";
    case Stage::Closed: return "closed";
    }
    return "?";
}

const char *stage_label(Stage s) {
    switch (s) {
    case Stage::Admin: return "Triase/penerusan";
    case Stage::Disposition: return "Disposisi";
    case Stage::Answer: return "Telaah dan jawaban";
    case Stage::Approval: return "Persetujuan Ka. OPD";
    case Stage::Followup: return "Tindak lanjut";
    case Stage::Closed: return "Selesai";
    }
    return "?";
}

const char *milestone_key(int m) {
    static const char *const k[] = {"forwarded", "accepted", "answered", "approved", "delivered"};
    return k[m];
}

const char *milestone_label(int m) {
    static const char *const k[] = {"Diteruskan", "Diterima instansi", "Dijawab", "Disetujui", "Ditindaklanjuti"};
    return k[m];
}

Deadlines::Deadlines(const Calendar &cal, const Config &cfg)
    : cal_(cal), disposition_minutes_(cfg.sla.disposition_minutes), triage_days_(cfg.sla.triage_days),
      review_days_(cfg.sla.review_days), answer_days_(cfg.sla.answer_days), approval_days_(cfg.sla.approval_days),
      followup_days_(cfg.sla.followup_days) {}

Timestamp Deadlines::due(Stage s, Timestamp start, bool rework) const {
    switch (s) {
    case Stage::Admin: return cal_.add_working_days(start, triage_days_);
    case Stage::Disposition: return cal_.add_working_seconds(start, std::int64_t{disposition_minutes_} * 60);
    case Stage::Answer: return cal_.add_working_days(start, rework ? answer_days_ : review_days_ + answer_days_);
    case Stage::Approval: return cal_.add_working_days(start, approval_days_);
    case Stage::Followup: return cal_.add_working_days(start, followup_days_);
    case Stage::Closed: break;
    }
    return INT64_MAX;
}

void WorkClock::cover(std::int64_t day) {
    auto day_total = [&](std::int64_t d) { return cal_.working_seconds(day_start(d), day_start(d + 1)); };
    if (prefix_.empty()) {
        base_day_ = day;
        prefix_.push_back(0);
    }
    if (day < base_day_) {
        std::vector<std::int64_t> before{0};
        for (std::int64_t d = day; d < base_day_; ++d) before.push_back(before.back() + day_total(d));
        const std::int64_t shift = before.back();
        before.pop_back();
        for (auto v : prefix_) before.push_back(v + shift);
        prefix_ = std::move(before);
        base_day_ = day;
    }
    while (day - base_day_ >= static_cast<std::int64_t>(prefix_.size()))
        prefix_.push_back(prefix_.back() + day_total(base_day_ + static_cast<std::int64_t>(prefix_.size()) - 1));
}

std::int64_t WorkClock::cumulative(Timestamp t) const {
    const std::int64_t day = day_of(t);
    return prefix_[static_cast<size_t>(day - base_day_)] + cal_.working_seconds(day_start(day), t);
}

std::int64_t WorkClock::between(Timestamp a, Timestamp b) {
    if (b <= a) return 0;
    // Both days first: extending the table downwards shifts every cumulative value.
    cover(day_of(a));
    cover(day_of(b));
    return cumulative(b) - cumulative(a);
}

Timestamp AgencyPart::at(int m) const {
    switch (m) {
    case kMsForwarded: return forwarded;
    case kMsAccepted: return accepted;
    case kMsAnswered: return answered;
    case kMsApproved: return approved;
    case kMsDelivered: return delivered;
    }
    return kNever;
}

EventKind event_kind(std::string_view k) {
    static const std::pair<std::string_view, EventKind> kKinds[] = {
        {"received", EventKind::Received},   {"routed", EventKind::Routed},       {"triaged", EventKind::Triaged},
        {"assigned", EventKind::Assigned},   {"forwarded", EventKind::Forwarded}, {"accepted", EventKind::Accepted},
        {"answered", EventKind::Answered},   {"revision", EventKind::Revision},   {"approved", EventKind::Approved},
        {"refused", EventKind::Refused},     {"delivered", EventKind::Delivered}, {"closed", EventKind::Closed},
        {"paused", EventKind::Paused},       {"resumed", EventKind::Resumed},
    };
    for (const auto &[name, kind] : kKinds)
        if (name == k) return kind;
    return EventKind::Other;
}

Track::Track(std::int64_t id, Timestamp received_at, const std::unordered_map<std::int64_t, std::string> &phones)
    : id_(id), received_at_(received_at), phones_(phones), stage_since_(received_at) {
    admin_.push_back({received_at});
}

AgencyPart &Track::part_for(std::int64_t agency, Timestamp at) {
    for (size_t i = 0; i < parts_.size(); ++i)
        if (parts_[i].agency_id == agency) {
            current_ = static_cast<int>(i);
            return parts_[i];
        }
    AgencyPart p;
    p.agency_id = agency;
    p.assigned = at;
    parts_.push_back(p);
    current_ = static_cast<int>(parts_.size()) - 1;
    return parts_.back();
}

void Track::leave_agency(Timestamp at) {
    if (current_ >= 0) {
        parts_[current_].rerouted = true;
        current_ = -1;
    }
    if (admin_.empty() || admin_.back().end != kNever) admin_.push_back({at});
}

void Track::enter(Stage s, Timestamp at) {
    stage_ = s;
    stage_since_ = at;
}

void Track::apply(Timestamp at, EventKind kind, std::string_view actor, std::optional<std::int64_t> agency_id,
                  std::optional<std::int64_t> officer_id) {
    AgencyPart *p = current_ < 0 ? nullptr : &parts_[current_];
    const bool reply = kind == EventKind::Accepted || kind == EventKind::Answered || kind == EventKind::Refused;
    if (reply) {
        for (auto &f : forwards_) {
            if (f.responded != kNever || at < f.at) continue;
            auto it = phones_.find(f.officer_id);
            if (it != phones_.end() && it->second == actor) f.responded = at;
        }
        if (p && p->responded == kNever) p->responded = at;
    }
    auto first = [at](Timestamp &slot) {
        if (slot == kNever) slot = at;
    };
    switch (kind) {
    case EventKind::Routed:
    case EventKind::Assigned:
        if (!agency_id) {
            leave_agency(at);
            enter(Stage::Admin, at);
            break;
        }
        if (p && p->agency_id != *agency_id) p->rerouted = true;
        if (!p && !admin_.empty() && admin_.back().end == kNever) admin_.back().end = at;
        part_for(*agency_id, at);
        enter(Stage::Admin, at);
        break;
    case EventKind::Triaged:
        leave_agency(at);
        enter(Stage::Admin, at);
        break;
    case EventKind::Forwarded:
        if (!p) break;
        first(p->forwarded);
        if (officer_id) forwards_.push_back({*officer_id, at});
        if (stage_ == Stage::Admin) enter(Stage::Disposition, at);
        break;
    case EventKind::Accepted:
        if (p) first(p->accepted);
        if (stage_ == Stage::Admin || stage_ == Stage::Disposition) enter(Stage::Answer, at);
        break;
    case EventKind::Answered:
        if (p) first(p->answered);
        if (stage_ != Stage::Approval && stage_ != Stage::Followup && stage_ != Stage::Closed) {
            enter(Stage::Approval, at);
            rework_ = false;
        }
        break;
    case EventKind::Revision:
        enter(Stage::Answer, at);
        rework_ = true;
        break;
    case EventKind::Approved:
        if (p) first(p->approved);
        if (stage_ != Stage::Closed) enter(Stage::Followup, at);
        break;
    case EventKind::Refused:
        if (p) p->refused = true;
        leave_agency(at);
        enter(Stage::Admin, at);
        break;
    case EventKind::Delivered:
        if (p) first(p->delivered);
        enter(Stage::Closed, at);
        break;
    case EventKind::Closed: enter(Stage::Closed, at); break;
    case EventKind::Paused:
        if (paused_since_ == kNever) paused_since_ = at;
        break;
    case EventKind::Resumed:
        if (paused_since_ != kNever) pauses_.emplace_back(paused_since_, at);
        paused_since_ = kNever;
        break;
    case EventKind::Received:
    case EventKind::Other: break;
    }
}

std::int64_t Track::paused_between(WorkClock &wc, Timestamp a, Timestamp b) const {
    std::int64_t total = 0;
    for (const auto &[p0, p1] : pauses_) total += wc.between(std::max(a, p0), std::min(b, p1));
    if (paused_since_ != kNever) total += wc.between(std::max(a, paused_since_), b);
    return total;
}

bool Track::on_time(const Deadlines &dl, WorkClock &wc, Stage s, Timestamp start, Timestamp done) const {
    Timestamp due = dl.due(s, start);
    if (const auto paused = paused_between(wc, start, done); paused > 0)
        due = dl.calendar().add_working_seconds(due, paused);
    return done <= due;
}

Timestamp Track::current_due(const Deadlines &dl, WorkClock &wc, Timestamp end) const {
    if (stage_ == Stage::Closed) return INT64_MAX;
    Timestamp due = dl.due(stage_, stage_since_, rework_);
    if (const auto paused = paused_between(wc, stage_since_, end); paused > 0)
        due = dl.calendar().add_working_seconds(due, paused);
    return due;
}

} // namespace wadul
