// The monthly report's numbers: the complaints received in a month, as the event log stood at the
// end of that month, per agency, per liaison officer and in total; every complaint still open and
// overdue at that moment, and every one whose forward SMS never reached its agency. Pure data:
// report_csv and report_pdf only lay it out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wadul/calendar.hpp"
#include "wadul/config.hpp"
#include "wadul/report_track.hpp"

namespace wadul {

class Db;

struct Month {
    int year = 0, month = 0;
    Timestamp start() const; // 00:00 WIB on the 1st
    Timestamp end() const;   // 00:00 WIB on the 1st of the next month
    Month previous() const;
    std::string iso() const;   // "2026-11"
    std::string label() const; // "November 2026"
    // "2026-11"; nullopt when malformed.
    static std::optional<Month> parse(const std::string &s);
    // The month before the one `t` falls in (WIB): what a report run on the 1st is about.
    static Month before(Timestamp t);
};

// Median and 90th percentile, nearest rank, of working-time durations, in hours.
struct Quantiles {
    std::int64_t n = 0;
    double median_h = 0, p90_h = 0;
};

struct StageCount {
    int done = 0;    // completed within the month's log
    int on_time = 0; // of those, within the SOP deadline
    int overdue = 0; // still running at month end, past the deadline (as wadul-sla status has it)
};

struct Counts {
    int received = 0, sms = 0, web = 0;
    int forwarded = 0, accepted = 0, answered = 0, approved = 0, followed_up = 0;
    int refused = 0, rerouted = 0;
    int closed_unanswered = 0; // closed by an admin with no answer delivered (spam, duplicate, ...)
    int thanked = 0;           // answered, and the citizen's SMS of thanks came after (so far)
    int open = 0, overdue = 0; // at month end
    StageCount stages[kStageCount];
    Quantiles from_sms[kMilestoneCount], from_assignment[kMilestoneCount];

    // Agency stages (disposition, answer, approval) met on time, over those done or overdue;
    // nullopt when none.
    std::optional<double> compliance() const;
    // followed_up / received (the ministry's LAPOR! indicator); nullopt when nothing received.
    std::optional<double> followup_share() const;
};

struct AgencyRow {
    std::int64_t id = 0;
    std::string code, name, kind;
    Counts now, prev;
};

struct OfficerRow {
    std::int64_t id = 0;
    std::string agency_code, agency_name, name, phone, letter;
    Timestamp valid_from = 0;
    std::optional<Timestamp> valid_to;
    int forwarded = 0; // complaints forwarded to this officer
    int responded = 0; // of those, answered by the officer with TERIMA, JAWAB or TOLAK
    Quantiles response;
    bool never_responded() const { return forwarded > 0 && responded == 0; }
};

struct OverdueRow {
    std::string ticket;
    Timestamp received_at = 0;
    std::string agency_code, agency_name; // empty: with the admin portal
    Stage stage = Stage::triage;
    Timestamp stage_since = 0, due = 0;
    double late_hours = 0; // working hours past the deadline at month end
    bool confidential = false;
    std::string text; // the complaint's text; empty for confidential complaints
};

// Why a forward SMS had not reached the agency at the cut-off, as far as the store tells (in this
// order of precedence: the first that holds is given).
enum class UnsentReason {
    no_liaison, // the agency had no liaison officer in post (registry history)
    queued,     // a forward SMS was waiting for the modem (queued, being retried or sent only later)
    failed,     // the modem gave up on the forward SMS (a dead number, a refused message)
    unknown,    // a send was interrupted: the modem may or may not have sent it
    cancelled,  // wadul cancelled the forward (e.g. the officer left the post meanwhile)
    not_queued  // no forward SMS had been queued for this routing (wadul-forward did not run)
};
const char *unsent_reason_key(UnsentReason r);   // "no_liaison", ...: CSV
const char *unsent_reason_label(UnsentReason r); // Indonesian, for the Regent

// A complaint routed or assigned to an agency whose forward SMS had not been sent to any of its
// officers at the cut-off, after the whole disposition time (sla.disposition_minutes of office
// time): the condition of wadul-sla's notice to the admins. The agency never had it, so it is no
// breach of the agency's.
struct UnsentRow {
    std::string ticket;
    Timestamp received_at = 0;
    std::string agency_code, agency_name;
    Timestamp routed_at = 0; // the routing or assignment the forward was for
    double waited_hours = 0; // working hours from then to the cut-off
    UnsentReason reason = UnsentReason::not_queued;
    bool confidential = false;
    std::string text; // the complaint's text; empty for confidential complaints
};

struct MonthlyReport {
    Month month;
    Counts total, prev_total;
    std::vector<AgencyRow> agencies; // kind, then code
    std::vector<OfficerRow> officers; // agency code, then valid_from, then name
    int open_at_end = 0;              // every open complaint at month end, whatever its month
    std::vector<OverdueRow> overdue;  // every open and overdue complaint at month end
    // Active agencies with no liaison officer in post at the end of the month (the SOP has every
    // agency name one by a Surat Tugas; without one its complaints cannot be forwarded): code and
    // name, by code; and how many there were at the end of the previous month.
    std::vector<std::pair<std::string, std::string>> without_liaison;
    int prev_without_liaison = 0;
    // Every complaint, of any month, whose forward had not reached its agency at the end of the
    // month (UnsentRow), by agency code, then routing time; how many at the end of the month before.
    std::vector<UnsentRow> unsent;
    int prev_unsent = 0;
    // The SOP limits the figures were measured against, for the notes.
    int disposition_minutes = 0;
    double triage_days = 0, review_days = 0, answer_days = 0, approval_days = 0, followup_days = 0;
};

MonthlyReport build_monthly_report(Db &db, const Config &cfg, const Calendar &cal, Month m);

// Nearest-rank quantiles of durations in seconds (sorted in place).
Quantiles quantiles(std::vector<std::int64_t> &secs);

} // namespace wadul
