#pragma once
// The keeper's round, shared by `run`, `scan`, `demo` and fork mode: follow
// every configured protocol adapter to the head (one log follower for all),
// let each re-read its state and judge every position as the contract would
// in the head block, alert, and hand each adapter's pure decisions to the one
// executor (which sends, simulates, or in scan mode does not exist).
// Operators hear of it through the daemon (operator_feed.hpp): the round
// reports, it does not alert or count.
#include <cstdint>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/daemon/action_executor.hpp"
#include "keeper/daemon/exchange_prices.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/daemon/oracle_feeds.hpp"
#include "keeper/daemon/pending_transmissions.hpp"
#include "keeper/daemon/protocol_follower.hpp"
#include "keeper/daemon/work_errors.hpp"
#include "keeper/state/state_store.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::app {

enum class KeeperMode { scan, live, dry_run };

struct KeeperOptions {
    KeeperMode mode = KeeperMode::scan;
    bool persist = true;                    // keep state in the state directory (scan: false)
    // A state directory bound to another chain is moved aside (kept, never
    // deleted) instead of refusing to start: `run --archive-state`.
    bool archive_other_chain = false;
    std::function<bool()> interrupted;      // SIGTERM during a long sync
    // Abandon network requests still waiting and retry none (a shutdown that
    // has waited its grace: network_stop_requested()). Empty: never.
    std::function<bool()> network_stop;
    bool reads_flash_premium = false;  // stress: Aave pools read FLASHLOAN_PREMIUM_TOTAL (KeeperSettings)
};

struct ProtocolPositions {
    std::string protocol;  // "morpho-blue" | "aave-v3"
    std::string key;       // "morpho-blue@0x..." | "aave-v3@0x<addresses provider>"
    std::shared_ptr<const protocols::Snapshot> snapshot;  // rows: with debt, riskiest first
};

struct TickReport {
    std::uint64_t head = 0;
    std::uint64_t head_timestamp = 0;  // the head block's (unix seconds): the status page's lag
    std::size_t positions = 0;      // with debt
    std::size_t liquidatable = 0;
    // Positions judged with the contract's integer arithmetic this round
    // (every protocol): all of them in scan and on `run`'s audit rounds, the
    // screen's flagged and the events' named ones in between.
    std::size_t exact_evaluations = 0;
    std::size_t missed_by_screen = 0;  // audit: liquidatable but not flagged by the screen (a bug)
    std::size_t declined = 0;       // liquidatable but not worth sending
    std::size_t in_flight = 0;
    std::size_t awaiting_sync = 0;  // liquidated in a block not applied yet: look again next round
    std::size_t records = 0;        // liquidations sent or simulated so far
    // Work an error left out of this round (liquidatable positions whose
    // token, fees or send failed, markets that could not be read, protocols
    // that could not be followed), each error logged once per change; the
    // rest of the round went on.
    std::size_t skipped_errors = 0;
    std::vector<std::string> failed_protocols;  // protocol keys not followed or read this round
    // A reorg this round: blocks rolled back (0: none) and the last block both branches share.
    std::size_t reorged_blocks = 0;
    std::uint64_t reorg_fork_block = 0;
    // Every [[feeds]] asset judged at the head's timestamp, in configuration order.
    std::vector<FeedStatus> feeds;
    // [exchange]: every fresh exchange-vs-feed comparison of the round (alerts only).
    std::vector<alerts::ExchangeDeviation> exchange;
};

// Nothing sent, nothing in flight, nothing waiting for the next block: what
// `run --once` and the demo wait for.
inline bool quiet(const TickReport& report, std::size_t records_before) {
    return report.in_flight == 0 && report.awaiting_sync == 0 && report.records == records_before;
}

class Keeper {
public:
    // `signer` is required for live and dry-run modes.
    static Result<std::unique_ptr<Keeper>> open(const config::KeeperConfig& config, const KeeperOptions& options,
                                                 std::optional<chain::PrivateKey> signer);
    // Makes the adapter of one [[protocols]] table (the registry's, in open()).
    using AdapterMaker = std::function<std::unique_ptr<protocols::ProtocolAdapter>(const protocols::ProtocolConfig&,
                                                                                 protocols::AdapterServices)>;
    // open() with the node's client and the adapters' maker given: what unit
    // tests drive with a scripted node and fake adapters.
    static Result<std::unique_ptr<Keeper>> open(const config::KeeperConfig& config, const KeeperOptions& options,
                                                 std::optional<chain::PrivateKey> signer, chain::JsonRpcClient client,
                                                 const AdapterMaker& make_adapter);

    // One round at `head` (the head a subscription delivered); without one,
    // the node's latest block.
    Result<TickReport> tick(const std::optional<chain::BlockHeader>& head = std::nullopt);
    // Pending mode: a round at the node's pending block, which holds the
    // oracle transmit `pending` (not mined yet). Every protocol that can be
    // judged at pending state decides on it; what it sends is simulated at
    // the pending block and tips no more than the transmit, so it lands
    // right behind it. Returns how many actions were sent (or simulated).
    Result<std::size_t> tick_pending(const PendingTransmission& pending);
    // The [[feeds]] (null without any).
    const OracleFeeds* feeds() const { return feeds_.get(); }
    const std::vector<ProtocolPositions>& positions() const { return positions_; }
    std::vector<protocols::ActionRecord> records() const;
    LiquidatorMemory liquidator_memory() const;
    chain::JsonRpcClient& client() { return client_; }
    // The executor (null in scan mode): the daemon hooks its counters, alerts and guard to it.
    ActionExecutor* executor() { return executor_.get(); }
    const Address& keeper_address() const { return keeper_address_; }
    std::uint64_t chain_id() const { return chain_id_; }
    // The journal's work not final yet, oldest first (none without a sender: scan, dry-run).
    std::vector<SentWork> in_flight_work() const {
        std::vector<SentWork> out;
        if (sender_)
            for (const auto& [id, work] : sender_->in_flight()) out.push_back(work);
        return out;
    }

private:
    Result<void> tick_adapter(protocols::ProtocolAdapter& adapter, const chain::BlockHeader& head, TickReport& report);
    void note_read_errors(const std::string& protocol_key, const protocols::Snapshot& snapshot, std::uint64_t block);
    void note_evaluation_errors(const std::string& protocol_key, const std::vector<std::string>& errors,
                                std::uint64_t block);
    Keeper(const config::KeeperConfig& config, const KeeperOptions& options, chain::JsonRpcClient client);
    void reconcile_journal();
    void shepherd_unowned_work(const chain::BlockHeader& head);

    config::KeeperConfig config_;
    KeeperOptions options_;
    chain::JsonRpcClient client_;
    std::uint64_t chain_id_ = 0;
    std::optional<chain::PrivateKey> signer_;
    std::optional<state::StateStore> store_;
    std::unique_ptr<JournaledSender> sender_;
    std::vector<std::unique_ptr<protocols::ProtocolAdapter>> adapters_;
    std::unique_ptr<OracleFeeds> feeds_;  // null without [[feeds]]
    std::unique_ptr<ExchangePrices> exchange_;  // null without [exchange] (and in scan mode): alerts only
    std::unique_ptr<ProtocolFollower> follower_;
    std::unique_ptr<ActionExecutor> executor_;  // null in scan mode
    Address keeper_address_;
    std::map<std::string, std::set<std::string>> read_error_keys_;  // protocol key -> parts that failed last refresh
    std::vector<ProtocolPositions> positions_;
    std::uint64_t last_head_ = 0;
    // Protocols, markets and positions that failed: logged once per change.
    WorkErrors round_errors_;
};

// Rounds until one sends nothing and nothing is in flight (quiet), at most
// max_rounds: how the demo lets the keeper finish reacting to a price move.
// `between_rounds` runs after each round that was not quiet: on a dev chain
// that only mines when a transaction arrives, the demo mines a block there so
// sent work reaches its confirmation depth.
Result<TickReport> tick_until_quiet(Keeper& keeper, int max_rounds = 200,
                                    const std::function<void()>& between_rounds = {});

}  // namespace keeper::app
