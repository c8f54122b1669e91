// The Morpho snapshot's part of the stress book: each market as accrued to
// the block with its oracle's answer, and its positions with debt.
#include "protocols/morpho_blue/morpho_blue_decide.hpp"

namespace keeper::protocols::morpho_blue {

bool MorphoSnapshot::add_to_stress_book(margin::stress::StressBook& book, const std::string& protocol_key) const {
    for (const MarketAtBlock& market : markets) {
        margin::stress::MorphoStressMarket m;
        m.protocol = protocol_key;
        m.id = market.id;
        m.params = market.params;
        m.accrued = market.accrued;
        m.price_1e36 = market.price_1e36;
        for (const PositionHealth& p : positions)
            if (p.market == market.id) m.positions.push_back({p.account, p.position});
        book.morpho_markets.push_back(std::move(m));
    }
    return true;
}

}  // namespace keeper::protocols::morpho_blue
