#include "wadul/portal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <dirent.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/fileio.hpp"
#include "wadul/log.hpp"
#include "wadul/msisdn.hpp"
#include "wadul/store.hpp"

namespace wadul {

namespace {

using nlohmann::json;

bool ends_with(const std::string &s, const std::string &suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string join(const std::string &dir, const std::string &name) {
    return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the sysadmin needs the rest
// but the "; last read: '…'" nlohmann ends a parse error with, which quotes the file: the position
// is enough to find the fault, and the file may hold what a warning mailed by cron must not.
std::string json_reason(const std::exception &e) {
    std::string w = e.what();
    if (w.rfind("[json.exception.", 0) == 0) {
        const size_t sp = w.find("] ");
        if (sp != std::string::npos) w = w.substr(sp + 2);
    }
    if (const size_t quote = w.find("; last read:"); quote != std::string::npos) w.erase(quote);
    return w;
}

// At most a few characters of a value from the file, for a message: its start, whole characters,
// control characters shown as '?'.
std::string excerpt(const std::string &s) {
    constexpr size_t kChars = 32;
    std::string out;
    size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && chars++ == kChars) break;
        out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
    }
    return i < s.size() ? out + "\u2026" : out;
}

size_t utf8_chars(const std::string &s) {
    return static_cast<size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<std::string> optional_string(const json &o, const char *key) {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail(kExitDataErr, "'{}' is not a string", key);
    const std::string s = it->get<std::string>();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
    return s;
}

std::string required_string(const json &o, const char *key) {
    if (!o.contains(key) || o.at(key).is_null()) fail(kExitDataErr, "'{}' is missing", key);
    auto s = optional_string(o, key);
    if (!s) fail(kExitDataErr, "'{}' is empty", key);
    return *s;
}

// Moves a file the portal got wrong out of the way, keeping any earlier file of the same name.
std::string set_aside(const std::string &inbox, const std::string &name) {
    const std::string bad = join(inbox, "bad");
    if (::mkdir(bad.c_str(), 0755) != 0 && errno != EEXIST)
        fail(exit_for_errno(errno, kExitCantCreate), "cannot create '{}': {}", bad, errno_text(errno));
    std::string to = join(bad, name);
    struct stat st;
    for (int n = 1; ::lstat(to.c_str(), &st) == 0; ++n) to = join(bad, fmt::format("{}.{}", name, n));
    if (::rename(join(inbox, name).c_str(), to.c_str()) != 0) {
        if (errno == ENOENT) return {}; // another run moved it meanwhile
        fail(exit_for_errno(errno, kExitCantCreate), "cannot move '{}' to '{}': {}", join(inbox, name), bad,
             errno_text(errno));
    }
    return to;
}

// The complaint files of the inbox, in name order: *.json, not dotfiles (the portal's files
// being written). Symbolic links and other files that are not regular are listed too, to be set
// aside unread.
std::vector<std::string> complaint_files(const std::string &inbox) {
    std::vector<std::string> names;
    DIR *d = ::opendir(inbox.c_str());
    if (!d) fail(exit_for_errno(errno, kExitIoErr), "cannot read portal inbox '{}': {}", inbox, errno_text(errno));
    while (const dirent *e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.empty() || name[0] == '.' || !ends_with(name, ".json")) continue;
        names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

const char *file_kind(mode_t mode) {
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a named pipe";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "not a regular file";
}

// What reading a portal file found: its content, or nullopt when it vanished (another run took
// it). Throws Error(65) for a file that is not what the portal writes: anything but a regular
// file (a symbolic link is not followed: the inbox is writable by the portal, the importer may
// run as a user who can read more), or one larger than kPortalMaxFileBytes; other errors as
// they come (74, 77).
std::optional<std::string> read_portal_file(const std::string &path) {
    // O_NONBLOCK: a named pipe put there must not hang the import; O_NOFOLLOW: a link fails ELOOP.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) return std::nullopt;
        struct stat st;
        if (err == ELOOP || (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)))
            fail(kExitDataErr, "{}, not a regular file; not read", err == ELOOP ? "a symbolic link" : file_kind(st.st_mode));
        fail(exit_for_errno(err, kExitIoErr), "cannot open: {}", errno_text(err));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st;
    if (::fstat(fd, &st) != 0) fail(kExitIoErr, "cannot stat: {}", errno_text(errno));
    if (!S_ISREG(st.st_mode)) fail(kExitDataErr, "{}, not a regular file; not read", file_kind(st.st_mode));
    if (st.st_size > static_cast<off_t>(kPortalMaxFileBytes))
        fail(kExitDataErr, "{} bytes, more than the {} a complaint file may have; not read",
             static_cast<long long>(st.st_size), kPortalMaxFileBytes);
    std::string content;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(exit_for_errno(errno, kExitIoErr), "cannot read: {}", errno_text(errno));
        }
        content.append(buf, static_cast<size_t>(n));
        // The file may grow while read: the limit holds for what is read, too.
        if (content.size() > kPortalMaxFileBytes)
            fail(kExitDataErr, "more than the {} bytes a complaint file may have; not read", kPortalMaxFileBytes);
    }
    return content;
}

struct Answer {
    std::int64_t complaint_id = 0;
    std::string ticket;
    std::optional<std::string> external_id;
    std::optional<std::int64_t> agency_id;
    std::string agency_code, agency_name;
};

} // namespace

PortalComplaint parse_portal_complaint(const std::string &text) {
    json o;
    try {
        o = json::parse(text);
    } catch (const json::exception &e) {
        fail(kExitDataErr, "not valid JSON: {}", json_reason(e));
    }
    if (!o.is_object()) fail(kExitDataErr, "not a JSON object");
    PortalComplaint c;
    c.id = required_string(o, "id");
    const std::string received = required_string(o, "received");
    const auto at = parse_iso8601(received);
    if (!at) fail(kExitDataErr, "'received' is not an ISO 8601 time: '{}'", excerpt(received));
    c.received = *at;
    c.text = required_string(o, "text");
    if (const size_t n = utf8_chars(c.text); n > kPortalMaxTextChars)
        fail(kExitDataErr, "'text' is {} characters long, more than the {} a complaint may have", n,
             kPortalMaxTextChars);
    c.name = optional_string(o, "name");
    c.account = optional_string(o, "account");
    if (const auto it = o.find("confidential"); it != o.end() && !it->is_null()) {
        if (!it->is_boolean()) fail(kExitDataErr, "'confidential' is not true or false");
        c.confidential = it->get<bool>();
    }
    return c;
}

PortalImport import_portal(Db &db, const std::string &inbox, Timestamp now, Log &log) {
    PortalImport r;
    struct stat st;
    if (::stat(inbox.c_str(), &st) != 0 && errno == ENOENT) {
        log.debug("no portal inbox '{}': nothing to import", inbox);
        return r;
    }
    for (const auto &name : complaint_files(inbox)) {
        ++r.files;
        const std::string path = join(inbox, name);
        PortalComplaint pc;
        try {
            std::optional<std::string> content;
            try {
                content = read_portal_file(path);
            } catch (const Error &e) {
                if (e.code() == kExitDataErr) throw;
                log.error("cannot read portal file '{}': {}", path, e.what());
                r.exit_code = worse(r.exit_code, e.code());
                continue;
            }
            if (!content) { // another run took it meanwhile
                --r.files;
                continue;
            }
            pc = parse_portal_complaint(*content);
            // A date ahead of the gateway's clock (beyond an hour of drift) would start the SOP's
            // deadlines in the future: the portal's clock or its export is wrong.
            if (pc.received > now + 3600)
                fail(kExitDataErr, "'received' is in the future: {} (now {})", format_iso8601(pc.received),
                     format_iso8601(now));
            // One long before would be overdue on arrival, its SLA clock run out before anyone saw
            // it: a wrong date ("1900-01-01"), or an export replayed from an old backup.
            if (pc.received < now - kPortalMaxAgeDays * 86400)
                fail(kExitDataErr, "'received' is more than {} days ago: {} (now {})", kPortalMaxAgeDays,
                     format_iso8601(pc.received), format_iso8601(now));
        } catch (const Error &e) {
            ++r.bad;
            r.exit_code = worse(r.exit_code, kExitDataErr);
            try {
                const std::string to = set_aside(inbox, name);
                if (to.empty()) continue;
                log.warn("cannot import portal file '{}': {}; moved to '{}'", path, e.what(), to);
            } catch (const Error &m) {
                log.warn("cannot import portal file '{}': {}", path, e.what());
                log.error("{}", m.what());
                r.exit_code = worse(r.exit_code, m.code());
            }
            continue;
        }

        std::string ticket;
        {
            Tx tx(db);
            Stmt find(db, "SELECT ticket, text FROM complaint WHERE source = 'web' AND external_id = ?");
            find.bind(1, pc.id);
            if (find.step()) {
                ticket = find.str(0);
                ++r.duplicates;
                if (find.str(1) != pc.text)
                    log.warn("portal file '{}': complaint '{}' is already stored as ticket {} with another text; "
                             "kept the stored one",
                             path, pc.id, ticket);
                else
                    log.info("portal file '{}': complaint '{}' already stored as ticket {}", path, pc.id, ticket);
            } else {
                NewComplaint nc;
                nc.source = "web";
                // A phone number in the +62 form, as SMS complaints have it: officers see it masked
                // (forward.mask_citizen), and the citizen's CEK by SMS finds the ticket.
                nc.reporter = pc.account ? normalize_msisdn(*pc.account).value_or(*pc.account) : "web";
                nc.reporter_name = pc.name;
                nc.confidential = pc.confidential;
                nc.text = pc.text;
                nc.received_at = pc.received;
                nc.external_id = pc.id;
                ticket = create_complaint(db, nc).ticket;
                ++r.imported;
                log.debug("web complaint '{}' stored as ticket {}", pc.id, ticket);
            }
            find.reset();
            tx.commit();
        }
        // Only now, with the complaint committed, does the file go. A crash before this line
        // leaves it for the next run, which finds the id stored and only removes the file.
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
            log.error("cannot remove portal file '{}' (stored as ticket {}): {}", path, ticket, errno_text(errno));
            r.exit_code = worse(r.exit_code, exit_for_errno(errno, kExitIoErr));
        }
    }
    return r;
}

PortalExport export_portal(Db &db, const std::string &outbox, Timestamp now, Log &log) {
    PortalExport r;
    // Two kinds of result go back to the portal: an approved answer (the `delivered` event closes
    // the complaint) and an admin's closure without an answer (a `note` by "portal" records that
    // the portal has it). Both are final, so one file per ticket.
    std::vector<Answer> answers, closures;
    auto load = [&db](const char *where, std::vector<Answer> &into) {
        Stmt q(db, std::string("SELECT c.id, c.ticket, c.external_id, c.agency_id, coalesce(a.code, ''), "
                               "coalesce(a.name, '') FROM complaint c LEFT JOIN agency a ON a.id = c.agency_id "
                               "WHERE c.source = 'web' AND ") +
                       where + " ORDER BY c.id");
        while (q.step()) into.push_back({q.i64(0), q.str(1), q.opt_str(2), q.opt_i64(3), q.str(4), q.str(5)});
    };
    load("c.status = 'approved'", answers);
    load("c.status = 'closed' "
         "AND EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id AND e.kind = 'closed') "
         "AND NOT EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id AND e.kind = 'delivered') "
         "AND NOT EXISTS (SELECT 1 FROM event e WHERE e.complaint_id = c.id AND e.kind = 'note' "
         "AND e.actor = 'portal')",
         closures);
    if (answers.empty() && closures.empty()) return r;
    try {
        std::error_code ec;
        std::filesystem::create_directories(outbox, ec);
        if (ec) fail(exit_for_errno(ec.value(), kExitCantCreate), "cannot create portal outbox '{}': {}", outbox,
                     lower_first(ec.message()));
    } catch (const Error &e) {
        log.error("{}; {} answers and {} closures wait", e.what(), answers.size(), closures.size());
        r.exit_code = kExitCantCreate;
        return r;
    }
    // Writes the file, then records it in the same transaction that re-checks the complaint is
    // still as it was read; a file written twice after a crash has the same bytes.
    auto deliver = [&](const Answer &a, const nlohmann::ordered_json &o, const char *still_sql, const EventInput &ev,
                       const char *what) {
        const std::string name = a.ticket + ".json";
        try {
            write_file_atomically(join(outbox, name), o.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
        } catch (const Error &e) {
            log.error("{}; the {} of web complaint {} waits for the next run", e.what(), what, a.ticket);
            r.exit_code = kExitCantCreate;
            return;
        }
        Tx tx(db);
        Stmt still(db, still_sql);
        still.bind(1, a.complaint_id);
        if (still.step()) {
            still.reset();
            append_event(db, ev);
            ++r.written;
            log.info("{} of web complaint {} ({}) written to '{}'", what, a.ticket, a.external_id.value_or("-"),
                     join(outbox, name));
        }
        still.reset();
        tx.commit();
    };
    // The fields every result file starts with.
    auto head = [](const Answer &a, const char *status) {
        nlohmann::ordered_json o;
        o["id"] = a.external_id ? json(*a.external_id) : json(nullptr);
        o["ticket"] = a.ticket;
        o["status"] = status;
        o["agency"] = a.agency_code.empty() ? json(nullptr) : json(a.agency_code);
        o["agency_name"] = a.agency_name.empty() ? json(nullptr) : json(a.agency_name);
        return o;
    };
    Stmt answer(db, "SELECT at, detail FROM event WHERE complaint_id = ? AND kind = 'answered' ORDER BY id DESC "
                    "LIMIT 1");
    for (const auto &a : answers) {
        answer.bind(1, a.complaint_id);
        if (!answer.step()) {
            answer.reset();
            log.warn("web complaint {} is approved without an answer; nothing written to the portal", a.ticket);
            continue;
        }
        const Timestamp answered_at = answer.i64(0);
        const std::string text = answer.opt_str(1).value_or("");
        answer.reset();
        nlohmann::ordered_json o = head(a, "answered");
        o["answered_at"] = format_iso8601(answered_at);
        o["answer"] = text;
        deliver(a, o, "SELECT 1 FROM complaint WHERE id = ? AND status = 'approved'",
                {a.complaint_id, now, "delivered", "portal", a.agency_id, std::nullopt, std::nullopt}, "answer");
    }
    Stmt closed(db, "SELECT at, detail FROM event WHERE complaint_id = ? AND kind = 'closed' ORDER BY id DESC LIMIT 1");
    for (const auto &a : closures) {
        closed.bind(1, a.complaint_id);
        closed.step();
        const Timestamp closed_at = closed.i64(0);
        const std::string reason = closed.opt_str(1).value_or("");
        closed.reset();
        nlohmann::ordered_json o = head(a, "closed");
        o["closed_at"] = format_iso8601(closed_at);
        o["reason"] = reason;
        deliver(a, o,
                "SELECT 1 FROM complaint c WHERE c.id = ? AND c.status = 'closed' AND NOT EXISTS (SELECT 1 FROM "
                "event e WHERE e.complaint_id = c.id AND e.kind = 'note' AND e.actor = 'portal')",
                {a.complaint_id, now, "note", "portal", a.agency_id, std::nullopt,
                 std::string("closure written to the portal's outbox")},
                "closure");
    }
    return r;
}

} // namespace wadul
