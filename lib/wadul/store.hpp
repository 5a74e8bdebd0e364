// The store: one SQLite file, the system of record. Only this module touches sqlite3*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace wadul {

class Db;

// A prepared statement with bound parameters; reset on destruction.
class Stmt {
public:
    Stmt(Db &db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;
    Stmt(Stmt &&o) noexcept;

    // Binds by 1-based position; returns *this so calls chain.
    Stmt &bind(int i, std::int64_t v);
    Stmt &bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Stmt &bind(int i, double v);
    Stmt &bind(int i, std::string_view v);
    Stmt &bind(int i, const char *v) { return bind(i, std::string_view(v)); }
    Stmt &bind(int i, const std::string &v) { return bind(i, std::string_view(v)); }
    Stmt &bind(int i, std::nullopt_t);
    template <typename T> Stmt &bind(int i, const std::optional<T> &v) {
        return v ? bind(i, *v) : bind(i, std::nullopt);
    }
    Stmt &bind_blob(int i, const void *data, size_t n);

    // Binds all arguments in order, starting at 1.
    template <typename... Args> Stmt &args(const Args &...a) {
        int i = 0;
        (bind(++i, a), ...);
        return *this;
    }

    // Steps once; true while a row is available.
    bool step();
    // Steps to completion (for writes); returns sqlite3_changes().
    int run();
    void reset();

    bool is_null(int col) const;
    std::int64_t i64(int col) const;
    int i32(int col) const { return static_cast<int>(i64(col)); }
    double f64(int col) const;
    std::string str(int col) const;
    std::string_view view(int col) const; // valid until the next step
    std::optional<std::string> opt_str(int col) const;
    std::optional<std::int64_t> opt_i64(int col) const;

private:
    Db *db_;
    sqlite3_stmt *stmt_ = nullptr;
};

// An open store. Opening applies pending migrations; a store newer than this binary is refused.
class Db {
public:
    // Opens the file, sets busy timeout, foreign keys, WAL, synchronous=NORMAL. A missing file is
    // created with mode 0640 when `create`, else refused with kExitNoInput. Errors: kExitConfig for a
    // newer schema, kExitTempFail when locked, kExitNoPerm (naming the file and the user) when this
    // user may not enter, read or write it, kExitCantCreate/kExitIoErr otherwise.
    static Db open(const std::string &path, int busy_timeout_ms = 5000, bool create = true);
    // A private in-memory store with the full schema, for tests.
    static Db memory();
    // The same at an earlier schema version, for the migration tests.
    static Db memory(int schema_version);

    Db(Db &&o) noexcept;
    Db &operator=(Db &&o) noexcept;
    ~Db();
    Db(const Db &) = delete;
    Db &operator=(const Db &) = delete;

    void exec(std::string_view sql);
    std::int64_t last_insert_id() const;
    int changes() const;
    int schema_version();
    const std::string &path() const { return path_; }
    sqlite3 *raw() { return db_; } // for the store module's own helpers only

    // Throws the Error matching the last SQLite failure; `what` names the operation.
    [[noreturn]] void throw_error(std::string_view what, int rc);

private:
    Db() = default;
    sqlite3 *db_ = nullptr;
    std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() was called.
class Tx {
public:
    explicit Tx(Db &db);
    ~Tx();
    Tx(const Tx &) = delete;
    Tx &operator=(const Tx &) = delete;
    void commit();

private:
    Db &db_;
    bool done_ = false;
};

// The schema version this binary writes; migrations.cpp holds the steps.
int latest_schema_version();
// Applies the migrations after the store's version in one transaction (called by Db::open), up to
// `target` (the latest by default; the migration tests stop earlier).
void migrate(Db &db, int target = latest_schema_version());

} // namespace wadul
