#pragma once
// Aave V3 accounts as the pool would judge them in one block: each reserve's
// stored indexes grown to the block's timestamp (ReserveLogic's
// getNormalizedIncome / getNormalizedDebt), every flagged reserve of the
// account priced by the oracle, then GenericLogic.calculateUserAccountData.
// Pure: readings in, rows out.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/aave/aave_reader.hpp"
#include "margin/aave_v3.hpp"

namespace keeper::protocols::aave_v3 {

// One reserve as every account sees it in the block.
struct AaveReserveAtBlock {
    Address asset;
    chain::aave_v3::ReserveDataReading data;
    aave::ReserveConfig config;
    U256 price;
    U256 normalized_income_ray;
    U256 normalized_debt_ray;
};

// Fails where the contract's own index growth would (a timestamp before the
// reserve's last update, an overflow). `rules` picks the compounding formula.
Result<AaveReserveAtBlock> reserve_at_block(const chain::aave_v3::ReserveReading& reading, std::uint64_t timestamp,
                                            aave::PoolRules rules);

struct AaveAccountHealth {
    Address account;
    aave::UserAccount input;  // what the engine judged: the same input a liquidation is quoted on
    aave::AccountData data;   // getUserAccountData's numbers
    bool liquidatable = false;  // health factor < 1e18
};

// The engine's input for one account. Fails when the account flags a reserve
// the pool does not list.
Result<aave::UserAccount> account_at_block(const chain::aave_v3::UserReading& user,
                                           std::span<const AaveReserveAtBlock> reserves,
                                           const std::map<std::uint8_t, aave::EModeCategory>& emodes);

// One account as evaluate_aave_accounts judges it: nullopt when it has no
// debt (no borrowing flag, or debt worth 0 base); an error names the account.
Result<std::optional<AaveAccountHealth>> judge_aave_account(aave::PoolRules rules,
                                                            const chain::aave_v3::UserReading& user,
                                                            std::span<const AaveReserveAtBlock> reserves,
                                                            const std::map<std::uint8_t, aave::EModeCategory>& emodes);

// Riskiest first: lower health factor, then lower address.
bool riskier(const AaveAccountHealth& a, const AaveAccountHealth& b);

// Every account with debt (`users` keyed by account, as the adapter keeps
// them: judged in place, never copied), riskiest first (lowest health factor, then
// address). An account whose evaluation fails is named in `errors` and left out.
std::vector<AaveAccountHealth> evaluate_aave_accounts(aave::PoolRules rules,
                                                      const std::map<Address, chain::aave_v3::UserReading>& users,
                                                      std::span<const AaveReserveAtBlock> reserves,
                                                      const std::map<std::uint8_t, aave::EModeCategory>& emodes,
                                                      std::vector<std::string>* errors = nullptr);

// Which arithmetic a pool of this POOL_REVISION uses; an error for revisions
// whose rules this version does not know (it never guesses).
Result<aave::PoolRules> rules_for_revision(std::uint64_t revision);

}  // namespace keeper::protocols::aave_v3
