#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "wadul/error.hpp"
#include "wadul/registry.hpp"
#include "wadul/store.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;

namespace {

std::string error_of(const std::string &text) {
    TempFile f;
    f.write(text);
    try {
        parse_registry(f.path);
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        return std::string(e.what()).substr(f.path.size());
    }
    return "no error";
}

std::int64_t count(Db &db, const char *sql) {
    Stmt s(db, sql);
    s.step();
    return s.i64(0);
}

const char *const kTwo = R"(
[[agency]]
code = "DPUPR"
name = "Dinas Pekerjaan Umum dan Penataan Ruang"
kind = "opd"
duties = ["jalan rusak", "jembatan"]

  [[agency.officer]]
  name = "Budi"
  phone = "0812-3456-7001"
  role = "liaison"
  letter = "800/123/2026"

  [[agency.officer]]
  name = "Kepala"
  phone = "081234567002"
  role = "head"

[[agency]]
code = "PLN"
name = "PT PLN (Persero) ULP Rembang"
kind = "vertical"
duties = ["listrik padam"]

  [[agency.officer]]
  name = "Sari"
  phone = "+6281234567003"
)";

} // namespace

TEST_CASE("a registry file is parsed with normalised numbers") {
    TempFile f;
    f.write(kTwo);
    auto a = parse_registry(f.path);
    REQUIRE(a.size() == 2);
    CHECK(a[0].officers[0].phone == "+6281234567001");
    CHECK(a[0].duties.size() == 2);
    CHECK(a[1].officers[0].role == "liaison");
}

TEST_CASE("registry errors name file:line") {
    CHECK(error_of("[[agency]]\ncode=\"A\"\nname=\"A\"\n[[agency.officer]]\nname=\"x\"\nphone=\"12\"\n") ==
          ":6:7: bad phone number '12'");
    CHECK(error_of("[[agency]]\ncode=\"A\"\nname=\"A\"\n[[agency.officer]]\nname=\"x\"\nphone=\"081234567001\"\n"
                   "role=\"boss\"\n") == ":7:6: unknown role 'boss': expected liaison or head");
    CHECK(error_of("[[agency]]\ncode=\"A\"\nname=\"A\"\n[[agency.officer]]\nname=\"x\"\nphone=\"081234567001\"\n"
                   "[[agency]]\ncode=\"B\"\nname=\"B\"\n[[agency.officer]]\nname=\"y\"\nphone=\"+6281234567001\"\n") ==
          ":12:7: duplicate phone number '+6281234567001' (first at line 6)");
    CHECK(error_of("[[agency]]\ncode=\"A\"\nname=\"A\"\ncolour=\"red\"\n") == ":4:1: unknown key 'colour' in [[agency]]");
    CHECK(error_of("[[agency]]\ncode=\"A\"\n") == ":1:1: [[agency]] has no 'name'");
    CHECK(error_of("[[agency]]\ncode=\"A\"\nname=\"A\"\nkind=\"swasta\"\n") ==
          ":4:6: unknown kind 'swasta': expected opd or vertical");
}

TEST_CASE("syncing keeps officer history and applies nothing from a bad file") {
    Db db = Db::memory();
    TempFile f;
    f.write(kTwo);
    auto r = sync_registry(db, f.path, 1000);
    CHECK(r.changed);
    CHECK(r.agencies_added == 2);
    CHECK(r.officers_started == 3);
    CHECK_FALSE(sync_registry(db, f.path, 1001).changed);

    auto o = find_officer(db, "+6281234567001");
    REQUIRE(o);
    CHECK(o->agency_code == "DPUPR");

    // Budi hands over to Wati; PLN leaves the registry.
    std::string next = kTwo;
    next.replace(next.find("name = \"Budi\""), 13, "name = \"Wati\"");
    next.replace(next.find("0812-3456-7001"), 14, "081234567009");
    next.erase(next.find("[[agency]]\ncode = \"PLN\""));
    f.write(next);
    r = sync_registry(db, f.path, 2000);
    CHECK(r.officers_started == 1);
    CHECK(r.officers_ended == 2);
    CHECK(r.agencies_retired == 1);
    CHECK_FALSE(find_officer(db, "+6281234567001"));
    CHECK(find_officer(db, "+6281234567009"));
    CHECK(count(db, "SELECT count(*) FROM officer WHERE phone='+6281234567001' AND valid_from=1000 AND valid_to=2000") == 1);
    CHECK(count(db, "SELECT count(*) FROM agency WHERE code='PLN' AND active=0") == 1);

    const auto before = count(db, "SELECT count(*) FROM officer");
    f.write(next + "\n[[agency]]\ncode = \"X\"\nname = \"X\"\n  [[agency.officer]]\n  name = \"z\"\n  phone = \"+6281234567009\"\n");
    CHECK_THROWS_AS(sync_registry(db, f.path, 3000), Error);
    CHECK(count(db, "SELECT count(*) FROM officer") == before);
    CHECK(count(db, "SELECT count(*) FROM agency WHERE code='X'") == 0);
}

TEST_CASE("a missing registry file is exit 66") {
    Db db = Db::memory();
    try {
        sync_registry(db, "/nonexistent/agencies.toml", 1);
        FAIL("synced");
    } catch (const Error &e) {
        CHECK(e.code() == kExitNoInput);
    }
}

TEST_CASE("registry warnings: what a valid file still lacks for the SOP") {
    TempFile f;
    f.write("[[agency]]\ncode = \"A\"\nname = \"Head only\"\n"
            "  [[agency.officer]]\n  name = \"Kepala\"\n  phone = \"081200000001\"\n  role = \"head\"\n"
            "  letter = \"800/1/2026\"\n"
            "[[agency]]\ncode = \"B\"\nname = \"Liaison only\"\n"
            "  [[agency.officer]]\n  name = \"Budi\"\n  phone = \"081200000002\"\n");
    const auto agencies = parse_registry(f.path);
    const auto w = registry_warnings(f.path, agencies, true);
    REQUIRE(w.size() == 3);
    CHECK(w[0] == f.path + ":1: agency A has no liaison officer: its complaints reach no one");
    CHECK(w[1] == f.path + ":12: officer 'Budi' of B has no letter (the Surat Tugas number)");
    CHECK(w[2] == f.path + ":9: agency B has no head: its answers go to the citizen without SETUJU "
                           "(forward.approval)");
    // Without approval, a missing head is no gap.
    CHECK(registry_warnings(f.path, agencies, false).size() == 2);
    // The shipped registry has what the SOP asks for.
    const std::string shipped = WADUL_SOURCE_DIR "/etc/agencies.toml";
    CHECK(registry_warnings(shipped, parse_registry(shipped), true).empty());
}
