#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "wadul/error.hpp"
#include "wadul/store.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;
namespace fs = std::filesystem;

namespace {
} // namespace

TEST_CASE("a new store is migrated to the latest version") {
    TempDir d;
    Db db = Db::open((d.path / "w.db").string());
    CHECK(db.schema_version() == latest_schema_version());
    Stmt s(db, "PRAGMA journal_mode");
    REQUIRE(s.step());
    CHECK(s.str(0) == "wal");
}

TEST_CASE("reopening a store applies nothing twice") {
    TempDir d;
    const auto p = (d.path / "w.db").string();
    { Db db = Db::open(p); db.exec("INSERT INTO agency(code,name,kind) VALUES('X','X','opd')"); }
    Db db = Db::open(p);
    Stmt s(db, "SELECT count(*) FROM agency");
    REQUIRE(s.step());
    CHECK(s.i64(0) == 1);
}

TEST_CASE("a store newer than the binary is refused with exit 78") {
    TempDir d;
    const auto p = (d.path / "w.db").string();
    { Db db = Db::open(p); db.exec("PRAGMA user_version=999"); }
    try {
        Db::open(p);
        FAIL("opened a newer store");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        CHECK(std::string(e.what()).find("newer") != std::string::npos);
    }
}

TEST_CASE("the event log is append-only") {
    Db db = Db::memory();
    db.exec("INSERT INTO event(at,kind,actor) VALUES(1,'note','system')");
    CHECK_THROWS_AS(db.exec("UPDATE event SET kind='x'"), Error);
    CHECK_THROWS_AS(db.exec("DELETE FROM event"), Error);
}

TEST_CASE("a transaction rolls back unless committed") {
    Db db = Db::memory();
    {
        Tx tx(db);
        db.exec("INSERT INTO agency(code,name,kind) VALUES('A','A','opd')");
    }
    {
        Tx tx(db);
        Stmt(db, "INSERT INTO agency(code,name,kind) VALUES(?,?,?)").args("B", "Badan B", "opd").run();
        tx.commit();
    }
    Stmt s(db, "SELECT group_concat(code) FROM agency");
    REQUIRE(s.step());
    CHECK(s.str(0) == "B");
}

TEST_CASE("a store locked by another writer gives exit 75") {
    TempDir d;
    const auto p = (d.path / "w.db").string();
    Db a = Db::open(p);
    Db b = Db::open(p, 50);
    Tx hold(a);
    try {
        Tx t(b);
        FAIL("got a second write lock");
    } catch (const Error &e) {
        CHECK(e.code() == kExitTempFail);
    }
}

TEST_CASE("a missing directory cannot be created") {
    try {
        Db::open("/nonexistent-dir/w.db");
        FAIL("opened");
    } catch (const Error &e) {
        CHECK(e.code() == kExitCantCreate);
        CHECK(std::string(e.what()).find("/nonexistent-dir/w.db") != std::string::npos);
    }
}
