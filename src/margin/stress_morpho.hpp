#pragma once
// Internal to the stress engine: one Morpho Blue market under price moves.
#include <map>
#include <utility>
#include <vector>

#include "margin/stress_part.hpp"

namespace keeper::margin::stress {

class MorphoMarketStress {
public:
    explicit MorphoMarketStress(const MorphoStressMarket& market);
    // The market's positions at the oracle price the scenario's moves of its
    // collateral and loan tokens give.
    const PartOutcome& under(const StressScenario& scenario);

private:
    struct Prepared {
        U256 borrowed;              // toAssetsUp(borrowShares): the same in every scenario
        double max_borrow_at_base;  // collateral x price x lltv / 1e54 at the block's price, screening only
        double borrowed_d;
    };
    PartOutcome evaluate(std::int32_t collateral_bps, std::int32_t loan_bps) const;
    StressedPosition liquidation(const MorphoStressPosition& p, const Prepared& prep, const U256& price,
                                 const Result<morpho::Health>& h) const;

    const MorphoStressMarket& market_;
    std::string where_;
    std::vector<Prepared> prepared_;
    std::map<std::pair<std::int32_t, std::int32_t>, PartOutcome> memo_;
};

}  // namespace keeper::margin::stress
