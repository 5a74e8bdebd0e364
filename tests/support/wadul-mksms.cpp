// wadul-mksms (test and demo helper, not installed): puts received SMS into a libgammu dummy
// phone's inbox, split into realistic concatenated parts by libgammu's own encoder.
//
// Input lines (FILE or stdin): SENDER<TAB>TIME<TAB>TEXT, TIME as "2026-11-28T09:30:00" (WIB) or
// "-" for now; TEXT is UTF-8 with \n, \t and \\ escapes. Empty lines and lines starting with #
// are skipped. Each part is written with libgammu's backup writer to a temporary file, then
// renamed to DIR/sms/FOLDER/LOCATION, so a reader never sees half a file.
#include <gammu.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "wadul/clock.hpp"

namespace {

[[noreturn]] void die(const std::string &msg, int code = 65) {
    std::fprintf(stderr, "wadul-mksms: error: %s\n", msg.c_str());
    std::exit(code);
}

std::vector<unsigned char> to_gammu(const std::string &s) {
    std::vector<unsigned char> buf((s.size() + 1) * 2, 0);
    DecodeUTF8(buf.data(), s.data(), s.size());
    return buf;
}

std::string unescape(const std::string &s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            const char c = s[++i];
            out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        } else {
            out += s[i];
        }
    }
    return out;
}

struct Input {
    std::string sender;
    wadul::Timestamp sent;
    std::string text;
};

struct Options {
    std::string dir;
    std::string input = "-";
    int folder = 1;
    int start = 0; // 0: after the highest location in use
    int ref = -1;  // -1: random per message
    std::string order = "in-order";
    long bulk = 0;
    std::string smsc = "+6281100000";
    unsigned seed = 0;
    bool unicode = false;
};

int highest_location(const std::string &dir) {
    int high = 0;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d)) {
            char *end = nullptr;
            const long n = std::strtol(e->d_name, &end, 10);
            if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && *end == 0) high = std::max<long>(high, n);
        }
        closedir(d);
    }
    return high;
}

constexpr int kMaxLocation = 9999;

class Writer {
public:
    Writer(const Options &o) : o_(o), backup_(std::make_unique<GSM_SMS_Backup>()) {
        for (int f : {o.folder}) mkdir_p(o.dir + "/sms/" + std::to_string(f));
        location_ = o.start > 0 ? o.start : highest_location(folder_dir()) + 1;
    }

    // Writes one part at the next location.
    void write(GSM_SMSMessage &m) {
        // The dummy driver cannot address location 10000: its location 10000 + 10000 x folder
        // reads as location 0 of the next folder, and the scan stops there.
        if (location_ > kMaxLocation)
            die("no free location left in folder " + std::to_string(o_.folder) + " (1..9999)", 73);
        const std::string path = folder_dir() + "/" + std::to_string(location_);
        const std::string tmp = folder_dir() + "/.mksms." + std::to_string(getpid()) + "." + std::to_string(location_);
        m.Folder = o_.folder;
        m.Location = location_;
        backup_->SMS[0] = &m;
        backup_->SMS[1] = nullptr;
        ::unlink(tmp.c_str());
        const GSM_Error e = GSM_AddSMSBackupFile(tmp.c_str(), backup_.get());
        if (e != ERR_NONE) die("cannot write '" + tmp + "': " + GSM_ErrorString(e), 74);
        if (std::rename(tmp.c_str(), path.c_str()) != 0) die("cannot rename to '" + path + "'", 74);
        ++location_;
    }

private:
    std::string folder_dir() const { return o_.dir + "/sms/" + std::to_string(o_.folder); }
    static void mkdir_p(const std::string &p) {
        for (size_t i = 1; i <= p.size(); ++i)
            if (i == p.size() || p[i] == '/') ::mkdir(p.substr(0, i).c_str(), 0755);
    }
    const Options &o_;
    std::unique_ptr<GSM_SMS_Backup> backup_;
    int location_ = 1;
};

// Encodes one message into received parts (GSM-7 when the text allows, UCS-2 otherwise).
std::unique_ptr<GSM_MultiSMSMessage> encode(const Options &o, const Input &in, int ref) {
    auto text = to_gammu(in.text);
    GSM_MultiPartSMSInfo info;
    GSM_ClearMultiPartSMSInfo(&info);
    info.Class = -1;
    info.EntriesNum = 1;
    info.UnicodeCoding = o.unicode ? TRUE : FALSE;
    info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
    info.Entries[0].Buffer = text.data();
    auto msms = std::make_unique<GSM_MultiSMSMessage>();
    const GSM_Error e = GSM_EncodeMultiPartSMS(nullptr, &info, msms.get());
    if (e != ERR_NONE) die("cannot encode the text from " + in.sender + ": " + GSM_ErrorString(e));
    const auto smsc = to_gammu(o.smsc);
    const auto number = to_gammu(in.sender);
    const wadul::CivilTime t = wadul::to_civil(in.sent, 0); // dummy files hold UTC wall-clock time
    for (int i = 0; i < msms->Number; ++i) {
        GSM_SMSMessage &m = msms->SMS[i];
        m.PDU = SMS_Deliver;
        m.State = SMS_UnRead;
        m.InboxFolder = TRUE;
        m.Class = -1;
        CopyUnicodeString(m.Number, number.data());
        CopyUnicodeString(m.SMSC.Number, smsc.data());
        m.DateTime = GSM_DateTime{};
        m.DateTime.Year = t.year;
        m.DateTime.Month = t.month;
        m.DateTime.Day = t.day;
        m.DateTime.Hour = t.hour;
        m.DateTime.Minute = t.minute;
        m.DateTime.Second = t.second;
        m.DateTime.Timezone = 0;
        if (msms->Number > 1 && m.UDH.Type == UDH_ConcatenatedMessages && m.UDH.Length >= 6) {
            m.UDH.Text[3] = static_cast<unsigned char>(ref); // 05 00 03 REF TOTAL PART
            m.UDH.ID8bit = ref;
        }
    }
    return msms;
}

Input parse_line(const std::string &line, long lineno, wadul::Timestamp now) {
    const size_t a = line.find('\t');
    const size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) die("line " + std::to_string(lineno) + ": expected SENDER<TAB>TIME<TAB>TEXT");
    Input in;
    in.sender = line.substr(0, a);
    const std::string when = line.substr(a + 1, b - a - 1);
    if (when == "-" || when.empty()) {
        in.sent = now;
    } else {
        auto t = wadul::parse_iso8601(when);
        if (!t) die("line " + std::to_string(lineno) + ": bad time '" + when + "'");
        in.sent = *t;
    }
    in.text = unescape(line.substr(b + 1));
    if (in.sender.empty()) die("line " + std::to_string(lineno) + ": empty sender");
    return in;
}

} // namespace

int main(int argc, char **argv) {
    Options o;
    CLI::App app{"Put received SMS into a libgammu dummy phone's inbox (test helper).", "wadul-mksms"};
    app.add_option("DIR", o.dir, "The dummy phone's directory (created if missing)")->required();
    app.add_option("FILE", o.input, "SENDER<TAB>TIME<TAB>TEXT lines; - or none: stdin");
    app.add_option("-f,--folder", o.folder, "Inbox folder: 1 (SIM) or 3 (phone)")->check(CLI::IsMember({1, 3}));
    app.add_option("-l,--location", o.start, "First location to write (default: after the highest in use)")
        ->check(CLI::Range(1, kMaxLocation));
    app.add_option("-r,--ref", o.ref, "Concatenation reference of long messages (default: random)")
        ->check(CLI::Range(0, 255));
    app.add_option("-o,--order", o.order, "Part order: in-order, reverse (each message's parts backwards), "
                                          "interleave (round-robin over the messages)")
        ->check(CLI::IsMember({"in-order", "reverse", "interleave"}));
    app.add_option("-n,--bulk", o.bulk, "Generate N distinct single-part messages instead of reading input")
        ->check(CLI::Range(1L, static_cast<long>(kMaxLocation)));
    app.add_option("--smsc", o.smsc, "SMSC number written into each part");
    app.add_option("--seed", o.seed, "Random seed for references (default: from the clock)");
    app.add_flag("-u,--unicode", o.unicode, "Force UCS-2 even when GSM-7 would do");
    CLI11_PARSE(app, argc, argv);

    struct stat st {};
    if (::stat(o.dir.c_str(), &st) != 0 && ::mkdir(o.dir.c_str(), 0755) != 0) die("cannot create '" + o.dir + "'", 73);
    GSM_InitLocales(nullptr);
    std::mt19937 rng(o.seed ? o.seed : static_cast<unsigned>(std::random_device{}()));
    const wadul::Timestamp now = wadul::now();
    Writer w(o);

    if (o.bulk > 0) {
        // Distinct senders and texts, one second apart, all short enough for one part.
        if (o.bulk > kMaxLocation) die("at most 9999 messages fit one folder", 64);
        const wadul::Timestamp base = now - o.bulk;
        static const char *const kWhat[] = {"jalan berlubang", "lampu jalan mati", "saluran air tersumbat",
                                            "sampah menumpuk", "pelayanan puskesmas lambat", "jembatan rusak"};
        for (long k = 1; k <= o.bulk; ++k) {
            Input in{fmt::format("+62812{:07d}", 1000000 + (k % 9000000)), base + k,
                     fmt::format("Keluhan nomor {}: {} di desa {}, mohon ditindaklanjuti.", k, kWhat[k % 6], k % 287)};
            auto msms = encode(o, in, 0);
            for (int i = 0; i < msms->Number; ++i) w.write(msms->SMS[i]);
        }
        return 0;
    }

    std::ifstream file;
    std::istream *src = &std::cin;
    if (o.input != "-") {
        file.open(o.input);
        if (!file) die("cannot open '" + o.input + "'", 66);
        src = &file;
    }
    std::vector<std::unique_ptr<GSM_MultiSMSMessage>> messages;
    std::string line;
    long lineno = 0;
    while (std::getline(*src, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const Input in = parse_line(line, lineno, now);
        auto msms = encode(o, in, o.ref >= 0 ? o.ref : static_cast<int>(rng() % 256));
        if (o.order == "reverse") {
            std::reverse(msms->SMS, msms->SMS + msms->Number);
        }
        if (o.order == "interleave") {
            messages.push_back(std::move(msms));
        } else {
            for (int i = 0; i < msms->Number; ++i) w.write(msms->SMS[i]);
        }
    }
    // Round-robin: first parts of every message, then second parts, ...
    for (int i = 0;; ++i) {
        bool any = false;
        for (auto &m : messages)
            if (i < m->Number) {
                w.write(m->SMS[i]);
                any = true;
            }
        if (!any) break;
    }
    return 0;
}
