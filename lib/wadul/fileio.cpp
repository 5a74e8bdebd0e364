#include "wadul/fileio.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "wadul/error.hpp"

namespace wadul {

int exit_for_errno(int err, int otherwise) {
    if (err == EACCES || err == EPERM || err == EROFS) return kExitNoPerm;
    return otherwise;
}

void write_file_atomically(const std::string &path, const std::string &data) {
    const size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string tmp = (slash == std::string::npos ? "" : path.substr(0, slash + 1)) + "." + name + ".tmp";

    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail(exit_for_errno(errno, kExitCantCreate), "cannot create '{}': {}", tmp, errno_text(errno));
    int err = 0;
    for (size_t off = 0; off < data.size() && !err;) {
        const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n >= 0) off += static_cast<size_t>(n);
        else if (errno != EINTR) err = errno;
    }
    if (!err && ::fsync(fd) != 0) err = errno;
    ::close(fd);
    if (err) {
        ::unlink(tmp.c_str());
        fail(exit_for_errno(err, kExitIoErr), "cannot write '{}': {}", tmp, errno_text(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        err = errno;
        ::unlink(tmp.c_str());
        fail(exit_for_errno(err, kExitCantCreate), "cannot rename '{}' to '{}': {}", tmp, path, errno_text(err));
    }
    // The rename itself is durable only once the directory is synced.
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace wadul
