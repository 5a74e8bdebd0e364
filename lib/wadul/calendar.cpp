#include "wadul/calendar.hpp"

#include <filesystem>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "wadul/error.hpp"

namespace wadul {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The WIB date of an instant, and where that date starts.
std::int64_t day_of(Timestamp t) { return floor_div(t + kWibOffset, kDay); }
Timestamp day_start(std::int64_t day) { return day * kDay - kWibOffset; }
int weekday_of(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 4) % 7); } // 1970-01-01: Thursday

std::string at(const std::string &path, const toml::source_region &r) {
    return fmt::format("{}:{}:{}", path, r.begin.line, r.begin.column);
}

} // namespace

HolidayFile parse_holiday_file(const std::string &text, const std::string &path) {
    toml::table tbl;
    try {
        tbl = toml::parse(text, path);
    } catch (const toml::parse_error &e) {
        throw Error(kExitConfig, fmt::format("{}: {}", at(path, e.source()), e.description()));
    }
    HolidayFile out;
    const toml::array *list = nullptr;
    for (const auto &[k, node] : tbl) {
        if (k.str() == "year") {
            if (!node.is_integer() || *node.value<int64_t>() < 1970 || *node.value<int64_t>() > 9999)
                fail(kExitConfig, "{}: bad value for 'year': expected a year such as 2026", at(path, node.source()));
            out.year = static_cast<int>(*node.value<int64_t>());
        } else if (k.str() == "holiday") {
            list = node.as_array();
            if (!list || !list->is_array_of_tables())
                fail(kExitConfig, "{}: 'holiday' must be written as [[holiday]] tables", at(path, node.source()));
        } else {
            fail(kExitConfig, "{}: unknown key '{}'", at(path, k.source()), k.str());
        }
    }
    if (!out.year) fail(kExitConfig, "{}:1:1: missing 'year = YYYY'", path);
    if (!list) return out;
    for (const auto &item : *list) {
        const auto &h = *item.as_table();
        Holiday hol{};
        bool has_date = false;
        for (const auto &[k, node] : h) {
            const std::string key(k.str());
            if (key == "date") {
                const auto *d = node.as_date();
                if (!d) fail(kExitConfig, "{}: bad value for 'date': expected a date such as 2026-03-20", at(path, node.source()));
                const toml::date v = d->get();
                if (v.year != out.year)
                    fail(kExitConfig, "{}: date {:04}-{:02}-{:02} is not in {} (the file's year)", at(path, node.source()),
                         v.year, v.month, v.day, out.year);
                hol.day = days_from_civil(v.year, v.month, v.day);
                has_date = true;
            } else if (key == "name") {
                if (!node.is_string() || node.value<std::string>()->empty())
                    fail(kExitConfig, "{}: bad value for 'name': expected a non-empty string", at(path, node.source()));
                hol.name = *node.value<std::string>();
            } else if (key == "cuti_bersama") {
                if (!node.is_boolean()) fail(kExitConfig, "{}: bad value for 'cuti_bersama': expected true or false", at(path, node.source()));
                hol.cuti_bersama = *node.value<bool>();
            } else {
                fail(kExitConfig, "{}: unknown key '{}' in [[holiday]]", at(path, k.source()), key);
            }
        }
        if (!has_date || hol.name.empty())
            fail(kExitConfig, "{}: a [[holiday]] needs 'date' and 'name'", at(path, h.source()));
        out.holidays.push_back(std::move(hol));
    }
    return out;
}

HolidayFile load_holiday_file(const std::string &path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail(kExitConfig, "cannot read holiday file '{}': it is a directory (sla.holiday_files names files)", path);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(kExitConfig, "cannot read holiday file '{}' (sla.holiday_files): {}", path, errno_text(errno));
    std::stringstream buf;
    buf << in.rdbuf();
    return parse_holiday_file(buf.str(), path);
}

Calendar::Calendar(const OfficeHours hours[7], std::vector<Holiday> holidays, std::vector<int> years)
    : holidays_(std::move(holidays)), years_(std::move(years)) {
    for (int d = 0; d < 7; ++d) hours_[d] = hours[d];
    week_prefix_[0] = 0;
    for (int i = 0; i < 7; ++i) {
        const OfficeHours &h = hours_[(4 + i) % 7];
        week_prefix_[i + 1] = week_prefix_[i] + std::max(0, h.close - h.open) * 60;
    }
    if (week_prefix_[7] == 0) fail(kExitConfig, "no office hours on any weekday (sla.hours.*): no deadline could be reached");
    std::sort(holidays_.begin(), holidays_.end(), [](const Holiday &a, const Holiday &b) { return a.day < b.day; });
    std::int64_t lost = 0;
    for (const auto &h : holidays_) {
        const OfficeHours &oh = hours_[weekday_of(h.day)];
        if (oh.close <= oh.open) continue; // a holiday on a Sunday costs no office time
        if (!off_days_.empty() && off_days_.back() == h.day) continue;
        lost += (oh.close - oh.open) * 60;
        off_days_.push_back(h.day);
        off_lost_.push_back(lost);
    }
    std::sort(years_.begin(), years_.end());
}

Calendar Calendar::from_config(const Config &cfg) {
    std::vector<Holiday> all;
    std::vector<int> years;
    for (const auto &path : cfg.sla.holiday_files) {
        HolidayFile f = load_holiday_file(path);
        years.push_back(f.year);
        all.insert(all.end(), f.holidays.begin(), f.holidays.end());
    }
    for (const auto &entry : cfg.sla.local_holidays) {
        auto origin = cfg.origin.find("sla.local_holidays");
        const std::string where = origin == cfg.origin.end() ? "sla.local_holidays" : origin->second;
        const std::string date = entry.substr(0, entry.find(' '));
        const auto t = date.size() == 10 ? parse_iso8601(date) : std::nullopt;
        if (!t)
            fail(kExitConfig, "{}: bad value for 'sla.local_holidays': '{}' is not \"YYYY-MM-DD\" or \"YYYY-MM-DD name\"",
                 where, entry);
        std::string name = date.size() < entry.size() ? entry.substr(date.size() + 1) : "Libur daerah";
        all.push_back({day_of(*t), name, false});
    }
    return Calendar(cfg.sla.hours, std::move(all), std::move(years));
}

std::int64_t Calendar::day_seconds(std::int64_t day) const {
    const OfficeHours &h = hours_[weekday_of(day)];
    if (h.close <= h.open) return 0;
    if (std::binary_search(off_days_.begin(), off_days_.end(), day)) return 0;
    return (h.close - h.open) * 60;
}

bool Calendar::is_working_day(std::int64_t day) const { return day_seconds(day) > 0; }

bool Calendar::covers_year(int year) const { return std::binary_search(years_.begin(), years_.end(), year); }

std::int64_t Calendar::cum(std::int64_t day) const {
    const std::int64_t q = floor_div(day, 7);
    std::int64_t s = q * week_prefix_[7] + week_prefix_[day - 7 * q];
    // Office time lost to the holidays before `day`.
    const auto it = std::lower_bound(off_days_.begin(), off_days_.end(), day);
    if (it != off_days_.begin()) s -= off_lost_[static_cast<size_t>(it - off_days_.begin()) - 1];
    return s;
}

std::int64_t Calendar::office_clock(Timestamp t) const {
    const std::int64_t day = day_of(t);
    std::int64_t s = cum(day);
    if (const std::int64_t len = day_seconds(day)) {
        const std::int64_t into = t - day_start(day) - hours_[weekday_of(day)].open * 60;
        s += std::clamp<std::int64_t>(into, 0, len);
    }
    return s;
}

bool Calendar::is_open(Timestamp t) const {
    const std::int64_t day = day_of(t);
    if (!is_working_day(day)) return false;
    const OfficeHours &h = hours_[weekday_of(day)];
    const std::int64_t s = t - day_start(day);
    return s >= h.open * 60 && s < h.close * 60;
}

Timestamp Calendar::next_open(Timestamp t) const {
    if (is_open(t)) return t;
    std::int64_t day = day_of(t);
    if (is_working_day(day) && t - day_start(day) < hours_[weekday_of(day)].open * 60)
        return day_start(day) + hours_[weekday_of(day)].open * 60;
    do ++day; // ends: the week has office time and holidays are finitely many
    while (!is_working_day(day));
    return day_start(day) + hours_[weekday_of(day)].open * 60;
}

std::int64_t Calendar::working_seconds(Timestamp a, Timestamp b) const {
    return b <= a ? 0 : office_clock(b) - office_clock(a);
}

Timestamp Calendar::add_working_seconds(Timestamp from, std::int64_t secs) const {
    if (secs <= 0) return from;
    const std::int64_t target = office_clock(from) + secs;
    // The landing day is the first d with cum(d + 1) >= target: gallop, then bisect.
    std::int64_t lo = day_of(from), step = 8 + 7 * (secs / week_prefix_[7]);
    std::int64_t hi = lo + step;
    while (cum(hi + 1) < target) {
        lo = hi;
        hi += step *= 2;
    }
    while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (cum(mid + 1) >= target) hi = mid;
        else lo = mid + 1;
    }
    return day_start(lo) + hours_[weekday_of(lo)].open * 60 + (target - cum(lo));
}

Timestamp Calendar::add_working_days(Timestamp from, double days) const {
    Timestamp t = next_open(from);
    if (!(days > 0)) return t;
    const auto whole = static_cast<std::int64_t>(days);
    const double fraction = days - static_cast<double>(whole);
    std::int64_t day = day_of(t);
    if (whole > 0) {
        const std::int64_t clock = t - day_start(day);
        for (std::int64_t i = 0; i < whole; ++i) {
            do ++day;
            while (!is_working_day(day));
        }
        const OfficeHours &h = hours_[weekday_of(day)];
        t = day_start(day) + std::clamp<std::int64_t>(clock, h.open * 60, h.close * 60);
    }
    if (fraction > 0) t = add_working_seconds(t, std::llround(fraction * static_cast<double>(day_seconds(day))));
    return t;
}

} // namespace wadul
