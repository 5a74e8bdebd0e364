// The SOP's stages and their deadlines, defined once for wadul-sla and wadul-report: which event
// starts and ends each stage, how long it may take on the working calendar, and how a pause
// (waiting on the citizen) stops its clock. man/wadul-sla.1.scd ("Stages") is the reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "wadul/calendar.hpp"
#include "wadul/clock.hpp"
#include "wadul/config.hpp"

namespace wadul {

// The stages of SOP "Layanan SMS Wadul Bupati" that carry a deadline, in workflow order.
enum class Stage { triage, disposition, answer, approval, followup };
constexpr int kStageCount = 5;
const char *stage_name(Stage s);    // "triage", "disposition", ...: for the sysadmin, CSV/JSON keys, event details
const char *stage_name_id(Stage s); // Indonesian, for officers' SMS
const char *stage_label(Stage s);   // Indonesian, short, for the Regent's report

// The event kinds of complaint.hpp that the stage machine and the report tell apart.
enum class EventKind {
    Received, Routed, Triaged, Assigned, Forwarded, Accepted, Answered, Revision, Approved, Refused,
    Delivered, Closed, Paused, Resumed, Reminded, Escalated, Breached, Other
};
EventKind event_kind(std::string_view kind);

// A stretch of waiting on the citizen; `to` is nullopt while it lasts.
struct Pause {
    Timestamp from;
    std::optional<Timestamp> to;
};

// One stage of one complaint, from the event that started it to the one that ended it.
struct StageSpan {
    Stage stage = Stage::triage;
    bool rework = false;                   // the answer stage again after REVISI
    std::int64_t start_event = 0;          // the event that started it (the sweep's dedupe keys use it)
    Timestamp started = 0;
    std::optional<Timestamp> ended;        // nullopt while it runs
    std::optional<std::int64_t> agency_id; // the agency routed or assigned to; nullopt in triage
    // A disposition whose forward SMS has not reached any of the agency's officers yet: its clock
    // has not started (no deadline). The first `forwarded` event moves `started` to the send.
    bool unsent = false;
};

// Replays one complaint's events, in order of (at, id), into its stages: triaged/refused start
// triage, routed/assigned disposition, accepted the answer (review + answer), revision the answer
// again (answer only), answered approval, approved follow-up; any of these and delivered/closed
// end the running stage. The disposition's clock starts at the first `forwarded` event after the
// routing (the agency cannot act on a complaint whose SMS has not reached it): until then the
// span is `unsent`, begun at the routing, without a deadline. Other kinds (received, followup,
// a later forwarded, ...) change no stage.
class StageMachine {
public:
    // Without `pause_on_citizen` (sla.pause_on_citizen) paused/resumed events are ignored.
    explicit StageMachine(bool pause_on_citizen) : pause_on_citizen_(pause_on_citizen) {}
    void apply(Timestamp at, EventKind kind, std::optional<std::int64_t> agency_id, std::int64_t event_id = 0);

    const std::vector<StageSpan> &spans() const { return spans_; }
    const StageSpan *current() const { return running_ ? &spans_.back() : nullptr; }
    // Delivered or closed (and not re-opened since).
    bool closed() const { return closed_; }
    // The pauses while `s` runs, a pause still open at its end cut there (it stopped that stage
    // for good); in order.
    std::vector<Pause> pauses_in(const StageSpan &s) const;
    // Waiting on the citizen at `now`: a pause has begun and not ended.
    bool paused_at(Timestamp now) const { return !pauses_.empty() && !pauses_.back().to && pauses_.back().from <= now; }

private:
    bool pause_on_citizen_;
    std::vector<StageSpan> spans_;
    std::vector<Pause> pauses_;
    bool running_ = false, closed_ = false;
    std::optional<std::int64_t> agency_;
};

// The SOP's limits (Config::sla) on the working calendar.
class Deadlines {
public:
    Deadlines(const Calendar &cal, const Config &cfg);
    // Office seconds a stage entered at `start` may take: sla.disposition_minutes; or the stage's
    // working days (triage_days; review_days + answer_days, answer_days alone after a revision;
    // approval_days; followup_days) counted from `start` as Calendar::add_working_days does.
    std::int64_t limit(Stage s, Timestamp start, bool rework) const;
    // The instant `offset` office seconds after `start`, the clock stopped during `pauses`
    // (ordered); nullopt when a pause that has not ended stops it before the time runs out. A
    // pause that begins after the time ran out changes nothing: it does not undo a breach.
    std::optional<Timestamp> after(Timestamp start, std::int64_t offset, const std::vector<Pause> &pauses) const;
    // When the stage is due, given the pauses while it ran (StageMachine::pauses_in); nullopt
    // for an unsent disposition (its clock has not started).
    std::optional<Timestamp> due(const StageSpan &s, const std::vector<Pause> &pauses) const {
        if (s.unsent) return std::nullopt;
        return after(s.started, limit(s.stage, s.started, s.rework), pauses);
    }
    const Calendar &calendar() const { return cal_; }

private:
    const Calendar &cal_;
    int disposition_minutes_;
    double triage_days_, review_days_, answer_days_, approval_days_, followup_days_;
};

// Overdue at `now`: the deadline is known (the clock is not stopped) and has been reached.
inline bool overdue_at(const std::optional<Timestamp> &due, Timestamp now) { return due && now >= *due; }

} // namespace wadul
