#pragma once
// Morpho Blue's decision: which liquidatable positions to liquidate and how
// much, from a snapshot and the keeper's loan-token balances. Pure: the
// sizing is strategies::plan_morpho_liquidation on the markets accrued to the
// snapshot's block; gas is judged by the executor with the profit's price.
#include <map>
#include <string>
#include <vector>

#include "protocols/action.hpp"
#include "protocols/morpho_blue/morpho_evaluation.hpp"
#include "protocols/protocol_adapter.hpp"
#include "strategies/morpho_liquidation_plan.hpp"

namespace keeper::protocols::morpho_blue {

// One Morpho Blue deployment judged in one block.
struct MorphoSnapshot final : Snapshot {
    std::vector<MarketAtBlock> markets;      // those read and accrued at the block
    std::vector<PositionHealth> positions;   // with debt, riskiest first (rows[i] is positions[i])
    nlohmann::json scan_json(std::size_t row) const override;
    bool add_to_stress_book(margin::stress::StressBook& book, const std::string& protocol_key) const override;
};

struct DecideSettings {
    std::string protocol_key;     // "morpho-blue@0x…"
    Address morpho;
    strategies::ProfitRules rules;
    unsigned gas_margin_percent = 20;
    std::map<Address, U256> native_price_1e36;  // per loan token: loan units per wei x 1e36
};

// An estimate made when the market has already accrued in the head's second
// misses the accrual the landing block may do (IRM call and three market
// writes, ~19-22k gas measured on anvil): a percentage of a ~91k estimate fell
// short by a few hundred gas and the liquidation ran out of gas. Unused gas
// is not paid.
inline constexpr std::uint64_t kAccrualGasAllowance = 30'000;

// "morpho-blue:<market id>:<borrower>", as journals since the first version have it.
std::string work_key(const morpho::MarketId& market, const Address& borrower);

// The loan tokens of the markets with liquidatable positions not busy.
std::vector<FundingToken> funding_tokens(const MorphoSnapshot& snapshot, const DecisionInput& input);

Decisions decide(const MorphoSnapshot& snapshot, const DecisionInput& input, const DecideSettings& settings);

}  // namespace keeper::protocols::morpho_blue
