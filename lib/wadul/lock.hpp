// The modem lock: every wadul run that talks to the modem (fetch, forward) holds it, so two never
// use the modem at once.
#pragma once

#include <string>

namespace wadul {

class ModemLock {
public:
    // Takes an exclusive flock on `path` without waiting, creating the file and its directory when
    // missing. Throws Error(kExitTempFail) when another run holds it (retry next tick),
    // kExitCantCreate or kExitNoPerm when the file cannot be opened.
    explicit ModemLock(const std::string &path);
    ~ModemLock();
    ModemLock(const ModemLock &) = delete;
    ModemLock &operator=(const ModemLock &) = delete;

private:
    int fd_ = -1;
};

} // namespace wadul
