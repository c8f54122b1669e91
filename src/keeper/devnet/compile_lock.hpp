#pragma once
// One compile per cache entry across processes: ctest starts several tests
// at once, and the first tests of a protocol each found its artifacts missing
// and each ran solc-js (Yield v2: ~60 s of CPU, twice, on a 2-core machine).
// Holding this lock, a second process waits for the first compile and then
// finds the entry published. flock(2) is released by the kernel when the
// process dies, so a killed compile never leaves the entry locked.
#include <filesystem>

namespace keeper::devnet {

class CompileLock {
public:
    // Blocks until no other process holds `lock_path`; a lock that cannot be
    // taken (read-only cache, no flock) is no lock: compiling twice is only slower.
    explicit CompileLock(const std::filesystem::path& lock_path);
    ~CompileLock();
    CompileLock(const CompileLock&) = delete;
    CompileLock& operator=(const CompileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace keeper::devnet
