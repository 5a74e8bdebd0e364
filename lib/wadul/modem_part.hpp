// libgammu's message record to wadul's InboxPart: for GammuModem, and for tests that feed it
// messages libgammu decoded from a PDU (the path of a real AT modem, which the dummy phone skips).
#pragma once

#include <gammu-message.h>

#include "wadul/transport.hpp"

namespace wadul {

// The text of a UCS-2 message is taken by its Length, not up to the first U+0000: a phone that
// sends U+0000 inside its text (seen from broken handsets) would otherwise lose the rest of it.
// Trailing U+0000 (padding) is dropped; one inside the text stays, and becomes U+FFFD in UTF-8.
InboxPart inbox_part(const GSM_SMSMessage &m);

} // namespace wadul
