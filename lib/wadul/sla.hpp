// The SOP's deadlines, derived from the event log: each open complaint's current stage, its
// deadline in working time, and the sweep that reminds, escalates and records breaches.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wadul/calendar.hpp"
#include "wadul/clock.hpp"
#include "wadul/config.hpp"
#include "wadul/stages.hpp"

namespace wadul {

class Db;

// One stage of one complaint, as the event log has it now (StageMachine, Deadlines).
struct StageClock {
    std::int64_t complaint_id = 0;
    std::string ticket;
    std::optional<std::int64_t> agency_id;
    std::string agency;                    // agency code, "" while in triage
    Stage stage = Stage::triage;
    std::int64_t start_event = 0;          // the event that started the stage (dedupe keys use it)
    Timestamp started = 0;
    std::optional<Timestamp> ended;        // the event that ended it; nullopt while current
    std::int64_t limit = 0;                // office seconds the stage may take
    // Both nullopt while the clock is stopped by a pause (waiting on the citizen).
    std::optional<Timestamp> deadline;
    std::optional<Timestamp> remind_at;    // nullopt too when sla.reminder_at is 0
    bool paused = false;
    // A disposition whose forward SMS has not reached the agency yet (StageSpan::unsent): no
    // deadline, no reminder, no escalation, no breach; `started` is the routing until it is sent.
    bool unsent = false;
    int reminders = 0;                     // `reminded` events for this stage
    bool resumed_since_reminder = false;   // a `resumed` event came after the last of them
    bool breach_recorded = false;          // a `breached` event exists for this stage
    std::vector<std::string> escalated;    // details of its `escalated` events ("disposition head 1")
};

// The stages of the complaints that are open (or changed within the last kLookbackDays), oldest
// complaint first. `current_only` leaves out stages that have ended; `agency` filters by code.
constexpr int kLookbackDays = 14;
std::vector<StageClock> load_stages(Db &db, const Calendar &cal, const Config &cfg, Timestamp now,
                                    bool current_only, const std::string &agency = "");
// The same, one complaint's stages at a time, without holding the list.
void for_each_stage(Db &db, const Calendar &cal, const Config &cfg, Timestamp now, bool current_only,
                    const std::string &agency, const std::function<void(StageClock &)> &fn);

struct SweepResult {
    int reminders = 0;     // reminder steps queued
    int escalations = 0;   // escalation steps queued
    int breaches = 0;      // breaches recorded
    int messages = 0;      // outbound rows queued
    // Things the sysadmin should know (-v): a step with nobody to send to, a forward that has
    // waited longer than sla.disposition_minutes to be sent.
    std::vector<std::string> notes;
    int admin_unsent = 0;  // of those, steps for the admins not sent because sla.admin_phones is empty
};

// The cron sweep: for each stage, queue the reminder and escalation steps that are due (only when
// `now` is inside office hours), and record each breach once; all in one transaction. Running it
// again at the same `now` changes nothing.
SweepResult sweep(Db &db, const Calendar &cal, const Config &cfg, Timestamp now);

// A queued reminder or escalation cancelled because the stage it was about is over.
struct StaleStep {
    std::int64_t id = 0; // outbound id
    std::string purpose, recipient, ticket, why;
};

// For wadul-forward, between the officers' replies and the modem: cancels (outbox `cancel`) each
// queued `reminder`/`escalation` whose stage span (the STAGE-EVENT of its dedupe key) is no
// longer the complaint's current one as StageMachine replays it: the stage ended (TERIMA, JAWAB,
// SETUJU, ...), the complaint was routed or assigned again, closed, paused (waiting on the
// citizen), or its disposition waits for the forward SMS (unsent). Replays only the complaints that have such rows queued; one transaction.
std::vector<StaleStep> cancel_stale_steps(Db &db, const Config &cfg, Timestamp now);
// The same test for one queued reminder or escalation of `complaint_id` (its dedupe key), for the
// last check as wadul-forward claims it: the reason ("stale: ..."), or nullopt to send it.
std::optional<std::string> stale_step(Db &db, const Config &cfg, std::int64_t complaint_id, const std::string &dedupe,
                                      Timestamp now);

// `wadul-sla status`: open complaints by time left, overdue first.
enum class StatusFormat { table, json, tsv };
struct StatusRow {
    StageClock clock;
    std::optional<std::int64_t> left;      // office seconds to the deadline, negative when overdue
    bool overdue = false;
};
std::vector<StatusRow> status_rows(Db &db, const Calendar &cal, const Config &cfg, Timestamp now,
                                   const std::string &agency = "");
std::string format_status(const std::vector<StatusRow> &rows, StatusFormat format);

} // namespace wadul
