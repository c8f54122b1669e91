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

PositionRow position_row(const PositionHealth& p) {
    PositionRow row;
    row.protocol = "morpho-blue";
    row.account = p.account;
    row.health_wad = p.health_wad;
    row.liquidatable = p.liquidatable;
    row.where = p.market.hex();
    row.collateral_text = p.position.collateral.to_dec();
    row.debt_text = p.health.borrowed.to_dec();
    return row;
}

Result<PositionHealth> judge_position(const MarketAtBlock& m, const Address& account,
                                      const morpho::Position& position) {
    auto health = morpho::health(m.params, m.accrued, position, m.price_1e36);
    if (!health)
        return fail("market " + m.id.hex() + " account " + account.checksummed() + ": " + health.error().message);
    return PositionHealth{m.id, account, position, *health, morpho::health_ratio_wad(*health), !health->healthy};
}

bool riskier(const PositionHealth& a, const PositionHealth& b) {
    if (a.health_wad != b.health_wad) return a.health_wad < b.health_wad;
    if (a.market != b.market) return a.market < b.market;
    return a.account < b.account;
}

void sort_riskiest_first(std::vector<PositionHealth>& rows) { std::sort(rows.begin(), rows.end(), riskier); }

std::vector<PositionHealth> evaluate_positions(const morpho::MorphoBook& book, std::span<const MarketAtBlock> markets,
                                               std::vector<std::string>* errors) {
    std::unordered_map<morpho::MarketId, const MarketAtBlock*> by_id;
    for (const auto& m : markets) by_id.emplace(m.id, &m);

    std::vector<PositionHealth> rows;
    book.for_each_position([&](const morpho::MarketId& market, const Address& account, const morpho::Position& position) {
        if (position.borrow_shares.is_zero()) return;
        const auto found = by_id.find(market);
        if (found == by_id.end()) return;  // a market without a reading this block (its oracle failed): logged upstream
        auto judged = judge_position(*found->second, account, position);
        if (!judged) {
            if (errors != nullptr) errors->push_back(judged.error().message);
            return;
        }
        rows.push_back(std::move(*judged));
    });
    sort_riskiest_first(rows);
    return rows;
}

}  // namespace keeper::protocols::morpho_blue
