#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "wadul/lock.hpp"
#include "wadul/modem.hpp"
#include "wadul/modem_part.hpp"
#include "wadul/utf16.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;
namespace fs = std::filesystem;

namespace {
Config dummy(const fs::path &phone) {
    Config c = default_config();
    c.modem.device = phone.string();
    c.modem.connection = "none";
    c.modem.model = "dummy";
    return c;
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
} // namespace

TEST_CASE("utf16 round trip keeps emoji and marks broken surrogates") {
    const std::string s = "Keluhan “beras” naik—Rp 15.000 😡!";
    CHECK(utf16_to_utf8(utf8_to_utf16(s)) == s);
    CHECK(utf8_to_utf16("😡").size() == 2);
    CHECK(utf16_to_utf8(std::u16string(1, char16_t(0xD83D))) == "\xEF\xBF\xBD");
    CHECK(utf16_from_be_bytes(utf16_to_be_bytes(u"a😡")) == u"a😡");
    CHECK(utf8_to_utf16("\xC0\xAF") == std::u16string(2, char16_t(0xFFFD))); // overlong '/'
}

TEST_CASE("the dummy phone: scan, remove, send") {
    TempDir d;
    const fs::path phone = d.path / "phone";
    fs::create_directories(phone);
    Config cfg = dummy(phone);
    cfg.modem.debug_log = (d.path / "gammu.log").string();
    GammuModem modem(cfg);

    int parts = 0;
    modem.scan_inbox([&](const InboxPart &) { return ++parts, true; }, [](const UnreadablePart &) {});
    CHECK(parts == 0);
    CHECK_FALSE(modem.remove(0, 10001));

    SendResult r = modem.send("+6281234567001", "Terima kasih, aduan Anda kami terima.", 6);
    CHECK(r.ok);
    CHECK(r.parts == 1);
    const std::string long_text(400, 'a');
    r = modem.send("+6281234567001", long_text, 6);
    CHECK(r.ok);
    CHECK(r.parts == 3);
    r = modem.send("+6281234567001", long_text, 2);
    CHECK_FALSE(r.ok);
    CHECK(r.permanent);
    CHECK(r.parts == 0);
    r = modem.send("+6281234567001", "Jawaban 😡 siap", 1); // UCS-2
    CHECK(r.ok);
    const std::string log = slurp(cfg.modem.debug_log);
    CHECK(log.find("+6281234567001") != std::string::npos);
    CHECK(log.find("Unicode SMS") != std::string::npos);
}

TEST_CASE("opening a missing phone or gammurc fails with the right exit code") {
    TempDir d;
    try {
        GammuModem m(dummy(d.path / "missing"));
        FAIL("opened a missing phone");
    } catch (const Error &e) {
        CHECK(e.code() == kExitUnavailable);
        CHECK(std::string(e.what()).find("cannot open modem '") == 0);
    }
    Config c = default_config();
    c.modem.gammurc = (d.path / "nope").string();
    try {
        GammuModem m(c);
        FAIL("opened without a gammurc");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
    }
}

TEST_CASE("the modem lock is exclusive") {
    TempDir d;
    const std::string path = (d.path / "sub" / "modem.lock").string();
    {
        ModemLock a(path);
        try {
            ModemLock b(path);
            FAIL("took the lock twice");
        } catch (const Error &e) {
            CHECK(e.code() == kExitTempFail);
        }
    }
    ModemLock again(path); // released with the first
}

namespace {
// Runs ModemLock(path) in a child process, as user nobody when this is root (a lock file root
// left behind, met by the wadul user), else as this user; its exit code (0: locked), and the
// error's message in `message` when given.
int lock_in_child(const std::string &path, std::string *message = nullptr) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipe_fds[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(99);
        try {
            ModemLock l(path);
            ::_exit(0);
        } catch (const Error &e) {
            const std::string what = e.what();
            if (::write(pipe_fds[1], what.data(), what.size()) < 0) ::_exit(98);
            ::_exit(e.code());
        }
    }
    ::close(pipe_fds[1]);
    std::string got;
    char buf[256];
    for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    if (message) *message = got;
    return WEXITSTATUS(status);
}
} // namespace

TEST_CASE("a lock file this user cannot write still locks: a hand run as root must not stop cron") {
    TempDir d;
    REQUIRE(::chmod(d.path.c_str(), 0755) == 0);
    const std::string path = d.file("modem.lock");
    { ModemLock created(path); } // root's, or this user's made read-only below
    REQUIRE(::chmod(path.c_str(), 0444) == 0);
    CHECK(lock_in_child(path) == 0);
    const int held = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(held >= 0);
    REQUIRE(::flock(held, LOCK_EX | LOCK_NB) == 0);
    CHECK(lock_in_child(path) == kExitTempFail); // still exclusive
    ::close(held);
    REQUIRE(::chmod(path.c_str(), 0) == 0);
    CHECK(lock_in_child(path) == kExitNoPerm); // root reads any file: the child runs as nobody

    // No lock file yet, in a directory this user cannot write: that directory is what to fix.
    const std::string closed = d.file("closed");
    REQUIRE(::mkdir(closed.c_str(), 0555) == 0);
    std::string why;
    CHECK(lock_in_child(closed + "/modem.lock", &why) == kExitNoPerm);
    const std::string uid = ::geteuid() == 0 ? "65534" : std::to_string(::geteuid());
    CHECK(why == "cannot create modem lock '" + closed + "/modem.lock': directory '" + closed +
                     "' is not writable (uid " + uid + ")");
}

namespace {
// An SMS-DELIVER PDU as a modem hands it over (+CMGL in PDU mode, no SMSC address), from
// +6281234567001; `udh` (with its length byte) set the UDHI bit; `ud_len` is TP-UDL.
std::vector<unsigned char> deliver_pdu(unsigned char dcs, const std::vector<unsigned char> &udh,
                                       const std::vector<unsigned char> &ud, unsigned char ud_len) {
    std::vector<unsigned char> pdu = {0x00, static_cast<unsigned char>(udh.empty() ? 0x04 : 0x44),
                                      0x0D, 0x91, 0x26, 0x18, 0x32, 0x54, 0x76, 0x00, 0xF1, 0x00, dcs,
                                      0x62, 0x11, 0x82, 0x90, 0x00, 0x00, 0x82, ud_len};
    for (unsigned char b : udh) pdu.push_back(b); // not insert(): GCC 12 -Warray-bounds misfires
    for (unsigned char b : ud) pdu.push_back(b);
    return pdu;
}

InboxPart decoded(const std::vector<unsigned char> &pdu) {
    GSM_SMSMessage m{};
    size_t end = 0;
    REQUIRE(GSM_DecodePDUFrame(nullptr, &m, pdu.data(), pdu.size(), &end, TRUE) == ERR_NONE);
    return inbox_part(m);
}
} // namespace

TEST_CASE("a UCS-2 SMS with U+0000 inside keeps the text after it") {
    // "Hi", U+0000, "!" then two U+0000 of padding: libgammu's decoder sets Length 6.
    const std::vector<unsigned char> ud = {0x00, 0x48, 0x00, 0x69, 0x00, 0x00, 0x00, 0x21,
                                           0x00, 0x00, 0x00, 0x00};
    const InboxPart p = decoded(deliver_pdu(0x08, {}, ud, static_cast<unsigned char>(ud.size())));
    CHECK(p.sender == "+6281234567001");
    CHECK(p.text == std::u16string(u"Hi\u0000!", 4));
    CHECK(utf16_to_utf8(p.text) == "Hi\xEF\xBF\xBD!");

    // The same inside a long message's part: the UDH is not counted as text.
    const std::vector<unsigned char> udh = {0x05, 0x00, 0x03, 0x2A, 0x02, 0x01};
    const InboxPart q = decoded(deliver_pdu(0x08, udh, {0x00, 0x41, 0x00, 0x00, 0x00, 0x42}, 12));
    CHECK(q.part_no == 1);
    CHECK(q.part_count == 2);
    CHECK(q.text == std::u16string(u"A\u0000B", 3));
}

TEST_CASE("a GSM-7 SMS is not read past its text by its septet count") {
    // "€5": ESC 0x65 '5' is three septets for two characters.
    const InboxPart p = decoded(deliver_pdu(0x00, {}, {0x9B, 0x72, 0x0D}, 3));
    CHECK(utf16_to_utf8(p.text) == "\xE2\x82\xAC" "5");
}

TEST_CASE("the modem's report: known and unknown fields, text and JSON") {
    ModemInfo m;
    m.device = "/dev/ttyUSB0";
    m.manufacturer = "huawei";
    m.network = "searching";
    m.network_code = "510 10";
    m.network_name = "Tel\"kom";
    m.signal_percent = 12;
    m.sim_used = 3;
    m.sim_size = 50;
    m.phone_used = 0;
    m.phone_size = 0;
    CHECK_FALSE(m.usable());
    CHECK(format_modem_info(m, "text") == "device        /dev/ttyUSB0\n"
                                          "manufacturer  huawei\n"
                                          "model         unknown\n"
                                          "firmware      unknown\n"
                                          "imei          unknown\n"
                                          "network       searching, 510 10 (Tel\"kom)\n"
                                          "signal        12 %\n"
                                          "sms memory    SIM 3 of 50 used; phone none\n");
    CHECK(format_modem_info(m, "json") ==
          "{\"device\":\"/dev/ttyUSB0\",\"manufacturer\":\"huawei\",\"model\":null,\"firmware\":null,\"imei\":null,"
          "\"network\":{\"state\":\"searching\",\"code\":\"510 10\",\"name\":\"Tel\\\"kom\"},"
          "\"signal\":{\"dbm\":null,\"percent\":12},"
          "\"sms_memory\":{\"sim_used\":3,\"sim_size\":50,\"phone_used\":0,\"phone_size\":0},\"usable\":false}\n");
    ModemInfo silent; // a modem that tells nothing is not called unusable
    CHECK(silent.usable());
    CHECK(format_modem_info(silent, "text").find("network       unknown\nsignal        unknown\nsms memory    unknown\n") !=
          std::string::npos);
    for (const char *state : {"home", "roaming"}) {
        m.network = state;
        CHECK(m.usable());
    }
    for (const char *state : {"denied", "none"}) {
        m.network = state;
        CHECK_FALSE(m.usable());
    }
}
