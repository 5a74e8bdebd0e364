#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "wadul/csv.hpp"
#include "wadul/error.hpp"

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
