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

const char *milestone_key(int m) {
    static const char *const k[] = {"forwarded", "accepted", "answered", "approved", "delivered"};
    return k[m];
}

const char *milestone_label(int m) {
    static const char *const k[] = {"Diteruskan", "Diterima instansi", "Dijawab", "Disetujui", "Ditindaklanjuti"};
    return k[m];
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

Track::Track(std::int64_t id, Timestamp received_at, const std::unordered_map<std::int64_t, std::string> &phones,
             bool pause_on_citizen)
    : id_(id), received_at_(received_at), phones_(phones), stages_(pause_on_citizen) {}

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

void Track::leave_agency() {
    if (current_ >= 0) {
        parts_[current_].rerouted = true;
        current_ = -1;
    }
}

void Track::apply(Timestamp at, EventKind kind, std::string_view actor, std::optional<std::int64_t> agency_id,
                  std::optional<std::int64_t> officer_id, std::int64_t event_id) {
    // The stages and their clocks: the same machine as wadul-sla's.
    stages_.apply(at, kind, agency_id, event_id);
    // Then the per-agency bookkeeping that only the report keeps.
    AgencyPart *p = current_ < 0 ? nullptr : &parts_[current_];
    const bool reply = kind == EventKind::Accepted || kind == EventKind::Answered || kind == EventKind::Refused;
    if (reply) {
        for (auto &f : forwards_) {
            if (f.responded != kNever || at < f.at) continue;
            auto it = phones_.find(f.officer_id);
            if (it != phones_.end() && it->second == actor) f.responded = at;
        }
        if (p && p->responded == kNever) p->responded = at;
        replied_.emplace_back(actor);
    }
    auto first = [at](Timestamp &slot) {
        if (slot == kNever) slot = at;
    };
    switch (kind) {
    case EventKind::Routed:
    case EventKind::Assigned:
        if (!agency_id) break;
        if (p && p->agency_id != *agency_id) p->rerouted = true;
        part_for(*agency_id, at);
        replied_.clear();
        break;
    case EventKind::Triaged: leave_agency(); break;
    case EventKind::Forwarded:
        if (!p) break;
        first(p->forwarded);
        if (officer_id) {
            Forward f{*officer_id, at};
            auto it = phones_.find(*officer_id);
            if (it != phones_.end() && std::find(replied_.begin(), replied_.end(), it->second) != replied_.end())
                f.responded = at; // replied before the SMS came: responded, in no time
            forwards_.push_back(f);
        }
        break;
    case EventKind::Accepted:
        if (p) first(p->accepted);
        break;
    case EventKind::Answered:
        if (p) first(p->answered);
        break;
    case EventKind::Approved:
        if (p) first(p->approved);
        break;
    case EventKind::Refused:
        if (p) p->refused = true;
        leave_agency();
        break;
    case EventKind::Delivered:
        if (p) first(p->delivered);
        break;
    default: break;
    }
}

std::optional<Timestamp> Track::current_due(const Deadlines &dl) const {
    const StageSpan *s = stages_.current();
    if (!s) return std::nullopt;
    return dl.due(*s, stages_.pauses_in(*s));
}

} // namespace wadul
