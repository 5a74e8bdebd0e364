#include "wadul/msisdn.hpp"

namespace wadul {

std::optional<std::string> normalize_msisdn(std::string_view raw) {
    std::string digits;
    bool plus = false;
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
            continue;
        } else {
            return std::nullopt;
        }
    }
    if (digits.empty()) return std::nullopt;
    // "00" is the ITU international prefix, written where others write "+": "0062812…".
    if (!plus && digits.size() > 2 && digits.compare(0, 2, "00") == 0) {
        plus = true;
        digits.erase(0, 2);
    }
    std::string national; // without the country code
    if (plus) {
        if (digits.compare(0, 2, "62") != 0) {
            // A foreign number: E.164 allows at most 15 digits.
            if (digits.size() < 8 || digits.size() > 15) return std::nullopt;
            return "+" + digits;
        }
        national = digits.substr(2);
    } else if (digits.compare(0, 2, "62") == 0 && digits.size() >= 10) {
        national = digits.substr(2);
    } else if (digits[0] == '0') {
        national = digits.substr(1);
    } else {
        national = digits;
    }
    if (!national.empty() && national[0] == '0') national.erase(0, 1); // "+62 0812…", a common slip
    // Indonesian numbers: mobile 8xx with 9–12 digits after the country code; fixed lines
    // (area code 2x–9x) with 7–11. Shorter strings are service codes, not people.
    if (national.size() < 7 || national.size() > 12 || national[0] == '0') return std::nullopt;
    return "+62" + national;
}

std::string mask_msisdn(std::string_view msisdn) {
    std::string s(msisdn);
    if (s.size() <= 8) return std::string(s.size(), '*');
    const size_t keep_head = s.compare(0, 3, "+62") == 0 ? 6 : 4;
    for (size_t i = keep_head; i + 4 < s.size(); ++i) s[i] = '*';
    return s;
}

} // namespace wadul
