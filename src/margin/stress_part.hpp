#pragma once
// Internal to the stress engine: what one market or pool contributes to one
// scenario, kept per distinct price move so scenarios that do not touch its
// assets reuse it.
#include <cstddef>
#include <string>
#include <vector>

#include "margin/stress_engine.hpp"

namespace keeper::margin::stress {

struct PartOutcome {
    // The part's identity, given to its accounts only when they are listed:
    // three strings per liquidatable position cost more than its model.
    std::string protocol, kind, where;
    std::size_t liquidatable = 0;
    std::size_t insolvent = 0;
    std::vector<AssetTotals> totals;  // a handful of assets: a flat list beats a map
    bool keep_accounts = true;        // StressOptions::list_accounts
    std::vector<StressedPosition> accounts;
    void add(StressedPosition&& position);
};

AssetTotals& totals_of(std::vector<AssetTotals>& totals, const Address& asset);

}  // namespace keeper::margin::stress
