#include "wadul/config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "wadul/error.hpp"
#include "wadul/msisdn.hpp"

#ifndef WADUL_SYSCONFDIR
#define WADUL_SYSCONFDIR "/etc/wadul"
#endif
#ifndef WADUL_STATEDIR
#define WADUL_STATEDIR "/var/lib/wadul"
#endif
#ifndef WADUL_DATADIR
#define WADUL_DATADIR "/usr/share/wadul"
#endif

namespace wadul {

namespace {

const char *const kDays[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// A key's value arrives as a TOML node (from the file) or as text (environment, flags).
// Each setter throws a plain message; the caller prefixes where it came from.
struct Key {
    std::string name;
    std::function<void(Config &, const toml::node &)> from_toml;
    std::function<void(Config &, const std::string &)> from_text;
    std::function<std::string(const Config &)> show;
};

[[noreturn]] void bad(const std::string &what) { throw std::invalid_argument(what); }

std::string quote(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

Key string_key(std::string name, std::function<std::string &(Config &)> get) {
    auto from_text = [get](Config &c, const std::string &v) { get(c) = v; };
    return {std::move(name),
            [get](Config &c, const toml::node &n) {
                if (!n.is_string()) bad("expected a string");
                get(c) = *n.value<std::string>();
            },
            from_text, [get](const Config &c) { return quote(get(const_cast<Config &>(c))); }};
}

Key int_key(std::string name, std::function<int &(Config &)> get, long lo, long hi) {
    auto check = [lo, hi](long v) {
        if (v < lo || v > hi) bad(fmt::format("expected an integer from {} to {}", lo, hi));
        return static_cast<int>(v);
    };
    return {std::move(name),
            [get, check](Config &c, const toml::node &n) {
                if (!n.is_integer()) bad("expected an integer");
                get(c) = check(static_cast<long>(*n.value<int64_t>()));
            },
            [get, check](Config &c, const std::string &v) {
                char *end = nullptr;
                const long x = std::strtol(v.c_str(), &end, 10);
                if (v.empty() || *end) bad("expected an integer");
                get(c) = check(x);
            },
            [get](const Config &c) { return std::to_string(get(const_cast<Config &>(c))); }};
}

Key double_key(std::string name, std::function<double &(Config &)> get, double lo, double hi) {
    auto check = [lo, hi](double v) {
        if (!(v >= lo && v <= hi)) bad(fmt::format("expected a number from {} to {}", lo, hi));
        return v;
    };
    return {std::move(name),
            [get, check](Config &c, const toml::node &n) {
                if (!n.is_number()) bad("expected a number");
                get(c) = check(*n.value<double>());
            },
            [get, check](Config &c, const std::string &v) {
                char *end = nullptr;
                const double x = std::strtod(v.c_str(), &end);
                if (v.empty() || *end) bad("expected a number");
                get(c) = check(x);
            },
            [get](const Config &c) { return fmt::format("{}", get(const_cast<Config &>(c))); }};
}

Key bool_key(std::string name, std::function<bool &(Config &)> get) {
    return {std::move(name),
            [get](Config &c, const toml::node &n) {
                if (!n.is_boolean()) bad("expected true or false");
                get(c) = *n.value<bool>();
            },
            [get](Config &c, const std::string &v) {
                if (v == "true" || v == "1" || v == "yes") get(c) = true;
                else if (v == "false" || v == "0" || v == "no") get(c) = false;
                else bad("expected true or false");
            },
            [get](const Config &c) { return std::string(get(const_cast<Config &>(c)) ? "true" : "false"); }};
}

Key list_key(std::string name, std::function<std::vector<std::string> &(Config &)> get) {
    return {std::move(name),
            [get](Config &c, const toml::node &n) {
                const auto *arr = n.as_array();
                if (!arr) bad("expected an array of strings");
                std::vector<std::string> out;
                for (const auto &e : *arr) {
                    if (!e.is_string()) bad("expected an array of strings");
                    out.push_back(*e.value<std::string>());
                }
                get(c) = std::move(out);
            },
            [get](Config &c, const std::string &v) {
                std::vector<std::string> out;
                std::stringstream ss(v);
                for (std::string item; std::getline(ss, item, ',');)
                    if (!item.empty()) out.push_back(item);
                get(c) = std::move(out);
            },
            [get](const Config &c) {
                std::string s = "[";
                for (const auto &e : get(const_cast<Config &>(c))) s += (s.size() > 1 ? ", " : "") + quote(e);
                return s + "]";
            }};
}

// A list of phone numbers, each normalised to +62… as the registry's are; a bad one is an error
// (a typo would otherwise queue escalations to a number that does not exist).
Key phone_list_key(std::string name, std::function<std::vector<std::string> &(Config &)> get) {
    Key k = list_key(std::move(name), get);
    auto normalise = [get](Config &c) {
        for (auto &p : get(c)) {
            const auto n = normalize_msisdn(p);
            if (!n) bad(fmt::format("bad phone number '{}'", p));
            p = *n;
        }
    };
    auto from_toml = k.from_toml;
    auto from_text = k.from_text;
    k.from_toml = [from_toml, normalise](Config &c, const toml::node &n) {
        from_toml(c, n);
        normalise(c);
    };
    k.from_text = [from_text, normalise](Config &c, const std::string &v) {
        from_text(c, v);
        normalise(c);
    };
    return k;
}

int parse_clock(const std::string &s, size_t pos) {
    auto digit = [&](size_t i) { return isdigit(static_cast<unsigned char>(s[pos + i])) != 0; };
    if (pos + 5 > s.size() || s[pos + 2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
        bad("expected hours as \"07:00-15:30\", or \"\" for closed");
    const int h = std::atoi(s.substr(pos, 2).c_str()), m = std::atoi(s.substr(pos + 3, 2).c_str());
    if (!isdigit(static_cast<unsigned char>(s[pos])) || h > 24 || m > 59 || (h == 24 && m))
        bad("expected hours as \"07:00-15:30\", or \"\" for closed");
    return h * 60 + m;
}

OfficeHours parse_hours(const std::string &s) {
    if (s.empty() || s == "closed") return {};
    if (s.size() != 11 || s[5] != '-') bad("expected hours as \"07:00-15:30\", or \"\" for closed");
    OfficeHours h{parse_clock(s, 0), parse_clock(s, 6)};
    if (h.close <= h.open) bad("closing time must be after opening time");
    return h;
}

std::string show_hours(const OfficeHours &h) {
    if (h.open == h.close) return "\"\"";
    return fmt::format("\"{:02}:{:02}-{:02}:{:02}\"", h.open / 60, h.open % 60, h.close / 60, h.close % 60);
}

Key hours_key(int day) {
    auto set = [day](Config &c, const std::string &v) { c.sla.hours[day] = parse_hours(v); };
    return {std::string("sla.hours.") + kDays[day],
            [set](Config &c, const toml::node &n) {
                if (!n.is_string()) bad("expected hours as \"07:00-15:30\", or \"\" for closed");
                set(c, *n.value<std::string>());
            },
            set, [day](const Config &c) { return show_hours(c.sla.hours[day]); }};
}

Key template_key(const std::string &name) {
    auto set = [name](Config &c, const std::string &v) {
        const auto &allowed = template_placeholders().at(name);
        for (size_t i = v.find('{'); i != std::string::npos; i = v.find('{', i + 1)) {
            const size_t j = v.find('}', i);
            if (j == std::string::npos) bad("unclosed '{' in template");
            const std::string ph = v.substr(i + 1, j - i - 1);
            bool ok = false;
            for (const auto &a : allowed) ok = ok || a == ph;
            if (!ok) {
                std::string list;
                for (const auto &a : allowed) list += (list.empty() ? "{" : ", {") + a + "}";
                bad(fmt::format("unknown placeholder '{{{}}}' in template '{}' (allowed: {})", ph, name, list));
            }
        }
        if (v.empty()) bad("a template cannot be empty");
        c.templates[name] = v;
    };
    return {"templates." + name,
            [set](Config &c, const toml::node &n) {
                if (!n.is_string()) bad("expected a string");
                set(c, *n.value<std::string>());
            },
            set, [name](const Config &c) { return quote(c.templates.at(name)); }};
}

const std::vector<Key> &keys() {
    static const std::vector<Key> k = [] {
        std::vector<Key> v;
        v.push_back(string_key("store.path", [](Config &c) -> std::string & { return c.store.path; }));
        v.push_back(int_key("store.busy_timeout_ms", [](Config &c) -> int & { return c.store.busy_timeout_ms; }, 0, 600000));
        v.push_back(string_key("modem.gammurc", [](Config &c) -> std::string & { return c.modem.gammurc; }));
        v.push_back(int_key("modem.section", [](Config &c) -> int & { return c.modem.section; }, 0, 99));
        v.push_back(string_key("modem.device", [](Config &c) -> std::string & { return c.modem.device; }));
        v.push_back(string_key("modem.connection", [](Config &c) -> std::string & { return c.modem.connection; }));
        v.push_back(string_key("modem.model", [](Config &c) -> std::string & { return c.modem.model; }));
        v.push_back(string_key("modem.lock", [](Config &c) -> std::string & { return c.modem.lock; }));
        v.push_back(int_key("modem.multipart_timeout", [](Config &c) -> int & { return c.modem.multipart_timeout; }, 0, 7 * 86400));
        v.push_back(string_key("modem.debug_log", [](Config &c) -> std::string & { return c.modem.debug_log; }));
        v.push_back(string_key("registry.path", [](Config &c) -> std::string & { return c.registry.path; }));
        v.push_back(bool_key("log.syslog", [](Config &c) -> bool & { return c.log.syslog; }));
        v.push_back(string_key("log.facility", [](Config &c) -> std::string & { return c.log.facility; }));
        v.push_back(double_key("route.threshold", [](Config &c) -> double & { return c.route.threshold; }, 0, 1));
        v.push_back(bool_key("route.learn", [](Config &c) -> bool & { return c.route.learn; }));
        v.push_back(int_key("route.min_samples", [](Config &c) -> int & { return c.route.min_samples; }, 0, 10000000));
        v.push_back(int_key("route.retrain_every", [](Config &c) -> int & { return c.route.retrain_every; }, 0, 525600));
        v.push_back(bool_key("forward.mask_citizen", [](Config &c) -> bool & { return c.forward.mask_citizen; }));
        v.push_back(bool_key("forward.notify_head", [](Config &c) -> bool & { return c.forward.notify_head; }));
        v.push_back(bool_key("forward.approval", [](Config &c) -> bool & { return c.forward.approval; }));
        v.push_back(bool_key("forward.implicit_ticket", [](Config &c) -> bool & { return c.forward.implicit_ticket; }));
        v.push_back(int_key("forward.followup_window_days", [](Config &c) -> int & { return c.forward.followup_window_days; }, 0, 365));
        v.push_back(int_key("forward.max_attempts", [](Config &c) -> int & { return c.forward.max_attempts; }, 1, 100));
        v.push_back(int_key("forward.retry_seconds", [](Config &c) -> int & { return c.forward.retry_seconds; }, 1, 86400));
        v.push_back(int_key("forward.rate_per_minute", [](Config &c) -> int & { return c.forward.rate_per_minute; }, 1, 6000));
        v.push_back(int_key("forward.lease_seconds", [](Config &c) -> int & { return c.forward.lease_seconds; }, 10, 86400));
        v.push_back(int_key("forward.max_parts", [](Config &c) -> int & { return c.forward.max_parts; }, 1, 50));
        v.push_back(string_key("portal.inbox", [](Config &c) -> std::string & { return c.portal.inbox; }));
        v.push_back(string_key("portal.outbox", [](Config &c) -> std::string & { return c.portal.outbox; }));
        v.push_back(list_key("sla.holiday_files", [](Config &c) -> std::vector<std::string> & { return c.sla.holiday_files; }));
        v.push_back(list_key("sla.local_holidays", [](Config &c) -> std::vector<std::string> & { return c.sla.local_holidays; }));
        v.push_back(int_key("sla.disposition_minutes", [](Config &c) -> int & { return c.sla.disposition_minutes; }, 1, 100000));
        v.push_back(double_key("sla.triage_days", [](Config &c) -> double & { return c.sla.triage_days; }, 0.01, 365));
        v.push_back(double_key("sla.review_days", [](Config &c) -> double & { return c.sla.review_days; }, 0.01, 365));
        v.push_back(double_key("sla.answer_days", [](Config &c) -> double & { return c.sla.answer_days; }, 0.01, 365));
        v.push_back(double_key("sla.approval_days", [](Config &c) -> double & { return c.sla.approval_days; }, 0.01, 365));
        v.push_back(double_key("sla.followup_days", [](Config &c) -> double & { return c.sla.followup_days; }, 0.01, 365));
        v.push_back(double_key("sla.reminder_at", [](Config &c) -> double & { return c.sla.reminder_at; }, 0, 1));
        v.push_back(int_key("sla.repeat_minutes", [](Config &c) -> int & { return c.sla.repeat_minutes; }, 1, 100000));
        v.push_back(bool_key("sla.pause_on_citizen", [](Config &c) -> bool & { return c.sla.pause_on_citizen; }));
        v.push_back(phone_list_key("sla.admin_phones", [](Config &c) -> std::vector<std::string> & { return c.sla.admin_phones; }));
        for (int d = 1; d <= 7; ++d) v.push_back(hours_key(d % 7)); // mon..sun
        v.push_back(string_key("report.out_dir", [](Config &c) -> std::string & { return c.report.out_dir; }));
        v.push_back(string_key("report.office", [](Config &c) -> std::string & { return c.report.office; }));
        v.push_back(string_key("report.signatory", [](Config &c) -> std::string & { return c.report.signatory; }));
        for (const auto &t : template_placeholders()) v.push_back(template_key(t.first));
        return v;
    }();
    return k;
}

const Key *find_key(const std::string &name) {
    for (const auto &k : keys())
        if (k.name == name) return &k;
    return nullptr;
}

std::string where(const std::string &file, const toml::source_region &r) {
    return fmt::format("{}:{}:{}", file, r.begin.line, r.begin.column);
}

// Walks the file's tables; every leaf must be a known key.
void apply_table(Config &cfg, const toml::table &t, const std::string &prefix, const std::string &file) {
    for (const auto &[k, node] : t) {
        const std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        const std::string at = where(file, k.source().begin.line ? k.source() : node.source());
        const Key *key = find_key(name);
        if (!key && node.is_table()) {
            bool is_section = false;
            for (const auto &kk : keys()) is_section = is_section || kk.name.compare(0, name.size() + 1, name + ".") == 0;
            if (is_section) {
                apply_table(cfg, *node.as_table(), name, file);
                continue;
            }
        }
        if (!key) throw Error(kExitConfig, fmt::format("{}: unknown key '{}'", at, name));
        try {
            key->from_toml(cfg, node);
        } catch (const std::invalid_argument &e) {
            throw Error(kExitConfig, fmt::format("{}: bad value for '{}': {}", where(file, node.source()), name, e.what()));
        }
        cfg.origin[name] = fmt::format("{}:{}", file, node.source().begin.line);
    }
}

bool file_exists(const std::string &path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

} // namespace

const std::map<std::string, std::vector<std::string>> &template_placeholders() {
    static const std::map<std::string, std::vector<std::string>> m = {
        {"ack", {"ticket"}},
        {"forward", {"ticket", "date", "citizen", "text", "agency"}},
        {"approve_request", {"ticket", "agency", "answer"}},
        {"revision", {"ticket", "note"}},
        {"answer", {"ticket", "agency", "answer"}},
        {"answer_too_long", {"ticket", "length", "max"}},
        {"status", {"ticket", "stage", "agency", "date"}},
        {"status_no_agency", {"ticket", "stage", "date"}},
        {"status_unknown", {"ticket"}},
        {"status_none", {}},
        {"officer_help", {}},
        {"not_officer", {"ticket"}},
        {"head_only", {"ticket"}},
        {"ask_ticket", {"count", "tickets"}},
        {"followup", {"ticket", "text"}},
        {"reminder", {"ticket", "stage", "deadline"}},
        {"escalation", {"ticket", "agency", "stage", "deadline"}},
        {"unsent", {"ticket", "agency", "since"}},
    };
    return m;
}

std::string render_template(const std::string &tmpl, const std::map<std::string, std::string> &values) {
    std::string out;
    out.reserve(tmpl.size() + 64);
    for (size_t i = 0; i < tmpl.size();) {
        if (tmpl[i] == '{') {
            const size_t j = tmpl.find('}', i);
            if (j != std::string::npos) {
                auto it = values.find(tmpl.substr(i + 1, j - i - 1));
                if (it != values.end()) {
                    out += it->second;
                    i = j + 1;
                    continue;
                }
            }
        }
        out += tmpl[i++];
    }
    return out;
}

Config default_config() {
    Config c;
    c.store.path = WADUL_STATEDIR "/wadul.db";
    c.modem.gammurc = "/etc/gammurc";
    c.modem.lock = WADUL_STATEDIR "/modem.lock";
    c.registry.path = WADUL_SYSCONFDIR "/agencies.toml";
    c.portal.inbox = WADUL_STATEDIR "/portal/in";
    c.portal.outbox = WADUL_STATEDIR "/portal/out";
    // Pemerintah Kabupaten Rembang works six days a week since 1 January 2018 under Peraturan
    // Bupati Rembang Nomor 46 Tahun 2017 tentang Pengaturan Hari dan Jam Kerja (which repealed the
    // five-day Perbup 16/2012): Monday-Thursday 07:00-14:00, Friday 07:00-11:00 (Friday prayers),
    // Saturday 07:00-12:30 WIB; 37.5 hours a week. Source: rembangkab.go.id, "ASN Pemkab Rembang
    // kembali ke 6 hari kerja" and "Enam hari kerja diterapkan" (January 2018).
    for (int d = 1; d <= 4; ++d) c.sla.hours[d] = {7 * 60, 14 * 60};
    c.sla.hours[5] = {7 * 60, 11 * 60};
    c.sla.hours[6] = {7 * 60, 12 * 60 + 30};
    c.sla.holiday_files = {WADUL_DATADIR "/holidays/2024.toml", WADUL_DATADIR "/holidays/2025.toml",
                           WADUL_DATADIR "/holidays/2026.toml", WADUL_DATADIR "/holidays/2027.toml"};
    c.templates = {
        {"ack", "Wadul Bupati Rembang: aduan Anda kami terima dengan nomor tiket {ticket}. "
                "Untuk cek status, kirim CEK {ticket} ke nomor ini."},
        {"forward", "WADUL {ticket} ({date}) dari {citizen}: {text} | Balas: TERIMA {ticket} / "
                    "JAWAB {ticket} isi jawaban / TOLAK {ticket} alasan"},
        {"approve_request", "Persetujuan jawaban {agency} atas aduan {ticket}: {answer} | Balas: SETUJU {ticket} / "
                            "REVISI {ticket} catatan"},
        {"revision", "Jawaban aduan {ticket} perlu direvisi: {note} | Kirim ulang: JAWAB {ticket} isi jawaban"},
        {"answer", "Wadul Bupati Rembang, tiket {ticket}. Jawaban {agency}: {answer}"},
        {"answer_too_long", "Jawaban aduan {ticket} terlalu panjang untuk SMS: {length} karakter, maksimal {max}. "
                            "Mohon kirim ulang lebih singkat: JAWAB {ticket} isi jawaban"},
        {"status", "Tiket {ticket}: {stage} ({agency}), diterima {date}."},
        {"status_no_agency", "Tiket {ticket}: aduan Anda diterima {date} dan {stage}."},
        {"status_unknown", "Tiket {ticket} tidak ditemukan untuk nomor Anda. Periksa kembali nomor tiket."},
        {"status_none", "Belum ada aduan dari nomor Anda. Silakan kirim aduan Anda melalui SMS ke nomor ini."},
        {"officer_help", "Format balasan: TERIMA tiket / JAWAB tiket jawaban / TOLAK tiket alasan / "
                         "SETUJU tiket / REVISI tiket catatan. Contoh: JAWAB 7KQ4MX2 Jalan sudah diperbaiki."},
        {"not_officer", "Nomor Anda tidak terdaftar sebagai pejabat penghubung, balasan untuk tiket {ticket} tidak "
                        "diproses. Hubungi admin Wadul Bupati untuk mendaftarkan nomor ini."},
        {"head_only", "Persetujuan jawaban aduan {ticket} hanya oleh Kepala OPD (SETUJU/REVISI). Untuk mengubah "
                      "jawaban, kirim JAWAB {ticket} isi jawaban."},
        {"ask_ticket", "Anda memegang {count} aduan terbuka ({tickets}). Sertakan nomor tiket, "
                       "mis. JAWAB tiket jawaban."},
        {"followup", "Tambahan dari pelapor aduan {ticket}: {text}"},
        {"reminder", "Pengingat WADUL: aduan {ticket} menunggu {stage}, batas waktu {deadline}."},
        {"escalation", "WADUL: aduan {ticket} ({agency}) melewati batas waktu {stage} pada {deadline}. Mohon segera "
                       "ditindaklanjuti."},
        {"unsent", "WADUL: aduan {ticket} untuk {agency} belum terkirim ke pejabat penghubungnya sejak {since}. "
                   "Mohon periksa modem dan nomor pejabat penghubung."},
    };
    for (const auto &k : keys()) c.origin[k.name] = "default";
    return c;
}

void set_config_value(Config &cfg, const std::string &key, const std::string &value, const std::string &origin) {
    const Key *k = find_key(key);
    if (!k) throw Error(kExitConfig, fmt::format("{}: unknown key '{}'", origin, key));
    try {
        k->from_text(cfg, value);
    } catch (const std::invalid_argument &e) {
        throw Error(kExitConfig, fmt::format("{}: bad value for '{}': {}", origin, key, e.what()));
    }
    cfg.origin[key] = origin;
}

Config load_config(const std::string &explicit_file) {
    Config cfg = default_config();
    std::string file = explicit_file;
    bool required = !file.empty();
    if (file.empty()) {
        if (const char *env = std::getenv("WADUL_CONFIG"); env && *env) {
            file = env;
            required = true;
        } else {
            file = WADUL_SYSCONFDIR "/wadul.toml";
        }
    }
    if (file_exists(file)) {
        std::error_code ec;
        if (std::filesystem::is_directory(file, ec))
            throw Error(kExitConfig, fmt::format("cannot read config '{}': it is a directory", file));
        std::ifstream in(file, std::ios::binary);
        if (!in) throw Error(kExitConfig, fmt::format("cannot read config '{}': permission denied", file));
        std::stringstream buf;
        buf << in.rdbuf();
        toml::table tbl;
        try {
            tbl = toml::parse(buf.str(), file);
        } catch (const toml::parse_error &e) {
            throw Error(kExitConfig, fmt::format("{}: {}", where(file, e.source()), e.description()));
        }
        apply_table(cfg, tbl, "", file);
        cfg.file = file;
    } else if (required) {
        throw Error(kExitConfig, fmt::format("cannot open config '{}': no such file", file));
    }
    // WADUL_STORE_PATH, WADUL_MODEM_DEVICE, ... : one variable per key.
    std::set<std::string> names, sections;
    for (const auto &k : keys()) {
        std::string env = "WADUL_";
        for (char c : k.name) env += c == '.' ? '_' : static_cast<char>(toupper(static_cast<unsigned char>(c)));
        if (const char *v = std::getenv(env.c_str())) set_config_value(cfg, k.name, v, "env " + env);
        names.insert(env);
        sections.insert(env.substr(0, env.find('_', 6) + 1));
    }
    // A mistyped variable (WADUL_STORE_PATHX) is an error, as an unknown key in the file is: a
    // setting the sysadmin believes in must not be ignored in silence. Only names that start
    // like a section's keys: WADUL_NOW, WADUL_BINDIR and the like are no configuration keys.
    for (char **e = environ; *e; ++e) {
        const std::string_view var(*e);
        const std::string name(var.substr(0, var.find('=')));
        if (name.compare(0, 6, "WADUL_") != 0 || names.count(name)) continue;
        for (const auto &s : sections) {
            if (name.compare(0, s.size(), s) != 0) continue;
            std::string section = s.substr(6, s.size() - 7);
            for (char &c : section) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
            throw Error(kExitConfig,
                        fmt::format("env {}: unknown configuration variable (no such key in [{}]; see wadul.toml(5))",
                                    name, section));
        }
    }
    return cfg;
}

std::string show_config(const Config &cfg) {
    std::string out;
    std::string section;
    for (const auto &k : keys()) {
        const size_t dot = k.name.rfind('.');
        const std::string sec = k.name.substr(0, dot);
        if (sec != section) {
            out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", sec);
            section = sec;
        }
        out += fmt::format("{} = {}  # {}\n", k.name.substr(dot + 1), k.show(cfg), cfg.origin.at(k.name));
    }
    return out;
}

} // namespace wadul
