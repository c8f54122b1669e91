#pragma once
// Pending mode of [[feeds]] (pending_transmissions = true): a thread of its
// own holds a websocket subscription to the node's pending transactions
// (eth_subscribe "newPendingTransactions" with full transactions; a node
// that sends hashes only is asked eth_getTransactionByHash), and queues each
// OCR2 transmit to a watched aggregator with its decoded report. The round
// that acts on one (Keeper::tick_pending) runs on the daemon's thread: this
// file only recognises and queues. Reconnects and re-subscribes are the
// SubscriptionClient's; a transmit sent while the socket was down is missed
// here and caught as a mined NewTransmission by the ordinary rounds.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "chain/rpc_types.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "oracles/ocr2_transmit.hpp"

namespace keeper::app {

struct PendingTransmission {
    Address aggregator;
    oracles::chainlink::Ocr2Transmit transmit;
    chain::PendingTransaction tx;  // its hash, sender and tip (the keeper never outbids it)
};

// nullopt: not a transmit to one of `aggregators` (another address, another
// call). An error: a transmit to a watched aggregator whose calldata the
// aggregator would refuse (it will revert: nothing to act on). Pure.
std::optional<Result<PendingTransmission>> recognise_transmission(const chain::PendingTransaction& tx,
                                                                  std::span<const Address> aggregators);

class PendingTransmissionWatcher {
public:
    using Log = std::function<void(const std::string&)>;
    struct Options {
        std::string ws_url;
        std::vector<Address> aggregators;
        Log info, warn;
        std::function<bool()> stopping;  // the program's shutdown
        std::size_t max_queued = 64;     // the oldest go first
    };
    explicit PendingTransmissionWatcher(Options options);
    ~PendingTransmissionWatcher();
    PendingTransmissionWatcher(const PendingTransmissionWatcher&) = delete;
    PendingTransmissionWatcher& operator=(const PendingTransmissionWatcher&) = delete;

    void start();
    void stop();
    // The oldest queued transmission, if any.
    std::optional<PendingTransmission> take();
    // True as soon as one is queued; false after `timeout` or on stop.
    bool wait(std::chrono::milliseconds timeout);

private:
    void run();
    bool stopping() const { return stop_ || (options_.stopping && options_.stopping()); }

    Options options_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<PendingTransmission> queue_;
    std::atomic<bool> stop_{false};
    std::thread worker_;
};

}  // namespace keeper::app
