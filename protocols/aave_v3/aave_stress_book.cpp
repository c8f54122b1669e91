// The Aave snapshot's part of the stress book: the pool's rules, its
// reserves' assets by id and every account with debt as the engine judged it.
#include "protocols/aave_v3/aave_v3_decide.hpp"

namespace keeper::protocols::aave_v3 {

bool AaveSnapshot::add_to_stress_book(margin::stress::StressBook& book, const std::string& protocol_key) const {
    margin::stress::AaveStressPool p;
    p.protocol = protocol_key;
    p.pool = pool;
    p.rules = rules;
    p.flash_premium_bps = flash_premium_bps;
    for (const AaveReserveAtBlock& r : reserves) p.reserves.push_back({r.data.id, r.asset});
    for (const AaveAccountHealth& a : accounts) p.accounts.push_back({a.account, a.input});
    book.aave_pools.push_back(std::move(p));
    return true;
}

}  // namespace keeper::protocols::aave_v3
