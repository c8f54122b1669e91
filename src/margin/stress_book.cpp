#include "margin/stress_book.hpp"

#include <algorithm>

namespace keeper::margin::stress {

std::size_t StressBook::positions() const {
    std::size_t n = 0;
    for (const auto& m : morpho_markets) n += m.positions.size();
    for (const auto& p : aave_pools) n += p.accounts.size();
    return n;
}

std::vector<Address> StressBook::assets() const {
    std::vector<Address> out;
    for (const auto& m : morpho_markets) {
        out.push_back(m.params.collateral_token);
        out.push_back(m.params.loan_token);
    }
    for (const auto& p : aave_pools)
        for (const auto& r : p.reserves) out.push_back(r.asset);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::int32_t StressScenario::move_bps_of(const Address& asset) const {
    for (const auto& s : shocks)
        if (s.asset == asset) return s.move_bps;
    return 0;
}

}  // namespace keeper::margin::stress
