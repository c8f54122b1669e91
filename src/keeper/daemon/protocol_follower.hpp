#pragma once
// ONE log follower for every protocol adapter: each head, one eth_getLogs
// (or one per range across a head gap) with every adapter's addresses and
// topics, its logs split by adapter in chain order; a reorg rolls back every
// adapter that had applied the removed blocks. An adapter that falls behind
// (its events failed to apply, or it starts from its own saved cursor) is
// caught up on its own by eth_getLogs ranges to the follower's tip, and joins
// the shared stream once level; the others are never held up by it.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::app {

// A follower of logs that is not a protocol (the price feeds): its filter
// joins the shared one, and it is handed the logs of the shared stream it
// selects, with the head being followed to. It keeps no cursor of its own:
// it starts at the head the follower opens at and never falls behind.
struct LogListener {
    chain::LogFilter filter;
    std::function<void(std::span<const chain::Log> logs, const chain::BlockHeader& head)> apply;
};

class ProtocolFollower {
public:
    using Notice = std::function<void(const std::string&)>;
    using ProgressFor = std::function<chain::ProgressSink(const std::string& protocol_key)>;

    ProtocolFollower(chain::JsonRpcClient& client, std::vector<protocols::ProtocolAdapter*> adapters, Notice notice,
                     std::function<bool()> interrupted, std::size_t reorg_window = 256);

    // Before open(): the listener's filter joins the shared one.
    void add_listener(LogListener listener) { listeners_.push_back(std::move(listener)); }

    // Opens every adapter (its saved cursor, or none) and syncs each to `head`.
    Result<void> open(const chain::BlockHeader& head, const ProgressFor& progress = {});
    struct Followed {
        chain::ChainUpdate update;             // what the shared follower did
        std::map<std::string, Error> behind;   // adapter key -> why it is not at the head this round
    };
    // Brings every adapter to `head`. Fails only when the shared follower
    // could not follow (the node); an adapter that could not be brought
    // level is named in `behind` with why, and stays behind until it can.
    Result<Followed> follow(const chain::BlockHeader& head, const ProgressFor& progress = {});
    // After the adapters' refresh: when any adapter's filter changed (an Aave
    // reserve listed since), the shared follower starts again at `head` with
    // the new filter.
    void refilter(const chain::BlockHeader& head);

private:
    chain::LogFilter shared_filter() const;
    // Syncs `adapter` from synced_through()+1 to `to` by ranges.
    Result<void> catch_up(protocols::ProtocolAdapter& adapter, std::uint64_t to, const chain::ProgressSink& progress);

    chain::JsonRpcClient& client_;
    std::vector<protocols::ProtocolAdapter*> adapters_;
    std::vector<LogListener> listeners_;
    Notice notice_;
    std::function<bool()> interrupted_;
    std::size_t reorg_window_;
    chain::LogFilter filter_;
    std::unique_ptr<chain::LogFollower> follower_;
};

// The logs of `all` that `filter` selects (address and topic0), in order.
std::vector<chain::Log> logs_for(const chain::LogFilter& filter, std::span<const chain::Log> all);

}  // namespace keeper::app
