// One solc-js compile per cache entry across processes (keeper/devnet/compile_lock.hpp):
// while one holder has the entry's lock, another process's flock on the same
// file would block; once it is released, the entry is free.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <gtest/gtest.h>

#include "keeper/devnet/compile_lock.hpp"

namespace keeper::devnet {
namespace compile_lock_test {

namespace fs = std::filesystem;

// What another process's flock sees: taken or not, without waiting.
bool another_holder_can_lock(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
}

TEST(CompileLockTest, HoldsTheEntryUntilItGoesOutOfScope) {
    const fs::path path = fs::temp_directory_path() / ("compile-lock-test-" + std::to_string(::getpid()) + ".lock");
    {
        const CompileLock lock(path);
        ASSERT_TRUE(fs::exists(path));
        EXPECT_FALSE(another_holder_can_lock(path));
    }
    EXPECT_TRUE(another_holder_can_lock(path));
    fs::remove(path);
}

}  // namespace compile_lock_test
}  // namespace keeper::devnet
