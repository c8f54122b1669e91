#pragma once
// Screening only nominates. Before anything is treated as liquidatable the
// caller's exact model (the protocol's integer arithmetic on its own oracle
// prices: morpho_blue, aave_v3, compound_v3) re-checks each nominee.
//
// The interface: a callable taking the account id and answering
//   true   - liquidatable by the contract's own rule
//   false  - not liquidatable (screening was early or prices differ)
//   error  - could not tell (state missing, node error); the account stays a
//            candidate and is retried on a later tick
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "margin/account_index.hpp"

namespace keeper::margin {

using ExactLiquidatableCheck = std::function<Result<bool>(ScreenAccountId)>;

struct ConfirmPolicy {
    // Nominate flagged accounts up to this screening health. Slightly above
    // 1.0 because float screening and our price feed can lag the chain's view.
    double max_screen_health = 1.002;
    std::size_t max_accounts = 64;  // riskiest first; bounds the exact work per tick
};

struct ConfirmOutcome {
    std::vector<RankedScreenAccount> liquidatable;  // confirmed, riskiest first
    std::vector<ScreenAccountId> not_liquidatable;
    std::vector<std::pair<ScreenAccountId, Error>> errors;
};

ConfirmOutcome confirm_riskiest(const AccountIndex& index, const ConfirmPolicy& policy,
                                const ExactLiquidatableCheck& is_liquidatable);

}  // namespace keeper::margin
