#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
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

std::string read_text(const std::string &path) {
    std::ifstream in(path);
    REQUIRE(in);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// "section.key" -> value as --show-config writes it (without the "  # origin" tail).
std::map<std::string, std::string> shown_defaults() {
    std::map<std::string, std::string> out;
    std::istringstream in(show_config(default_config()));
    std::string line, section;
    while (std::getline(in, line)) {
        if (line.size() > 2 && line.front() == '[') {
            section = line.substr(1, line.size() - 2);
            continue;
        }
        const size_t eq = line.find(" = ");
        if (eq == std::string::npos) continue;
        const size_t tail = line.rfind("  # ");
        out[section + "." + line.substr(0, eq)] = line.substr(eq + 3, tail - eq - 3);
    }
    return out;
}

// Paths come from the build's install prefix: the documents show the usual one.
bool prefix_dependent(const std::string &value) { return value.find('/') != std::string::npos; }

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

TEST_CASE("a mistyped configuration variable is an error; other WADUL_ variables are not") {
    TempFile f("[store]\npath = \"/tmp/x.db\"\n");
    setenv("WADUL_STORE_PATHX", "/tmp/env.db", 1);
    try {
        load_config(f.path);
        FAIL("WADUL_STORE_PATHX accepted");
    } catch (const Error &e) {
        CHECK(e.code() == kExitConfig);
        CHECK(std::string(e.what()) ==
              "env WADUL_STORE_PATHX: unknown configuration variable (no such key in [store]; see wadul.toml(5))");
    }
    unsetenv("WADUL_STORE_PATHX");
    setenv("WADUL_SLA_HOURS_MONDAY", "07:00-15:00", 1);
    CHECK_THROWS_AS(load_config(f.path), Error);
    unsetenv("WADUL_SLA_HOURS_MONDAY");
    setenv("WADUL_BINDIR", "/usr/bin", 1);
    setenv("WADUL_STEP_TIMEOUT", "300", 1);
    CHECK_NOTHROW(load_config(f.path));
    unsetenv("WADUL_BINDIR");
    unsetenv("WADUL_STEP_TIMEOUT");
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

TEST_CASE("etc/wadul.toml and wadul.toml(5) state the compiled defaults") {
    const auto defaults = shown_defaults();
    REQUIRE(defaults.count("forward.max_parts") == 1);
    int compared = 0;
    {
        // The example: "#key = value" (or "key = value") under its [section].
        std::istringstream in(read_text(std::string(WADUL_SOURCE_DIR) + "/etc/wadul.toml"));
        const std::regex entry(R"(^#?([a-z_]+) = (.*)$)");
        std::string line, section;
        std::smatch m;
        while (std::getline(in, line)) {
            if (line.size() > 2 && line.front() == '[') section = line.substr(1, line.find(']') - 1);
            if (!std::regex_match(line, m, entry) || section == "templates") continue;
            const auto it = defaults.find(section + "." + m.str(1));
            REQUIRE_MESSAGE(it != defaults.end(), "etc/wadul.toml: unknown key " << section << "." << m.str(1));
            // The inline modem is shown with an example value: its default is empty (use gammurc).
            if (prefix_dependent(it->second) || it->first == "modem.device" || it->first == "modem.connection")
                continue;
            CHECK_MESSAGE(m.str(2) == it->second, "etc/wadul.toml: " << it->first << " = " << m.str(2)
                                                                       << ", compiled default " << it->second);
            ++compared;
        }
    }
    {
        // The man page: "*key* = value" items, several to a line, in the terms (lines that start
        // with "*") under "## [section]"; the prose may name other values.
        std::istringstream in(read_text(std::string(WADUL_SOURCE_DIR) + "/man/wadul.toml.5.scd"));
        const std::regex item(R"(\*([a-z_]+)\* = ("[^"]*"|\[\]|[^, ]+))");
        std::string line, section;
        while (std::getline(in, line)) {
            if (line.rfind("## [", 0) == 0) section = line.substr(4, line.find(']') - 4);
            if (line.empty() || line.front() != '*') continue;
            for (std::sregex_iterator i(line.begin(), line.end(), item), end; i != end; ++i) {
                const auto it = defaults.find(section + "." + (*i)[1].str());
                REQUIRE_MESSAGE(it != defaults.end(), "wadul.toml(5): unknown key " << section << "." << (*i)[1]);
                if (prefix_dependent(it->second)) continue;
                CHECK_MESSAGE((*i)[2].str() == it->second, "wadul.toml(5): " << it->first << " = " << (*i)[2]
                                                                            << ", compiled default " << it->second);
                ++compared;
            }
        }
    }
    CHECK(compared > 60);
}
