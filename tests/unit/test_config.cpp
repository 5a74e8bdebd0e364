#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "wadul/config.hpp"
#include "wadul/error.hpp"
#include "temp.hpp"

using namespace wadul;
using wadul::test::TempDir;
using wadul::test::TempFile;

namespace {

// The error message with the temp file's name cut off the front.
std::string error_of(const std::string &text) {
    TempFile f(text);
    try {
        load_config(f.path);
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        std::string m = e.what();
        return m.compare(0, f.path.size(), f.path) == 0 ? m.substr(f.path.size()) : m;
    }
    return "no error";
}

} // namespace

TEST_CASE("defaults follow the FHS") {
    Config c = default_config();
    CHECK(c.store.path == "/var/lib/wadul/wadul.db");
    CHECK(c.registry.path == "/etc/wadul/agencies.toml");
    CHECK(c.modem.gammurc == "/etc/gammurc");
    CHECK(c.modem.section == 0);
    CHECK(c.origin.at("store.path") == "default");
}

TEST_CASE("a config file overrides defaults and records where") {
    TempFile f("[store]\npath = \"/tmp/x.db\"\n\n[modem]\nsection = 2\n");
    unsetenv("WADUL_STORE_PATH");
    Config c = load_config(f.path);
    CHECK(c.store.path == "/tmp/x.db");
    CHECK(c.modem.section == 2);
    CHECK(c.origin.at("store.path") == f.path + ":2");
    CHECK(show_config(c).find("path = \"/tmp/x.db\"  # " + f.path + ":2") != std::string::npos);
}

TEST_CASE("environment beats the file") {
    TempFile f("[store]\npath = \"/tmp/x.db\"\n");
    setenv("WADUL_STORE_PATH", "/tmp/env.db", 1);
    Config c = load_config(f.path);
    unsetenv("WADUL_STORE_PATH");
    CHECK(c.store.path == "/tmp/env.db");
    CHECK(c.origin.at("store.path") == "env WADUL_STORE_PATH");
}

TEST_CASE("errors name file:line:column") {
    CHECK(error_of("[store]\npaht = \"x\"\n") == ":2:1: unknown key 'store.paht'");
    CHECK(error_of("[modem]\nsection = \"one\"\n") == ":2:11: bad value for 'modem.section': expected an integer");
    CHECK(error_of("[modem]\nsection = 100\n") ==
          ":2:11: bad value for 'modem.section': expected an integer from 0 to 99");
    CHECK(error_of("[nope]\nx = 1\n") == ":1:2: unknown key 'nope'");
    CHECK(error_of("[store\npath = 1\n").find(":1:") == 0);
    CHECK(error_of("[sla.hours]\nmon = \"7-15\"\n") ==
          ":2:7: bad value for 'sla.hours.mon': expected hours as \"07:00-15:30\", or \"\" for closed");
    CHECK(error_of("[templates]\nack = \"Tiket {tiket}\"\n") ==
          ":2:7: bad value for 'templates.ack': unknown placeholder '{tiket}' in template 'ack' (allowed: {ticket})");
}

TEST_CASE("office hours and admin phones are checked strictly") {
    CHECK(error_of("[sla.hours]\nfri = \"07:0a-11:00\"\n") ==
          ":2:7: bad value for 'sla.hours.fri': expected hours as \"07:00-15:30\", or \"\" for closed");
    CHECK(error_of("[sla]\nadmin_phones = [\"081100000000\", \"abc\"]\n") ==
          ":2:16: bad value for 'sla.admin_phones': bad phone number 'abc'");
    TempFile f("[sla]\nadmin_phones = [\"0811-0000-0000\", \"+62 812 3456 7890\"]\n");
    const Config c = load_config(f.path);
    CHECK(c.sla.admin_phones == std::vector<std::string>{"+6281100000000", "+6281234567890"});
}

TEST_CASE("a directory is not a config file") {
    TempDir d;
    try {
        load_config(d.path.string());
        FAIL("loaded");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        CHECK(std::string(e.what()) == "cannot read config '" + d.path.string() + "': it is a directory");
    }
}

TEST_CASE("an explicit config file must exist") {
    try {
        load_config("/nonexistent/wadul.toml");
        FAIL("loaded");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        CHECK(std::string(e.what()) == "cannot open config '/nonexistent/wadul.toml': no such file");
    }
}

TEST_CASE("templates render their placeholders") {
    CHECK(render_template("Tiket {ticket}: {stage}", {{"ticket", "7KQ4MX2"}, {"stage", "diproses"}}) ==
          "Tiket 7KQ4MX2: diproses");
    CHECK(render_template("{unknown} {", {}) == "{unknown} {");
}

TEST_CASE("etc/wadul.toml loads and documents every key") {
    const std::string path = std::string(WADUL_SOURCE_DIR) + "/etc/wadul.toml";
    Config c = load_config(path);
    CHECK(c.store.path == "/var/lib/wadul/wadul.db");
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Every key that --show-config prints appears in the example, set or commented out.
    const std::string shown = show_config(default_config());
    size_t pos = 0;
    int keys = 0;
    while ((pos = shown.find('\n', pos)) != std::string::npos) {
        const size_t start = ++pos;
        const size_t eq = shown.find(" = ", start);
        const size_t nl = shown.find('\n', start);
        if (eq == std::string::npos || eq > nl) continue;
        const std::string key = shown.substr(start, eq - start);
        ++keys;
        CHECK_MESSAGE((text.find("\n" + key + " = ") != std::string::npos ||
                       text.find("\n#" + key + " = ") != std::string::npos),
                      "etc/wadul.toml lacks " << key);
    }
    CHECK(keys > 50);
}
