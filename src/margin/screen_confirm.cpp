#include "margin/screen_confirm.hpp"

namespace keeper::margin {

ConfirmOutcome confirm_riskiest(const AccountIndex& index, const ConfirmPolicy& policy,
                                const ExactLiquidatableCheck& is_liquidatable) {
    ConfirmOutcome out;
    for (const RankedScreenAccount& nominee : index.riskiest(policy.max_accounts)) {
        if (static_cast<double>(nominee.health) >= policy.max_screen_health) {
            break;  // ranked lowest first: the rest are healthier
        }
        const Result<bool> verdict = is_liquidatable(nominee.id);
        if (!verdict.has_value()) {
            out.errors.emplace_back(nominee.id, verdict.error());
        } else if (*verdict) {
            out.liquidatable.push_back(nominee);
        } else {
            out.not_liquidatable.push_back(nominee.id);
        }
    }
    return out;
}

}  // namespace keeper::margin
