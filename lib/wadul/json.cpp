#include "wadul/json.hpp"

#include <nlohmann/json.hpp>

namespace wadul {

std::string json_quote(const std::string &s) {
    // Store texts come from SMS decoding and could hold a stray byte: replace it, never throw.
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace wadul
