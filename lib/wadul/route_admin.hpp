// The admin portal's side of routing: the triage queue, assigning and re-routing complaints,
// and the agencies as the store holds them; with the table/JSON/TSV forms wadul-route prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wadul/clock.hpp"

namespace wadul {

class Db;

struct TriageItem {
    std::string ticket, source, reason, text;
    std::vector<std::string> followups; // the citizen's further SMS, oldest first
    Timestamp received_at = 0, triaged_at = 0;
};

// Complaints waiting in triage, oldest first, each with the reason of its latest `triaged` or
// `refused` event ("refused by DLH: bukan tupoksi"), or of the router's note when it read the
// follow-ups since and still found no agency; and the follow-ups, which often are the complaint
// itself after a greeting.
std::vector<TriageItem> triage_queue(Db &db);

struct AssignRequest {
    std::string ticket, agency; // as typed: ticket in any case/spacing, agency code in any case
    std::string by;             // the admin's name; the event's actor is "admin:NAME"
    std::string note;
    bool reroute = false;       // true: the complaint must already be with an agency
};

struct AssignResult {
    std::string ticket, agency, agency_name;
    std::string previous_agency;   // empty when it had none (received or triage)
    std::string previous_status;
    int superseded_forwards = 0;   // officers of the previous agency already sent the complaint
};

// Appends an `assigned` event: the complaint goes to the agency (status routed) and the learner
// takes it as a confirmed label. Error(kExitDataErr) for a malformed or unknown ticket, an unknown
// or retired agency (the message lists close matches), a closed complaint, a reroute of a
// complaint that is not with an agency, or a move to the agency that already has it.
AssignResult assign_complaint(Db &db, const AssignRequest &req, Timestamp now);

// The admin portal's other acts on one complaint, each an event by "admin:NAME":
//   close   closed without an answer (spam, a duplicate, a thank-you, withdrawn): status closed;
//   pause   waiting on the citizen: the SLA clock stops (when sla.pause_on_citizen is on);
//   resume  the clock runs again;
//   note    free text in the complaint's log (e.g. the LAPOR! SP4N reference it was entered under).
enum class AdminAct { close, pause, resume, note };

struct AdminActRequest {
    AdminAct act = AdminAct::note;
    std::string ticket;   // as typed
    std::string by;       // the admin's name
    std::string text;     // the reason (close, pause), optional note (resume), the note (note)
};

struct AdminActResult {
    std::string ticket, previous_status;
};

// Appends the act's event. Error(kExitDataErr) for a malformed or unknown ticket, closing or pausing
// a closed complaint, pausing a paused one or resuming one that is not paused; Error(kExitUsage)
// without the admin's name or without the reason a close, pause or note needs.
AdminActResult admin_act(Db &db, const AdminActRequest &req, Timestamp now);

// "closed", "paused", "resumed", "noted": the word a log line uses for the act.
const char *admin_act_done(AdminAct act);

struct AgencyOfficer {
    std::string name, role, phone, letter;
    Timestamp since = 0;
};

struct AgencyInfo {
    std::string code, name, kind;
    bool active = true;
    std::vector<std::string> duties;
    std::vector<AgencyOfficer> officers; // in post now
};

std::vector<AgencyInfo> list_agencies(Db &db, bool include_retired);

// "table" (aligned columns for a terminal), "json" (an array of objects), "tsv" (a header line,
// tabs and newlines in fields replaced by spaces). Error(kExitUsage) for any other format. The
// triage table shows the text with its follow-ups, " / " between; json and tsv give them apart.
std::string format_triage(const std::vector<TriageItem> &items, const std::string &format);
std::string format_agencies(const std::vector<AgencyInfo> &agencies, const std::string &format);

} // namespace wadul
