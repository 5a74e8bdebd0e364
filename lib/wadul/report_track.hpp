// Replays one complaint's event log, as it stood at a moment, into its handling by each agency,
// its current SOP stage and the deadlines of its stages: the ground truth of every report figure.
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

namespace wadul {

constexpr Timestamp kNever = INT64_MIN;

// The SOP stages that carry a deadline, in workflow order; Closed has none.
enum class Stage { Admin, Disposition, Answer, Approval, Followup, Closed };
constexpr int kStageCount = 5; // Admin..Followup
const char *stage_key(Stage s);   // "admin", "disposition", ... (CSV, JSON)
const char *stage_label(Stage s); // Indonesian, for the Regent

// The moments whose times the report measures, in workflow order.
enum Milestone { kMsForwarded, kMsAccepted, kMsAnswered, kMsApproved, kMsDelivered, kMilestoneCount };
const char *milestone_key(int m);
const char *milestone_label(int m);

// The SOP's limits (Config::sla) turned into due instants on the working calendar.
class Deadlines {
public:
    Deadlines(const Calendar &cal, const Config &cfg);
    // When a stage entered at `start` is due; `rework` is the answer stage after REVISI, which
    // gets sla.answer_days instead of review_days + answer_days.
    Timestamp due(Stage s, Timestamp start, bool rework = false) const;
    const Calendar &calendar() const { return cal_; }

private:
    const Calendar &cal_;
    int disposition_minutes_;
    double triage_days_, review_days_, answer_days_, approval_days_, followup_days_;
};

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

// A stretch with no agency (received, triage, refused): the admin portal's stage.
struct AdminSpell {
    Timestamp start;
    Timestamp end = kNever; // routed or assigned
};

enum class EventKind {
    Received, Routed, Triaged, Assigned, Forwarded, Accepted, Answered, Revision, Approved, Refused,
    Delivered, Closed, Paused, Resumed, Other
};
EventKind event_kind(std::string_view kind);

class Track {
public:
    // `phones`: officer id → phone, to recognise an officer's own replies among the events.
    Track(std::int64_t id, Timestamp received_at, const std::unordered_map<std::int64_t, std::string> &phones);

    // Events in order of (at, id).
    void apply(Timestamp at, EventKind kind, std::string_view actor, std::optional<std::int64_t> agency_id,
               std::optional<std::int64_t> officer_id);

    // The state at `end` (exclusive), after the last event before it.
    bool open() const { return stage_ != Stage::Closed; }
    Stage stage() const { return stage_; }
    Timestamp stage_since() const { return stage_since_; }
    const AgencyPart *current() const { return current_ < 0 ? nullptr : &parts_[current_]; }
    // When the current stage is due at `end`, its clock stopped while paused.
    Timestamp current_due(const Deadlines &dl, WorkClock &wc, Timestamp end) const;
    // Whether a completed stage met its deadline.
    bool on_time(const Deadlines &dl, WorkClock &wc, Stage s, Timestamp start, Timestamp done) const;
    // Working seconds paused inside [a, b); a pause still running counts up to `b`.
    std::int64_t paused_between(WorkClock &wc, Timestamp a, Timestamp b) const;

    std::int64_t id() const { return id_; }
    Timestamp received_at() const { return received_at_; }
    const std::vector<AgencyPart> &parts() const { return parts_; }
    const std::vector<Forward> &forwards() const { return forwards_; }
    const std::vector<AdminSpell> &admin_spells() const { return admin_; }
    bool rework() const { return rework_; }

private:
    AgencyPart &part_for(std::int64_t agency, Timestamp at);
    void leave_agency(Timestamp at);
    void enter(Stage s, Timestamp at);

    std::int64_t id_;
    Timestamp received_at_;
    const std::unordered_map<std::int64_t, std::string> &phones_;
    std::vector<AgencyPart> parts_;
    int current_ = -1;
    std::vector<Forward> forwards_;
    std::vector<AdminSpell> admin_;
    std::vector<std::pair<Timestamp, Timestamp>> pauses_;
    Timestamp paused_since_ = kNever;
    Stage stage_ = Stage::Admin;
    Timestamp stage_since_;
    bool rework_ = false; // in the answer stage again after REVISI
};

} // namespace wadul
