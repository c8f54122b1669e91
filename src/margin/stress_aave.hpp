#pragma once
// Internal to the stress engine: one Aave V3 pool under price moves.
#include <map>
#include <vector>

#include "margin/stress_part.hpp"

namespace keeper::margin::stress {

class AavePoolStress {
public:
    AavePoolStress(const AaveStressPool& pool, bool keep_accounts);
    // Every account with every reserve's price moved by the scenario: one
    // part per group of accounts using the same reserves, each kept per
    // distinct move of those reserves (a move of another asset reuses it).
    void under(const StressScenario& scenario, std::vector<const PartOutcome*>& parts);
    void forget() {
        for (auto& g : groups_) g.memo.clear();
    }

private:
    struct ReserveValue {
        unsigned id = 0;
        double collateral_base = 0.0;  // aToken balance x price / 10^decimals, counted as collateral
        double threshold = 0.0;        // liquidation threshold, fraction
        double debt_base = 0.0;
        bool is_collateral = false;
        bool is_debt = false;
    };
    // Accounts laid out group by group, their reserves' values in one array:
    // the screen walks memory in order instead of chasing a vector per account.
    struct Prepared {
        std::size_t account = 0;      // index into the pool's accounts
        std::size_t first_value = 0;  // into values_
        std::size_t value_count = 0;
        bool screenable = false;  // no eMode: the reserves' own thresholds and prices decide
        // (the double values also choose the liquidation's pair, for every account)
    };
    struct Group {
        std::vector<unsigned> ids;                              // the reserves its accounts use, sorted
        std::size_t first = 0, count = 0;                       // its accounts: prepared_[first, first + count)
        std::map<std::vector<std::int32_t>, PartOutcome> memo;  // moves of `ids` -> outcome
    };
    PartOutcome evaluate(const Group& group, const std::vector<std::int32_t>& moves) const;

    const AaveStressPool& pool_;
    std::string where_;
    bool keep_accounts_ = true;
    std::vector<Address> asset_of_id_;  // by reserve id
    std::vector<Prepared> prepared_;
    std::vector<ReserveValue> values_;
    std::vector<Group> groups_;
};

}  // namespace keeper::margin::stress
