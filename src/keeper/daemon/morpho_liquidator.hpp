#pragma once
// Turns liquidatable Morpho Blue positions into liquidations: sizes each with
// the strategy (the largest seize the contract allows within the
// liquidator's loan-token balance), simulates it (eth_estimateGas, plus
// eth_call in dry-run), prices the gas, and either logs what it would send
// (dry-run) or sends it through the journaled sender. One transaction per
// position at a time; after one lands, the position is looked at again only
// once the tracker has applied the block that holds it.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/tx_shepherd.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/daemon/morpho_evaluation.hpp"
#include "keeper/daemon/work_errors.hpp"
#include "strategies/morpho_liquidation_plan.hpp"

namespace keeper::app {

struct LiquidatorSettings {
    bool dry_run = false;
    strategies::ProfitRules rules;
    unsigned gas_margin_percent = 20;
    std::map<Address, U256> native_price_1e36;  // per loan token
    chain::ShepherdPolicy shepherd;
};

// What happened to one liquidation, for logs, the demo's table and fork reports.
struct LiquidationRecord {
    std::string protocol = "morpho-blue";
    morpho::MarketId market;               // Morpho Blue; zero for Aave
    Address collateral_asset, debt_asset;  // Aave V3 (Morpho: the market's tokens)
    Address borrower;
    U256 predicted_seized;
    U256 predicted_repaid;
    U256 predicted_profit_loan;            // Aave: base-currency units
    std::uint64_t gas_limit = 0;
    std::string calldata_hex;
    bool dry_run = false;
    std::string simulation;                // dry-run: "ok" or the revert
    std::optional<Bytes32> tx_hash;
    std::optional<bool> success;
    std::optional<std::uint64_t> block;
    std::optional<U256> seized;            // from the Liquidate event
    std::optional<U256> repaid_assets;
    std::optional<U256> gas_used;
    std::optional<U256> realised_collateral_gain;  // balance differences across the receipt's block
    std::optional<U256> realised_loan_spent;
    std::optional<U256> realised_debt_gain;  // Aave with a flash loan: the profit, paid in the debt asset
};

// What a liquidator remembers per piece of work, between rounds: pruned as
// work becomes final, so its size follows the work in progress, not the
// daemon's age. For tests and diagnostics.
struct LiquidatorMemory {
    std::size_t settled = 0;          // blocks of final receipts the book has not applied yet
    std::size_t reported = 0;         // last report per liquidatable position (logged once per change)
    std::size_t journal_records = 0;  // in-flight journal entries -> the record their outcome fills
    std::size_t failures = 0;         // keys skipped with backoff after an error
    LiquidatorMemory& operator+=(const LiquidatorMemory& o) {
        settled += o.settled;
        reported += o.reported;
        journal_records += o.journal_records;
        failures += o.failures;
        return *this;
    }
};

class MorphoLiquidator {
public:
    using Log = std::function<void(const std::string&)>;
    // `sender` is null in dry-run; `liquidator` is the address that would send.
    MorphoLiquidator(chain::JsonRpcClient& client, Address morpho, std::string protocol_key, Address liquidator,
                     LiquidatorSettings settings, JournaledSender* sender, Log info, Log warn);

    // Looks at in-flight work of this protocol; records final outcomes.
    Result<void> check_in_flight(const chain::BlockHeader& head);
    Result<void> act(std::span<const PositionHealth> positions, std::span<const MarketAtBlock> markets,
                     const chain::BlockHeader& head, std::uint64_t synced_through);

    bool busy() const;  // a transaction of this protocol is in flight
    // Liquidatable positions the last act() left alone for a reason that
    // will not change by waiting (unprofitable, nothing to seize).
    std::size_t declined() const { return declined_.size(); }
    // Liquidatable positions whose last liquidation landed in a block the
    // tracker has not applied yet: the next round looks at them again.
    std::size_t awaiting_sync() const { return awaiting_sync_; }
    // Liquidatable positions the last act() left out because of an error
    // (its loan token, fees or send failed, now or within the backoff).
    std::size_t skipped_errors() const { return errors_.skipped(); }
    const std::vector<LiquidationRecord>& records() const { return records_; }
    LiquidatorMemory memory() const {
        return {settled_at_.size(), reported_.size(), record_of_journal_.size(), errors_.backoff().size()};
    }

    static std::string work_key(const morpho::MarketId& market, const Address& borrower);

private:
    bool owns(const SentWork& work) const;
    Result<U256> erc20_read(const Bytes& calldata, const Address& token, const chain::BlockId& block);
    Result<bool> ensure_allowance(const Address& loan_token, std::uint64_t head_block);
    void finish(const SentWork& work, const chain::Receipt& receipt);

    chain::JsonRpcClient& client_;
    Address morpho_;
    std::string protocol_key_;
    Address liquidator_;
    LiquidatorSettings settings_;
    JournaledSender* sender_;
    Log info_, warn_;
    WorkErrors errors_;  // loan tokens, fees and positions that failed: skipped with backoff
    std::map<std::string, std::uint64_t> settled_at_;  // work key -> block of its final receipt, until applied
    std::map<std::string, std::string> reported_;      // liquidatable work key -> last plan or reason reported
    std::set<std::string> declined_;
    std::size_t awaiting_sync_ = 0;
    std::set<Address> warned_unpriced_gas_;
    std::vector<LiquidationRecord> records_;
    std::map<std::int64_t, std::size_t> record_of_journal_;  // in-flight journal id -> records_ index
};

}  // namespace keeper::app
