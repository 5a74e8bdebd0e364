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
        if (ec) fail(kExitCantCreate, "cannot create directory '{}' for the modem lock: {}", dir.string(), lower_first(ec.message()));
    }
    // 0664: the file is only ever locked, never written, and flock needs no write access. A lock
    // file a hand run as root left behind (0644, root's) is opened read-only by the wadul user;
    // otherwise every cron run after that one would fail here.
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
    int err = errno;
    if (fd_ < 0 && (err == EACCES || err == EPERM)) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        // No such file: the directory refused to create it, which is what to say.
        if (fd_ < 0 && errno == ENOENT)
            fail(kExitNoPerm, "cannot create modem lock '{}': directory '{}' is not writable (uid {})", path,
                 dir.empty() ? std::string(".") : dir.string(), ::geteuid());
        err = errno;
    }
    if (fd_ < 0) {
        if (err == EACCES || err == EPERM)
            fail(kExitNoPerm, "cannot open modem lock '{}': {} (uid {}); remove it or make it readable",
                 path, errno_text(err), ::geteuid());
        fail(kExitCantCreate, "cannot open modem lock '{}': {}", path, errno_text(err));
    }
    // flock, not fcntl locks: it belongs to the open file, so the `flock` command and other
    // wadul tools see the same lock, and it ends with the process however it ends.
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK)
            fail(kExitTempFail, "modem is in use by another wadul run (lock '{}')", path);
        fail(kExitIoErr, "cannot lock '{}': {}", path, errno_text(err));
    }
}

ModemLock::~ModemLock() {
    if (fd_ >= 0) ::close(fd_);
}

} // namespace wadul
