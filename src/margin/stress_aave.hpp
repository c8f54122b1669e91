#pragma once
// Internal to the stress engine: one Aave V3 pool under price moves.
#include <map>
#include <vector>

#include "margin/stress_part.hpp"

namespace keeper::margin::stress {

class AavePoolStress {
public:
    explicit AavePoolStress(const AaveStressPool& pool);
    // Every account with every reserve's price moved by the scenario.
    const PartOutcome& under(const StressScenario& scenario);

private:
    struct ReserveValue {
        unsigned id = 0;
        double collateral_base = 0.0;  // aToken balance x price / 10^decimals, counted as collateral
        double threshold = 0.0;        // liquidation threshold, fraction
        double debt_base = 0.0;
    };
    struct Prepared {
        std::vector<ReserveValue> reserves;
        bool screenable = false;  // no eMode: the reserves' own thresholds and prices decide
    };
    PartOutcome evaluate(const std::vector<std::int32_t>& moves) const;
    StressedPosition liquidation(const AaveStressAccount& account, const aave::UserAccount& shocked,
                                 const aave::AccountData& data) const;

    const AaveStressPool& pool_;
    std::string where_;
    std::vector<Address> asset_of_id_;  // by reserve id
    std::vector<Prepared> prepared_;
    std::map<std::vector<std::int32_t>, PartOutcome> memo_;  // moves by reserve id -> outcome
};

}  // namespace keeper::margin::stress
