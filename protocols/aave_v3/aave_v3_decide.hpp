#pragma once
// Aave V3's decision: for each liquidatable account, the (collateral, debt)
// pair and amount that pays best within the close factor and the keeper's
// debt-asset balances (or a flash loan through AaveFlashLiquidator), as
// strategies::plan_aave_liquidation sizes it. Pure; gas is judged by the
// executor at the oracle's native-token price.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocols/aave_v3/aave_evaluation.hpp"
#include "protocols/action.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols::aave_v3 {

// One pool judged in one block.
struct AaveSnapshot final : Snapshot {
    aave::PoolRules rules = aave::PoolRules::EarlyV3;
    Address pool;
    std::vector<AaveReserveAtBlock> reserves;
    // With debt, riskiest first (rows[i] is accounts[i]). In `run` (the
    // incremental engine) a healthy account's input.reserves is empty: only
    // liquidatable accounts are quoted, so only they keep their snapshots.
    std::vector<AaveAccountHealth> accounts;
    std::optional<std::uint16_t> flash_premium_bps;  // FLASHLOAN_PREMIUM_TOTAL, read when flash-funded
    nlohmann::json scan_json(std::size_t row) const override;
    bool add_to_stress_book(margin::stress::StressBook& book, const std::string& protocol_key) const override;
};

struct DecideSettings {
    std::string protocol_key;
    U256 min_profit_base;
    std::optional<U256> max_debt_spend_base;
    bool receive_a_token = false;
    std::optional<Address> flash_liquidator;
    std::optional<Address> native_token;
    unsigned gas_margin_percent = 20;
};

// "aave-v3:<pool>:<user>", as journals since the first version have it.
std::string work_key(const Address& pool, const Address& user);

// The debt assets of the liquidatable accounts not busy (none when flash-funded).
std::vector<FundingToken> funding_tokens(const AaveSnapshot& snapshot, const DecisionInput& input,
                                         const DecideSettings& settings);

Decisions decide(const AaveSnapshot& snapshot, const DecisionInput& input, const DecideSettings& settings);

}  // namespace keeper::protocols::aave_v3
