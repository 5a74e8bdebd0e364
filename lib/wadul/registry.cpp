#include "wadul/registry.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "wadul/complaint.hpp"
#include "wadul/error.hpp"
#include "wadul/msisdn.hpp"
#include "wadul/store.hpp"

namespace wadul {

namespace {

std::string at(const std::string &file, const toml::source_region &r) {
    return fmt::format("{}:{}:{}", file, r.begin.line, r.begin.column);
}

[[noreturn]] void bad(const std::string &file, const toml::node &n, const std::string &msg) {
    throw Error(kExitConfig, fmt::format("{}: {}", at(file, n.source()), msg));
}

std::string required_string(const std::string &file, const toml::table &t, const char *key, const char *what) {
    const toml::node *n = t.get(key);
    if (!n) throw Error(kExitConfig, fmt::format("{}: {} has no '{}'", at(file, t.source()), what, key));
    if (!n->is_string() || n->value<std::string>()->empty()) bad(file, *n, fmt::format("'{}' must be a non-empty string", key));
    return *n->value<std::string>();
}

void check_keys(const std::string &file, const toml::table &t, const std::set<std::string> &allowed, const char *what) {
    for (const auto &[k, v] : t)
        if (!allowed.count(std::string(k.str())))
            throw Error(kExitConfig, fmt::format("{}: unknown key '{}' in {}", at(file, k.source()), k.str(), what));
}

// FNV-1a over the file's bytes: enough to notice an edit, not a security measure.
std::string digest(const std::string &data) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return fmt::format("{:016x}", h);
}

std::string read_file(const std::string &path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        fail(kExitConfig, "cannot read registry '{}': it is a directory (registry.path names the file)", path);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(kExitNoInput, "cannot open registry '{}': no such file or not readable", path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<RegistryAgency> parse_text(const std::string &path, const std::string &text) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error &e) {
        throw Error(kExitConfig, fmt::format("{}: {}", at(path, e.source()), e.description()));
    }
    check_keys(path, root, {"agency"}, "the registry");
    std::vector<RegistryAgency> out;
    // An empty registry would retire every agency and end every officer's post at once: far more
    // likely a truncated or wrong file than an intention.
    const toml::node *list = root.get("agency");
    if (!list || (list->is_array() && list->as_array()->empty()))
        fail(kExitConfig, "{}: no [[agency]] in the registry; refusing a registry that would retire every agency",
             path);
    if (!list->is_array_of_tables()) bad(path, *list, "'agency' must be an array of tables ([[agency]])");
    std::map<std::string, int> codes;   // code → line
    std::map<std::string, int> phones;  // phone → line
    for (const auto &node : *list->as_array()) {
        const toml::table &t = *node.as_table();
        check_keys(path, t, {"code", "name", "kind", "duties", "officer"}, "[[agency]]");
        RegistryAgency a;
        a.line = static_cast<int>(t.source().begin.line);
        a.code = required_string(path, t, "code", "[[agency]]");
        a.name = required_string(path, t, "name", "[[agency]]");
        a.kind = t.get("kind") ? required_string(path, t, "kind", "[[agency]]") : "opd";
        if (a.kind != "opd" && a.kind != "vertical") bad(path, *t.get("kind"), fmt::format("unknown kind '{}': expected opd or vertical", a.kind));
        // Codes are typed in any case (wadul-route assign dpu): two that differ only in case clash.
        std::string key = a.code;
        for (auto &c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (auto [it, fresh] = codes.emplace(key, a.line); !fresh)
            bad(path, *t.get("code"), fmt::format("duplicate agency code '{}' (first at line {})", a.code, it->second));
        if (const toml::node *d = t.get("duties")) {
            if (!d->is_array()) bad(path, *d, "'duties' must be an array of strings");
            for (const auto &e : *d->as_array()) {
                if (!e.is_string()) bad(path, e, "'duties' must be an array of strings");
                a.duties.push_back(*e.value<std::string>());
            }
        }
        if (const toml::node *offs = t.get("officer")) {
            if (!offs->is_array_of_tables()) bad(path, *offs, "'officer' must be an array of tables ([[agency.officer]])");
            for (const auto &on : *offs->as_array()) {
                const toml::table &o = *on.as_table();
                check_keys(path, o, {"name", "phone", "role", "letter"}, "[[agency.officer]]");
                RegistryOfficer r;
                r.line = static_cast<int>(o.source().begin.line);
                r.name = required_string(path, o, "name", "[[agency.officer]]");
                const std::string raw = required_string(path, o, "phone", "[[agency.officer]]");
                auto phone = normalize_msisdn(raw);
                if (!phone) bad(path, *o.get("phone"), fmt::format("bad phone number '{}'", raw));
                r.phone = *phone;
                r.role = o.get("role") ? required_string(path, o, "role", "[[agency.officer]]") : "liaison";
                if (r.role != "liaison" && r.role != "head")
                    bad(path, *o.get("role"), fmt::format("unknown role '{}': expected liaison or head", r.role));
                if (o.get("letter")) r.letter = required_string(path, o, "letter", "[[agency.officer]]");
                const int phone_line = static_cast<int>(o.get("phone")->source().begin.line);
                if (auto [it, fresh] = phones.emplace(r.phone, phone_line); !fresh)
                    bad(path, *o.get("phone"), fmt::format("duplicate phone number '{}' (first at line {})", r.phone, it->second));
                a.officers.push_back(std::move(r));
            }
        }
        out.push_back(std::move(a));
    }
    return out;
}

std::string join_lines(const std::vector<std::string> &v) {
    std::string s;
    for (const auto &e : v) s += (s.empty() ? "" : "\n") + e;
    return s;
}

} // namespace

std::vector<std::string> registry_warnings(const std::string &path, const std::vector<RegistryAgency> &agencies,
                                           bool approval) {
    std::vector<std::string> out;
    for (const auto &a : agencies) {
        bool liaison = false, head = false;
        for (const auto &o : a.officers) {
            liaison |= o.role == "liaison";
            head |= o.role == "head";
            if (o.letter.empty())
                out.push_back(fmt::format("{}:{}: officer '{}' of {} has no letter (the Surat Tugas number)", path,
                                          o.line, o.name, a.code));
        }
        if (!liaison)
            out.push_back(fmt::format("{}:{}: agency {} has no liaison officer: its complaints reach no one", path,
                                      a.line, a.code));
        if (!head && approval)
            out.push_back(fmt::format("{}:{}: agency {} has no head: its answers go to the citizen without SETUJU "
                                      "(forward.approval)",
                                      path, a.line, a.code));
    }
    return out;
}

std::vector<RegistryAgency> parse_registry(const std::string &path) { return parse_text(path, read_file(path)); }

RegistrySync sync_registry(Db &db, const std::string &path, Timestamp now, bool keep_on_bad_file) {
    RegistrySync r;
    std::string text;
    try {
        text = read_file(path);
    } catch (const Error &e) {
        if (!keep_on_bad_file) throw;
        r.file_error = e.what();
        return r;
    }
    const std::string dig = digest(text);
    {
        Stmt s(db, "SELECT digest FROM registry_state WHERE id = 1");
        if (s.step() && s.view(0) == dig) return r;
    }
    std::vector<RegistryAgency> agencies; // validate everything before touching the store
    try {
        agencies = parse_text(path, text);
    } catch (const Error &e) {
        if (!keep_on_bad_file) throw;
        r.file_error = e.what();
        return r;
    }
    Tx tx(db);
    {
        // Another run may have loaded the same file while we parsed.
        Stmt s(db, "SELECT digest FROM registry_state WHERE id = 1");
        if (s.step() && s.view(0) == dig) return r;
    }
    r.changed = true;
    std::set<std::string> codes;
    Stmt find_agency(db, "SELECT id, name, kind, duties, active FROM agency WHERE code = ?");
    Stmt ins_agency(db, "INSERT INTO agency(code, name, kind, duties, active) VALUES (?, ?, ?, ?, 1)");
    Stmt upd_agency(db, "UPDATE agency SET name = ?, kind = ?, duties = ?, active = 1 WHERE id = ?");
    Stmt current(db, "SELECT id, phone, role FROM officer WHERE agency_id = ? AND valid_to IS NULL");
    Stmt end_officer(db, "UPDATE officer SET valid_to = ? WHERE id = ?");
    Stmt upd_officer(db, "UPDATE officer SET name = ?, letter = ? WHERE id = ?");
    Stmt ins_officer(db, "INSERT INTO officer(agency_id, name, phone, role, letter, valid_from) VALUES (?, ?, ?, ?, ?, ?)");
    Stmt end_phone(db, "UPDATE officer SET valid_to = ? WHERE phone = ? AND valid_to IS NULL AND agency_id <> ?");

    // Close posts first so a phone moving between agencies never meets itself in the unique index.
    std::vector<std::pair<std::int64_t, const RegistryAgency *>> resolved;
    for (const auto &a : agencies) {
        codes.insert(a.code);
        const std::string duties = join_lines(a.duties);
        std::int64_t id;
        find_agency.args(a.code);
        if (find_agency.step()) {
            id = find_agency.i64(0);
            const bool same = find_agency.view(1) == a.name && find_agency.view(2) == a.kind &&
                              find_agency.view(3) == duties && find_agency.i64(4) == 1;
            find_agency.reset();
            if (!same) {
                upd_agency.args(a.name, a.kind, duties, id).run();
                ++r.agencies_updated;
            }
        } else {
            find_agency.reset();
            ins_agency.args(a.code, a.name, a.kind, duties).run();
            id = db.last_insert_id();
            ++r.agencies_added;
        }
        resolved.emplace_back(id, &a);
        current.args(id);
        std::vector<std::int64_t> gone;
        while (current.step()) {
            bool kept = false;
            for (const auto &o : a.officers) kept = kept || (o.phone == current.view(1) && o.role == current.view(2));
            if (!kept) gone.push_back(current.i64(0));
        }
        current.reset();
        for (auto oid : gone) {
            end_officer.args(now, oid).run();
            ++r.officers_ended;
        }
    }
    // Agencies no longer in the file: retired, their posts closed; history stays.
    {
        std::vector<std::int64_t> retire;
        Stmt all(db, "SELECT id, code FROM agency WHERE active = 1");
        while (all.step())
            if (!codes.count(all.str(1))) retire.push_back(all.i64(0));
        for (auto id : retire) {
            Stmt(db, "UPDATE agency SET active = 0 WHERE id = ?").args(id).run();
            r.officers_ended += Stmt(db, "UPDATE officer SET valid_to = ? WHERE agency_id = ? AND valid_to IS NULL")
                                    .args(now, id)
                                    .run();
            ++r.agencies_retired;
        }
    }
    for (const auto &[id, a] : resolved) {
        for (const auto &o : a->officers) {
            r.officers_ended += end_phone.args(now, o.phone, id).run();
            Stmt same(db, "SELECT id FROM officer WHERE agency_id = ? AND phone = ? AND role = ? AND valid_to IS NULL");
            same.args(id, o.phone, o.role);
            if (same.step()) {
                upd_officer.args(o.name, o.letter.empty() ? std::optional<std::string>() : o.letter, same.i64(0)).run();
            } else {
                ins_officer.args(id, o.name, o.phone, o.role, o.letter.empty() ? std::optional<std::string>() : o.letter, now)
                    .run();
                ++r.officers_started;
            }
        }
    }
    Stmt(db, "INSERT INTO registry_state(id, path, digest, loaded_at) VALUES (1, ?, ?, ?) "
             "ON CONFLICT(id) DO UPDATE SET path = excluded.path, digest = excluded.digest, loaded_at = excluded.loaded_at")
        .args(path, dig, now)
        .run();
    append_event(db, {std::nullopt, now, "note", "system", std::nullopt, std::nullopt,
                      fmt::format("registry '{}' loaded: agencies +{} ~{} -{}, officers +{} -{}", path, r.agencies_added,
                                  r.agencies_updated, r.agencies_retired, r.officers_started, r.officers_ended)});
    tx.commit();
    return r;
}

std::optional<OfficerRef> find_officer(Db &db, const std::string &phone) {
    Stmt s(db, "SELECT o.id, o.agency_id, o.name, o.role, a.code FROM officer o JOIN agency a ON a.id = o.agency_id "
               "WHERE o.phone = ? AND o.valid_to IS NULL");
    s.args(phone);
    if (!s.step()) return std::nullopt;
    return OfficerRef{s.i64(0), s.i64(1), s.str(2), s.str(3), s.str(4)};
}

std::string require_agency_code(Db &db, const std::string &code) {
    // Exact first: two codes differing only in case stay apart.
    Stmt a(db, "SELECT code FROM agency WHERE code = ? UNION ALL "
               "SELECT code FROM agency WHERE code = ? COLLATE NOCASE LIMIT 1");
    a.args(code, code);
    if (!a.step()) fail(kExitUsage, "unknown agency '{}': not in the registry", code);
    return a.str(0);
}

} // namespace wadul
