#include "wadul/lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

#include "wadul/error.hpp"

namespace wadul {

ModemLock::ModemLock(const std::string &path) {
    if (path.empty()) fail(kExitConfig, "no modem lock file configured (modem.lock)");
    const auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) fail(kExitCantCreate, "cannot create directory '{}' for the modem lock: {}", dir.string(), ec.message());
    }
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        const int err = errno;
        fail(err == EACCES || err == EPERM ? kExitNoPerm : kExitCantCreate, "cannot open modem lock '{}': {}", path,
             std::strerror(err));
    }
    // flock, not fcntl locks: it belongs to the open file, so the `flock` command and other
    // wadul tools see the same lock, and it ends with the process however it ends.
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK)
            fail(kExitTempFail, "modem is in use by another wadul run (lock '{}')", path);
        fail(kExitIoErr, "cannot lock '{}': {}", path, std::strerror(err));
    }
}

ModemLock::~ModemLock() {
    if (fd_ >= 0) ::close(fd_);
}

} // namespace wadul
