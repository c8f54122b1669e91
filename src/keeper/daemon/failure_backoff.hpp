#pragma once
// Errors that concern one piece of work (a loan token, a market, a reserve,
// one position), not the whole round. A key that fails is skipped for a
// number of blocks that doubles with each consecutive failure (1, 2, 4, ...
// up to max_skip_blocks) and is forgotten on its first success, so one
// poisoned market costs one failed read per backoff period while every other
// market goes on. Each failure says whether its message differs from the
// last one of that key: callers log an error once per change, not every
// round. Pure: block numbers come in as arguments, no clock.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace keeper::app {

class FailureBackoff {
public:
    explicit FailureBackoff(std::uint64_t max_skip_blocks = 64);

    struct Failure {
        bool changed = false;          // first failure of the key, or a different message: log it
        std::uint32_t consecutive = 0; // failures in a row, this one included
        std::uint64_t retry_at = 0;    // the first block at which the key is tried again
    };

    // True while `key` waits out a failure at `block`.
    bool skips(const std::string& key, std::uint64_t block) const;
    // Records a failure of `key` seen at `block`.
    Failure failed(const std::string& key, std::uint64_t block, const std::string& message);
    // Forgets `key`; true when it had failed (the caller may say it recovered).
    bool succeeded(const std::string& key);
    // Forgets every key `keep` rejects: work that no longer exists.
    void forget_unless(const std::function<bool(const std::string&)>& keep);

    std::optional<std::string> last_error(const std::string& key) const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::uint32_t consecutive = 0;
        std::uint64_t retry_at = 0;
        std::string message;
    };
    std::uint64_t max_skip_blocks_;
    std::map<std::string, Entry> entries_;
};

}  // namespace keeper::app
