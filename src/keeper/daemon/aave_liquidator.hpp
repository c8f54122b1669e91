#pragma once
// Turns liquidatable Aave V3 accounts into liquidationCall transactions: the
// strategy picks the (collateral, debt) pair and amount that pays best within
// the close factor and the liquidator's balances (or a flash loan through
// contracts/AaveFlashLiquidator.sol), the call is simulated with
// eth_estimateGas, gas is priced in the base currency when the pool lists
// the native token, and the plan is logged (dry-run) or sent through the
// journaled sender. One transaction per account at a time; after one lands
// the account is looked at again only once the tracker has applied its block.
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
#include "keeper/daemon/aave_evaluation.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/daemon/morpho_liquidator.hpp"
#include "keeper/daemon/work_errors.hpp"

namespace keeper::app {

class AaveTracker;

struct AaveLiquidatorSettings {
    bool dry_run = false;
    U256 min_profit_base;
    std::optional<U256> max_debt_spend_base;
    bool receive_a_token = false;
    std::optional<Address> flash_liquidator;  // fund with flashLoanSimple through this contract
    std::optional<Address> native_token;      // prices gas through the pool's oracle
    unsigned gas_margin_percent = 20;
    chain::ShepherdPolicy shepherd;
};

class AaveLiquidator {
public:
    using Log = std::function<void(const std::string&)>;
    AaveLiquidator(chain::JsonRpcClient& client, std::string protocol_key, Address liquidator,
                   AaveLiquidatorSettings settings, JournaledSender* sender, Log info, Log warn);

    Result<void> check_in_flight(const chain::BlockHeader& head, const Address& pool);
    Result<void> act(std::span<const AaveAccountHealth> accounts, const AaveTracker& tracker,
                     const chain::BlockHeader& head);

    std::size_t declined() const { return declined_.size(); }
    std::size_t awaiting_sync() const { return awaiting_sync_; }
    // Liquidatable accounts the last act() left out because of an error (a
    // debt reserve's token, the flash-loan premium, fees or the send failed,
    // now or within the backoff).
    std::size_t skipped_errors() const { return errors_.skipped(); }
    const std::vector<LiquidationRecord>& records() const { return records_; }
    LiquidatorMemory memory() const {
        return {settled_at_.size(), reported_.size(), record_of_journal_.size(), errors_.backoff().size()};
    }

    static std::string work_key(const Address& pool, const Address& user);

private:
    bool owns(const SentWork& work, const Address& pool) const;
    void finish(const SentWork& work, const chain::Receipt& receipt, const Address& pool);
    Result<std::uint16_t> flash_premium_bps(const Address& pool);

    chain::JsonRpcClient& client_;
    std::string protocol_key_;
    Address liquidator_;
    AaveLiquidatorSettings settings_;
    JournaledSender* sender_;
    Log info_, warn_;
    WorkErrors errors_;  // debt reserves, the premium, fees and accounts that failed: skipped with backoff
    std::map<std::string, std::uint64_t> settled_at_;  // work key -> block of its last final receipt, until applied
    std::map<std::string, std::string> reported_;      // liquidatable work key -> last plan or reason reported
    std::set<std::string> declined_;
    std::size_t awaiting_sync_ = 0;
    bool warned_unpriced_gas_ = false;
    std::optional<std::uint16_t> flash_premium_bps_;
    std::vector<LiquidationRecord> records_;
    std::map<std::int64_t, std::size_t> record_of_journal_;  // in-flight journal id -> records_ index
};

}  // namespace keeper::app
