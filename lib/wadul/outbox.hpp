// The outbound SMS queue in the store (table `outbound`): idempotent queueing, claiming with a
// lease, retries with backoff, a rate limit shared by every run, and "at most once" on a crash.
//
// Life of a message:  queued --claim--> sending --modem accepted--> sent
//                                          |--error, attempts left--> queued (next_attempt_at later)
//                                          |--error, no attempts left or permanent--> failed
//                                          '--run died (lease expired)--> unknown
//          queued --no longer makes sense (stale, superseded)--> cancelled
// failed, unknown and cancelled stay until the sysadmin requeues them (`wadul-forward retry ID`).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wadul/clock.hpp"

namespace wadul {

class Db;

struct OutMessage {
    std::string recipient; // +62…
    std::string text;      // UTF-8
    std::string purpose;   // ack, forward, approval, answer, revision, followup, status, help, ask
    std::optional<std::int64_t> complaint_id;
    std::string dedupe; // natural key: queueing the same key twice queues it once
};

struct RetryPolicy {
    int max_attempts = 5;
    int retry_seconds = 60; // delay after attempt n is retry_seconds * 2^(n-1)
};

// The dedupe keys that start with `prefix` ("fwd:12:") are those k with prefix <= k <
// dedupe_prefix_end(prefix) ("fwd:12;"): a range the UNIQUE index on `dedupe` finds without
// reading the queue.
std::string dedupe_prefix_end(std::string prefix);

// Queues the message unless one with the same dedupe key exists. Returns the new id, or nullopt
// when the key was already queued (at any status). The caller holds the transaction.
std::optional<std::int64_t> enqueue(Db &db, const OutMessage &m, Timestamp now);

struct Claimed {
    std::int64_t id = 0;
    std::string recipient, text, purpose, dedupe;
    std::optional<std::int64_t> complaint_id;
    int attempts = 0; // including this one
};

// Why a due message must not go out after all (its occasion passed since it was queued), or
// nullopt to send it. Called inside the claiming transaction, so it reads the store as of the
// claim: an officer's reply (once a wadul-forward run has handled it; stored by wadul-fetch only,
// it is not an event yet) or an admin command is either seen or comes after the claim.
using StaleCheck = std::function<std::optional<std::string>(const Claimed &)>;
// A message the claim cancelled instead (status 'cancelled', the reason as its last error).
struct Dropped {
    Claimed message;
    std::string why;
};

// Takes the next due message (queued, next_attempt_at <= now) for this run: status 'sending',
// lease_until = now + lease_seconds, attempts + 1, committed in its own transaction BEFORE the
// caller hands it to the modem. Two runs never claim the same row. nullopt when nothing is due.
// A due message `stale` gives a reason for is cancelled in the same transaction, appended to
// `dropped`, and the next one is taken.
std::optional<Claimed> claim_next(Db &db, Timestamp now, int lease_seconds, const StaleCheck &stale = {},
                                  std::vector<Dropped> *dropped = nullptr);

// Rows left in 'sending' after their lease expired: a run died between claiming and recording,
// maybe after the modem accepted the text. They become 'unknown' and are never resent
// automatically (at most once). Returns their ids. Runs its own transaction.
std::vector<std::int64_t> expire_leases(Db &db, Timestamp now);

// Records what the modem did with a claimed message. The caller holds the transaction.
// mark_sent returns false when the row was not 'sending' or 'unknown' (another run recorded it
// already): what goes with a send must then not be recorded again.
bool mark_sent(Db &db, std::int64_t id, Timestamp now, int parts);
// A failed attempt: back to 'queued' after the backoff, or 'failed' when attempts are used up or
// the failure is permanent. Returns the new status.
std::string mark_failed(Db &db, std::int64_t id, Timestamp now, const std::string &error, bool permanent,
                        const RetryPolicy &policy);
// Stops a queued message that no longer makes sense (e.g. a forward superseded by re-routing):
// it becomes 'cancelled', with `why` as its last error.
void cancel(Db &db, std::int64_t id, Timestamp now, const std::string &why);
// Cancels the complaint's queued messages of `purpose` whose dedupe key does not start with
// `current` (those queued for an earlier routing or answer). The caller holds the transaction.
void cancel_superseded(Db &db, std::int64_t complaint_id, const char *purpose, const std::string &current,
                       Timestamp now, const std::string &why);

// A 'failed', 'unknown' or 'cancelled' message queued again with a fresh count of attempts. Returns false when
// there is no such message or it is in another status. Runs its own transaction.
bool retry(Db &db, std::int64_t id, Timestamp now);

// SMS parts sent in [since, now]: the rate limit counts parts, what the modem and operator count.
int parts_sent_since(Db &db, Timestamp since);

// True when some message is due now (cheap: decides whether to open the modem at all).
bool any_due(Db &db, Timestamp now);

struct OutRow {
    std::int64_t id = 0;
    std::string recipient, text, purpose, status, dedupe;
    std::optional<std::string> ticket, last_error;
    int attempts = 0;
    Timestamp created_at = 0, next_attempt_at = 0;
    std::optional<Timestamp> sent_at, lease_until;
    std::optional<int> parts;
};
// The queue for the sysadmin, oldest first; `status` empty for all.
std::vector<OutRow> list_outbox(Db &db, const std::string &status);

// The listing as "table" (for a person), "tsv" (header line, tabs and newlines escaped as \t, \n)
// or "json" (an array of objects); times in WIB. Error(kExitUsage) for another format.
std::string format_outbox(const std::vector<OutRow> &rows, const std::string &format);

// How libgammu will send this text: in how many SMS parts, and in UCS-2 (any character outside
// GSM-7, such as a phone's typographic ’, makes the whole text UCS-2: 67 characters a part
// instead of 153). The same encoder the modem uses, without a modem.
struct SmsSize {
    int parts = 0;
    bool ucs2 = false;
};
SmsSize sms_size(const std::string &utf8);
inline int sms_parts(const std::string &utf8) {
    return sms_size(utf8).parts;
}

} // namespace wadul
