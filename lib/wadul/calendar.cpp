// TEMPORARY minimal Calendar so the report branch links: the sla branch owns the real
// implementation (holiday files, validation) and replaces this file at merge. Holiday files
// (sla.holiday_files) are NOT read here; sla.local_holidays are.
#include "wadul/calendar.hpp"

#include <algorithm>
#include <cmath>

#include "wadul/error.hpp"

namespace wadul {

namespace {

std::int64_t day_of(Timestamp t) {
    const Timestamp local = t + kWibOffset;
    return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

Timestamp day_start(std::int64_t day) { return day * 86400 - kWibOffset; }

int weekday(std::int64_t day) { return static_cast<int>(((day % 7) + 11) % 7); }

} // namespace

Calendar::Calendar(const OfficeHours hours[7], std::vector<Holiday> holidays) : holidays_(std::move(holidays)) {
    for (int i = 0; i < 7; ++i) hours_[i] = hours[i];
    for (const auto &h : holidays_) off_days_.insert(h.day);
}

Calendar Calendar::from_config(const Config &cfg) {
    std::vector<Holiday> hs;
    for (const auto &s : cfg.sla.local_holidays) {
        auto t = parse_iso8601(s.substr(0, 10));
        if (!t) fail(kExitConfig, "invalid local holiday '{}': expected YYYY-MM-DD [name]", s);
        hs.push_back({day_of(*t), s.size() > 11 ? s.substr(11) : std::string(), false});
    }
    return Calendar(cfg.sla.hours, std::move(hs));
}

bool Calendar::is_working_day(std::int64_t day) const {
    const OfficeHours &h = hours_[weekday(day)];
    return h.close > h.open && off_days_.count(day) == 0;
}

bool Calendar::is_open(Timestamp t) const {
    const std::int64_t d = day_of(t);
    if (!is_working_day(d)) return false;
    const Timestamp s = t - day_start(d);
    const OfficeHours &h = hours_[weekday(d)];
    return s >= h.open * 60 && s < h.close * 60;
}

Timestamp Calendar::next_open(Timestamp t) const {
    for (std::int64_t d = day_of(t);; ++d) {
        if (!is_working_day(d)) continue;
        const OfficeHours &h = hours_[weekday(d)];
        const Timestamp open = day_start(d) + h.open * 60, close = day_start(d) + h.close * 60;
        if (t < close) return std::max(t, open);
    }
}

std::int64_t Calendar::working_seconds(Timestamp a, Timestamp b) const {
    std::int64_t total = 0;
    for (std::int64_t d = day_of(a), last = day_of(b); a < b && d <= last; ++d) {
        if (!is_working_day(d)) continue;
        const OfficeHours &h = hours_[weekday(d)];
        const Timestamp open = std::max(a, day_start(d) + h.open * 60);
        const Timestamp close = std::min(b, day_start(d) + h.close * 60);
        if (close > open) total += close - open;
    }
    return total;
}

Timestamp Calendar::add_working_seconds(Timestamp from, std::int64_t secs) const {
    Timestamp t = next_open(from);
    for (;;) {
        const std::int64_t d = day_of(t);
        const Timestamp close = day_start(d) + hours_[weekday(d)].close * 60;
        if (t + secs <= close) return t + secs;
        secs -= close - t;
        t = next_open(close);
    }
}

Timestamp Calendar::add_working_days(Timestamp from, double days) const {
    Timestamp t = next_open(from);
    const auto whole = static_cast<std::int64_t>(std::floor(days));
    for (std::int64_t i = 0; i < whole; ++i) {
        const Timestamp into = t - day_start(day_of(t));
        std::int64_t d = day_of(t) + 1;
        while (!is_working_day(d)) ++d;
        const OfficeHours &h = hours_[weekday(d)];
        t = day_start(d) + std::clamp<Timestamp>(into, h.open * 60, h.close * 60);
    }
    const double frac = days - static_cast<double>(whole);
    if (frac <= 0) return t;
    const OfficeHours &h = hours_[weekday(day_of(next_open(t)))];
    return add_working_seconds(t, static_cast<std::int64_t>(std::llround(frac * (h.close - h.open) * 60)));
}

} // namespace wadul
