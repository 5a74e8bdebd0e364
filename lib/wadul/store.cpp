#include "wadul/store.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wadul/error.hpp"

namespace wadul {

namespace {

// An error whose message already names the store: Db::open passes it on as it is.
class StoreAccessError : public Error {
public:
    using Error::Error;
};

std::string directory_of(const std::string &path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return dir.empty() ? "." : dir;
}

std::string this_user() { return fmt::format("this user (uid {})", ::geteuid()); }

bool can(const std::string &path, int mode) { return ::faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0; }

// `path` is behind a directory this user cannot enter: names the first one on the way.
StoreAccessError closed_directory(const std::string &path) {
    std::string closed = directory_of(path);
    std::filesystem::path prefix;
    for (const auto &part : std::filesystem::path(path).parent_path()) {
        prefix /= part;
        if (!can(prefix.string(), X_OK) && errno == EACCES) {
            closed = prefix.string();
            break;
        }
    }
    return StoreAccessError(kExitNoPerm, fmt::format("cannot open store '{}': directory '{}' is not accessible to {}",
                                                     path, closed, this_user()));
}

// What in the file system keeps this user from reading and writing the store at `path` (and the
// -wal and -shm files WAL mode keeps beside it); nullopt when the file system is not the cause.
// SQLite itself only says "unable to open database file" or "attempt to write a readonly database".
std::optional<StoreAccessError> access_problem(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == EACCES) return closed_directory(path);
        return std::nullopt;
    }
    if (!can(path, R_OK))
        return StoreAccessError(kExitNoPerm, fmt::format("store '{}' is not readable by {}", path, this_user()));
    if (!can(path, W_OK)) {
        if (errno == EROFS)
            return StoreAccessError(kExitCantCreate, fmt::format("store '{}' is on a read-only file system", path));
        return StoreAccessError(kExitNoPerm, fmt::format("store '{}' is read-only for {}", path, this_user()));
    }
    const std::string dir = directory_of(path);
    for (const char *suffix : {"-wal", "-shm"}) {
        const std::string side = path + suffix;
        if (::stat(side.c_str(), &st) == 0) {
            if (!can(side, R_OK | W_OK))
                return StoreAccessError(kExitNoPerm, fmt::format("store '{}' is read-only for {}: '{}' is not writable",
                                                                 path, this_user(), side));
        } else if (!can(dir, W_OK | X_OK)) {
            return StoreAccessError(kExitNoPerm,
                                    fmt::format("store '{}' is read-only for {}: its directory '{}' is not writable, "
                                                "and SQLite needs to create '{}' there",
                                                path, this_user(), dir, side));
        }
    }
    return std::nullopt;
}

bool access_class(int rc) {
    const int primary = rc & 0xff;
    return (primary == SQLITE_READONLY && rc != SQLITE_READONLY_DBMOVED) || primary == SQLITE_CANTOPEN ||
           primary == SQLITE_PERM;
}

// Makes sure the store file exists before SQLite opens it: refused (66) when `create` is off, else
// created here with mode 0640 (less a stricter umask) rather than by SQLite (0644): it holds
// citizens' numbers and confidential complaints. SQLite gives the -wal and -shm files the mode of
// the database file.
void ensure_file(const std::string &path, bool create) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        // An empty file is a store no wadul run has written: for a view, as good as missing (a
        // view must not turn it into a database).
        if (!create && S_ISREG(st.st_mode) && st.st_size == 0)
            fail(kExitNoInput, "cannot open store '{}': the file is empty (no wadul run has written it yet)", path);
        return;
    }
    const int err = errno;
    if (err == EACCES) throw closed_directory(path);
    if (err != ENOENT) fail(kExitCantCreate, "cannot open store '{}': {}", path, errno_text(err));
    if (!create) fail(kExitNoInput, "cannot open store '{}': no such file", path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd >= 0) {
        ::close(fd); // SQLite takes an empty file for a new database
        return;
    }
    if (errno == EEXIST) return; // another run created it first
    const int cerr = errno;
    const std::string dir = directory_of(path);
    if (cerr == EACCES) // the directories on the way could be entered: stat said ENOENT
        throw StoreAccessError(kExitNoPerm,
                               fmt::format("cannot create store '{}': directory '{}' is not writable by {}", path,
                                           dir, this_user()));
    if (cerr == ENOENT) fail(kExitCantCreate, "cannot create store '{}': no such directory '{}'", path, dir);
    fail(kExitCantCreate, "cannot create store '{}': {}", path, errno_text(cerr));
}

} // namespace

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
    // Permissions are a property of the files, not of the statement that met them: say which file
    // and which user, once, here.
    if (access_class(rc) && path_ != ":memory:") {
        if (auto e = access_problem(path_)) throw *e;
        throw StoreAccessError(primary == SQLITE_CANTOPEN ? kExitCantCreate : kExitNoPerm,
                               fmt::format("store '{}': {}: {}", path_, what, msg));
    }
    int code = kExitIoErr;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = kExitTempFail;
    else if (primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_AUTH) code = kExitNoPerm;
    else if (primary == SQLITE_CANTOPEN) code = kExitCantCreate;
    else if (primary == SQLITE_CONSTRAINT || primary == SQLITE_ERROR || primary == SQLITE_MISUSE ||
             primary == SQLITE_RANGE)
        code = kExitSoftware;
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) code = kExitDataErr;
    // What the sysadmin must fix in the file or its disk names the file; a failed statement is ours.
    if (path_ != ":memory:") {
        if (primary == SQLITE_FULL)
            throw Error(kExitIoErr, fmt::format("store '{}': {}: the disk is full (free space on its file system "
                                                "and run again)",
                                                path_, what));
        if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
            throw Error(code, fmt::format("store '{}': {}: {}", path_, what, msg));
    }
    throw Error(code, fmt::format("{}: {}", what, msg));
}

Db Db::open(const std::string &path, int busy_timeout_ms, bool create) {
    Db db;
    db.path_ = path;
    if (path.empty()) fail(kExitConfig, "store.path is empty: it names the store file (default /var/lib/wadul/wadul.db)");
    ensure_file(path, create);
    // Without SQLITE_OPEN_CREATE: the file exists now, and SQLite must not create one 0644.
    const int rc = sqlite3_open_v2(path.c_str(), &db.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        if (access_class(rc))
            if (auto e = access_problem(path)) throw *e;
        const int err = db.db_ ? sqlite3_system_errno(db.db_) : 0;
        std::string why = db.db_ ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
        if ((rc & 0xff) == SQLITE_CANTOPEN && err) why = errno_text(err);
        throw Error(kExitCantCreate, fmt::format("cannot open store '{}': {}", path, why));
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
        if (db.schema_version() == 0) {
            // Another program's database (gammu-smsd's, say) named by mistake: never add our
            // tables to it.
            Stmt t(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 3");
            std::string names;
            while (t.step()) names += (names.empty() ? "" : ", ") + t.str(0);
            if (!names.empty())
                fail(kExitDataErr,
                     "it is another program's SQLite database (tables {}...), not a wadul store; store.path must "
                     "name wadul's own file",
                     names);
        }
        migrate(db);
    } catch (const StoreAccessError &) {
        throw;
    } catch (const Error &e) {
        std::string_view why = e.what();
        const std::string named = fmt::format("store '{}': ", path); // throw_error named it already
        if (why.substr(0, named.size()) == named) why.remove_prefix(named.size());
        throw Error(e.code(), fmt::format("cannot open store '{}': {}", path, why));
    }
    return db;
}

Db Db::memory() { return memory(latest_schema_version()); }

Db Db::memory(int schema_version) {
    Db db;
    db.path_ = ":memory:";
    if (sqlite3_open(":memory:", &db.db_) != SQLITE_OK) throw Error(kExitSoftware, "cannot open in-memory store");
    db.exec("PRAGMA foreign_keys=ON");
    migrate(db, schema_version);
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
