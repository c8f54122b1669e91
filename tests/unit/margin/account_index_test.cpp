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

// The band tests nominate at the watch line w = 1.05: band edges at
// w x 1.005 = 1.0553, x 1.01 = 1.0605, x 1.02 = 1.071, x 1.05 = 1.1025,
// x 1.1 = 1.155, x 1.25 = 1.3125, x 1.5 = 1.575.
// WETH's accounts: B 1.0323 (band 0), A 1.1429 (band 4), D 1.8 (band 7).
TEST_F(AccountIndexTest, WithoutANominateLineEveryAccountIsInBandZero) {
    for (const ScreenAccountId id : {a_, b_, c_, d_, e_}) EXPECT_EQ(index_.band(id), 0u);
    // Every move screens every account of the asset, at once.
    const ScreenTick t = index_.screen_price_move(weth, 1980, 0.80).value();
    EXPECT_EQ(t.evaluated, 3u);
    EXPECT_EQ(t.deferred, 0u);
}

TEST_F(AccountIndexTest, HealthBandsAreCutAtMultiplesOfTheNominateLine) {
    index_.set_nominate_line(1.05);
    EXPECT_EQ(index_.band(b_), 0u);
    EXPECT_EQ(index_.band(e_), 0u);  // 0.75
    EXPECT_EQ(index_.band(c_), 4u);  // 1.125
    EXPECT_EQ(index_.band(a_), 4u);
    EXPECT_EQ(index_.band(d_), 7u);
    const ScreenAccountId saver = add({coll(weth, 1)});
    EXPECT_EQ(index_.band(saver), 7u);  // no debt: +inf
}

TEST_F(AccountIndexTest, AOnePercentMoveScreensOnlyTheBandsThatCanCross) {
    index_.set_nominate_line(1.05);
    // WETH -1 % to 1,980: health can fall by at most the factor 2,000 / 1,980
    // = 1.0101, so only accounts below w x 1.0101 = 1.0606 can cross: the
    // bands below w x 1.02 (0-2).
    const std::uint64_t before = index_.evaluations();
    const ScreenTick hot = index_.screen_price_move(weth, 1980, 0.80).value();
    EXPECT_EQ(hot.evaluated, 1u);  // B
    EXPECT_EQ(hot.deferred, 2u);   // A and D wait for settle()
    EXPECT_FLOAT_EQ(index_.health(b_), 15840.0f / 15500.0f);
    EXPECT_FLOAT_EQ(index_.health(a_), 16000.0f / 14000.0f);  // not yet
    EXPECT_FALSE(index_.settled());

    const ScreenTick rest = index_.settle();
    EXPECT_EQ(rest.evaluated, 2u);
    EXPECT_TRUE(rest.newly_flagged.empty());  // by the bound, settle never finds a crossing
    EXPECT_TRUE(rest.cleared.empty());
    EXPECT_FLOAT_EQ(index_.health(a_), 15840.0f / 14000.0f);  // 1.1314
    EXPECT_FLOAT_EQ(index_.health(d_), 18000.0f / 9900.0f);   // 1.8182
    EXPECT_TRUE(index_.settled());
    EXPECT_EQ(index_.evaluations() - before, 3u);  // each of WETH's accounts once
    EXPECT_EQ(index_.settle().evaluated, 0u);
}

TEST_F(AccountIndexTest, ALargerMoveScreensMoreBands) {
    index_.set_nominate_line(1.05);
    // WETH -10 % to 1,800: factor 1.111 reaches past the edges up to x 1.1:
    // bands 0-5 are hot (B, A), D in band 7 cannot cross.
    const ScreenTick hot = index_.screen_price_move(weth, 1800, 0.80).value();
    EXPECT_EQ(hot.evaluated, 2u);
    EXPECT_EQ(hot.deferred, 1u);
    EXPECT_EQ(hot.newly_flagged, std::vector<ScreenAccountId>{a_});  // 14,400 / 14,000 = 1.0286
    // The next call settles D first; A moved to band 0 once the passes were over.
    EXPECT_EQ(index_.on_asset_update(usdc, 1, 0.90).value().evaluated, 4u);  // USDC's A, B, C, D
    EXPECT_TRUE(index_.settled());
    EXPECT_EQ(index_.band(a_), 0u);
    EXPECT_FLOAT_EQ(index_.health(d_), 2.0f);
}

TEST_F(AccountIndexTest, MovesScreenedBeforeOneSettleBoundTogether) {
    index_.set_nominate_line(1.05);
    // Z: 10 WETH (16,000 weighted) against 14,480 USDC: 1.10497, band 4.
    const ScreenAccountId z = add({coll(weth, 10), debt(usdc, 14480)});
    ASSERT_EQ(index_.band(z), 4u);
    // WETH -1 %: bands 0-2 are hot, Z waits at 15,840 / 14,480 = 1.0939.
    ASSERT_EQ(index_.screen_price_move(weth, 1980, 0.80).value().deferred, 3u);  // A, D, Z
    // USDC +4.5 % before any settle: alone its factor 1.045 would keep band 4
    // (from w x 1.05) cold, but Z's stored health is one move behind, so the
    // bound is 1.0101 x 1.045 = 1.0556 and band 4 is screened: Z falls to
    // 15,840 / 15,131.6 = 1.0468, below the line.
    const ScreenTick hot = index_.screen_price_move(usdc, 1.045, 0.90).value();
    EXPECT_EQ(hot.newly_flagged, std::vector<ScreenAccountId>{z});
    EXPECT_FLOAT_EQ(index_.health(z), 15840.0f / (14480.0f * 1.045f));
    const ScreenTick rest = index_.settle();
    EXPECT_TRUE(rest.newly_flagged.empty());
    EXPECT_TRUE(rest.cleared.empty());
    EXPECT_FLOAT_EQ(index_.health(d_), 18810.0f / 9900.0f);  // 20,000 x 0.9 x 1.045 / (5 x 1,980)
}

// With a nominate line c = 1.002 the bands are cut around it (edges
// 1.00701, 1.01202, 1.02204, 1.0521, 1.1022, 1.2525, 1.503): the hot path
// looks only at accounts that may fall under c; a watch-line crossing further
// up waits for settle().
TEST(AccountIndex, WithANominateLineTheHotPassLooksOnlyNearIt) {
    AccountIndex index(2, 0.05);
    ASSERT_TRUE(index.set_asset(weth, 2000, 0.80).has_value());
    ASSERT_TRUE(index.set_asset(usdc, 1, 0.90).has_value());
    const auto add = [&](double usdc_debt) {
        const std::vector<ScreenPosition> p{coll(weth, 10), debt(usdc, usdc_debt)};  // 16,000 weighted
        return index.add(p).value();
    };
    const ScreenAccountId n1 = add(15881), n2 = add(15385), n4 = add(15166), n3 = add(13333);
    index.set_nominate_line(1.002);
    EXPECT_EQ(index.band(n1), 1u);  // 1.00749
    EXPECT_EQ(index.band(n2), 3u);  // 1.03997
    EXPECT_EQ(index.band(n4), 4u);  // 1.05499
    EXPECT_EQ(index.band(n3), 5u);  // 1.20003
    // WETH -0.8 % to 1,984: factor 1.00806, bands 0-1 hot. N1 falls to
    // 15,872 / 15,881 = 0.99943 and is nominated; N4 falls to 1.04655, under
    // the watch line, but is found by settle().
    const ScreenTick hot = index.screen_price_move(weth, 1984, 0.80).value();
    EXPECT_EQ(hot.evaluated, 1u);
    EXPECT_EQ(hot.deferred, 3u);
    ASSERT_EQ(hot.nominated.size(), 1u);
    EXPECT_EQ(hot.nominated[0].id, n1);
    EXPECT_FLOAT_EQ(hot.nominated[0].health, 15872.0f / 15881.0f);
    EXPECT_TRUE(hot.newly_flagged.empty());  // N1 was flagged already
    const ScreenTick rest = index.settle();
    EXPECT_EQ(rest.evaluated, 3u);
    EXPECT_EQ(rest.newly_flagged, std::vector<ScreenAccountId>{n4});
    EXPECT_TRUE(rest.nominated.empty());
}

TEST_F(AccountIndexTest, ARiskiestFirstPassLeavesTheOtherHotBandsToFinishHot) {
    index_.set_nominate_line(1.05);
    // WETH -10 %: bands 0-5 are hot, but the first pass takes band 0 only (B).
    const ScreenTick first = index_.screen_price_move(weth, 1800, 0.80, 1).value();
    EXPECT_EQ(first.evaluated, 1u);
    EXPECT_TRUE(first.newly_flagged.empty());  // B was flagged already
    // A (band 4) is the rest of the hot pass: it crosses, 14,400 / 14,000.
    const ScreenTick rest = index_.finish_hot();
    EXPECT_EQ(rest.evaluated, 1u);
    EXPECT_EQ(rest.newly_flagged, std::vector<ScreenAccountId>{a_});
    EXPECT_EQ(index_.finish_hot().evaluated, 0u);
    // settle() owes everything past band 0: A once more (no second report) and D.
    const ScreenTick last = index_.settle();
    EXPECT_EQ(last.evaluated, 2u);
    EXPECT_TRUE(last.newly_flagged.empty());
    EXPECT_FLOAT_EQ(index_.health(d_), 2.0f);
}

TEST_F(AccountIndexTest, AMoveFromAZeroPriceScreensEverything) {
    index_.set_nominate_line(1.05);
    // Nothing bounds a factor that was 0: every band is hot.
    ASSERT_TRUE(index_.on_asset_update(weth, 0, 0.80).has_value());
    const ScreenTick hot = index_.screen_price_move(weth, 2000, 0.80).value();
    EXPECT_EQ(hot.evaluated, 3u);
    EXPECT_EQ(hot.deferred, 0u);
    EXPECT_TRUE(index_.settled());
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
    // Small moves (0.1-3 %) screen a few bands and settle the rest; large
    // ones (a new price from 50-200) most bands. Either way settle() never
    // finds a crossing the hot pass missed.
    std::uniform_real_distribution<double> small(-0.03, 0.03);
    std::vector<double> now(assets);
    for (std::uint16_t a = 0; a < assets; ++a) {
        now[a] = 100 * price(rng);
        ASSERT_TRUE(index.on_asset_update(a, now[a], 0.8).has_value());
    }
    index.set_nominate_line(index.watch_line());  // bands cut around the watch line
    std::set<std::uint32_t> flagged;
    for (const ScreenAccountId id : ids) {
        if (index.is_flagged(id)) {
            flagged.insert(id.value);
        }
    }
    std::size_t deferred = 0;
    for (int tick = 0; tick < 400; ++tick) {
        const auto a = static_cast<std::uint16_t>(asset(rng));
        now[a] = tick % 4 == 0 ? 100 * price(rng) : now[a] * (1.0 + small(rng));
        const ScreenTick t = index.screen_price_move(a, now[a], 0.8).value();
        deferred += t.deferred;
        if (tick % 3 == 2) {  // up to three moves screened before one settle
            const ScreenTick rest = index.settle();
            EXPECT_TRUE(rest.newly_flagged.empty());
            EXPECT_TRUE(rest.cleared.empty());
        }
        for (const ScreenAccountId id : t.newly_flagged) {
            EXPECT_TRUE(flagged.insert(id.value).second);
        }
        for (const ScreenAccountId id : t.cleared) {
            EXPECT_EQ(flagged.erase(id.value), 1u);
        }
    }
    EXPECT_GT(deferred, 0u);  // the bands did defer work
    index.settle();
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
        // Every account is listed in its health's band or, after a rise, the
        // one below (never above: the bound needs the lower edge).
        const double ratio = index.health(ids[i]) / index.watch_line();
        std::size_t band = 0;
        bool near_edge = false;
        for (const double m : {1.005, 1.01, 1.02, 1.05, 1.1, 1.25, 1.5}) {
            band += ratio >= m ? 1 : 0;
            near_edge = near_edge || std::abs(ratio / m - 1.0) < 1e-5;
        }
        if (!near_edge) {
            EXPECT_LE(index.band(ids[i]), band);
            EXPECT_GE(index.band(ids[i]) + 1, band);
        }
    }
}

// The hot path's promise: settle() never finds an account under the
// nominate line that the hot passes did not hand over (one a hot pass already
// evaluated at the current prices is not handed over twice).
TEST(AccountIndex, SettleNeverNominates) {
    std::mt19937 rng(9);
    constexpr std::uint16_t assets = 6;
    AccountIndex index(assets, 0.05);
    std::vector<double> now(assets);
    for (std::uint16_t a = 0; a < assets; ++a) {
        now[a] = 100;
        ASSERT_TRUE(index.set_asset(a, now[a], 0.8).has_value());
    }
    std::uniform_int_distribution<int> asset(0, assets - 1);
    std::uniform_real_distribution<double> amount(1, 100), health(0.98, 1.3);
    for (int i = 0; i < 3000; ++i) {
        const auto c = static_cast<std::uint16_t>(asset(rng)), d = static_cast<std::uint16_t>(asset(rng));
        const double collateral = amount(rng);
        const std::vector<ScreenPosition> p{coll(c, collateral), debt(d, collateral * 0.8 / health(rng))};
        ASSERT_TRUE(index.add(p).has_value());
    }
    index.set_nominate_line(1.002);
    std::normal_distribution<double> move(0.0, 0.01);
    std::size_t nominated = 0;
    for (int tick = 0; tick < 300; ++tick) {
        const auto a = static_cast<std::uint16_t>(asset(rng));
        now[a] = std::clamp(now[a] * (1.0 + move(rng)), 80.0, 125.0);
        nominated += index.screen_price_move(a, now[a], 0.8, 1).value().nominated.size();
        nominated += index.finish_hot().nominated.size();
        if (tick % 2 == 1) {
            EXPECT_TRUE(index.settle().nominated.empty()) << "tick " << tick;
        }
    }
    EXPECT_GT(nominated, 100u);
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
