#pragma once
// Keeps one Morpho Blue deployment's markets and positions in step with the
// chain: restores saved state (if it is still on the canonical chain), syncs
// events from there (or from start_block), then follows the head through
// reorgs. After each range or block the changed rows and the cursor are
// committed to the state store in one transaction, so a kill -9 at any moment
// resumes from the last committed block. Each head, every market is re-read
// (market(id), the oracle's price(), the IRM's rate) and accrued to the head's
// timestamp.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/daemon/morpho_evaluation.hpp"
#include "keeper/state/state_store.hpp"
#include "margin/morpho_book.hpp"

namespace keeper::app {

// A market left out of a refresh: its reading (market, oracle or IRM) or its
// accrual failed at that head.
struct MarketError {
    morpho::MarketId market;
    std::string message;
};

class MorphoTracker {
public:
    struct Options {
        std::string protocol_key;  // "morpho-blue@0x<address>": names the protocol in state and logs
        Address morpho;
        std::uint64_t start_block = 0;
        std::vector<morpho::MarketId> markets;  // empty: every market
        std::size_t reorg_window = 256;
        std::function<bool()> interrupted;  // checked between ranges of a long sync (SIGTERM)
    };
    using Progress = std::function<void(const chain::SyncProgress&)>;
    using Notice = std::function<void(const std::string&)>;  // a line for the operator's log

    // `store` may be null (scan): nothing is persisted then.
    MorphoTracker(chain::JsonRpcClient& client, Options options, state::StateStore* store, Notice notice);

    Result<void> catch_up(const chain::BlockHeader& head, const Progress& progress = {});
    // A head far past the last block (after an outage) is caught up by ranges
    // as catch_up() does, reporting to `progress`, then followed block by block.
    Result<chain::ChainUpdate> follow(const chain::BlockHeader& head, const Progress& progress = {});
    Result<void> refresh(const chain::BlockHeader& head);

    const Options& options() const { return options_; }
    const morpho::MorphoBook& book() const { return book_; }
    std::span<const MarketAtBlock> markets() const { return markets_; }
    const std::vector<MarketError>& market_errors() const { return market_errors_; }
    std::uint64_t synced_through() const { return synced_through_; }
    std::uint64_t refreshed_at() const { return refreshed_at_; }

private:
    Result<std::optional<state::BlockCursor>> restore(const chain::BlockHeader& head);
    Result<void> apply_logs(const std::vector<chain::Log>& logs);
    // One range of a sync (start-up or a head gap): applied and committed as "synced through `end`".
    Result<void> apply_range(const std::vector<chain::Log>& logs, const state::BlockCursor& end);
    Result<void> persist(const state::BlockCursor& cursor);
    chain::LogFilter filter() const;

    chain::JsonRpcClient& client_;
    Options options_;
    state::StateStore* store_;
    Notice notice_;
    morpho::MorphoBook book_;
    std::optional<chain::LogFollower> follower_;
    std::vector<MarketAtBlock> markets_;
    std::vector<MarketError> market_errors_;
    std::uint64_t synced_through_ = 0;
    std::uint64_t refreshed_at_ = 0;
};

}  // namespace keeper::app
