#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "wadul/error.hpp"
#include "wadul/store.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const std::string &path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Sets the umask for one test and puts the old one back.
struct Umask {
    mode_t old;
    explicit Umask(mode_t m) : old(::umask(m)) {}
    ~Umask() { ::umask(old); }
};

} // namespace

TEST_CASE("a new store is migrated to the latest version") {
    TempDir d;
    Db db = Db::open((d.path / "w.db").string());
    CHECK(db.schema_version() == latest_schema_version());
    Stmt s(db, "PRAGMA journal_mode");
    REQUIRE(s.step());
    CHECK(s.str(0) == "wal");
}

TEST_CASE("migration 2: wadul's own cancellations become 'cancelled', modem failures stay 'failed'") {
    Db db = Db::memory(1);
    REQUIRE(db.schema_version() == 1);
    db.exec("INSERT INTO outbound(id, recipient, text, purpose, dedupe, created_at, status, attempts, "
            "next_attempt_at, last_error) VALUES "
            "(1, '+1', 'a', 'reminder', 'k1', 1, 'failed', 0, 1, 'stale: the complaint was closed before it was sent'),"
            "(2, '+1', 'b', 'forward', 'k2', 1, 'failed', 1, 1, 'superseded: the complaint was routed again'),"
            "(3, '+1', 'c', 'answer', 'k3', 1, 'failed', 5, 1, 'the network refused part 1 of 2 (status 1)'),"
            "(4, '+1', 'd', 'ack', 'k4', 1, 'sent', 1, 1, NULL),"
            "(5, '+1', 'e', 'ack', 'k5', 1, 'queued', 0, 1, NULL)");
    migrate(db);
    CHECK(db.schema_version() == latest_schema_version());
    Stmt q(db, "SELECT id, status, last_error IS NOT NULL FROM outbound ORDER BY id");
    std::string got;
    while (q.step()) got += std::to_string(q.i64(0)) + q.str(1) + std::to_string(q.i64(2)) + " ";
    CHECK(got == "1cancelled1 2cancelled1 3failed1 4sent0 5queued0 ");
    // The rebuilt table keeps its index, its dedupe key and its check.
    Stmt idx(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'outbound_due'");
    REQUIRE(idx.step());
    CHECK(idx.i64(0) == 1);
    CHECK_THROWS(db.exec("INSERT INTO outbound(recipient, text, purpose, dedupe, created_at, next_attempt_at) "
                         "VALUES ('+1', 'x', 'ack', 'k5', 1, 1)"));
    CHECK_THROWS(db.exec("UPDATE outbound SET status = 'lost' WHERE id = 5"));
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

TEST_CASE("a new store and its -wal and -shm files are not world-readable") {
    TempDir d;
    Umask u(022);
    const auto p = d.file("w.db");
    Db db = Db::open(p);
    db.exec("INSERT INTO agency(code,name,kind) VALUES('X','X','opd')");
    CHECK(mode_of(p) == 0640);
    // SQLite gives the files beside the store the store's own mode; they hold its data too.
    CHECK(mode_of(p + "-wal") == 0640);
    CHECK(mode_of(p + "-shm") == 0640);
}

TEST_CASE("an existing store keeps its mode") {
    TempDir d;
    const auto p = d.file("w.db");
    { Db db = Db::open(p); }
    REQUIRE(::chmod(p.c_str(), 0600) == 0);
    { Db db = Db::open(p); }
    CHECK(mode_of(p) == 0600);
}

TEST_CASE("a store opened without create must exist: exit 66, nothing created") {
    TempDir d;
    const auto p = d.file("typo.db");
    try {
        Db::open(p, 5000, false);
        FAIL("opened a missing store");
    } catch (const Error &e) {
        CHECK(e.code() == kExitNoInput);
        CHECK(std::string(e.what()) == "cannot open store '" + p + "': no such file");
    }
    CHECK_FALSE(fs::exists(p));
}

TEST_CASE("a read-only store says so, naming the file and the user: exit 77") {
    if (::geteuid() == 0) return; // root writes anyway; tests/cli/store_access.sh covers it with setpriv
    TempDir d;
    const auto p = d.file("w.db");
    { Db db = Db::open(p); }
    REQUIRE(::chmod(p.c_str(), 0444) == 0);
    try {
        Db db = Db::open(p);
        db.exec("INSERT INTO agency(code,name,kind) VALUES('X','X','opd')");
        FAIL("wrote to a read-only store");
    } catch (const Error &e) {
        CHECK(e.code() == kExitNoPerm);
        CHECK(std::string(e.what()) ==
              fmt::format("store '{}' is read-only for this user (uid {})", p, ::geteuid()));
    }
}

TEST_CASE("a store in a directory this user cannot enter is a permission error: exit 77") {
    if (::geteuid() == 0) return; // root enters anyway; tests/cli/store_access.sh covers it with setpriv
    TempDir d;
    const auto dir = d.file("locked");
    fs::create_directory(dir);
    REQUIRE(::chmod(dir.c_str(), 0) == 0);
    for (const bool create : {true, false}) {
        try {
            Db::open(dir + "/w.db", 5000, create);
            FAIL("opened a store in a closed directory");
        } catch (const Error &e) {
            CHECK(e.code() == kExitNoPerm);
            CHECK(std::string(e.what()) ==
                  fmt::format("cannot open store '{}/w.db': directory '{}' is not accessible to this user (uid {})",
                              dir, dir, ::geteuid()));
        }
    }
    ::chmod(dir.c_str(), 0700);
}

TEST_CASE("a full disk names the store and says what to do: exit 74") {
    TempDir d;
    const auto p = d.file("w.db");
    Db db = Db::open(p);
    // SQLite's page limit gives the same SQLITE_FULL as a full file system (tests/cli/fetch_disk_full.sh).
    Stmt pages(db, "PRAGMA page_count");
    REQUIRE(pages.step());
    db.exec(fmt::format("PRAGMA max_page_count = {}", pages.i64(0) + 2));
    try {
        Tx tx(db);
        for (int i = 0; i < 1000; ++i)
            Stmt(db, "INSERT INTO agency(code, name, kind) VALUES(?, ?, 'opd')")
                .args(fmt::format("A{}", i), std::string(200, 'x'))
                .run();
        tx.commit();
        FAIL("a store past its page limit took 1,000 rows");
    } catch (const Error &e) {
        CHECK(e.code() == kExitIoErr);
        const std::string what = e.what();
        CHECK(what.rfind(fmt::format("store '{}': ", p), 0) == 0);
        CHECK(what.find("the disk is full (free space on its file system and run again)") != std::string::npos);
    }
    Stmt n(db, "SELECT count(*) FROM agency");
    REQUIRE(n.step());
    CHECK(n.i64(0) == 0);
}
