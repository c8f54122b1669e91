// Compound III (Comet) model: worked examples from Comet.sol / CometCore.sol.
#include <gtest/gtest.h>

#include <random>

#include "margin/compound_v3.hpp"

namespace keeper::comet {
namespace compound_v3_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
const U256 kE18 = n("1000000000000000000");

// cUSDCv3-like: USDC base at $1, indices at 1.0.
BaseState usdc_base() {
    return BaseState{n("1000000"), n("100000000"), n("1000000000000000"), n("1000000000000000"),
                     n("600000000000000000")};
}

// WETH: borrow CF 82.5%, liquidate CF 89.5%, liquidation factor 95%.
AssetInfo weth() {
    return AssetInfo{kE18, n("825000000000000000"), n("895000000000000000"), n("950000000000000000"), 0};
}

Account borrower(const char* owed_principal, const char* weth_price_1e8) {
    return Account{Principal{n(owed_principal), true}, {CollateralHolding{weth(), n(weth_price_1e8), kE18}}};
}

TEST(CometValues, PresentAndPrincipalRounding) {
    const U256 borrow_index = n("1051234567890123"), supply_index = n("1020000000000001");
    EXPECT_EQ(present_value_borrow(borrow_index, n("1000000000")).value(), n("1051234567"));  // down
    EXPECT_EQ(present_value_supply(supply_index, n("1000000000")).value(), n("1020000000"));
    EXPECT_EQ(principal_value_borrow(borrow_index, n("1051234567")).value(), n("1000000000"));  // up
    EXPECT_EQ(principal_value_supply(supply_index, n("1051234567")).value(), n("1030622124"));  // down
    EXPECT_FALSE(principal_value_supply(n("1"), U256(1) << 100).has_value());                  // > uint104
}

TEST(CometValues, AccrueOneHour) {
    // index += index * (rate * 3600) / 1e18
    const auto i = accrue_indices(Indices{n("1020000000000001"), n("1051234567890123")}, n("317097919"),
                                  n("1585489599"), 3600);
    ASSERT_TRUE(i.has_value());
    EXPECT_EQ(i->base_supply_index, n("1020001164383559"));
    EXPECT_EQ(i->base_borrow_index, n("1051240568087427"));
}

TEST(CometLiquidity, LiquidatableBoundary) {
    // 1 WETH at $2000: 2000e8 * 0.895 = 1790e8 of liquidation capacity.
    // Owing exactly 1790 USDC leaves liquidity 0: not liquidatable.
    const auto at = liquidation_liquidity(usdc_base(), borrower("1790000000", "200000000000"));
    ASSERT_TRUE(at.has_value());
    EXPECT_EQ(at->collateral_value_1e8, n("179000000000"));
    EXPECT_EQ(at->debt_value_1e8, n("179000000000"));
    EXPECT_FALSE(is_liquidatable(usdc_base(), borrower("1790000000", "200000000000")).value());
    EXPECT_EQ(health_ratio_wad(usdc_base(), borrower("1790000000", "200000000000")).value(), kE18);
    // One more micro-USDC: debt value 179000000100 > capacity.
    EXPECT_TRUE(is_liquidatable(usdc_base(), borrower("1790000001", "200000000000")).value());
    // Borrowing capacity uses the 82.5% factor: 1650 USDC is the limit.
    EXPECT_TRUE(is_borrow_collateralized(usdc_base(), borrower("1650000000", "200000000000")).value());
    EXPECT_FALSE(is_borrow_collateralized(usdc_base(), borrower("1650000001", "200000000000")).value());
    // A supplier is never liquidatable.
    Account supplier{Principal{n("5"), false}, {}};
    EXPECT_FALSE(is_liquidatable(usdc_base(), supplier).value());
    EXPECT_TRUE(is_borrow_collateralized(usdc_base(), supplier).value());
}

TEST(CometQuote, StoreFrontDiscount) {
    // discount = 0.6 * (1 - 0.95) = 0.03; WETH sold at 2000e8 * 0.97 = 1940e8.
    // 1000 USDC buys 1e8 * 1000e6 * 1e18 / 1940e8 / 1e6 = 515463917525773195 wei.
    const auto q = quote_collateral(usdc_base(), weth(), n("200000000000"), n("1000000000"));
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(*q, n("515463917525773195"));
}

TEST(CometAbsorb, CreditsCollateralAtLiquidationFactor) {
    // 1 WETH at $1900 against 1800 USDC: capacity 1900 * 0.895 = 1700.5 < 1800.
    // Absorb credits 1900e8 * 0.95 = 1805e8 -> 1805 USDC; new balance +5 USDC supplied.
    const auto a = absorb(usdc_base(), borrower("1800000000", "190000000000"));
    ASSERT_TRUE(a.has_value()) << a.error().message;
    EXPECT_EQ(a->collateral_value_1e8, n("180500000000"));
    EXPECT_EQ(a->delta_balance, n("1805000000"));
    EXPECT_EQ(a->new_principal, (Principal{n("5000000"), false}));
    EXPECT_EQ(a->base_paid_out, n("1805000000"));
    // Underwater beyond the collateral: the balance floors at zero.
    const auto deep = absorb(usdc_base(), borrower("3000000000", "190000000000"));
    ASSERT_TRUE(deep.has_value());
    EXPECT_EQ(deep->new_principal, (Principal{0, false}));
    EXPECT_EQ(deep->base_paid_out, n("3000000000"));
    EXPECT_EQ(absorb(usdc_base(), borrower("1000000000", "190000000000")).error().message, "comet: NotLiquidatable");
}

// Property: falling collateral price never improves the health ratio, and the
// boolean agrees with the ratio.
TEST(CometProperties, MonotoneInCollateralPrice) {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 300; ++i) {
        BaseState base = usdc_base();
        base.base_borrow_index = base.base_borrow_index + U256(rng() % 100'000'000'000'000ULL);
        Account a{Principal{U256(1 + rng() % 10'000'000'000'000ULL), true},
                  {CollateralHolding{weth(), U256(1 + rng() % 1'000'000'000'000ULL), U256(rng() % 10'000'000'000'000'000'000ULL)}}};
        U256 previous = U256::max();
        for (int step = 0; step < 6; ++step) {
            const U256 ratio = health_ratio_wad(base, a).value();
            ASSERT_LE(ratio, previous);
            ASSERT_EQ(is_liquidatable(base, a).value(), ratio < kE18);
            previous = ratio;
            a.collateral[0].price_1e8 = a.collateral[0].price_1e8 - a.collateral[0].price_1e8 / U256(2 + rng() % 8);
        }
    }
}

}  // namespace compound_v3_test
}  // namespace keeper::comet
