// UTF-16 <-> UTF-8, for SMS text: the modem speaks UTF-16 (UCS-2 plus surrogate pairs), the store UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace wadul {

// Unpaired surrogates (a pair split by a lost part) become U+FFFD rather than invalid UTF-8;
// so does U+0000, which no SMS text means and which would cut the text in C strings.
std::string utf16_to_utf8(std::u16string_view s);
// Invalid UTF-8 bytes become U+FFFD.
std::u16string utf8_to_utf16(std::string_view s);

// The UTF-16BE byte form the store keeps in sms_part.ucs2, and back (an odd last byte is dropped).
std::string utf16_to_be_bytes(std::u16string_view s);
std::u16string utf16_from_be_bytes(std::string_view bytes);

} // namespace wadul
