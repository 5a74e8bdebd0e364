// JSON string literals for the tools' hand-laid JSON output (wadul-route, wadul-sla status,
// wadul-forward's outbox), escaped by nlohmann-json rather than by hand.
#pragma once

#include <string>

namespace wadul {

// `s` as a JSON string literal with its quotes: quotes, backslashes and control characters
// escaped, UTF-8 passed through, an invalid UTF-8 byte replaced by U+FFFD.
std::string json_quote(const std::string &s);

} // namespace wadul
