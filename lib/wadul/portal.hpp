// The web portal (Website Wadul Bupati) exchange through two spool directories, as gammu-smsd's
// files backend does for SMS: the portal drops complaints as JSON files in the inbox, wadul-fetch
// imports them as web complaints; wadul-forward writes each approved answer of a web complaint to
// the outbox for the portal and closes the complaint. Both sides are safe to run again after a
// crash at any point: the complaint's (source, external_id) and the answer's file name are the keys.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "wadul/clock.hpp"

namespace wadul {

class Db;
class Log;

// One complaint file as the portal writes it:
//   {"id": "WEB-2026-00123", "received": "2026-11-03T09:12:00+07:00", "text": "...",
//    "name": "...", "account": "...", "confidential": false}   (the last three optional)
struct PortalComplaint {
    std::string id;
    Timestamp received = 0;
    std::string text;
    std::optional<std::string> name;
    std::optional<std::string> account; // the portal account: an email address or a phone number
    bool confidential = false;
};

// Limits on what the portal hands over. A complaint's text is at most kPortalMaxTextChars
// characters (code points; about 65 SMS parts, and what the router reads: kRouteReadChars); a
// complaint file at most kPortalMaxFileBytes bytes (room for such a text with every character
// escaped, and the other fields); `received` at most kPortalMaxAgeDays days before now (and at most
// an hour after).
constexpr size_t kPortalMaxTextChars = 10000;
constexpr size_t kPortalMaxFileBytes = 1 << 20;
constexpr long kPortalMaxAgeDays = 366;

// Parses one complaint file's content. Throws Error(kExitDataErr) saying what is wrong: not JSON,
// not an object, a missing or empty id/received/text, a field of the wrong type, an unreadable date,
// a text longer than kPortalMaxTextChars. Its message quotes no more than a few characters of the file.
PortalComplaint parse_portal_complaint(const std::string &json);

struct PortalImport {
    long files = 0;      // complaint files found (*.json, dotfiles left alone)
    long imported = 0;   // complaints opened
    long duplicates = 0; // files whose id was already stored (a re-run after a crash): removed
    long bad = 0;        // files moved to inbox/bad/
    int exit_code = 0;   // 65 when a file was bad, else the worst error met on a file
};

// Imports every *.json file of `inbox` in name order, each in its own transaction; a file is
// removed only after its complaint is committed (or found already stored). A bad file goes to
// inbox/bad/ with a warning and the rest go on; so does one received more than an hour after
// `now` or more than kPortalMaxAgeDays days before it, one larger than kPortalMaxFileBytes, and a
// *.json that is not a regular file (a symbolic link is moved, never followed or read). A missing inbox is no error (the portal may not be set up yet). Throws Error only when
// the inbox itself cannot be read.
PortalImport import_portal(Db &db, const std::string &inbox, Timestamp now, Log &log);

struct PortalExport {
    long written = 0;  // answers and closures written to the outbox
    int exit_code = 0; // 73 when the outbox or a file in it could not be written
};

// What goes back to the portal, one pretty-printed JSON file <outbox>/<ticket>.json per web
// complaint, written as a dotfile, synced and renamed (the outbox is created when missing):
// - an approved answer: {"id": external_id, "ticket", "status": "answered", "agency": code,
//   "agency_name", "answered_at": ISO 8601 WIB of the agency's answer, "answer": text}; then its
//   `delivered` event (actor "portal") closes the complaint;
// - a closure by an admin without an answer (wadul-route close): {"id", "ticket", "status":
//   "closed", "agency" (null when it had none), "agency_name", "closed_at", "reason"}; then a
//   `note` event by "portal" records that it was written.
// A file that cannot be written leaves its complaint as it was, retried at the next run; the
// error is logged and the others go on.
PortalExport export_portal(Db &db, const std::string &outbox, Timestamp now, Log &log);

} // namespace wadul
