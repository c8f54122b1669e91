#include "margin/stress_morpho.hpp"

namespace keeper::margin::stress {
namespace {

// The screen's margin: doubles carry ~1e-16 relative error, the contract's
// two roundings down cost at most 2 loan units. Positions within it run the
// exact model.
constexpr double kMorphoScreenRelative = 1e-9;
constexpr double kMorphoScreenAbsolute = 3.0;

}  // namespace

void MorphoMarketStress::take(StressedPosition& s, const morpho::Liquidation& outcome) const {
    s.debt_repaid = outcome.repaid_assets;
    s.collateral_seized = outcome.seized_assets;
    if (!outcome.bad_debt_assets.is_zero()) s.bad_debt.push_back({market_.params.loan_token, outcome.bad_debt_assets});
}

MorphoMarketStress::MorphoMarketStress(const MorphoStressMarket& market, bool keep_accounts)
    : market_(market), where_(market.id.hex()), keep_accounts_(keep_accounts) {
    if (auto lif = morpho::liquidation_incentive_factor_wad(market.params.lltv_wad)) {
        incentive_wad_ = *lif;
        incentive_ = lif->to_double() / 1e18;
    }
    prepared_.reserve(market.positions.size());
    const double lltv = market.params.lltv_wad.to_double() / 1e18;
    const double price = market.price_1e36.to_double() / 1e36;
    for (const auto& p : market.positions) {
        Prepared prep;
        // An overflow here is the contract's too: the exact model reports it.
        const auto borrowed = morpho::to_assets_up(p.position.borrow_shares, market.accrued.total_borrow_assets,
                                                   market.accrued.total_borrow_shares);
        prep.borrowed_ok = borrowed.has_value();
        prep.borrowed = borrowed ? *borrowed : U256::max();
        prep.borrowed_d = prep.borrowed.to_double();
        prep.max_borrow_at_base = p.position.collateral.to_double() * price * lltv;
        prepared_.push_back(prep);
    }
}

void MorphoMarketStress::under(const StressScenario& scenario, std::vector<const PartOutcome*>& parts) {
    const std::pair key{scenario.move_bps_of(market_.params.collateral_token),
                        scenario.move_bps_of(market_.params.loan_token)};
    auto it = memo_.find(key);
    if (it == memo_.end()) it = memo_.emplace(key, evaluate(key.first, key.second)).first;
    parts.push_back(&it->second);
}

PartOutcome MorphoMarketStress::evaluate(std::int32_t collateral_bps, std::int32_t loan_bps) const {
    PartOutcome out;
    out.protocol = market_.protocol;
    out.kind = "morpho-blue";
    out.keep_accounts = keep_accounts_;
    out.where = where_;
    const U256 price = shocked_morpho_price(market_.price_1e36, collateral_bps, loan_bps);
    const double base_price = market_.price_1e36.to_double();
    const double scale = base_price > 0.0 ? price.to_double() / base_price : 0.0;
    for (std::size_t i = 0; i < market_.positions.size(); ++i) {
        const Prepared& prep = prepared_[i];
        if (prep.borrowed.is_zero()) continue;
        const double max_borrow = prep.max_borrow_at_base * scale;
        // Certainly healthy: even two roundings down leave max_borrow >= borrowed.
        if (base_price > 0.0 && max_borrow * (1.0 - kMorphoScreenRelative) - kMorphoScreenAbsolute > prep.borrowed_d)
            continue;
        const auto& position = market_.positions[i];
        // _isHealthy with the borrowed assets computed once per position:
        // maxBorrow = collateral.mulDivDown(price, 1e36).wMulDown(lltv).
        // Where a product overflows 256 bits the contract reverts: the
        // library's own health() says why.
        const auto product = checked_mul(position.position.collateral, price);
        const auto weighted = product ? checked_mul(*product / morpho::oracle_price_scale(), market_.params.lltv_wad)
                                      : std::nullopt;
        const std::optional<U256> max_borrow_exact = weighted ? std::optional<U256>(*weighted / U256::pow10(18))
                                                              : std::nullopt;
        if (!prep.borrowed_ok || !max_borrow_exact) {
            const auto h = morpho::health(market_.params, market_.accrued, position.position, price);
            if (h && h->healthy) continue;
            out.add(liquidation(position, prep, price, h));
            continue;
        }
        const morpho::Health h{prep.borrowed, *max_borrow_exact, *max_borrow_exact >= prep.borrowed};
        if (h.healthy) continue;
        out.add(liquidation(position, prep, price, h));
    }
    return out;
}

StressedPosition MorphoMarketStress::liquidation(const MorphoStressPosition& p, const Prepared& prep, const U256& price,
                                                 const Result<morpho::Health>& h) const {
    StressedPosition s;
    s.account = p.account;
    s.debt_asset = market_.params.loan_token;
    s.collateral_asset = market_.params.collateral_token;
    if (!h) {
        s.error = h.error().message;
        return s;
    }
    s.health_wad = morpho::health_ratio_wad(*h);
    const U256 collateral_value =
        mul_div_down(p.position.collateral, price, morpho::oracle_price_scale()).value_or(U256::max());
    s.insolvent = collateral_value < prep.borrowed;
    // max_liquidation tries repaying every share first and falls back to
    // seizing all the collateral. Where repaying every share certainly asks
    // for more collateral than there is (by more than the contract's roundings
    // down: one loan unit, worth 1e36 / price collateral units, plus one), the
    // first attempt certainly reverts: go straight to the second. Same result,
    // one exact liquidation fewer for the positions a crash wipes out.
    const double price_d = price.to_double();
    if (incentive_wad_ && price_d > 0.0 && !p.position.collateral.is_zero()) {
        const double seize_all_shares = prep.borrowed_d * incentive_ * 1e36 / price_d;
        const double roundings = 1e36 / price_d + 2.0;
        if (seize_all_shares * (1.0 - kMorphoScreenRelative) - roundings > p.position.collateral.to_double()) {
            const auto all = morpho::liquidate(market_.params, market_.accrued, p.position, price,
                                               morpho::LiquidationRequest{p.position.collateral, U256()});
            if (all) {
                take(s, *all);
                return s;
            }
        }
    }
    const auto max = morpho::max_liquidation(market_.params, market_.accrued, p.position, price);
    if (!max) {
        s.error = max.error().message;
        return s;
    }
    take(s, max->outcome);
    return s;
}

}  // namespace keeper::margin::stress
