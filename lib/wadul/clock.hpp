// Time for every tool: the system clock, or WADUL_NOW for replaying a scenario.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wadul {

// Seconds since the Unix epoch, UTC. The store keeps every time in this form.
using Timestamp = std::int64_t;

// Asia/Jakarta (WIB) is UTC+7 all year: Indonesia has had no daylight saving since 1964.
constexpr int kWibOffset = 7 * 3600;

struct CivilTime {
    int year, month, day, hour, minute, second;
    int weekday; // 0 = Sunday
};

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(int y, int m, int d);
void civil_from_days(std::int64_t z, int &y, int &m, int &d);

// Broken-down time at a fixed offset from UTC (seconds east).
CivilTime to_civil(Timestamp t, int offset = kWibOffset);
Timestamp from_civil(int y, int mo, int d, int h, int mi, int s, int offset = kWibOffset);

// Parses ISO 8601 "2026-11-28T09:30:00+07:00", "...Z", or with a space; a time without an
// offset is taken as WIB. A date alone is midnight WIB. Returns nullopt when malformed.
std::optional<Timestamp> parse_iso8601(std::string_view s);

// "2026-11-28T09:30:00+07:00" (WIB) and "2026-11-28 09:30" (WIB, for tables).
std::string format_iso8601(Timestamp t, int offset = kWibOffset);
void append_iso8601(std::string &out, Timestamp t, int offset = kWibOffset); // the same, appended
std::string format_wib(Timestamp t);
// "28 November 2026", for citizens, officers and the Regent.
std::string format_date_id(Timestamp t);
// "28 November 2026 09.30 WIB": a moment as Indonesian writes it (a dot in the time), for every
// SMS that names one (forwards, reminders, escalations).
std::string format_datetime_id(Timestamp t);

// The current time: WADUL_NOW when set (an Error with kExitUsage if malformed), else the system clock.
Timestamp now();

} // namespace wadul
