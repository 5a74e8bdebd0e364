// Indonesian phone numbers in one canonical form, "+62…", so a sender matches its registry entry.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wadul {

// "0812-3456-7001", "62812…", "+62 812…", "0062 812…", "812…" → "+62812…". Other countries'
// "+…" (or "00…") numbers are kept as "+" and their digits. Returns nullopt for anything that is not a plausible phone number
// (too short or long, letters — an alphanumeric sender such as "TELKOMSEL" is not a number).
std::optional<std::string> normalize_msisdn(std::string_view raw);

// "+6281234567001" → "+62812****7001": what an officer sees when the citizen's number is masked.
std::string mask_msisdn(std::string_view msisdn);

} // namespace wadul
