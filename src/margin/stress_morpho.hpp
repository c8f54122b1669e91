#pragma once
// Internal to the stress engine: one Morpho Blue market under price moves.
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "margin/stress_part.hpp"

namespace keeper::margin::stress {

class MorphoMarketStress {
public:
    MorphoMarketStress(const MorphoStressMarket& market, bool keep_accounts);
    // The market's positions at the oracle price the scenario's moves of its
    // collateral and loan tokens give.
    void under(const StressScenario& scenario, std::vector<const PartOutcome*>& parts);
    void forget() { memo_.clear(); }

private:
    struct Prepared {
        U256 borrowed;                    // toAssetsUp(borrowShares): the same in every scenario
        double max_borrow_at_base = 0.0;  // collateral x price x lltv / 1e54 at the block's price, screening only
        double borrowed_d = 0.0;
        bool borrowed_ok = true;  // false: toAssetsUp overflows, the library's health() reports it
    };
    PartOutcome evaluate(std::int32_t collateral_bps, std::int32_t loan_bps) const;
    StressedPosition liquidation(const MorphoStressPosition& p, const Prepared& prep, const U256& price,
                                 const Result<morpho::Health>& h) const;
    void take(StressedPosition& s, const morpho::Liquidation& outcome) const;

    const MorphoStressMarket& market_;
    std::optional<U256> incentive_wad_;  // liquidation incentive factor; nullopt where the contract has none
    double incentive_ = 0.0;
    std::string where_;
    bool keep_accounts_ = true;
    std::vector<Prepared> prepared_;
    std::map<std::pair<std::int32_t, std::int32_t>, PartOutcome> memo_;
};

}  // namespace keeper::margin::stress
