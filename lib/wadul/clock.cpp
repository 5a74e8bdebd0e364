#include "wadul/clock.hpp"

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

#include "wadul/error.hpp"

namespace wadul {

// Howard Hinnant's civil-date algorithms (public domain), exact for all proleptic Gregorian dates.
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int &y, int &m, int &d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

static std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

CivilTime to_civil(Timestamp t, int offset) {
    const Timestamp local = t + offset;
    const std::int64_t days = floor_div(local, 86400);
    const std::int64_t secs = local - days * 86400;
    CivilTime c{};
    civil_from_days(days, c.year, c.month, c.day);
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>(secs / 60 % 60);
    c.second = static_cast<int>(secs % 60);
    c.weekday = static_cast<int>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    return c;
}

Timestamp from_civil(int y, int mo, int d, int h, int mi, int s, int offset) {
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int &out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

int days_in_month(int y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return kDays[m - 1];
}

} // namespace

std::optional<Timestamp> parse_iso8601(std::string_view s) {
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
    size_t pos = 10;
    int offset = kWibOffset;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
        if (!digits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, mi))
            return std::nullopt;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
            pos += 3;
        }
        if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
        if (pos < s.size()) {
            if (s[pos] == 'Z' && pos + 1 == s.size()) {
                offset = 0;
            } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
                int oh, om;
                if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 14 || om > 59)
                    return std::nullopt;
                offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
            } else {
                return std::nullopt;
            }
        }
    }
    return from_civil(y, mo, d, h, mi, sec, offset);
}

void append_iso8601(std::string &out, Timestamp t, int offset) {
    // By hand rather than through fmt: listings of 100,000 open complaints print two per row.
    const CivilTime c = to_civil(t, offset);
    auto two = [&out](int v) {
        out += static_cast<char>('0' + v / 10 % 10);
        out += static_cast<char>('0' + v % 10);
    };
    if (c.year < 0 || c.year > 9999) {
        out += fmt::format("{:04}", c.year);
    } else {
        two(c.year / 100);
        two(c.year % 100);
    }
    out += '-';
    two(c.month);
    out += '-';
    two(c.day);
    out += 'T';
    two(c.hour);
    out += ':';
    two(c.minute);
    out += ':';
    two(c.second);
    if (offset == 0) {
        out += 'Z';
        return;
    }
    const int a = offset < 0 ? -offset : offset;
    out += offset < 0 ? '-' : '+';
    two(a / 3600);
    out += ':';
    two(a / 60 % 60);
}

std::string format_iso8601(Timestamp t, int offset) {
    std::string out;
    out.reserve(25);
    append_iso8601(out, t, offset);
    return out;
}

std::string format_wib(Timestamp t) {
    const CivilTime c = to_civil(t);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute);
}

std::string format_date_id(Timestamp t) {
    static const char *const kMonths[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                          "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
    const CivilTime c = to_civil(t);
    return fmt::format("{} {} {}", c.day, kMonths[c.month - 1], c.year);
}

std::string format_datetime_id(Timestamp t) {
    const CivilTime c = to_civil(t);
    return fmt::format("{} {:02}.{:02} WIB", format_date_id(t), c.hour, c.minute);
}

Timestamp now() {
    if (const char *env = std::getenv("WADUL_NOW"); env && *env) {
        auto t = parse_iso8601(env);
        if (!t) fail(kExitUsage, "invalid WADUL_NOW '{}': expected ISO 8601 such as 2026-11-28T09:30:00+07:00", env);
        return *t;
    }
    return static_cast<Timestamp>(std::time(nullptr));
}

} // namespace wadul
