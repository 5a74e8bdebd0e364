// Working time for the SOP's deadlines: office hours per weekday in WIB, national holidays,
// cuti bersama and local holidays. All arithmetic is in seconds of office time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wadul/clock.hpp"
#include "wadul/config.hpp"

namespace wadul {

struct Holiday {
    std::int64_t day;      // days since 1970-01-01 (WIB date)
    std::string name;
    bool cuti_bersama = false;
};

// One holiday file (etc/holidays/YEAR.toml): `year = 2026` and [[holiday]] tables with
// `date`, `name` and optional `cuti_bersama`. Error(kExitConfig) naming file:line:column.
struct HolidayFile {
    int year = 0;
    std::vector<Holiday> holidays;
};
HolidayFile parse_holiday_file(const std::string &text, const std::string &path);
HolidayFile load_holiday_file(const std::string &path);

class Calendar {
public:
    // hours[0] = Sunday. Holidays are whole days off. Error(kExitConfig) when no weekday has
    // office hours, since no deadline could ever be reached.
    Calendar(const OfficeHours hours[7], std::vector<Holiday> holidays, std::vector<int> years = {});
    // From sla.hours.* and sla.holiday_files / sla.local_holidays; Error(kExitConfig) naming file:line.
    static Calendar from_config(const Config &cfg);

    bool is_working_day(std::int64_t day) const;
    bool is_open(Timestamp t) const;                 // inside office hours on a working day
    Timestamp next_open(Timestamp t) const;          // t itself when open
    // Office seconds in [a, b); 0 when b <= a.
    std::int64_t working_seconds(Timestamp a, Timestamp b) const;
    // The earliest instant when `secs` office seconds have elapsed after `from`; `from` when
    // secs <= 0. A deadline that uses up a day's office time exactly lands on its closing time.
    Timestamp add_working_seconds(Timestamp from, std::int64_t secs) const;
    // `days` working days after `from`, each a full working day of office time: a complaint
    // routed Monday 10:00 with 2 working days is due Wednesday 10:00; fractions count office time.
    // Exactly: the clock starts at next_open(from); each whole day moves to the same clock time
    // on the next working day, clamped to that day's office hours (Thursday 13:00 + 1 day is
    // Friday's closing time when Friday closes at 11:00); a fraction then adds that share of
    // the landing day's office time.
    Timestamp add_working_days(Timestamp from, double days) const;
    // Office seconds of one day (0 on a day off).
    std::int64_t day_seconds(std::int64_t day) const;
    const std::vector<Holiday> &holidays() const { return holidays_; }
    // Whether a holiday file for this year was loaded (false: only weekends are known).
    bool covers_year(int year) const;

    // Office seconds from the epoch to t: the clock every computation above is built on.
    std::int64_t office_clock(Timestamp t) const;

private:
    std::int64_t cum(std::int64_t day) const; // office seconds in days [0, day)

    OfficeHours hours_[7];
    std::vector<Holiday> holidays_;
    std::vector<std::int64_t> off_days_;     // sorted holidays that fall on an office weekday
    std::vector<std::int64_t> off_lost_;     // office seconds lost to off_days_[0..i]
    std::int64_t week_prefix_[8];            // office seconds of the first i days of a week from Thursday
    std::vector<int> years_;
};

} // namespace wadul
