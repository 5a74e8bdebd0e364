// Replays one complaint's event log, as it stood at a moment, into its handling by each agency
// and its SOP stages (the StageMachine wadul-sla uses too): the ground truth of every report figure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wadul/calendar.hpp"
#include "wadul/clock.hpp"
#include "wadul/config.hpp"
#include "wadul/stages.hpp"

namespace wadul {

constexpr Timestamp kNever = INT64_MIN;

// The moments whose times the report measures, in workflow order.
enum Milestone { kMsForwarded, kMsAccepted, kMsAnswered, kMsApproved, kMsDelivered, kMilestoneCount };
const char *milestone_key(int m);
const char *milestone_label(int m);

// Working seconds between instants, with the per-day totals cached: a monthly report asks for
// hundreds of thousands of intervals over the same few hundred days.
class WorkClock {
public:
    explicit WorkClock(const Calendar &cal) : cal_(cal) {}
    std::int64_t between(Timestamp a, Timestamp b);
    double hours(Timestamp a, Timestamp b) { return static_cast<double>(between(a, b)) / 3600.0; }
    const Calendar &calendar() const { return cal_; }

private:
    void cover(std::int64_t day);               // extends the table to include `day`
    std::int64_t cumulative(Timestamp t) const; // working seconds from base_day_ 00:00 WIB to t
    const Calendar &cal_;
    std::int64_t base_day_ = 0;
    std::vector<std::int64_t> prefix_; // prefix_[i]: working seconds before day base_day_ + i
};

// One agency's handling of the complaint; an agency given it twice keeps one part.
struct AgencyPart {
    std::int64_t agency_id = 0;
    Timestamp assigned = kNever;  // first routed/assigned to this agency
    Timestamp forwarded = kNever; // first forwarded to one of its officers
    Timestamp responded = kNever; // first TERIMA, JAWAB or TOLAK from the agency
    Timestamp accepted = kNever, answered = kNever, approved = kNever, delivered = kNever;
    bool refused = false;  // TOLAK
    bool rerouted = false; // taken away: refused, re-assigned elsewhere, or sent back to triage
    Timestamp at(int milestone) const;
};

// One SMS forwarding to one officer, and that officer's first reply to it.
struct Forward {
    std::int64_t officer_id;
    Timestamp at;
    Timestamp responded = kNever;
};

class Track {
public:
    // `phones`: officer id → phone, to recognise an officer's own replies among the events.
    // `pause_on_citizen`: sla.pause_on_citizen.
    Track(std::int64_t id, Timestamp received_at, const std::unordered_map<std::int64_t, std::string> &phones,
          bool pause_on_citizen);

    // Events in order of (at, id); `event_id` names the span a routing starts (StageSpan::start_event).
    void apply(Timestamp at, EventKind kind, std::string_view actor, std::optional<std::int64_t> agency_id,
               std::optional<std::int64_t> officer_id, std::int64_t event_id = 0);

    // The state at `end` (exclusive), after the last event before it.
    bool open() const { return !stages_.closed(); }
    // The running stage; nullptr when closed, or open with none yet (received, not yet routed).
    const StageSpan *stage() const { return stages_.current(); }
    const StageMachine &stages() const { return stages_; }
    const AgencyPart *current() const { return current_ < 0 ? nullptr : &parts_[current_]; }
    // When the running stage is due; nullopt when none runs or a pause stops its clock.
    std::optional<Timestamp> current_due(const Deadlines &dl) const;

    std::int64_t id() const { return id_; }
    Timestamp received_at() const { return received_at_; }
    const std::vector<AgencyPart> &parts() const { return parts_; }
    const std::vector<Forward> &forwards() const { return forwards_; }

private:
    AgencyPart &part_for(std::int64_t agency, Timestamp at);
    void leave_agency();

    std::int64_t id_;
    Timestamp received_at_;
    const std::unordered_map<std::int64_t, std::string> &phones_;
    std::vector<AgencyPart> parts_;
    int current_ = -1;
    std::vector<Forward> forwards_;
    // Who replied (TERIMA, JAWAB, TOLAK) since the latest routing: an officer who had the ticket
    // before the forward SMS reached them (by phone) has responded when it does.
    std::vector<std::string> replied_;
    StageMachine stages_;
};

} // namespace wadul
