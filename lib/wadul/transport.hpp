// The one small interface between the pipeline and whatever carries SMS (libgammu's modem today).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wadul/clock.hpp"

namespace wadul {

// One SMS part as it sits in the phone's inbox.
struct InboxPart {
    int folder = 0;                   // where it lives, to delete it later
    int location = 0;
    std::string sender;               // as the network gave it (normalised later)
    Timestamp smsc_time = 0;          // the SMSC timestamp, UTC
    std::string coding;               // "Default_No_Compression", "Unicode_No_Compression", "8bit"
    int concat_ref = -1;              // -1: not part of a concatenated message
    int part_no = 1, part_count = 1;
    std::u16string text;              // the part's text as UTF-16 code units (8-bit: empty)
};

// A part the transport could not read: set aside, reported, never blocking the rest.
struct UnreadablePart {
    int folder = 0, location = 0;
    std::string error;
};

struct SendResult {
    bool ok = false;
    int parts = 0;
    std::string error;                // why not, when !ok
    bool permanent = false;           // retrying cannot help (e.g. text too long)
};

class Transport {
public:
    virtual ~Transport() = default;
    // Calls `part` for each inbox part and `unreadable` for each part that cannot be read, in the
    // phone's order. Returning false from `part` stops the scan.
    virtual void scan_inbox(const std::function<bool(const InboxPart &)> &part,
                            const std::function<void(const UnreadablePart &)> &unreadable) = 0;
    // Deletes one part; true if it was there.
    virtual bool remove(int folder, int location) = 0;
    // Sends a text as one or more concatenated SMS (GSM-7 when the text allows, UCS-2 otherwise),
    // at most `max_parts` parts.
    virtual SendResult send(const std::string &recipient, const std::string &utf8, int max_parts) = 0;
};

} // namespace wadul
