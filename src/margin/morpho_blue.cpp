#include "margin/morpho_blue.hpp"

#include "core/fixed_point.hpp"

namespace keeper::morpho {
namespace {

using fixed_point::wad;

const U256& uint128_max() {
    static const U256 v = (U256(1) << 128) - 1;
    return v;
}

// Morpho stores totals and positions as uint128; `x += y` / `x -= y` on those
// fields reverts on overflow or underflow of the 128-bit value.
std::optional<U256> add_u128(const U256& x, const U256& y) {
    if (y > uint128_max()) return std::nullopt;  // toUint128(y)
    const auto sum = checked_add(x, y);
    if (!sum || *sum > uint128_max()) return std::nullopt;
    return sum;
}

std::optional<U256> sub_u128(const U256& x, const U256& y) {
    if (y > uint128_max()) return std::nullopt;
    return checked_sub(x, y);
}

U256 zero_floor_sub(const U256& x, const U256& y) { return x > y ? x - y : U256(); }

bool has_debt(const Position& p) { return !p.borrow_shares.is_zero(); }

}  // namespace

U256 virtual_shares() { return U256(1'000'000); }
U256 virtual_assets() { return U256(1); }
U256 oracle_price_scale() { return U256::pow10(36); }
U256 liquidation_cursor_wad() { return U256(300'000'000'000'000'000ULL); }
U256 max_liquidation_incentive_factor_wad() { return U256(1'150'000'000'000'000'000ULL); }

// total + virtual cannot overflow for uint128 totals; checked_add guards callers
// that pass arbitrary U256 values.
std::optional<U256> to_shares_down(const U256& assets, const U256& total_assets, const U256& total_shares) {
    const auto shares = checked_add(total_shares, virtual_shares());
    const auto assets_v = checked_add(total_assets, virtual_assets());
    if (!shares || !assets_v) return std::nullopt;
    return morpho::mul_div_down(assets, *shares, *assets_v);
}

std::optional<U256> to_shares_up(const U256& assets, const U256& total_assets, const U256& total_shares) {
    const auto shares = checked_add(total_shares, virtual_shares());
    const auto assets_v = checked_add(total_assets, virtual_assets());
    if (!shares || !assets_v) return std::nullopt;
    return morpho::mul_div_up(assets, *shares, *assets_v);
}

std::optional<U256> to_assets_down(const U256& shares, const U256& total_assets, const U256& total_shares) {
    const auto shares_v = checked_add(total_shares, virtual_shares());
    const auto assets_v = checked_add(total_assets, virtual_assets());
    if (!shares_v || !assets_v) return std::nullopt;
    return morpho::mul_div_down(shares, *assets_v, *shares_v);
}

std::optional<U256> to_assets_up(const U256& shares, const U256& total_assets, const U256& total_shares) {
    const auto shares_v = checked_add(total_shares, virtual_shares());
    const auto assets_v = checked_add(total_assets, virtual_assets());
    if (!shares_v || !assets_v) return std::nullopt;
    return morpho::mul_div_up(shares, *assets_v, *shares_v);
}

Result<Accrual> accrue_interest(const MarketParams& params, const MarketState& market,
                                const U256& borrow_rate_per_second_wad, std::uint64_t now_seconds) {
    if (now_seconds < market.last_update) return fail("morpho: accrue: timestamp before lastUpdate");
    Accrual out{market, U256(), U256()};
    const std::uint64_t elapsed = now_seconds - market.last_update;
    if (elapsed == 0) return out;
    out.market.last_update = now_seconds;
    if (params.irm == Address()) return out;

    const auto growth = w_taylor_compounded(borrow_rate_per_second_wad, U256(elapsed));
    if (!growth) return fail("morpho: accrue: wTaylorCompounded overflow");
    const auto interest = w_mul_down(market.total_borrow_assets, *growth);
    if (!interest) return fail("morpho: accrue: interest overflow");
    const auto borrow_assets = add_u128(market.total_borrow_assets, *interest);
    const auto supply_assets = add_u128(market.total_supply_assets, *interest);
    if (!borrow_assets || !supply_assets) return fail("morpho: accrue: total exceeds uint128");
    out.interest = *interest;
    out.market.total_borrow_assets = *borrow_assets;
    out.market.total_supply_assets = *supply_assets;

    if (!market.fee_wad.is_zero()) {
        const auto fee_amount = w_mul_down(*interest, market.fee_wad);
        if (!fee_amount) return fail("morpho: accrue: fee overflow");
        // Supply already includes the whole interest; the fee part is taken
        // out so the fee recipient buys shares at the pre-fee share price.
        const auto fee_shares = to_shares_down(*fee_amount, *supply_assets - *fee_amount, market.total_supply_shares);
        if (!fee_shares) return fail("morpho: accrue: fee shares overflow");
        const auto supply_shares = add_u128(market.total_supply_shares, *fee_shares);
        if (!supply_shares) return fail("morpho: accrue: total supply shares exceed uint128");
        out.fee_shares = *fee_shares;
        out.market.total_supply_shares = *supply_shares;
    }
    return out;
}

Result<Health> health(const MarketParams& params, const MarketState& market, const Position& position,
                      const U256& price_1e36) {
    const auto borrowed = to_assets_up(position.borrow_shares, market.total_borrow_assets, market.total_borrow_shares);
    if (!borrowed) return fail("morpho: health: toAssetsUp overflow");
    const auto collateral_in_loan = morpho::mul_div_down(position.collateral, price_1e36, oracle_price_scale());
    if (!collateral_in_loan) return fail("morpho: health: collateral * price overflows");
    const auto max_borrow = w_mul_down(*collateral_in_loan, params.lltv_wad);
    if (!max_borrow) return fail("morpho: health: maxBorrow overflow");
    return Health{*borrowed, *max_borrow, *max_borrow >= *borrowed};
}

U256 health_ratio_wad(const Health& h) {
    if (h.borrowed.is_zero()) return U256::max();
    // max_borrow * 1e18 / borrowed cannot overflow 512 bits; saturate at max.
    const auto ratio = keeper::mul_div_down(h.max_borrow, wad(), h.borrowed);
    return ratio ? *ratio : U256::max();
}

Result<U256> liquidation_incentive_factor_wad(const U256& lltv_wad) {
    if (lltv_wad >= wad()) return fail("morpho: lltv must be below 1e18");
    const auto cursor_part = w_mul_down(liquidation_cursor_wad(), wad() - lltv_wad);
    if (!cursor_part) return fail("morpho: LIF overflow");  // unreachable: both factors < 1e18
    const auto inverse = w_div_down(wad(), wad() - *cursor_part);
    if (!inverse) return fail("morpho: LIF division by zero");  // unreachable: cursor_part < 0.3e18
    return min(max_liquidation_incentive_factor_wad(), *inverse);
}

Result<Liquidation> liquidate(const MarketParams& params, const MarketState& market, const Position& position,
                              const U256& price_1e36, const LiquidationRequest& request) {
    if (request.seized_assets.is_zero() == request.repaid_shares.is_zero())
        return fail("morpho: liquidate: inconsistent input (exactly one of seizedAssets, repaidShares must be zero)");
    const auto h = health(params, market, position, price_1e36);
    if (!h) return std::unexpected(h.error());
    if (h->healthy) return fail("morpho: liquidate: healthy position");
    const auto lif = liquidation_incentive_factor_wad(params.lltv_wad);
    if (!lif) return std::unexpected(lif.error());

    Liquidation out{};
    const U256& borrow_assets = market.total_borrow_assets;
    const U256& borrow_shares = market.total_borrow_shares;
    if (!request.seized_assets.is_zero()) {
        out.seized_assets = request.seized_assets;
        const auto quoted = morpho::mul_div_up(request.seized_assets, price_1e36, oracle_price_scale());
        if (!quoted) return fail("morpho: liquidate: seizedAssets * price overflows");
        const auto repaid_value = w_div_up(*quoted, *lif);
        if (!repaid_value) return fail("morpho: liquidate: wDivUp overflow");
        const auto shares = to_shares_up(*repaid_value, borrow_assets, borrow_shares);
        if (!shares) return fail("morpho: liquidate: toSharesUp overflow");
        out.repaid_shares = *shares;
    } else {
        out.repaid_shares = request.repaid_shares;
        const auto assets = to_assets_down(request.repaid_shares, borrow_assets, borrow_shares);
        if (!assets) return fail("morpho: liquidate: toAssetsDown overflow");
        const auto with_incentive = w_mul_down(*assets, *lif);
        if (!with_incentive) return fail("morpho: liquidate: wMulDown overflow");
        const auto seized = morpho::mul_div_down(*with_incentive, oracle_price_scale(), price_1e36);
        if (!seized) return fail("morpho: liquidate: seized assets overflow or zero price");
        out.seized_assets = *seized;
    }
    const auto repaid_assets = to_assets_up(out.repaid_shares, borrow_assets, borrow_shares);
    if (!repaid_assets) return fail("morpho: liquidate: toAssetsUp overflow");
    out.repaid_assets = *repaid_assets;

    MarketState m = market;
    Position p = position;
    const auto position_shares = sub_u128(p.borrow_shares, out.repaid_shares);
    const auto market_shares = sub_u128(m.total_borrow_shares, out.repaid_shares);
    if (!position_shares || !market_shares) return fail("morpho: liquidate: repaid shares exceed the borrow");
    p.borrow_shares = *position_shares;
    m.total_borrow_shares = *market_shares;
    m.total_borrow_assets = zero_floor_sub(m.total_borrow_assets, out.repaid_assets);
    const auto collateral = sub_u128(p.collateral, out.seized_assets);
    if (!collateral) return fail("morpho: liquidate: seized assets exceed the collateral");
    p.collateral = *collateral;

    if (p.collateral.is_zero()) {
        out.bad_debt_shares = p.borrow_shares;
        const auto owed = to_assets_up(out.bad_debt_shares, m.total_borrow_assets, m.total_borrow_shares);
        if (!owed) return fail("morpho: liquidate: bad debt toAssetsUp overflow");
        out.bad_debt_assets = min(m.total_borrow_assets, *owed);
        const auto supply_assets = sub_u128(m.total_supply_assets, out.bad_debt_assets);
        if (!supply_assets) return fail("morpho: liquidate: bad debt exceeds total supply");
        m.total_borrow_assets = m.total_borrow_assets - out.bad_debt_assets;
        m.total_supply_assets = *supply_assets;
        m.total_borrow_shares = m.total_borrow_shares - out.bad_debt_shares;  // position shares <= total
        p.borrow_shares = U256();
    }
    out.market_after = m;
    out.position_after = p;
    return out;
}

Result<MaxLiquidation> max_liquidation(const MarketParams& params, const MarketState& market, const Position& position,
                                       const U256& price_1e36) {
    if (!has_debt(position)) return fail("morpho: max liquidation: no debt");
    const auto h = health(params, market, position, price_1e36);
    if (!h) return std::unexpected(h.error());
    if (h->healthy) return fail("morpho: liquidate: healthy position");
    // Repaying every share: does it seize less than the collateral?
    const LiquidationRequest all_shares{U256(), position.borrow_shares};
    const auto by_shares = liquidate(params, market, position, price_1e36, all_shares);
    if (by_shares) return MaxLiquidation{all_shares, *by_shares};
    if (!position.collateral.is_zero()) {
        const LiquidationRequest all_collateral{position.collateral, U256()};
        const auto by_collateral = liquidate(params, market, position, price_1e36, all_collateral);
        if (by_collateral) return MaxLiquidation{all_collateral, *by_collateral};
    }
    // Rounding makes both extremes revert (e.g. seizing all collateral asks for
    // one share more than exists): the largest share count that still fits.
    // Seized collateral grows with repaid shares, so bisect.
    U256 lo = 0;  // largest known-good share count (0 = none found yet)
    U256 hi = position.borrow_shares;  // known to revert
    std::optional<Liquidation> best;
    while (hi - lo > 1) {
        const U256 mid = lo + (hi - lo) / 2;
        const auto attempt = liquidate(params, market, position, price_1e36, LiquidationRequest{U256(), mid});
        if (attempt) {
            lo = mid;
            best = *attempt;
        } else {
            hi = mid;
        }
    }
    if (!best) {
        // Nothing liquidates: report the contract's reason for the full repay.
        return std::unexpected(by_shares.error());
    }
    return MaxLiquidation{LiquidationRequest{U256(), lo}, *best};
}

}  // namespace keeper::morpho
