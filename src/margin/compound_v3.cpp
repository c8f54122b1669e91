#include "margin/compound_v3.hpp"

#include <optional>

#include "core/fixed_point.hpp"

namespace keeper::comet {
namespace {

const U256& uint104_max() {
    static const U256 v = (U256(1) << 104) - 1;
    return v;
}

// Solidity 0.8 `a * b / d` with a checked product; d is never zero here
// (scales and prices are validated by the callers).
std::optional<U256> mul_div(const U256& a, const U256& b, const U256& d) {
    const auto p = checked_mul(a, b);
    if (!p || d.is_zero()) return std::nullopt;
    return *p / d;
}

std::optional<U256> mul_factor(const U256& n, const U256& factor) { return mul_div(n, factor, factor_scale()); }
std::optional<U256> mul_price(const U256& n, const U256& price, const U256& from_scale) {
    return mul_div(n, price, from_scale);
}

Result<U256> present_value(const BaseState& base, const Principal& p) {
    return p.borrowed ? present_value_borrow(base.base_borrow_index, p.magnitude)
                      : present_value_supply(base.base_supply_index, p.magnitude);
}

enum class Factor { Borrow, Liquidate };

Result<Liquidity> liquidity(const BaseState& base, const Account& account, Factor which) {
    if (base.price_1e8.is_zero()) return fail("comet: BadPrice (base)");
    Liquidity out;
    if (account.principal.borrowed) {
        const auto pv = present_value(base, account.principal);
        if (!pv) return std::unexpected(pv.error());
        const auto debt = mul_price(*pv, base.price_1e8, base.base_scale);
        if (!debt) return fail("comet: debt value overflow");
        out.debt_value_1e8 = *debt;
    }
    for (const CollateralHolding& c : account.collateral) {
        if (c.price_1e8.is_zero()) return fail("comet: BadPrice (collateral)");
        const auto value = mul_price(c.balance, c.price_1e8, c.info.scale);
        const U256& factor =
            which == Factor::Borrow ? c.info.borrow_collateral_factor : c.info.liquidate_collateral_factor;
        const auto weighted = value ? mul_factor(*value, factor) : std::nullopt;
        const auto sum = weighted ? checked_add(out.collateral_value_1e8, *weighted) : std::nullopt;
        if (!sum) return fail("comet: collateral value overflow");
        out.collateral_value_1e8 = *sum;
    }
    return out;
}

}  // namespace

U256 base_index_scale() { return U256(1'000'000'000'000'000ULL); }
U256 factor_scale() { return fixed_point::wad(); }

Result<U256> present_value_supply(const U256& base_supply_index, const U256& principal) {
    const auto v = mul_div(principal, base_supply_index, base_index_scale());
    if (!v) return fail("comet: present value overflow");
    return *v;
}

Result<U256> present_value_borrow(const U256& base_borrow_index, const U256& principal) {
    const auto v = mul_div(principal, base_borrow_index, base_index_scale());
    if (!v) return fail("comet: present value overflow");
    return *v;
}

Result<U256> principal_value_supply(const U256& base_supply_index, const U256& present) {
    const auto v = mul_div(present, base_index_scale(), base_supply_index);
    if (!v || *v > uint104_max()) return fail("comet: InvalidUInt104");
    return *v;
}

Result<U256> principal_value_borrow(const U256& base_borrow_index, const U256& present) {
    // (present * 1e15 + index - 1) / index
    const auto scaled = checked_mul(present, base_index_scale());
    if (!scaled || base_borrow_index.is_zero()) return fail("comet: principal value overflow");
    const auto numerator = checked_add(*scaled, base_borrow_index - 1);
    if (!numerator) return fail("comet: principal value overflow");
    const U256 v = *numerator / base_borrow_index;
    if (v > uint104_max()) return fail("comet: InvalidUInt104");
    return v;
}

Result<Indices> accrue_indices(const Indices& indices, const U256& supply_rate_per_second_1e18,
                               const U256& borrow_rate_per_second_1e18, std::uint64_t elapsed_seconds) {
    if (elapsed_seconds == 0) return indices;
    const U256 elapsed(elapsed_seconds);
    const auto supply_growth = checked_mul(supply_rate_per_second_1e18, elapsed);
    const auto borrow_growth = checked_mul(borrow_rate_per_second_1e18, elapsed);
    const auto supply_delta = supply_growth ? mul_factor(indices.base_supply_index, *supply_growth) : std::nullopt;
    const auto borrow_delta = borrow_growth ? mul_factor(indices.base_borrow_index, *borrow_growth) : std::nullopt;
    if (!supply_delta || !borrow_delta) return fail("comet: index accrual overflow");
    // Indices are uint64: safe64 on the delta, then a checked uint64 addition.
    const U256 u64_max(~std::uint64_t{0});
    const U256 supply = indices.base_supply_index + *supply_delta;
    const U256 borrow = indices.base_borrow_index + *borrow_delta;
    if (*supply_delta > u64_max || *borrow_delta > u64_max || supply > u64_max || borrow > u64_max)
        return fail("comet: index exceeds uint64");
    return Indices{supply, borrow};
}

Result<Liquidity> borrow_liquidity(const BaseState& base, const Account& account) {
    return liquidity(base, account, Factor::Borrow);
}

Result<Liquidity> liquidation_liquidity(const BaseState& base, const Account& account) {
    return liquidity(base, account, Factor::Liquidate);
}

// Comet stops summing as soon as liquidity >= 0; every term it adds is
// non-negative, so comparing the full sums gives the same answer.
Result<bool> is_borrow_collateralized(const BaseState& base, const Account& account) {
    if (!account.principal.borrowed) return true;
    const auto l = borrow_liquidity(base, account);
    if (!l) return std::unexpected(l.error());
    return !l->negative();
}

Result<bool> is_liquidatable(const BaseState& base, const Account& account) {
    if (!account.principal.borrowed) return false;
    const auto l = liquidation_liquidity(base, account);
    if (!l) return std::unexpected(l.error());
    return l->negative();
}

Result<U256> health_ratio_wad(const BaseState& base, const Account& account) {
    if (!account.principal.borrowed) return U256::max();
    const auto l = liquidation_liquidity(base, account);
    if (!l) return std::unexpected(l.error());
    if (l->debt_value_1e8.is_zero()) return U256::max();
    const auto r = keeper::mul_div_down(l->collateral_value_1e8, fixed_point::wad(), l->debt_value_1e8);
    return r ? *r : U256::max();
}

Result<U256> quote_collateral(const BaseState& base, const AssetInfo& asset, const U256& asset_price_1e8,
                              const U256& base_amount) {
    if (asset_price_1e8.is_zero() || base.price_1e8.is_zero()) return fail("comet: BadPrice");
    const auto liquidation_discount = checked_sub(factor_scale(), asset.liquidation_factor);
    if (!liquidation_discount) return fail("comet: liquidationFactor above 1");
    const auto discount = mul_factor(base.store_front_price_factor, *liquidation_discount);
    if (!discount) return fail("comet: discount overflow");
    const auto keep = checked_sub(factor_scale(), *discount);
    if (!keep) return fail("comet: discount above 1");
    const auto discounted_price = mul_factor(asset_price_1e8, *keep);
    if (!discounted_price || discounted_price->is_zero()) return fail("comet: discounted price is zero");
    // basePrice * baseAmount * assetScale / assetPriceDiscounted / baseScale
    const auto p1 = checked_mul(base.price_1e8, base_amount);
    const auto p2 = p1 ? checked_mul(*p1, asset.scale) : std::nullopt;
    if (!p2 || base.base_scale.is_zero()) return fail("comet: quote overflow");
    return *p2 / *discounted_price / base.base_scale;
}

Result<Absorb> absorb(const BaseState& base, const Account& account) {
    const auto liquidatable = is_liquidatable(base, account);
    if (!liquidatable) return std::unexpected(liquidatable.error());
    if (!*liquidatable) return fail("comet: NotLiquidatable");
    Absorb out;
    for (const CollateralHolding& c : account.collateral) {
        const auto value = mul_price(c.balance, c.price_1e8, c.info.scale);
        const auto credited = value ? mul_factor(*value, c.info.liquidation_factor) : std::nullopt;
        const auto sum = credited ? checked_add(out.collateral_value_1e8, *credited) : std::nullopt;
        if (!sum) return fail("comet: absorb value overflow");
        out.collateral_value_1e8 = *sum;
    }
    const auto delta = mul_div(out.collateral_value_1e8, base.base_scale, base.price_1e8);  // divPrice
    if (!delta) return fail("comet: absorb delta overflow");
    out.delta_balance = *delta;
    const auto owed = present_value_borrow(base.base_borrow_index, account.principal.magnitude);
    if (!owed) return std::unexpected(owed.error());
    // newBalance = max(0, delta - owed); paid out = newBalance - oldBalance = newBalance + owed.
    const U256 new_balance = out.delta_balance > *owed ? out.delta_balance - *owed : U256();
    out.base_paid_out = new_balance + *owed;
    const auto principal = principal_value_supply(base.base_supply_index, new_balance);
    if (!principal) return std::unexpected(principal.error());
    out.new_principal = Principal{*principal, false};
    return out;
}

}  // namespace keeper::comet
