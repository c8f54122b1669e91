#include "protocols/morpho_blue/morpho_evaluation.hpp"

#include <algorithm>
#include <unordered_map>

namespace keeper::protocols::morpho_blue {

Result<MarketAtBlock> accrue_market(const morpho::MarketId& id, const morpho::MarketParams& params,
                                    const chain::morpho_blue::MarketReading& reading, std::uint64_t timestamp) {
    auto accrual = morpho::accrue_interest(params, reading.state, reading.borrow_rate_wad, timestamp);
    if (!accrual) return std::unexpected(accrual.error());
    return MarketAtBlock{id, params, accrual->market, reading.price_1e36};
}

std::vector<PositionHealth> evaluate_positions(const morpho::MorphoBook& book, std::span<const MarketAtBlock> markets,
                                               std::vector<std::string>* errors) {
    std::unordered_map<morpho::MarketId, const MarketAtBlock*> by_id;
    for (const auto& m : markets) by_id.emplace(m.id, &m);

    std::vector<PositionHealth> rows;
    book.for_each_position([&](const morpho::MarketId& market, const Address& account, const morpho::Position& position) {
        if (position.borrow_shares.is_zero()) return;
        const auto found = by_id.find(market);
        if (found == by_id.end()) return;  // a market without a reading this block (its oracle failed): logged upstream
        const MarketAtBlock& m = *found->second;
        auto health = morpho::health(m.params, m.accrued, position, m.price_1e36);
        if (!health) {
            if (errors != nullptr)
                errors->push_back("market " + market.hex() + " account " + account.checksummed() + ": " +
                                  health.error().message);
            return;
        }
        rows.push_back(PositionHealth{market, account, position, *health, morpho::health_ratio_wad(*health),
                                      !health->healthy});
    });
    std::sort(rows.begin(), rows.end(), [](const PositionHealth& a, const PositionHealth& b) {
        if (a.health_wad != b.health_wad) return a.health_wad < b.health_wad;
        if (a.market != b.market) return a.market < b.market;
        return a.account < b.account;
    });
    return rows;
}

}  // namespace keeper::protocols::morpho_blue
