// The float screen and the exact Morpho rule together: after an oracle drop,
// every position the contract would call liquidatable is among the confirmed
// ones (the screen misses none), and nothing healthy is confirmed.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "margin/morpho_screen.hpp"
#include "margin/screen_confirm.hpp"

using namespace keeper;
using namespace keeper::margin;

namespace morpho_screen_test {

struct Book {
    morpho::MarketParams params;
    morpho::MarketState market;
    std::vector<morpho::Position> positions;
};

// WETH collateral (18 decimals) against USDC debt (6 decimals), LLTV 86%.
// Oracle price of 1 wei of WETH in USDC base units, scaled 1e36: 3000 USDC/WETH
// -> 3000e6 / 1e18 * 1e36 = 3e27.
Book make_book(std::uint32_t seed, std::size_t count) {
    Book b;
    b.params.lltv_wad = U256::from_dec("860000000000000000").value();
    b.market.total_borrow_assets = U256::from_dec("50000000000000").value();   // 50 M USDC
    b.market.total_borrow_shares = U256::from_dec("48000000000000000000").value();  // shares carry 1e6 virtual scale
    std::mt19937_64 rng(seed);
    const U256 price = U256::from_dec("3000000000000000000000000000").value();
    for (std::size_t i = 0; i < count; ++i) {
        morpho::Position p;
        p.collateral = U256::pow10(15) * U256(1 + rng() % 100'000);  // 0.001 .. 100 WETH
        auto h = morpho::health(b.params, b.market, morpho::Position{U256(0), U256(0), p.collateral}, price);
        // Borrow between 50% and 99.9% of the maximum, as shares.
        const U256 max_borrow = h->max_borrow;
        const U256 target = max_borrow * U256(500 + rng() % 500) / U256(1000);
        p.borrow_shares = morpho::to_shares_down(target, b.market.total_borrow_assets, b.market.total_borrow_shares).value();
        b.positions.push_back(p);
    }
    return b;
}

TEST(MorphoScreen, ScreeningHealthTracksTheExactRatio) {
    // 1 WETH at 3000 USDC, LLTV 0.86: max borrow 2580 USDC; borrowing 2000 USDC -> health 1.29.
    Book b = make_book(1, 0);
    const U256 price = U256::from_dec("3000000000000000000000000000").value();
    morpho::Position p{U256(0), morpho::to_shares_up(U256(2'000'000'000ULL), b.market.total_borrow_assets,
                                                      b.market.total_borrow_shares).value(),
                       U256::pow10(18)};
    AccountIndex index(2, 0.05);
    const MorphoScreenAssets assets{0, 1};
    ASSERT_TRUE(morpho_screen_market_update(index, assets, b.params, b.market, price).has_value());
    auto id = index.add(morpho_screen_positions(assets, p));
    ASSERT_TRUE(id.has_value());
    index.rescreen_all();
    EXPECT_NEAR(index.health(*id), 1.29, 1e-5);
    const auto exact = morpho::health(b.params, b.market, p, price).value();
    EXPECT_NEAR(morpho::health_ratio_wad(exact).to_double() / 1e18, 1.29, 1e-5);
}

TEST(MorphoScreen, AfterAnOracleDropTheScreenMissesNoLiquidatablePositionAndConfirmsOnlyThose) {
    Book b = make_book(7, 2'000);
    const MorphoScreenAssets assets{0, 1};
    AccountIndex index(2, 0.02);
    U256 price = U256::from_dec("3000000000000000000000000000").value();
    ASSERT_TRUE(morpho_screen_market_update(index, assets, b.params, b.market, price).has_value());
    std::vector<ScreenAccountId> ids;
    for (const auto& p : b.positions) ids.push_back(index.add(morpho_screen_positions(assets, p)).value());
    index.rescreen_all();

    // The oracle falls 15%: 2550 USDC per WETH.
    price = U256::from_dec("2550000000000000000000000000").value();
    auto tick = morpho_screen_market_update(index, assets, b.params, b.market, price);
    ASSERT_TRUE(tick.has_value());

    std::set<std::uint32_t> exact_liquidatable;
    for (std::size_t i = 0; i < b.positions.size(); ++i)
        if (morpho_is_liquidatable(b.params, b.market, b.positions[i], price).value()) exact_liquidatable.insert(ids[i].value);
    ASSERT_GT(exact_liquidatable.size(), 100u);  // the example must exercise the path
    ASSERT_LT(exact_liquidatable.size(), b.positions.size());

    ConfirmPolicy policy;
    policy.max_accounts = b.positions.size();
    const auto outcome = confirm_riskiest(index, policy, [&](ScreenAccountId id) -> Result<bool> {
        return morpho_is_liquidatable(b.params, b.market, b.positions[id.value], price);
    });
    std::set<std::uint32_t> confirmed;
    for (const auto& r : outcome.liquidatable) confirmed.insert(r.id.value);
    EXPECT_EQ(confirmed, exact_liquidatable);
    EXPECT_TRUE(outcome.errors.empty());
    // Riskiest first.
    for (std::size_t i = 1; i < outcome.liquidatable.size(); ++i)
        EXPECT_LE(outcome.liquidatable[i - 1].health, outcome.liquidatable[i].health);
}

TEST(MorphoScreen, AccruingInterestIsOneAssetUpdateOfThatMarket) {
    Book b = make_book(3, 100);
    const MorphoScreenAssets a{0, 1};
    const MorphoScreenAssets other{2, 3};
    AccountIndex index(4, 0.02);
    const U256 price = U256::from_dec("3000000000000000000000000000").value();
    ASSERT_TRUE(morpho_screen_market_update(index, a, b.params, b.market, price).has_value());
    ASSERT_TRUE(morpho_screen_market_update(index, other, b.params, b.market, price).has_value());
    for (const auto& p : b.positions) ASSERT_TRUE(index.add(morpho_screen_positions(a, p)).has_value());
    for (const auto& p : b.positions) ASSERT_TRUE(index.add(morpho_screen_positions(other, p)).has_value());
    index.rescreen_all();
    const auto before = index.evaluations();
    // A year at 10%: total borrow assets x 1.105; only market `a` is re-screened.
    morpho::MarketState accrued = b.market;
    accrued.total_borrow_assets = b.market.total_borrow_assets * U256(1105) / U256(1000);
    auto tick = index.on_asset_update(a.borrow_share, morpho_borrow_share_screen_price(accrued), 1.0);
    ASSERT_TRUE(tick.has_value());
    EXPECT_EQ(tick->evaluated, 100u);
    EXPECT_EQ(index.evaluations() - before, 100u);
    EXPECT_GT(tick->newly_flagged.size(), 0u);  // borrowers near 99% of max are now past the line
}

}  // namespace morpho_screen_test
