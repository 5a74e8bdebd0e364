#include "wadul/log.hpp"

#include <cstdio>
#include <syslog.h>

#include "wadul/error.hpp"

namespace wadul {

Log::Log(std::string tool, int verbosity, bool quiet) : tool_(std::move(tool)), verbosity_(verbosity), quiet_(quiet) {}

Log::~Log() {
    if (syslog_) closelog();
}

void Log::open_syslog(const std::string &facility) {
    static const struct {
        const char *name;
        int value;
    } kFacilities[] = {{"daemon", LOG_DAEMON}, {"user", LOG_USER},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
                       {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
                       {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7}};
    int value = -1;
    for (const auto &f : kFacilities)
        if (facility == f.name) value = f.value;
    if (value < 0) fail(kExitConfig, "unknown syslog facility '{}' (log.facility)", facility);
    openlog(tool_.c_str(), LOG_PID, value);
    syslog_ = true;
}

void Log::emit(int priority, const std::string &msg) {
    if (syslog_) ::syslog(priority, "%s", msg.c_str());
    const char *label = nullptr;
    switch (priority) {
    case 3: label = "error: "; break;
    case 4:
        ++warnings_;
        if (quiet_) return;
        label = "warning: ";
        break;
    case 6:
        if (verbosity_ < 1) return;
        label = "";
        break;
    default: label = "debug: "; break;
    }
    std::fprintf(stderr, "%s: %s%s\n", tool_.c_str(), label, msg.c_str());
}

} // namespace wadul
