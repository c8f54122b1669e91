#include "keeper/daemon/failure_backoff.hpp"

#include <algorithm>

namespace keeper::app {

FailureBackoff::FailureBackoff(std::uint64_t max_skip_blocks)
    : max_skip_blocks_(std::max<std::uint64_t>(1, max_skip_blocks)) {}

bool FailureBackoff::skips(const std::string& key, std::uint64_t block) const {
    const auto found = entries_.find(key);
    return found != entries_.end() && block < found->second.retry_at;
}

FailureBackoff::Failure FailureBackoff::failed(const std::string& key, std::uint64_t block,
                                               const std::string& message) {
    auto [it, fresh] = entries_.try_emplace(key);
    Entry& entry = it->second;
    const bool changed = fresh || entry.message != message;
    if (entry.consecutive < UINT32_MAX) ++entry.consecutive;
    // 2^(consecutive-1) blocks, without shifting past the cap.
    std::uint64_t skip = 1;
    for (std::uint32_t i = 1; i < entry.consecutive && skip < max_skip_blocks_; ++i) skip *= 2;
    skip = std::min(skip, max_skip_blocks_);
    entry.retry_at = block > UINT64_MAX - skip ? UINT64_MAX : block + skip;
    entry.message = message;
    return Failure{changed, entry.consecutive, entry.retry_at};
}

bool FailureBackoff::succeeded(const std::string& key) { return entries_.erase(key) > 0; }

void FailureBackoff::forget_unless(const std::function<bool(const std::string&)>& keep) {
    std::erase_if(entries_, [&](const auto& entry) { return !keep(entry.first); });
}

std::optional<std::string> FailureBackoff::last_error(const std::string& key) const {
    const auto found = entries_.find(key);
    if (found == entries_.end()) return std::nullopt;
    return found->second.message;
}

}  // namespace keeper::app
