// Ticket numbers: 7 characters a citizen can type on a phone keypad and read aloud.
//
// Six random symbols of Crockford's base-32 alphabet (no I, L, O, U) and one check symbol
// (Luhn mod 32), e.g. "7KQ4MX2". Reading is forgiving: case, spaces and dashes are ignored and
// O→0, I/L→1; the check symbol catches every single mistyped symbol and most swapped pairs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wadul {

constexpr size_t kTicketLength = 7;

// The ticket for a 30-bit random value (the caller retries on a collision in the store).
std::string make_ticket(std::uint32_t random30);
// A fresh ticket from the system's random source.
std::string random_ticket();
// The canonical form of what a person typed, or nullopt if it is not a valid ticket.
std::optional<std::string> parse_ticket(std::string_view typed);
// True when the symbol could appear in a ticket as typed (used by the SMS command parser).
bool is_ticket_char(char c);

} // namespace wadul
