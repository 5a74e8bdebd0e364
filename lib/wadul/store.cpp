#include "wadul/store.hpp"

#include <cerrno>
#include <cstring>
#include <sqlite3.h>

#include "wadul/error.hpp"

namespace wadul {

Stmt::Stmt(Db &db, std::string_view sql) : db_(&db) {
    const int rc = sqlite3_prepare_v2(db.raw(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) db.throw_error(fmt::format("cannot prepare '{}'", sql.substr(0, 60)), rc);
}

Stmt::~Stmt() {
    if (stmt_) sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt &&o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

Stmt &Stmt::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}
Stmt &Stmt::bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
}
Stmt &Stmt::bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt &Stmt::bind(int i, std::nullopt_t) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}
Stmt &Stmt::bind_blob(int i, const void *data, size_t n) {
    sqlite3_bind_blob(stmt_, i, data, static_cast<int>(n), SQLITE_TRANSIENT);
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const char *sql = sqlite3_sql(stmt_);
    std::string what = fmt::format("statement '{}' failed", std::string_view(sql ? sql : "").substr(0, 60));
    sqlite3_reset(stmt_);
    db_->throw_error(what, rc);
}

int Stmt::run() {
    while (step()) {
    }
    const int n = sqlite3_changes(db_->raw());
    reset();
    return n;
}

void Stmt::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Stmt::i64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Stmt::f64(int col) const { return sqlite3_column_double(stmt_, col); }
std::string_view Stmt::view(int col) const {
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
}
std::string Stmt::str(int col) const { return std::string(view(col)); }
std::optional<std::string> Stmt::opt_str(int col) const {
    if (is_null(col)) return std::nullopt;
    return str(col);
}
std::optional<std::int64_t> Stmt::opt_i64(int col) const {
    if (is_null(col)) return std::nullopt;
    return i64(col);
}

Db::Db(Db &&o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
Db &Db::operator=(Db &&o) noexcept {
    if (this != &o) {
        if (db_) sqlite3_close_v2(db_);
        db_ = o.db_;
        path_ = std::move(o.path_);
        o.db_ = nullptr;
    }
    return *this;
}
Db::~Db() {
    if (db_) sqlite3_close_v2(db_);
}

void Db::throw_error(std::string_view what, int rc) {
    const int primary = rc & 0xff;
    const char *msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    int code = kExitIoErr;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = kExitTempFail;
    else if (primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_AUTH) code = kExitNoPerm;
    else if (primary == SQLITE_CANTOPEN) code = kExitCantCreate;
    else if (primary == SQLITE_CONSTRAINT || primary == SQLITE_ERROR || primary == SQLITE_MISUSE ||
             primary == SQLITE_RANGE)
        code = kExitSoftware;
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) code = kExitDataErr;
    throw Error(code, fmt::format("{}: {}", what, msg));
}

Db Db::open(const std::string &path, int busy_timeout_ms, bool create) {
    Db db;
    db.path_ = path;
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const int err = errno;
        std::string why = db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
        if ((rc & 0xff) == SQLITE_CANTOPEN && err) why = std::strerror(err);
        throw Error((rc & 0xff) == SQLITE_CANTOPEN && !create ? kExitNoInput : kExitCantCreate,
                    fmt::format("cannot open store '{}': {}", path, why));
    }
    sqlite3_extended_result_codes(db.db_, 1);
    sqlite3_busy_timeout(db.db_, busy_timeout_ms);
    try {
        db.exec("PRAGMA foreign_keys=ON");
        // journal_mode needs a write lock the first time; a busy store surfaces here as 75.
        {
            Stmt wal(db, "PRAGMA journal_mode=WAL");
            wal.step();
        }
        db.exec("PRAGMA synchronous=NORMAL");
        migrate(db);
    } catch (const Error &e) {
        throw Error(e.code(), fmt::format("cannot open store '{}': {}", path, e.what()));
    }
    return db;
}

Db Db::memory() {
    Db db;
    db.path_ = ":memory:";
    if (sqlite3_open(":memory:", &db.db_) != SQLITE_OK) throw Error(kExitSoftware, "cannot open in-memory store");
    db.exec("PRAGMA foreign_keys=ON");
    migrate(db);
    return db;
}

void Db::exec(std::string_view sql) {
    std::string s(sql);
    char *err = nullptr;
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        sqlite3_free(err);
        throw_error(fmt::format("'{}' failed", s.substr(0, 60)), rc);
    }
}

std::int64_t Db::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return sqlite3_changes(db_); }

int Db::schema_version() {
    Stmt s(*this, "PRAGMA user_version");
    s.step();
    return s.i32(0);
}

Tx::Tx(Db &db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Tx::~Tx() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // The transaction may already be gone (e.g. SQLITE_FULL rolls back by itself).
        }
    }
}
void Tx::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

} // namespace wadul
