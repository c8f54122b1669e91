#include "keeper/devnet/compile_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace keeper::devnet {

CompileLock::CompileLock(const std::filesystem::path& lock_path)
    : fd_(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0) return;
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        ::close(fd_);
        fd_ = -1;
        return;
    }
}

CompileLock::~CompileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace keeper::devnet
