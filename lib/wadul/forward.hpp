// wadul-forward's job, the heart of the SOP: officers' replies become events, complaints reach
// the agency's officers, answers reach the citizen. Three steps, each safe to run again:
//   process_inbound      officers' commands and citizens' CEK / further SMS (no modem)
//   queue_notifications  acks, forwards, approval requests, answers for complaints (no modem)
//   send_queue           the due outbound queue through the Transport, at most once per message
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "wadul/clock.hpp"
#include "wadul/complaint.hpp"

namespace wadul {

class Db;
class Log;
class Transport;
struct Claimed;
struct Config;

struct ForwardOptions {
    Timestamp now = 0;
    // Test hooks (tests/cli/forward_*.sh), never set in production:
    // kill the process with SIGKILL right after the modem accepted the first message, before the
    // store records it (WADUL_TEST_CRASH=after-send);
    bool crash_after_first_send = false;
    // refuse every message to this number as a transient modem error, without asking the modem
    // (WADUL_TEST_SEND_FAIL=+62…): the dummy phone never fails, a real network does.
    std::string fail_recipient;
};

struct ForwardSummary {
    long inbound = 0;   // inbound SMS handled
    long commands = 0;  // officers' commands that changed a complaint
    long rejected = 0;  // commands refused (logged as `rejected` events)
    long followups = 0; // citizens' further SMS passed on
    long queries = 0;   // CEK answered
    long queued = 0;    // messages queued
    long forwarded = 0; // complaints whose first forward SMS to the agency was sent
    long sent = 0, parts = 0;
    long retrying = 0; // failed attempts that will be retried
    long failed = 0;   // messages that became `failed` in this run
    long unknown = 0;  // messages found interrupted and marked `unknown`
    long left = 0;     // due messages left for the next run (rate limit)
    int exit_code = 0; // the worst error met on a single item (the run went on)
};

// Step (a): every unhandled inbound SMS, each in its own transaction.
void process_inbound(Db &db, const Config &cfg, const ForwardOptions &opt, Log &log, ForwardSummary &sum);

// Step (b): messages the complaints' state calls for, queued once each (dedupe keys), with the
// `approved` events (approval off, or no head registered) that go with them. A forward is only
// queued here: its `forwarded` event is step (c)'s, when the modem has sent it.
void queue_notifications(Db &db, const Config &cfg, const ForwardOptions &opt, Log &log, ForwardSummary &sum);

// Step (c): sends due messages until none is left or the rate limit is reached. `open` is called
// only when something is due; it returns the transport holding the modem lock (its errors, 69 or
// 75, propagate with the queue kept). A forward that goes out appends the `forwarded` event
// (status routed -> forwarded, the agency's disposition clock starts), an answer the `delivered`
// event, each in the transaction that marks the message sent.
using TransportOpener = std::function<std::unique_ptr<Transport>()>;
void send_queue(Db &db, const Config &cfg, const ForwardOptions &opt, const TransportOpener &open, Log &log,
                ForwardSummary &sum);

// The last check before the modem, inside the claim's transaction (claim_next): why a due message
// must not go out after all, or nullopt. The same rules and reasons as the cancellations step (b)
// makes (wadul-forward(1), CANCELLED MESSAGES), for what changed since (an admin command, a reply
// stored meanwhile) and for a cancelled message the sysadmin queued again with `retry`:
// a forward for an earlier routing or a complaint the agency no longer holds, an approval request
// for an answer replaced or no longer waiting, a reminder or escalation whose stage is over; and
// a forward, approval request, revision note or follow-up for a number no longer in post at the
// complaint's agency (an approval request: no longer its head).
std::optional<std::string> stale_message(Db &db, const Config &cfg, const Claimed &m, Timestamp now);
// The forward rule of stale_message, also what decides whether a sent forward is recorded: why a
// forward queued for routing event `route` no longer applies (the complaint was routed again, or
// no agency holds it: received, triage, closed), or nullopt.
std::optional<std::string> forward_superseded(Db &db, std::int64_t complaint_id, std::int64_t route);

// What a citizen's SMS is, decided where it is stored (wadul-fetch, in its transaction):
//   query      CEK with a ticket, or a bare CEK ("CEK", "cek status aduan saya": Command::bare):
//              no complaint; wadul-forward answers it
//   followup   the citizen has an open complaint whose last message from them is at most
//              `followup_window_days` old: a `followup` event on it, no new complaint
//   thanks     only thanks or an acknowledgement (is_thanks) for the citizen's complaint closed at
//              most `followup_window_days` ago: a `followup` event on it, no new complaint, no reply
//   blank      empty or white space only (is_blank): no complaint; a `note` event without a
//              complaint records it (wadul-fetch decides this itself before calling, and logs it)
//   complaint  anything else: a new complaint with its `received` event
//   not_officer  an officer's command (TERIMA, JAWAB, TOLAK, SETUJU, REVISI) naming an existing
//              complaint, from a number that is not its citizen's: an officer on an unregistered
//              phone, or a forgery. No complaint; a `rejected` event on the named complaint (once
//              per message); wadul-forward tells the sender to have the number registered
// An officer's command with a ticket nobody has, or from the named complaint's own citizen, is
// also logged as a `rejected` event and then read as the citizen's message (it may be their words).
// Sets inbound.complaint_id for complaint, followup and thanks. The caller holds the transaction.
enum class CitizenSms { complaint, followup, thanks, query, blank, not_officer };
struct Admission {
    CitizenSms kind = CitizenSms::complaint;
    std::optional<ComplaintRef> complaint; // the new complaint, or the one followed up
};
Admission admit_citizen_sms(Db &db, std::int64_t inbound_id, const std::string &sender, const std::string &text,
                            Timestamp received_at, int followup_window_days);

// The stage of a complaint status in Indonesian, as CEK reports it ("diproses instansi").
std::string stage_name(const std::string &status);

} // namespace wadul
