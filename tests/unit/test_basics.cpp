// Phone numbers, tickets and the clock: the small pieces everything else trusts.
#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

#include "wadul/clock.hpp"
#include "wadul/error.hpp"
#include "wadul/msisdn.hpp"
#include "wadul/ticket.hpp"

using namespace wadul;

TEST_CASE("Indonesian numbers normalise to +62") {
    CHECK(normalize_msisdn("081234567001") == "+6281234567001");
    CHECK(normalize_msisdn("0812-3456-7001") == "+6281234567001");
    CHECK(normalize_msisdn("6281234567001") == "+6281234567001");
    CHECK(normalize_msisdn("+62 812 3456 7001") == "+6281234567001");
    CHECK(normalize_msisdn("+62 0812 3456 7001") == "+6281234567001");
    CHECK(normalize_msisdn("81234567001") == "+6281234567001");
    CHECK(normalize_msisdn("(0295) 691234") == "+62295691234");
    CHECK(normalize_msisdn("+60123456789") == "+60123456789");
    // "00" is the international prefix, as "+" is.
    CHECK(normalize_msisdn("006281234567001") == "+6281234567001");
    CHECK(normalize_msisdn("0062 812-3456-7001") == "+6281234567001");
    CHECK(normalize_msisdn("0062 0812 3456 7001") == "+6281234567001");
    CHECK(normalize_msisdn("0060123456789") == "+60123456789");
    CHECK_FALSE(normalize_msisdn("0062"));
    CHECK_FALSE(normalize_msisdn("00"));
    CHECK_FALSE(normalize_msisdn("TELKOMSEL"));
    CHECK_FALSE(normalize_msisdn("3636"));
    CHECK_FALSE(normalize_msisdn(""));
    CHECK_FALSE(normalize_msisdn("+62"));
    CHECK_FALSE(normalize_msisdn("0812345670011234"));
    CHECK(mask_msisdn("+6281234567001") == "+62812****7001");
}

TEST_CASE("tickets: 7 symbols, no O or I, forgiving to read") {
    const std::string t = make_ticket(123456789);
    CHECK(t.size() == kTicketLength);
    CHECK(t.find_first_of("OILU") == std::string::npos);
    CHECK(parse_ticket(t) == t);
    std::string lower;
    for (char c : t) lower += static_cast<char>(tolower(c));
    CHECK(parse_ticket(lower) == t);
    CHECK(parse_ticket(t.substr(0, 3) + "-" + t.substr(3)) == t);
    // 0 and 1 typed as O and I/L are read as meant.
    const std::string with01 = make_ticket(0); // "0000000"
    CHECK(with01 == "0000000");
    CHECK(parse_ticket("OOOOOOO") == "0000000");
    CHECK_FALSE(parse_ticket(""));
    CHECK_FALSE(parse_ticket(t.substr(0, 6)));
    CHECK_FALSE(parse_ticket(t + "2"));
}

TEST_CASE("the check symbol catches every single substitution and adjacent swap") {
    const char *alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    int substitutions = 0, caught = 0, swaps = 0, swaps_caught = 0;
    for (std::uint32_t seed : {1u, 77u, 4242u, 999999u, 123456789u, 1073741823u}) {
        const std::string t = make_ticket(seed);
        for (size_t i = 0; i < t.size(); ++i) {
            for (const char *a = alphabet; *a; ++a) {
                if (*a == t[i]) continue;
                std::string u = t;
                u[i] = *a;
                ++substitutions;
                caught += !parse_ticket(u).has_value();
            }
            if (i + 1 < t.size() && t[i] != t[i + 1]) {
                std::string u = t;
                std::swap(u[i], u[i + 1]);
                ++swaps;
                swaps_caught += !parse_ticket(u).has_value();
            }
        }
    }
    CHECK(caught == substitutions);
    CHECK(swaps_caught * 10 >= swaps * 9);
}

TEST_CASE("random tickets rarely collide") {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(random_ticket());
    CHECK(seen.size() >= 9990);
}

TEST_CASE("ISO 8601 in, WIB out") {
    CHECK(parse_iso8601("2026-11-28T09:30:00+07:00") == 1795833000);
    CHECK(parse_iso8601("2026-11-28T02:30:00Z") == 1795833000);
    CHECK(parse_iso8601("2026-11-28 09:30") == 1795833000); // no offset: WIB
    CHECK(parse_iso8601("2026-11-28") == 1795798800);
    CHECK_FALSE(parse_iso8601("2026-02-30"));
    CHECK_FALSE(parse_iso8601("2026-11-28T25:00"));
    CHECK_FALSE(parse_iso8601("yesterday"));
    CHECK(format_iso8601(1795833000) == "2026-11-28T09:30:00+07:00");
    CHECK(format_iso8601(1795833000, 0) == "2026-11-28T02:30:00Z");
    CHECK(format_wib(1795833000) == "2026-11-28 09:30");
    CHECK(format_date_id(1795833000) == "28 November 2026");
    // Indonesian writes the time with a dot (EYD), the form of every SMS to officers.
    CHECK(format_datetime_id(1795833000) == "28 November 2026 09.30 WIB");
    CHECK(format_datetime_id(*parse_iso8601("2026-01-02T07:05:00+07:00")) == "2 Januari 2026 07.05 WIB");
    // 23:59 WIB on 31 December is still that year in WIB, already 16:59 UTC.
    const auto c = to_civil(*parse_iso8601("2026-12-31T23:59:00+07:00"));
    CHECK(c.year == 2026);
    CHECK(c.weekday == 4); // Thursday
}

TEST_CASE("WADUL_NOW replaces the clock") {
    setenv("WADUL_NOW", "2026-11-28T09:30:00+07:00", 1);
    CHECK(now() == 1795833000);
    setenv("WADUL_NOW", "soon", 1);
    CHECK_THROWS_AS(now(), Error);
    unsetenv("WADUL_NOW");
    CHECK(now() > 1700000000);
}
