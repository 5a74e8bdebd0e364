// The one error type of wadul: a message and the sysexits code a tool exits with.
#pragma once

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace wadul {

// Exit codes follow sysexits(3); every man page lists them under EXIT STATUS.
enum Exit : int {
    kExitOk = 0,
    kExitFinding = 1,      // a documented finding, e.g. SLA breaches exist
    kExitUsage = 64,
    kExitDataErr = 65,     // bad input data
    kExitNoInput = 66,     // input file missing
    kExitUnavailable = 69, // modem unavailable
    kExitSoftware = 70,    // internal bug
    kExitCantCreate = 73,
    kExitIoErr = 74,
    kExitTempFail = 75,    // store or modem busy: retry next tick
    kExitNoPerm = 77,
    kExitConfig = 78,
};

class Error : public std::runtime_error {
public:
    Error(int code, std::string message) : std::runtime_error(std::move(message)), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

template <typename... Args>
[[noreturn]] void fail(int code, fmt::format_string<Args...> f, Args &&...args) {
    throw Error(code, fmt::format(f, std::forward<Args>(args)...));
}

// A system error's text as wadul's messages put it: "no such file or directory", lowercase
// like the rest of the message; "I/O error" keeps its capitals.
inline std::string lower_first(std::string s) {
    if (s.size() > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}
std::string errno_text(int err); // strerror(err), lower_first

// The worse of two exit codes, for batch loops that go on after a bad item.
inline int worse(int a, int b) { return a == 0 ? b : (b == 0 ? a : (b > a ? b : a)); }

} // namespace wadul
