// Diagnostics: stderr for the person at the terminal (or cron's mail), syslog for the record.
#pragma once

#include <string>

#include <fmt/format.h>

namespace wadul {

class Log {
public:
    // verbosity: 0 errors and warnings, 1 (-v) progress, 2 (-vv) debug; quiet (-q) hides warnings.
    Log(std::string tool = "wadul", int verbosity = 0, bool quiet = false);
    ~Log();
    Log(const Log &) = delete;
    Log &operator=(const Log &) = delete;

    // Opens syslog with the tool's name; facility is "daemon", "user" or "local0".."local7".
    void open_syslog(const std::string &facility);

    template <typename... A> void error(fmt::format_string<A...> f, A &&...a) {
        emit(3, fmt::format(f, std::forward<A>(a)...));
    }
    template <typename... A> void warn(fmt::format_string<A...> f, A &&...a) {
        emit(4, fmt::format(f, std::forward<A>(a)...));
    }
    // What happened, for the record: syslog always, stderr with -v.
    template <typename... A> void info(fmt::format_string<A...> f, A &&...a) {
        emit(6, fmt::format(f, std::forward<A>(a)...));
    }
    template <typename... A> void debug(fmt::format_string<A...> f, A &&...a) {
        if (verbosity_ >= 2) emit(7, fmt::format(f, std::forward<A>(a)...));
    }

    const std::string &tool() const { return tool_; }
    int verbosity() const { return verbosity_; }
    int warnings() const { return warnings_; }

private:
    void emit(int priority, const std::string &msg);
    std::string tool_;
    int verbosity_;
    bool quiet_;
    bool syslog_ = false;
    int warnings_ = 0;
};

} // namespace wadul
