// Complaints and their event log: the one place that creates a complaint or appends an event.
//
// The workflow (SOP "Layanan SMS Wadul Bupati"), as event kinds and the status each one leaves:
//
//   kind        actor                   status after   meaning
//   received    citizen +62… / "web"    received       a complaint arrived (SMS or the web portal)
//   routed      system                  routed         the router chose an agency (detail: confidence, reason)
//   triaged     system / officer        triage         sent to the admin portal's triage queue (detail: why)
//   assigned    admin:NAME              routed         an admin assigned or re-routed it to an agency
//   forwarded   system                  forwarded      the forward SMS reached one officer (officer_id), one
//                                                      event each, at the send; moves only a routed status
//   accepted    officer +62…            accepted       TERIMA: the head's disposition received (SOP step 3)
//   answered    officer +62…            answered       JAWAB: the agency's answer (steps 4–5; detail: answer)
//   revision    head +62…               accepted       REVISI: the head sent the answer back (detail: note)
//   approved    head +62… / system      approved       SETUJU (step 6), or automatic when approval is off
//   refused     officer +62…            triage         TOLAK: not this agency's duty (detail: reason)
//   delivered   system                  closed         the answer was sent to the citizen (follow-up done)
//   closed      admin:NAME              closed         closed without an answer (detail: reason)
//   followup    citizen +62…            (unchanged)    a further SMS from the citizen (detail: text)
//   paused      admin/officer           (unchanged)    waiting on the citizen: the SLA clock stops
//   resumed     system / citizen        (unchanged)    the clock runs again
//   reminded    system                  (unchanged)    SLA reminder sent (detail: stage)
//   escalated   system                  (unchanged)    SLA escalation step sent (detail: stage, level)
//   breached    system                  (unchanged)    a stage's deadline passed (detail: stage), once
//   rejected    any number              (unchanged)    a command refused: forged, wrong agency, bad ticket
//   note        admin:NAME              (unchanged)    free text
//
// Times are Unix seconds (UTC). Every status change happens in the same transaction as its event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wadul/clock.hpp"

namespace wadul {

class Db;

struct EventInput {
    std::optional<std::int64_t> complaint_id;
    Timestamp at = 0;
    std::string kind;
    std::string actor;                      // "system", "admin:NAME", or a +62 number
    std::optional<std::int64_t> agency_id;
    std::optional<std::int64_t> officer_id;
    std::optional<std::string> detail;
};

// Appends one event; when the kind changes the status (table above), updates the complaint's
// status (and agency for routed/assigned/refused) in the same statement group. The caller holds
// the transaction. Returns the event id.
std::int64_t append_event(Db &db, const EventInput &e);

// A complaint's further SMS (the text of its `followup` events), oldest first: what the forward
// carries and what the router reads with the text.
std::vector<std::string> complaint_followups(Db &db, std::int64_t complaint_id);

// For warnings a cron job would otherwise mail at every run (a missing holiday file, no admin
// numbers): true once per WIB day for the same `detail`, recording it as a `note` event without
// a complaint ("warned: ..."), so that the sysadmin gets one mail a day and the log shows when.
bool first_warning_today(Db &db, const std::string &detail, Timestamp now);

// The status a kind leaves the complaint in, or nullopt when it does not change it.
std::optional<std::string> status_after(const std::string &kind);

struct NewComplaint {
    std::string source = "sms";             // sms | web
    std::string reporter;                   // +62… or the web portal's account
    std::optional<std::string> reporter_name;
    bool confidential = false;
    std::string text;
    Timestamp received_at = 0;
    std::optional<std::int64_t> inbound_id;
    std::optional<std::string> external_id; // web portal / LAPOR! reference
};

struct ComplaintRef {
    std::int64_t id;
    std::string ticket;
};

// Creates the complaint with a fresh unique ticket and its `received` event. The caller holds the
// transaction.
ComplaintRef create_complaint(Db &db, const NewComplaint &c);

// The complaint a ticket names, if any.
std::optional<ComplaintRef> find_complaint(Db &db, const std::string &ticket);

} // namespace wadul
