#pragma once
// Internal to the stress engine: what one market or pool contributes to one
// scenario, kept per distinct price move so scenarios that do not touch its
// assets reuse it.
#include <cstddef>
#include <map>
#include <vector>

#include "margin/stress_engine.hpp"

namespace keeper::margin::stress {

struct PartOutcome {
    std::size_t liquidatable = 0;
    std::size_t insolvent = 0;
    std::map<Address, AssetTotals> totals;
    std::vector<StressedPosition> accounts;
    void add(StressedPosition position);
};

void add_to_totals(std::map<Address, AssetTotals>& totals, const StressedPosition& p);

}  // namespace keeper::margin::stress
