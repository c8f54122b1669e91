#pragma once
// A FailureBackoff with its reporting, as the liquidators and the round use
// it: every piece of work an error leaves out of a round is counted (the
// round's skipped_errors), each error is logged when it first appears or its
// text changes, and once when it clears, never every round.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "keeper/daemon/failure_backoff.hpp"

namespace keeper::app {

class WorkErrors {
public:
    using Log = std::function<void(const std::string&)>;
    WorkErrors(Log warn, Log info, std::uint64_t max_skip_blocks = 64);

    // Resets the count of work skipped this round.
    void start_round() { skipped_ = 0; }
    // True while `key` waits out an earlier failure at `block`.
    bool waiting(const std::string& key, std::uint64_t block) const { return backoff_.skips(key, block); }
    // The same, counted as one piece of work skipped when true.
    bool skips(const std::string& key, std::uint64_t block);
    // `key` failed at `block` with `what` (a line naming the work and the
    // error): logged when new or changed, skipped with backoff, and counted
    // as one piece of work skipped unless `counted` is false (the caller
    // counts, e.g. when the failure leaves out only part of the work).
    void failed(const std::string& key, std::uint64_t block, const std::string& what, bool counted = true);
    void count_skipped() { ++skipped_; }
    // Counted and logged once per change like failed(), without backoff: for
    // work that is retried every round anyway (following a protocol).
    void noted(const std::string& key, std::uint64_t block, const std::string& what);
    // `key` works (again): forgotten; logged when it had failed.
    void succeeded(const std::string& key);
    void forget_unless(const std::function<bool(const std::string&)>& keep) { backoff_.forget_unless(keep); }

    std::size_t skipped() const { return skipped_; }
    const FailureBackoff& backoff() const { return backoff_; }

private:
    FailureBackoff backoff_;
    Log warn_, info_;
    std::size_t skipped_ = 0;
};

}  // namespace keeper::app
