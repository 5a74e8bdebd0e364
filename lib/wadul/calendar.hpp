// Working time for the SOP's deadlines: office hours per weekday in WIB, national holidays,
// cuti bersama and local holidays. All arithmetic is in seconds of office time.
#pragma once

#include <cstdint>
#include <set>
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

class Calendar {
public:
    // hours[0] = Sunday. Holidays are whole days off.
    Calendar(const OfficeHours hours[7], std::vector<Holiday> holidays);
    // From sla.hours.* and sla.holiday_files / sla.local_holidays; Error(kExitConfig) naming file:line.
    static Calendar from_config(const Config &cfg);

    bool is_working_day(std::int64_t day) const;
    bool is_open(Timestamp t) const;                 // inside office hours on a working day
    Timestamp next_open(Timestamp t) const;          // t itself when open
    // Office seconds in [a, b); 0 when b <= a.
    std::int64_t working_seconds(Timestamp a, Timestamp b) const;
    // The instant when `secs` office seconds have elapsed after `from`.
    Timestamp add_working_seconds(Timestamp from, std::int64_t secs) const;
    // `days` working days after `from`, each a full working day of office time: a complaint
    // routed Monday 10:00 with 2 working days is due Wednesday 10:00; fractions count office time.
    Timestamp add_working_days(Timestamp from, double days) const;
    const std::vector<Holiday> &holidays() const { return holidays_; }

private:
    OfficeHours hours_[7];
    std::vector<Holiday> holidays_;
    std::set<std::int64_t> off_days_;
};

} // namespace wadul
