#include <doctest/doctest.h>

#include <string>

#include "wadul/calendar.hpp"
#include "wadul/config.hpp"
#include "wadul/error.hpp"

using namespace wadul;

namespace {

Timestamp T(const char *wib) {
    auto t = parse_iso8601(wib);
    REQUIRE(t);
    return *t;
}

std::string S(Timestamp t) { return format_wib(t); }

std::vector<std::string> shipped() {
    const std::string dir = WADUL_SOURCE_DIR "/etc/holidays/";
    return {dir + "2024.toml", dir + "2025.toml", dir + "2026.toml", dir + "2027.toml"};
}

// A five-day week (Mon-Thu 07:00-15:30, Fri 07:00-11:30) with the shipped holidays.
Calendar five_day() {
    Config c = default_config();
    for (auto &h : c.sla.hours) h = {};
    for (int d = 1; d <= 4; ++d) c.sla.hours[d] = {7 * 60, 15 * 60 + 30};
    c.sla.hours[5] = {7 * 60, 11 * 60 + 30};
    c.sla.holiday_files = shipped();
    return Calendar::from_config(c);
}

// Rembang's own hours (the compiled default: Perbup 46/2017, six days) with the shipped holidays.
Calendar rembang() {
    Config c = default_config();
    c.sla.holiday_files = shipped();
    return Calendar::from_config(c);
}

std::string error_of(const std::string &toml) {
    try {
        parse_holiday_file(toml, "h.toml");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("the default hours are Rembang's six-day week") {
    const Config c = default_config();
    CHECK(c.sla.hours[0].open == c.sla.hours[0].close); // Sunday closed
    CHECK(c.sla.hours[1].open == 7 * 60);
    CHECK(c.sla.hours[1].close == 14 * 60);
    CHECK(c.sla.hours[5].close == 11 * 60);
    CHECK(c.sla.hours[6].close == 12 * 60 + 30);
    const Calendar cal = rembang();
    CHECK(cal.working_seconds(T("2026-01-05 07:00"), T("2026-01-12 07:00")) == 37 * 3600 + 1800);
}

TEST_CASE("open hours are half-open and local to WIB") {
    const Calendar cal = five_day();
    CHECK(cal.is_open(T("2026-01-09 07:00")));
    CHECK(cal.is_open(T("2026-01-09 11:29:59")));
    CHECK_FALSE(cal.is_open(T("2026-01-09 11:30")));
    CHECK_FALSE(cal.is_open(T("2026-01-09 06:59:59")));
    CHECK_FALSE(cal.is_open(T("2026-01-10 09:00"))); // Saturday
    // 00:30Z is 07:30 WIB.
    CHECK(cal.is_open(T("2026-01-12T00:30:00Z")));
}

TEST_CASE("Friday after hours: the clock starts on Monday at opening") {
    const Calendar cal = five_day();
    CHECK(S(cal.next_open(T("2026-01-09 15:00"))) == "2026-01-12 07:00");
    CHECK(S(cal.add_working_seconds(T("2026-01-09 15:00"), 30 * 60)) == "2026-01-12 07:30");
    // 15 minutes left on Friday, 15 more on Monday.
    CHECK(S(cal.add_working_seconds(T("2026-01-09 11:15"), 30 * 60)) == "2026-01-12 07:15");
    // Exactly used up at closing: the deadline is the closing time, not Monday's opening.
    CHECK(S(cal.add_working_seconds(T("2026-01-09 11:00"), 30 * 60)) == "2026-01-09 11:30");
}

TEST_CASE("a weekend costs no working time") {
    const Calendar cal = five_day();
    CHECK(S(cal.add_working_seconds(T("2026-01-10 10:00"), 30 * 60)) == "2026-01-12 07:30");
    CHECK(cal.working_seconds(T("2026-01-09 11:00"), T("2026-01-12 08:00")) == 30 * 60 + 60 * 60);
    CHECK(cal.working_seconds(T("2026-01-10 00:00"), T("2026-01-11 23:59")) == 0);
    // Rembang works Saturday mornings.
    const Calendar r = rembang();
    CHECK(S(r.add_working_seconds(T("2026-01-09 10:45"), 30 * 60)) == "2026-01-10 07:15");
    CHECK(S(r.add_working_seconds(T("2026-01-10 12:20"), 30 * 60)) == "2026-01-12 07:20");
}

TEST_CASE("a Thursday holiday followed by a cuti bersama Friday") {
    const Calendar cal = five_day();
    // 2026-05-14 Kenaikan Yesus Kristus, 2026-05-15 cuti bersama.
    CHECK_FALSE(cal.is_working_day(days_from_civil(2026, 5, 14)));
    CHECK_FALSE(cal.is_working_day(days_from_civil(2026, 5, 15)));
    CHECK(S(cal.add_working_seconds(T("2026-05-13 15:20"), 30 * 60)) == "2026-05-18 07:20");
    CHECK(S(cal.add_working_days(T("2026-05-13 10:00"), 1)) == "2026-05-18 10:00");
    CHECK(S(cal.add_working_days(T("2026-05-13 10:00"), 3)) == "2026-05-20 10:00");
    const Calendar r = rembang();
    CHECK(S(r.add_working_seconds(T("2026-05-13 13:50"), 30 * 60)) == "2026-05-16 07:20");
    CHECK(S(r.add_working_days(T("2026-05-13 10:00"), 1)) == "2026-05-16 10:00");
}

TEST_CASE("year end: 1 January is a holiday, the next year's file is used") {
    const Calendar cal = five_day();
    CHECK(S(cal.add_working_seconds(T("2025-12-31 15:20"), 30 * 60)) == "2026-01-02 07:20");
    // One working day from Wednesday 15:00 lands on Friday, which closes at 11:30.
    CHECK(S(cal.add_working_days(T("2025-12-31 15:00"), 1)) == "2026-01-02 11:30");
    CHECK(cal.covers_year(2025));
    CHECK(cal.covers_year(2026));
    CHECK(cal.covers_year(2027));
    CHECK_FALSE(cal.covers_year(2028));
    // Christmas 2025: Thursday holiday, Friday cuti bersama.
    CHECK(S(cal.add_working_days(T("2025-12-24 09:00"), 1)) == "2025-12-29 09:00");
}

TEST_CASE("23:59 counts from the next opening") {
    const Calendar cal = five_day();
    CHECK(S(cal.next_open(T("2026-01-12 23:59"))) == "2026-01-13 07:00");
    CHECK(S(cal.add_working_seconds(T("2026-01-12 23:59:59"), 30 * 60)) == "2026-01-13 07:30");
    CHECK(S(cal.add_working_days(T("2026-01-12 23:59"), 2)) == "2026-01-15 07:00");
    CHECK(cal.working_seconds(T("2026-01-12 23:59"), T("2026-01-13 07:00")) == 0);
}

TEST_CASE("a complaint received on a holiday starts the next working day") {
    const Calendar cal = five_day();
    // 2026-08-17 (Monday) Hari Proklamasi.
    CHECK(S(cal.next_open(T("2026-08-17 09:00"))) == "2026-08-18 07:00");
    CHECK(S(cal.add_working_seconds(T("2026-08-17 09:00"), 30 * 60)) == "2026-08-18 07:30");
    CHECK(S(cal.add_working_days(T("2026-08-17 09:00"), 2)) == "2026-08-20 07:00");
    // Idul Fitri 2026: Friday 20 March cuti bersama to Tuesday 24 March.
    CHECK(S(cal.next_open(T("2026-03-19 20:00"))) == "2026-03-25 07:00");
}

TEST_CASE("working days keep the clock time; fractions count office time") {
    const Calendar cal = five_day();
    CHECK(S(cal.add_working_days(T("2026-01-12 10:00"), 2)) == "2026-01-14 10:00");
    CHECK(S(cal.add_working_days(T("2026-01-12 10:00"), 0.5)) == "2026-01-12 14:15"); // half of 8h30
    CHECK(S(cal.add_working_days(T("2026-01-22 10:00"), 1)) == "2026-01-23 10:00");
    CHECK(S(cal.add_working_days(T("2026-01-22 13:00"), 1)) == "2026-01-23 11:30"); // clamped to Friday's close
    CHECK(S(cal.add_working_days(T("2026-01-23 10:00"), 1)) == "2026-01-26 10:00");
    // Friday 16 January 2026 is Isra Mikraj: Thursday + 1 day is Monday.
    CHECK(S(cal.add_working_days(T("2026-01-15 10:00"), 1)) == "2026-01-19 10:00");
    CHECK(S(cal.add_working_days(T("2026-01-09 06:00"), 3)) == "2026-01-14 07:00");
}

TEST_CASE("working seconds and adding them are inverse") {
    const Calendar cal = rembang();
    const Timestamp base = T("2025-12-20 00:00");
    for (Timestamp a = base; a < base + 20 * 86400; a += 3 * 3600 + 17 * 60) {
        for (std::int64_t s : {1LL, 60LL, 1800LL, 7 * 3600LL, 30 * 3600LL, 200 * 3600LL}) {
            const Timestamp b = cal.add_working_seconds(a, s);
            CHECK(cal.working_seconds(a, b) == s);
            CHECK(cal.working_seconds(a, b - 1) == s - 1); // the earliest such instant
        }
    }
}

TEST_CASE("holiday files: format and errors with file:line:column") {
    const auto f = parse_holiday_file("year = 2026\n[[holiday]]\ndate = 2026-03-20\nname = \"Cuti\"\ncuti_bersama = true\n",
                                      "h.toml");
    REQUIRE(f.holidays.size() == 1);
    CHECK(f.year == 2026);
    CHECK(f.holidays[0].day == days_from_civil(2026, 3, 20));
    CHECK(f.holidays[0].cuti_bersama);
    CHECK(error_of("year = 2026\n[[holiday]]\ndate = 2026-03-20\nname = \"x\"\nkind = 1\n") ==
          "h.toml:5:1: unknown key 'kind' in [[holiday]]");
    CHECK(error_of("year = 2026\n[[holiday]]\ndate = 2025-03-20\nname = \"x\"\n") ==
          "h.toml:3:8: date 2025-03-20 is not in 2026 (the file's year)");
    CHECK(error_of("year = 2026\n[[holiday]]\ndate = 2026-03-20\n") == "h.toml:2:1: a [[holiday]] needs 'date' and 'name'");
    CHECK(error_of("[[holiday]]\ndate = 2026-03-20\nname = \"x\"\n") == "h.toml:1:1: missing 'year = YYYY'");
    CHECK(error_of("year = 2026\n[[holiday]]\ndate = \"2026-03-20\"\nname = \"x\"\n") ==
          "h.toml:3:8: bad value for 'date': expected a date such as 2026-03-20");
    CHECK(error_of("year = 2026\ndate = 2026-03-20\n").find("h.toml:2:1: unknown key 'date'") == 0);
    CHECK(error_of("year = 2026\n[[holiday]\n").find("h.toml:2:") == 0);
}

TEST_CASE("the shipped holiday files follow the SKB of each year") {
    const Calendar cal = rembang();
    auto off = [&](int y, int m, int d) { return !cal.is_working_day(days_from_civil(y, m, d)); };
    auto cuti = [&](int y, int m, int d) {
        for (const auto &h : cal.holidays())
            if (h.day == days_from_civil(y, m, d)) return h.cuti_bersama;
        return false;
    };
    int n[4] = {}, cb[4] = {};
    for (const auto &h : cal.holidays()) {
        int y, m, d;
        civil_from_days(h.day, y, m, d);
        ++n[y - 2024];
        cb[y - 2024] += h.cuti_bersama;
    }
    CHECK(n[0] == 27); // 17 libur nasional + 10 cuti bersama
    CHECK(cb[0] == 10);
    CHECK(n[1] == 28); // 17 + 10, + 18 August (SKB 933/2025)
    CHECK(cb[1] == 11);
    CHECK(n[2] == 25); // 17 + 8
    CHECK(cb[2] == 8);
    CHECK(cuti(2025, 6, 9)); // cuti bersama Idul Adha, not Idul Adha itself (6 June)
    CHECK(off(2025, 6, 6));
    CHECK(cuti(2025, 8, 18));
    CHECK(cuti(2026, 3, 20));
    CHECK(off(2026, 3, 21));
    CHECK(cuti(2026, 12, 24));
    CHECK(off(2024, 4, 15));
    CHECK_FALSE(off(2026, 3, 25));
    // 2027 is provisional: the 17 national holidays, no cuti bersama yet. The Gregorian ones are
    // certain: Good Friday is two days before Easter (28 March 2027), Ascension 39 days after.
    CHECK(n[3] == 17);
    CHECK(cb[3] == 0);
    CHECK(off(2027, 3, 26));
    CHECK(off(2027, 5, 6));
    CHECK(off(2027, 8, 17));
    CHECK_FALSE(off(2027, 3, 25));
}

TEST_CASE("local holidays from the configuration") {
    Config c = default_config();
    c.sla.holiday_files.clear();
    c.sla.local_holidays = {"2026-07-20 Hari Jadi Kabupaten Rembang", "2026-07-21"};
    const Calendar cal = Calendar::from_config(c);
    CHECK_FALSE(cal.is_working_day(days_from_civil(2026, 7, 20)));
    CHECK_FALSE(cal.is_working_day(days_from_civil(2026, 7, 21)));
    CHECK(cal.is_working_day(days_from_civil(2026, 7, 22)));
    c.sla.local_holidays = {"20-07-2026"};
    c.origin["sla.local_holidays"] = "/etc/wadul/wadul.toml:40";
    try {
        Calendar::from_config(c);
        FAIL("accepted a bad date");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        CHECK(std::string(e.what()).find("/etc/wadul/wadul.toml:40: bad value for 'sla.local_holidays'") == 0);
    }
    c.sla.local_holidays.clear();
    c.sla.holiday_files = {"/nonexistent/2026.toml"};
    CHECK_THROWS_AS(Calendar::from_config(c), Error);
}

TEST_CASE("a week without office hours is a configuration error") {
    OfficeHours none[7] = {};
    try {
        Calendar cal(none, {});
        FAIL("accepted a calendar without office time");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
    }
}
