#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "wadul/csv.hpp"
#include "wadul/error.hpp"
#include "temp.hpp"

using namespace wadul;

TEST_CASE("CSV round trip keeps quotes, separators and newlines") {
    CsvWriter w;
    w.row({"tiket", "teks"});
    w.row({"7KQ4MX2", "jalan \"rusak\", parah\nsekali"});
    CHECK(w.str() == "tiket,teks\r\n7KQ4MX2,\"jalan \"\"rusak\"\", parah\nsekali\"\r\n");
    char path[] = "/tmp/wadul-csv-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    w.save(path);
    auto rows = read_csv_columns(path, {"teks", "tiket"});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "jalan \"rusak\", parah\nsekali");
    CHECK(rows[0][1] == "7KQ4MX2");
    CHECK_THROWS_AS(read_csv_columns(path, {"nope"}), Error);
    std::remove(path);
}

TEST_CASE("Excel-in-Indonesian CSV has a BOM and semicolons") {
    CsvWriter w(true);
    w.row({"a;b", "1,5"});
    CHECK(w.str() == "\xEF\xBB\xBF\"a;b\";1,5\r\n");
}

TEST_CASE("a missing CSV file is exit 66") {
    try {
        read_csv("/nonexistent.csv", [](const std::vector<std::string> &) {});
        FAIL("read");
    } catch (const Error &e) {
        CHECK(e.code() == kExitNoInput);
    }
}

TEST_CASE("read_csv_columns reads what Excel in an Indonesian locale saves, and names the header it found") {
    wadul::test::TempDir d;
    const std::string path = d.file("excel.csv");
    {
        CsvWriter w(true); // BOM and ';', as wadul-report writes for Excel and Excel saves
        w.row({"no", "keluhan", "instansi_grup"});
        w.row({"1", "jalan rusak, berlubang", "DPU"});
        w.row({"2", "lampu mati; gelap", "DISHUB"});
        w.save(path);
    }
    const auto rows = read_csv_columns(path, {"keluhan", "instansi_grup"});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0] == "jalan rusak, berlubang");
    CHECK(rows[1][0] == "lampu mati; gelap");
    CHECK(rows[1][1] == "DISHUB");
    try {
        read_csv_columns(path, {"teks"});
        FAIL("found a missing column");
    } catch (const Error &e) {
        CHECK(e.code() == kExitDataErr);
        CHECK(std::string(e.what()).find("its header: 'no', 'keluhan', 'instansi_grup'") != std::string::npos);
    }
}

TEST_CASE("an error from the row callback stops the parse and reaches the caller") {
    wadul::test::TempDir d;
    const std::string path = d.file("rows.csv");
    {
        CsvWriter w;
        for (int i = 0; i < 5; ++i) w.row({std::to_string(i)});
        w.save(path);
    }
    int seen = 0;
    try {
        read_csv(path, [&](const std::vector<std::string> &r) {
            ++seen;
            if (r[0] == "2") fail(kExitDataErr, "row {}", r[0]);
        });
        FAIL("no error");
    } catch (const Error &e) {
        CHECK(e.code() == kExitDataErr);
        CHECK(std::string(e.what()) == "row 2");
    }
    CHECK(seen == 3);
    // The last record, reached only when the input ends, too.
    seen = 0;
    CHECK_THROWS_AS(read_csv(path,
                             [&](const std::vector<std::string> &r) {
                                 ++seen;
                                 if (r[0] == "4") fail(kExitDataErr, "last");
                             }),
                    Error);
    CHECK(seen == 5);
}
