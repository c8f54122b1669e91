#include "keeper/daemon/work_errors.hpp"

#include <utility>

namespace keeper::app {

WorkErrors::WorkErrors(Log warn, Log info, std::uint64_t max_skip_blocks)
    : backoff_(max_skip_blocks), warn_(std::move(warn)), info_(std::move(info)) {}

bool WorkErrors::skips(const std::string& key, std::uint64_t block) {
    if (!backoff_.skips(key, block)) return false;
    ++skipped_;
    return true;
}

void WorkErrors::failed(const std::string& key, std::uint64_t block, const std::string& what, bool counted) {
    if (counted) ++skipped_;
    const auto failure = backoff_.failed(key, block, what);
    if (failure.changed && warn_)
        warn_(what + " (skipped; tried again from block " + std::to_string(failure.retry_at) +
              ", backing off while it fails; logged again only if the error changes)");
}

void WorkErrors::noted(const std::string& key, std::uint64_t block, const std::string& what) {
    ++skipped_;
    const auto failure = backoff_.failed(key, block, what);
    if (failure.changed && warn_) warn_(what + " (logged again only if the error changes)");
}

void WorkErrors::succeeded(const std::string& key) {
    if (backoff_.succeeded(key) && info_) info_(key + ": works again");
}

}  // namespace keeper::app
