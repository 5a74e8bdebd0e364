// wadul-fetch's job: move every SMS from the modem's inbox into the store, once, and turn each
// assembled message into an officer message or a citizen's complaint.
#pragma once

#include <cstdint>
#include <string>

#include "wadul/clock.hpp"

namespace wadul {

class Db;
class Log;
class Transport;
struct InboxPart;

struct FetchOptions {
    Timestamp now = 0;
    int multipart_timeout = 600; // seconds an incomplete long SMS waits for its missing parts
    int batch = 200;             // parts per store transaction, deleted from the modem after its commit
    int followup_window_days = 7; // a citizen's further SMS joins their open complaint (forward.*)
    // Test hook (tests/cli/fetch_crash.sh): kill the process right after the first commit, before
    // any part is deleted from the modem.
    bool crash_after_first_commit = false;
};

struct FetchSummary {
    long parts_read = 0;   // parts read off the modem this run
    long parts_new = 0;    // of those, not already in the store
    long messages = 0;     // inbound messages stored
    long complaints = 0;   // complaints opened
    long officer = 0;      // officers' messages
    long other = 0;        // stored but no complaint: binary SMS, senders that are not phone numbers
    long incomplete = 0;   // of the messages, stored without all their parts after the timeout
    long waiting = 0;      // long messages still waiting for parts
    long set_aside = 0;    // unreadable parts found in the inbox this run
};

// The store's natural key of one part: what makes a part read again after a crash between
// commit and delete recognisable.
std::string part_fingerprint(const InboxPart &p);

// Reads the inbox in batches (insert, commit, then delete from the modem), then assembles
// complete or timed-out messages. The caller holds the modem lock.
FetchSummary fetch_inbox(Db &db, Transport &modem, const FetchOptions &opt, Log &log);

// Assembles every ready message from the stored parts (the second half of fetch_inbox).
void assemble_messages(Db &db, const FetchOptions &opt, Log &log, FetchSummary &sum);

} // namespace wadul
