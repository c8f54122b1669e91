#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "margin/account_index.hpp"
#include "margin/screen_confirm.hpp"

using namespace keeper::margin;

namespace account_index_test {

constexpr std::uint16_t usdc = 0, weth = 1, wbtc = 2, dai = 3;

ScreenPosition coll(std::uint16_t asset, double amount) { return {asset, PositionSide::collateral, amount}; }
ScreenPosition debt(std::uint16_t asset, double amount) { return {asset, PositionSide::debt, amount}; }

// USDC 1 @ 0.90, WETH 2,000 @ 0.80, WBTC 60,000 @ 0.75, DAI 1 @ 0.90; watch line 1.05.
class AccountIndexTest : public ::testing::Test {
protected:
    AccountIndexTest() : index_(4, 0.05) {
        EXPECT_TRUE(index_.set_asset(usdc, 1, 0.90).has_value());
        EXPECT_TRUE(index_.set_asset(weth, 2000, 0.80).has_value());
        EXPECT_TRUE(index_.set_asset(wbtc, 60000, 0.75).has_value());
        EXPECT_TRUE(index_.set_asset(dai, 1, 0.90).has_value());
        a_ = add({coll(weth, 10), debt(usdc, 14000)});   // 16,000 / 14,000 = 1.1429
        b_ = add({coll(weth, 10), debt(usdc, 15500)});   // 16,000 / 15,500 = 1.0323 flagged
        c_ = add({coll(wbtc, 1), debt(usdc, 40000)});    // 45,000 / 40,000 = 1.125
        d_ = add({coll(usdc, 20000), debt(weth, 5)});    // 18,000 / 10,000 = 1.8
        e_ = add({coll(dai, 50000), debt(wbtc, 1)});     // 45,000 / 60,000 = 0.75 flagged
    }

    ScreenAccountId add(std::initializer_list<ScreenPosition> positions) {
        const std::vector<ScreenPosition> v(positions);
        return index_.add(v).value();
    }

    AccountIndex index_;
    ScreenAccountId a_, b_, c_, d_, e_;
};

TEST_F(AccountIndexTest, ScreeningHealthIsWeightedCollateralOverDebt) {
    EXPECT_FLOAT_EQ(index_.health(a_), 16000.0f / 14000.0f);
    EXPECT_FLOAT_EQ(index_.health(b_), 16000.0f / 15500.0f);
    EXPECT_FLOAT_EQ(index_.health(c_), 1.125f);
    EXPECT_FLOAT_EQ(index_.health(d_), 1.8f);
    EXPECT_FLOAT_EQ(index_.health(e_), 0.75f);
    EXPECT_FALSE(index_.is_flagged(a_));
    EXPECT_TRUE(index_.is_flagged(b_));
    EXPECT_TRUE(index_.is_flagged(e_));
    EXPECT_EQ(index_.flagged_count(), 2u);
    EXPECT_EQ(index_.account_count(), 5u);
    // No debt: nothing to liquidate, health is +inf.
    const ScreenAccountId saver = add({coll(weth, 1)});
    EXPECT_TRUE(std::isinf(index_.health(saver)));
    const ScreenAccountId empty = index_.add({}).value();
    EXPECT_TRUE(std::isinf(index_.health(empty)));  // not NaN: the no-debt nudge
    EXPECT_FALSE(index_.is_flagged(empty));
    // Debt without collateral screens at ~0.
    const ScreenAccountId bare = add({debt(usdc, 100)});
    EXPECT_LT(index_.health(bare), 1e-20f);
    EXPECT_TRUE(index_.is_flagged(bare));
}

TEST_F(AccountIndexTest, PriceMoveFlagsExactlyTheAccountsThatCrossed) {
    const std::uint64_t before = index_.evaluations();
    // WETH -10 % to 1,800: A 14,400 / 14,000 = 1.0286 crosses; B 0.929 was already
    // flagged; D (WETH debt) rises to 2.0.
    const ScreenTick tick = index_.on_asset_update(weth, 1800, 0.80).value();
    EXPECT_EQ(tick.newly_flagged, std::vector<ScreenAccountId>{a_});
    EXPECT_TRUE(tick.cleared.empty());
    EXPECT_FLOAT_EQ(index_.health(a_), 14400.0f / 14000.0f);
    EXPECT_FLOAT_EQ(index_.health(b_), 14400.0f / 15500.0f);
    EXPECT_FLOAT_EQ(index_.health(d_), 2.0f);
    // Only A, B and D touch WETH: C and E were not re-evaluated.
    EXPECT_EQ(tick.evaluated, 3u);
    EXPECT_EQ(index_.evaluations() - before, 3u);

    // WETH +22 % to 2,200: A 1.257 and B 1.135 clear.
    const ScreenTick up = index_.on_asset_update(weth, 2200, 0.80).value();
    EXPECT_TRUE(up.newly_flagged.empty());
    std::vector<ScreenAccountId> cleared = up.cleared;
    std::sort(cleared.begin(), cleared.end(), [](auto x, auto y) { return x.value < y.value; });
    EXPECT_EQ(cleared, (std::vector<ScreenAccountId>{a_, b_}));
    EXPECT_EQ(index_.flagged_count(), 1u);
}

TEST_F(AccountIndexTest, ThresholdChangesAreUpdatesToo) {
    // WBTC threshold 0.75 -> 0.70: C 42,000 / 40,000 = 1.05, not below the line;
    // 0.69 -> 41,400 / 40,000 = 1.035 flags it.
    EXPECT_TRUE(index_.on_asset_update(wbtc, 60000, 0.70).value().newly_flagged.empty());
    EXPECT_EQ(index_.on_asset_update(wbtc, 60000, 0.69).value().newly_flagged, std::vector<ScreenAccountId>{c_});
}

TEST_F(AccountIndexTest, RankingIsLowestHealthFirst) {
    ASSERT_TRUE(index_.on_asset_update(weth, 1800, 0.80).has_value());
    const auto ranked = index_.riskiest(10);
    ASSERT_EQ(ranked.size(), 3u);
    EXPECT_EQ(ranked[0].id, e_);  // 0.75
    EXPECT_EQ(ranked[1].id, b_);  // 0.929
    EXPECT_EQ(ranked[2].id, a_);  // 1.0286
    EXPECT_FLOAT_EQ(ranked[0].health, 0.75f);
    const auto top1 = index_.riskiest(1);
    ASSERT_EQ(top1.size(), 1u);
    EXPECT_EQ(top1[0].id, e_);
}

TEST_F(AccountIndexTest, AddUpdateRemove) {
    // Remove B: it leaves the ranking and WETH's posting list.
    ASSERT_TRUE(index_.remove(b_).has_value());
    EXPECT_FALSE(index_.contains(b_));
    EXPECT_EQ(index_.flagged_count(), 1u);
    EXPECT_EQ(index_.on_asset_update(weth, 2000, 0.80).value().evaluated, 2u);  // A, D
    EXPECT_FALSE(index_.remove(b_).has_value());

    // A repays into USDC-only collateral: WETH no longer re-evaluates it.
    const std::vector<ScreenPosition> a_now{coll(usdc, 20000), debt(dai, 17500)};  // 18,000 / 17,500 = 1.0286
    ASSERT_TRUE(index_.update(a_, a_now).has_value());
    EXPECT_TRUE(index_.is_flagged(a_));
    EXPECT_EQ(index_.on_asset_update(weth, 2000, 0.80).value().evaluated, 1u);  // D only
    EXPECT_EQ(index_.on_asset_update(dai, 1, 0.90).value().evaluated, 2u);      // A, E

    // The freed slot is reused.
    const ScreenAccountId f = add({coll(wbtc, 2), debt(usdc, 1000)});
    EXPECT_EQ(f, b_);
    EXPECT_EQ(index_.account_count(), 5u);
    EXPECT_EQ(index_.on_asset_update(wbtc, 60000, 0.75).value().evaluated, 3u);  // C, E, F
}

TEST_F(AccountIndexTest, SameAssetOnBothSidesIsPostedOnce) {
    // 10 WETH supplied (16,000 weighted) against 5 WETH (10,000) + 4,000 USDC borrowed: 1.1429.
    const ScreenAccountId looped = add({coll(weth, 10), debt(weth, 5), debt(usdc, 4000)});
    EXPECT_FLOAT_EQ(index_.health(looped), 16000.0f / 14000.0f);
    EXPECT_EQ(index_.on_asset_update(weth, 2000, 0.80).value().evaluated, 4u);  // A, B, D, looped
    ASSERT_TRUE(index_.remove(looped).has_value());
    EXPECT_EQ(index_.on_asset_update(weth, 2000, 0.80).value().evaluated, 3u);
}

TEST_F(AccountIndexTest, RejectsMalformedAccountsAndAssets) {
    const std::vector<ScreenPosition> five(5, coll(usdc, 1));
    EXPECT_EQ(index_.add(five).error().message, "account index: 5 positions, at most 4");
    const std::vector<ScreenPosition> unknown{coll(9, 1)};
    EXPECT_FALSE(index_.add(unknown).has_value());
    const std::vector<ScreenPosition> negative{coll(usdc, -1)};
    EXPECT_FALSE(index_.add(negative).has_value());
    EXPECT_FALSE(index_.on_asset_update(9, 1, 0.5).has_value());
    EXPECT_FALSE(index_.on_asset_update(weth, -1, 0.5).has_value());
    EXPECT_FALSE(index_.update(ScreenAccountId{99}, negative).has_value());
}

TEST_F(AccountIndexTest, ConfirmationGoesThroughTheExactModel) {
    ASSERT_TRUE(index_.on_asset_update(weth, 1800, 0.80).has_value());  // E 0.75, B 0.929, A 1.0286
    std::vector<ScreenAccountId> asked;
    const ExactLiquidatableCheck exact = [&](ScreenAccountId id) -> keeper::Result<bool> {
        asked.push_back(id);
        if (id == b_) {
            return keeper::fail("no state for B");
        }
        return id == e_;
    };
    const ConfirmOutcome out = confirm_riskiest(index_, ConfirmPolicy{}, exact);
    // A at 1.0286 is flagged (watch line 1.05) but above 1.002: not asked.
    EXPECT_EQ(asked, (std::vector<ScreenAccountId>{e_, b_}));
    ASSERT_EQ(out.liquidatable.size(), 1u);
    EXPECT_EQ(out.liquidatable[0].id, e_);
    ASSERT_EQ(out.errors.size(), 1u);
    EXPECT_EQ(out.errors[0].second.message, "no state for B");
    // The exact model saying "no" keeps the account out of the liquidatable list.
    const ConfirmOutcome none = confirm_riskiest(index_, ConfirmPolicy{.max_screen_health = 1.1, .max_accounts = 2},
                                                 [](ScreenAccountId) -> keeper::Result<bool> { return false; });
    EXPECT_TRUE(none.liquidatable.empty());
    EXPECT_EQ(none.not_liquidatable, (std::vector<ScreenAccountId>{e_, b_}));  // capped at 2
}

TEST(AccountIndex, IncrementalFlagsMatchAFullRescreen) {
    std::mt19937 rng(5);
    constexpr std::uint16_t assets = 8;
    AccountIndex index(assets, 0.05);
    std::uniform_real_distribution<double> price(0.5, 2.0);
    for (std::uint16_t a = 0; a < assets; ++a) {
        ASSERT_TRUE(index.set_asset(a, 100 * price(rng), 0.8).has_value());
    }
    std::uniform_int_distribution<int> asset(0, assets - 1);
    std::uniform_real_distribution<double> amount(1, 100);
    std::vector<ScreenAccountId> ids;
    for (int i = 0; i < 2000; ++i) {
        const std::vector<ScreenPosition> p{coll(static_cast<std::uint16_t>(asset(rng)), amount(rng)),
                                            coll(static_cast<std::uint16_t>(asset(rng)), amount(rng)),
                                            debt(static_cast<std::uint16_t>(asset(rng)), amount(rng)),
                                            debt(static_cast<std::uint16_t>(asset(rng)), 0.5 * amount(rng))};
        ids.push_back(index.add(p).value());
    }
    std::set<std::uint32_t> flagged;
    for (const ScreenAccountId id : ids) {
        if (index.is_flagged(id)) {
            flagged.insert(id.value);
        }
    }
    for (int tick = 0; tick < 200; ++tick) {
        const auto a = static_cast<std::uint16_t>(asset(rng));
        const ScreenTick t = index.on_asset_update(a, 100 * price(rng), 0.8).value();
        for (const ScreenAccountId id : t.newly_flagged) {
            EXPECT_TRUE(flagged.insert(id.value).second);
        }
        for (const ScreenAccountId id : t.cleared) {
            EXPECT_EQ(flagged.erase(id.value), 1u);
        }
    }
    // Every account's stored health equals a fresh evaluation, and the flags agree.
    std::vector<float> incremental;
    for (const ScreenAccountId id : ids) {
        incremental.push_back(index.health(id));
    }
    const ScreenTick full = index.rescreen_all();
    EXPECT_TRUE(full.newly_flagged.empty());
    EXPECT_TRUE(full.cleared.empty());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(index.health(ids[i]), incremental[i]);
        EXPECT_EQ(index.is_flagged(ids[i]), flagged.count(ids[i].value) == 1);
        EXPECT_EQ(index.is_flagged(ids[i]), index.health(ids[i]) < index.watch_line());
    }
}

TEST(AccountIndex, FootprintStaysUnder300BytesPerFourPositionAccount) {
    constexpr std::uint16_t assets = 20;
    AccountIndex index(assets, 0.05);
    for (std::uint16_t a = 0; a < assets; ++a) {
        ASSERT_TRUE(index.set_asset(a, 1, 0.8).has_value());
    }
    constexpr std::uint32_t accounts = 100000;
    for (std::uint32_t i = 0; i < accounts; ++i) {
        const std::vector<ScreenPosition> p{coll(static_cast<std::uint16_t>(i % assets), 10),
                                            coll(static_cast<std::uint16_t>((i + 3) % assets), 10),
                                            debt(static_cast<std::uint16_t>((i + 7) % assets), 5),
                                            debt(static_cast<std::uint16_t>((i + 11) % assets), 5)};
        ASSERT_TRUE(index.add(p).has_value());
    }
    const double per_account = static_cast<double>(index.footprint_bytes()) / accounts;
    EXPECT_LT(per_account, 300.0);
    // Lower bound: 4 keys + 4 amounts + health + 4 back pointers + 4 postings = 60 bytes.
    EXPECT_GE(per_account, 60.0);
}

TEST(ScreenKernel, BatchMatchesSingleAccountFormula) {
    ScreenFactors factors(3);
    factors.set_asset(0, 1.0, 0.9);
    factors.set_asset(1, 2000.0, 0.8);
    factors.set_asset(2, 60000.0, 0.75);
    // 10 WETH + 0.5 WBTC collateral, 30,000 USDC debt: (16,000 + 22,500) / 30,000 = 1.2833.
    const std::vector<std::uint16_t> keys{screen_key(1, false), screen_key(2, false), screen_key(0, true), 0,
                                          screen_key(0, false), 0, 0, 0};
    const std::vector<float> amounts{10, 0.5f, 30000, 0, 100, 0, 0, 0};
    std::vector<float> health(2);
    screen_health_batch(keys.data(), amounts.data(), 2, factors, health.data());
    EXPECT_FLOAT_EQ(health[0], 38500.0f / 30000.0f);
    EXPECT_TRUE(std::isinf(health[1]));
}

TEST(AccountIndex, WithoutAssetsOnlyEmptyAccountsFit) {
    AccountIndex index(0, 0.05);
    const ScreenAccountId empty = index.add({}).value();
    EXPECT_TRUE(std::isinf(index.health(empty)));
    const std::vector<ScreenPosition> any{coll(0, 1)};
    EXPECT_FALSE(index.add(any).has_value());
}

}  // namespace account_index_test
