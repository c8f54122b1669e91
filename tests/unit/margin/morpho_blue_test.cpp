// Morpho Blue model: worked examples computed by hand from the Solidity
// (MathLib, SharesMathLib, Morpho.sol) and written out in full.
#include <gtest/gtest.h>

#include <random>

#include "core/fixed_point.hpp"
#include "margin/morpho_blue.hpp"

namespace keeper::morpho {
namespace morpho_blue_test {

U256 n(const char* dec) { return U256::from_dec(dec).value(); }

const U256 kE6 = U256(1'000'000);
const U256 kE18 = U256(1'000'000'000'000'000'000ULL);

// WETH (18 decimals) collateral, USDC (6 decimals) loan, lltv 86%.
MarketParams weth_usdc() {
    MarketParams p;
    p.irm = Address::parse("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC").value();
    p.lltv_wad = n("860000000000000000");
    return p;
}

// 10,000 USDC borrowed as 1e16 shares: exactly 1e6 shares per asset even with
// the virtual share/asset, since (A + 1) / (S + 1e6) = (1e10 + 1) / (1e16 + 1e6) = 1e-6.
MarketState market_10k() {
    MarketState m;
    m.total_supply_assets = n("20000000000");
    m.total_supply_shares = n("20000000000000000");
    m.total_borrow_assets = n("10000000000");
    m.total_borrow_shares = n("10000000000000000");
    m.last_update = 1'700'000'000;
    return m;
}

// 2000 USDC per WETH: 2000e6 * 1e36 / 1e18 = 2e27.
const U256 kPrice2000 = n("2000000000000000000000000000");
const U256 kPrice1500 = n("1500000000000000000000000000");

TEST(MorphoLiquidationIncentive, TableFromTheFormula) {
    // min(1.15e18, floor(1e36 / (1e18 - floor(0.3e18 * (1e18 - lltv) / 1e18))))
    struct Row {
        const char* lltv;
        const char* lif;
    };
    const Row rows[] = {
        {"860000000000000000", "1043841336116910229"},  // 1e36 / 0.958e18
        {"945000000000000000", "1016776817488561260"},  // 1e36 / 0.9835e18
        {"915000000000000000", "1026167265264238070"},
        {"770000000000000000", "1074113856068743286"},
        {"980000000000000000", "1006036217303822937"},
        {"500000000000000000", "1150000000000000000"},  // 1/0.85 = 1.176 capped
        {"0", "1150000000000000000"},
    };
    for (const Row& r : rows) {
        const auto lif = liquidation_incentive_factor_wad(n(r.lltv));
        ASSERT_TRUE(lif.has_value()) << r.lltv;
        EXPECT_EQ(*lif, n(r.lif)) << r.lltv;
    }
    EXPECT_FALSE(liquidation_incentive_factor_wad(kE18).has_value());
}

TEST(MorphoShares, EmptyMarketUsesVirtualShares) {
    EXPECT_EQ(to_shares_down(1, 0, 0), kE6);  // 1 * (0 + 1e6) / (0 + 1)
    EXPECT_EQ(to_shares_up(1, 0, 0), kE6);
    EXPECT_EQ(to_assets_down(kE6, 0, 0), U256(1));
    EXPECT_EQ(to_assets_up(1, 0, 0), U256(1));  // ceil(1 / 1e6)
    EXPECT_EQ(to_assets_down(1, 0, 0), U256(0));
}

TEST(MorphoShares, RoundingTable) {
    // A = 1,000,000,123 assets, S = 999,999,000,000,000 shares.
    const U256 a = n("1000000123"), s = n("999999000000000");
    struct Row {
        const char* in;
        const char* down;
        const char* up;
    };
    // shares = assets * (S + 1e6) / (A + 1)
    for (const Row& r : {Row{"1", "999998", "999999"}, Row{"12345", "12344986136", "12344986137"},
                         Row{"1000000000", "999998877000139", "999998877000140"}}) {
        EXPECT_EQ(to_shares_down(n(r.in), a, s), n(r.down)) << r.in;
        EXPECT_EQ(to_shares_up(n(r.in), a, s), n(r.up)) << r.in;
    }
    // assets = shares * (A + 1) / (S + 1e6)
    for (const Row& r : {Row{"1", "0", "1"}, Row{"999999", "1", "2"}, Row{"1000000000007", "1000001", "1000002"}}) {
        EXPECT_EQ(to_assets_down(n(r.in), a, s), n(r.down)) << r.in;
        EXPECT_EQ(to_assets_up(n(r.in), a, s), n(r.up)) << r.in;
    }
}

TEST(MorphoShares, OverflowIsAnError) {
    EXPECT_FALSE(to_shares_down(U256::max(), 0, 0).has_value());  // max * 1e6 overflows
}

TEST(MorphoHealth, BoundaryEqualityIsHealthy) {
    Position at;
    at.collateral = kE18;  // 1 WETH = 2000 USDC; max borrow 2000e6 * 0.86 = 1720e6
    at.borrow_shares = n("1720000000000000");
    const auto h = health(weth_usdc(), market_10k(), at, kPrice2000);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->borrowed, n("1720000000"));
    EXPECT_EQ(h->max_borrow, n("1720000000"));
    EXPECT_TRUE(h->healthy);
    EXPECT_EQ(health_ratio_wad(*h), kE18);

    Position over = at;
    over.borrow_shares = over.borrow_shares + 1;  // one share more rounds borrowed up by a whole wei
    const auto h2 = health(weth_usdc(), market_10k(), over, kPrice2000);
    ASSERT_TRUE(h2.has_value());
    EXPECT_EQ(h2->borrowed, n("1720000001"));
    EXPECT_FALSE(h2->healthy);
    EXPECT_LT(health_ratio_wad(*h2), kE18);
}

TEST(MorphoHealth, RatioAndNoDebt) {
    Position p;
    p.collateral = kE18;
    p.borrow_shares = n("1800000000000000");  // 1800 USDC
    const auto h = health(weth_usdc(), market_10k(), p, kPrice2000);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(health_ratio_wad(*h), n("955555555555555555"));  // 1720 / 1800
    p.borrow_shares = 0;
    const auto none = health(weth_usdc(), market_10k(), p, kPrice2000);
    ASSERT_TRUE(none.has_value());
    EXPECT_TRUE(none->healthy);
    EXPECT_EQ(health_ratio_wad(*none), U256::max());
}

Position underwater() {
    Position p;
    p.collateral = kE18;
    p.borrow_shares = n("1800000000000000");  // 1800 USDC against max 1720
    return p;
}

TEST(MorphoLiquidate, BySeizedAssets) {
    // 0.5 WETH at 2000 = 1000e6 USDC; / LIF 1.043841336116910229 = 958.0000009..e6,
    // rounded up to 958000001 assets, then up to shares: 958000001000000.
    const auto l = liquidate(weth_usdc(), market_10k(), underwater(), kPrice2000,
                             LiquidationRequest{n("500000000000000000"), 0});
    ASSERT_TRUE(l.has_value()) << l.error().message;
    EXPECT_EQ(l->seized_assets, n("500000000000000000"));
    EXPECT_EQ(l->repaid_shares, n("958000001000000"));
    EXPECT_EQ(l->repaid_assets, n("958000001"));
    EXPECT_EQ(l->bad_debt_assets, U256(0));
    EXPECT_EQ(l->position_after.borrow_shares, n("841999999000000"));
    EXPECT_EQ(l->position_after.collateral, n("500000000000000000"));
    EXPECT_EQ(l->market_after.total_borrow_assets, n("9041999999"));
    EXPECT_EQ(l->market_after.total_borrow_shares, n("9041999999000000"));
    EXPECT_EQ(l->market_after.total_supply_assets, n("20000000000"));
}

TEST(MorphoLiquidate, ByRepaidShares) {
    // 900e12 shares -> 900e6 USDC (down) * LIF (down) = 939457202.xx -> 939457202;
    // * 1e36 / 2e27 = 469728601000000000 collateral.
    const auto l = liquidate(weth_usdc(), market_10k(), underwater(), kPrice2000,
                             LiquidationRequest{0, n("900000000000000")});
    ASSERT_TRUE(l.has_value()) << l.error().message;
    EXPECT_EQ(l->seized_assets, n("469728601000000000"));
    EXPECT_EQ(l->repaid_shares, n("900000000000000"));
    EXPECT_EQ(l->repaid_assets, n("900000000"));
    EXPECT_EQ(l->position_after.collateral, n("530271399000000000"));
    EXPECT_EQ(l->market_after.total_borrow_assets, n("9100000000"));
}

TEST(MorphoLiquidate, RevertsLikeTheContract) {
    Position healthy;
    healthy.collateral = kE18;
    healthy.borrow_shares = n("1720000000000000");
    EXPECT_EQ(liquidate(weth_usdc(), market_10k(), healthy, kPrice2000, LiquidationRequest{1, 0}).error().message,
              "morpho: liquidate: healthy position");
    EXPECT_FALSE(liquidate(weth_usdc(), market_10k(), underwater(), kPrice2000, LiquidationRequest{1, 1}).has_value());
    EXPECT_FALSE(liquidate(weth_usdc(), market_10k(), underwater(), kPrice2000, LiquidationRequest{0, 0}).has_value());
    // More shares than the position has.
    EXPECT_FALSE(liquidate(weth_usdc(), market_10k(), underwater(), kPrice2000,
                           LiquidationRequest{0, n("1800000000000001")})
                     .has_value());
    // More collateral than the position has.
    EXPECT_FALSE(liquidate(weth_usdc(), market_10k(), underwater(), kPrice2000,
                           LiquidationRequest{n("1000000000000000001"), 0})
                     .has_value());
}

TEST(MorphoLiquidate, SeizingAllCollateralRealisesBadDebt) {
    // At 1500 USDC/WETH, repaying all 1800e6 would seize 1.2526 WETH > 1 WETH,
    // so the whole collateral goes: repaid ceil(1500e6 / LIF) = 1437000001,
    // and the remaining 362999999 USDC is socialised on suppliers.
    const auto max = max_liquidation(weth_usdc(), market_10k(), underwater(), kPrice1500);
    ASSERT_TRUE(max.has_value()) << max.error().message;
    EXPECT_EQ(max->request.seized_assets, kE18);
    EXPECT_EQ(max->request.repaid_shares, U256(0));
    const Liquidation& l = max->outcome;
    EXPECT_EQ(l.repaid_shares, n("1437000001000000"));
    EXPECT_EQ(l.repaid_assets, n("1437000001"));
    EXPECT_EQ(l.bad_debt_shares, n("362999999000000"));
    EXPECT_EQ(l.bad_debt_assets, n("362999999"));
    EXPECT_EQ(l.position_after, Position{});
    EXPECT_EQ(l.market_after.total_borrow_assets, n("8200000000"));
    EXPECT_EQ(l.market_after.total_borrow_shares, n("8200000000000000"));
    EXPECT_EQ(l.market_after.total_supply_assets, n("19637000001"));
}

TEST(MorphoLiquidate, MaxLiquidationRepaysAllSharesWhenCollateralSuffices) {
    // At 2000 USDC/WETH all 1800e6 of debt seizes 1800e6 * LIF / 2000 < 1 WETH.
    const auto max = max_liquidation(weth_usdc(), market_10k(), underwater(), kPrice2000);
    ASSERT_TRUE(max.has_value()) << max.error().message;
    EXPECT_EQ(max->request.repaid_shares, n("1800000000000000"));
    EXPECT_EQ(max->outcome.position_after.borrow_shares, U256(0));
    EXPECT_GT(max->outcome.position_after.collateral, U256(0));
    EXPECT_EQ(max->outcome.bad_debt_assets, U256(0));
}

TEST(MorphoAccrue, OneYearAtFivePercentWithTenPercentFee) {
    MarketState m;
    m.total_supply_assets = n("2000000000000");  // 2M USDC
    m.total_supply_shares = n("2000000000000000000");
    m.total_borrow_assets = n("1000000000000");  // 1M USDC
    m.total_borrow_shares = n("1000000000000000000");
    m.fee_wad = n("100000000000000000");
    m.last_update = 1'000;
    const U256 rate = n("1585489599");  // floor(0.05e18 / 31536000) per second
    const auto a = accrue_interest(weth_usdc(), m, rate, 1'000 + 31'536'000);
    ASSERT_TRUE(a.has_value()) << a.error().message;
    // x*n = 49999999994064000 (5% minus rounding), + (x*n)^2/2 + (x*n)^3/6:
    // growth 51270833327093113 -> interest 1e12 * growth / 1e18 = 51270833327.
    EXPECT_EQ(a->interest, n("51270833327"));
    EXPECT_EQ(a->market.total_borrow_assets, n("1051270833327"));
    EXPECT_EQ(a->market.total_supply_assets, n("2051270833327"));
    // fee 5127083332 bought at (2051270833327 - 5127083332 + 1) assets per 2e18 + 1e6 shares.
    EXPECT_EQ(a->fee_shares, n("5011459563398306"));
    EXPECT_EQ(a->market.total_supply_shares, n("2005011459563398306"));
    EXPECT_EQ(a->market.last_update, 1'000u + 31'536'000u);
    EXPECT_EQ(w_taylor_compounded(rate, U256(31'536'000)), n("51270833327093113"));
}

TEST(MorphoAccrue, NoIrmOrNoTimeOnlyMovesTheClock) {
    MarketParams no_irm = weth_usdc();
    no_irm.irm = Address();
    const auto a = accrue_interest(no_irm, market_10k(), n("1000000000"), market_10k().last_update + 100);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->interest, U256(0));
    EXPECT_EQ(a->market.total_borrow_assets, market_10k().total_borrow_assets);
    EXPECT_EQ(a->market.last_update, market_10k().last_update + 100);
    const auto same = accrue_interest(weth_usdc(), market_10k(), n("1000000000"), market_10k().last_update);
    ASSERT_TRUE(same.has_value());
    EXPECT_EQ(same->market, market_10k());
    EXPECT_FALSE(accrue_interest(weth_usdc(), market_10k(), 1, market_10k().last_update - 1).has_value());
}

// Property: conversions round in the protocol's favour and up >= down.
TEST(MorphoProperties, RoundingFavoursTheProtocol) {
    std::mt19937_64 rng(20240601);
    for (int i = 0; i < 400; ++i) {
        const U256 total_assets = U256(rng() % 1'000'000'000'000ULL);
        const U256 total_shares = total_assets * U256(1 + rng() % 2'000'000);
        const U256 x = U256(rng() % 1'000'000'000'000'000ULL);
        const U256 sd = *to_shares_down(x, total_assets, total_shares);
        const U256 su = *to_shares_up(x, total_assets, total_shares);
        const U256 ad = *to_assets_down(x, total_assets, total_shares);
        const U256 au = *to_assets_up(x, total_assets, total_shares);
        ASSERT_GE(su, sd);
        ASSERT_LE(su - sd, U256(1));
        ASSERT_GE(au, ad);
        ASSERT_LE(au - ad, U256(1));
        // Round-tripping assets -> shares (down) -> assets (down) never creates assets.
        ASSERT_LE(*to_assets_down(sd, total_assets, total_shares), x);
        // Minting shares for x assets (up) costs at least x back (up).
        ASSERT_GE(*to_assets_up(su, total_assets, total_shares), x);
    }
}

// Property: falling collateral price never improves health.
TEST(MorphoProperties, HealthMonotoneInPrice) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 300; ++i) {
        Position p;
        p.collateral = U256(rng() % 1'000'000'000'000'000'000ULL);
        p.borrow_shares = U256(rng() % 2'000'000'000'000'000ULL);
        U256 price = U256(rng() % 1'000'000'000'000ULL) * U256(1'000'000'000'000'000ULL);
        U256 previous = U256::max();
        bool was_healthy = true;
        for (int step = 0; step < 8; ++step) {
            const auto h = health(weth_usdc(), market_10k(), p, price);
            ASSERT_TRUE(h.has_value());
            const U256 ratio = health_ratio_wad(*h);
            ASSERT_LE(ratio, previous);
            ASSERT_TRUE(was_healthy || !h->healthy);  // once unhealthy, stays so
            previous = ratio;
            was_healthy = h->healthy;
            price = price - price / U256(1 + rng() % 10);
        }
    }
}

}  // namespace morpho_blue_test
}  // namespace keeper::morpho
