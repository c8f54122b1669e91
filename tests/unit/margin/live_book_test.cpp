#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "margin/live_book.hpp"

using namespace keeper;
using namespace keeper::margin;

namespace live_book_test {

Address token(unsigned char tag) {
    Address a;
    a.bytes[0] = tag;
    return a;
}
Address user(std::uint32_t i) {
    Address a;
    a.bytes[18] = static_cast<std::uint8_t>(i >> 8);
    a.bytes[19] = static_cast<std::uint8_t>(i);
    return a;
}
const Address weth = token(1), usdc = token(2), link = token(3);
const U256 ray = U256::pow10(27);

aave::ReserveSnapshot reserve(unsigned id, std::uint16_t lt_bps, std::uint8_t decimals) {
    aave::ReserveSnapshot r;
    r.id = id;
    r.config.ltv_bps = static_cast<std::uint16_t>(lt_bps - 300);
    r.config.liquidation_threshold_bps = lt_bps;
    r.config.liquidation_bonus_bps = 10500;
    r.config.decimals = decimals;
    r.config.active = true;
    r.config.borrowing_enabled = true;
    r.normalized_income_ray = ray;  // indexes at 1.0: balances are the scaled amounts
    r.normalized_debt_ray = ray;
    return r;
}

morpho::Position borrower(std::uint64_t weth_wei_e15, std::uint64_t usdc_borrowed) {
    // 1e6 borrow shares per USDC unit borrowed.
    return morpho::Position{U256(), U256(usdc_borrowed) * U256(1'000'000), U256(weth_wei_e15) * U256::pow10(15)};
}

stress::AaveStressAccount aave_account(std::uint32_t i, std::uint64_t weth_wei_e15, std::uint64_t usdc_debt) {
    stress::AaveStressAccount a;
    a.account = user(i);
    aave::ReserveSnapshot c = reserve(0, 8250, 18);
    c.scaled_atoken_balance = U256(weth_wei_e15) * U256::pow10(15);
    aave::ReserveSnapshot d = reserve(1, 8700, 6);
    d.scaled_variable_debt = U256(usdc_debt);
    a.input.reserves = {c, d};
    a.input.config = aave::UserConfig().with_collateral(0, true).with_borrowing(1, true);
    return a;
}

// One Morpho WETH/USDC market (LLTV 86 %, oracle 1e24 x WETH / USDC) and one
// Aave v3.6 pool (WETH threshold 82.5 %, USDC 87 %); WETH 3,000, USDC 1:
//   P1  1 WETH against 2,500 USDC: 3,000 x 0.86 / 2,500 = 1.032
//   P2  1 WETH against 1,000 USDC: 2.58
//   A1  1 WETH against 2,400 USDC: 3,000 x 0.825 / 2,400 = 1.03125
//   A2  1 WETH against 1,000 USDC: 2.475
stress::StressBook worked_book() {
    stress::StressBook book;
    stress::MorphoStressMarket m;
    m.protocol = "morpho-blue@test";
    m.params.collateral_token = weth;
    m.params.loan_token = usdc;
    m.params.lltv_wad = U256(860'000'000'000'000'000ULL);
    m.positions = {{user(1), borrower(1000, 2'500'000'000ULL)}, {user(2), borrower(1000, 1'000'000'000ULL)}};
    m.accrued.total_borrow_assets = U256(3'500'000'000ULL);
    m.accrued.total_borrow_shares = U256(3'500'000'000ULL) * U256(1'000'000);
    m.accrued.total_supply_assets = U256(7'000'000'000ULL);
    m.accrued.total_supply_shares = U256(7'000'000'000ULL) * U256(1'000'000);
    book.morpho_markets.push_back(m);
    stress::AaveStressPool pool;
    pool.protocol = "aave-v3@test";
    pool.rules = aave::PoolRules::V3_6;
    pool.reserves = {{0, weth}, {1, usdc}};
    pool.accounts = {aave_account(3, 1000, 2'400'000'000ULL), aave_account(4, 1000, 1'000'000'000ULL)};
    book.aave_pools.push_back(pool);
    return book;
}

const MorphoFeedOracle weth_usdc_oracle{weth, usdc, U256::pow10(24)};              // 10^(36 + 6 - 18)
U256 usd(std::uint64_t dollars_e2) { return U256(dollars_e2) * U256(1'000'000); }  // cents -> 8 decimals

std::map<Address, U256> worked_answers() { return {{weth, usd(300'000)}, {usdc, usd(100)}, {link, usd(1'500)}}; }

LiveBook worked_live_book() {
    return LiveBook::build(worked_book(), {weth_usdc_oracle}, worked_answers(), 0.05).value();
}

const BookPosition p1{BookPosition::Kind::morpho, 0, 0}, p2{BookPosition::Kind::morpho, 0, 1};
const BookPosition a1{BookPosition::Kind::aave, 0, 0}, a2{BookPosition::Kind::aave, 0, 1};

TEST(LiveBook, BuildsTheOraclePriceFromTheFeeds) {
    const LiveBook live = worked_live_book();
    EXPECT_EQ(live.book().morpho_markets[0].price_1e36, U256(3000) * U256::pow10(24));
    EXPECT_EQ(live.accounts(), 4u);
    EXPECT_EQ(live.index().flagged_count(), 2u);  // P1 1.032 and A1 1.03125, under the 1.05 line
}

TEST(LiveBook, AWethDropLiquidatesExactlyWhatTheContractsWould) {
    LiveBook live = worked_live_book();
    // WETH 2,900 (-3.3 %): A1 2,900 x 0.825 / 2,400 = 0.99688 and P1
    // 2,900 x 0.86 / 2,500 = 0.9976 fall under 1, riskiest first.
    const PriceReaction r = live.on_price(weth, usd(290'000)).value();
    EXPECT_EQ(r.liquidatable, (std::vector<BookPosition>{a1, p1}));
    EXPECT_EQ(live.book().morpho_markets[0].price_1e36, U256(2900) * U256::pow10(24));
    EXPECT_EQ(live.aave_account(0, 0).reserves[0].price, usd(290'000));
    // The bands are cut around the confirm line 1.002 (edges 1.00701,
    // 1.01202, 1.02204, 1.0521, ...): P1 and A1 sit in band 3, P2 and A2 in
    // band 7. The move's factor 1.0345 reaches past the edges at 1.005, 1.01
    // and 1.02 x the line: bands 0-3 are screened (band 0 first, empty; then
    // P1 and A1), P2 and A2 wait.
    EXPECT_EQ(r.screened, 2u);
    EXPECT_EQ(r.deferred, 2u);
    EXPECT_EQ(r.judged.size(), 2u);
    EXPECT_TRUE(r.errors.empty());
    // settle() owes every band past 0: P1 and A1 once more (found at the same
    // health, not handed over again), P2 and A2.
    const ScreenTick rest = live.settle();
    EXPECT_EQ(rest.evaluated, 4u);
    EXPECT_TRUE(rest.nominated.empty());
}

TEST(LiveBook, ACrashReachesTheFarBandsNearestTheLineFirst) {
    LiveBook live = worked_live_book();
    // WETH 1,000 (-67 %): a factor of 3 makes every band hot. Band 3 (A1
    // 0.34375, P1 0.344) is read and judged before band 7 (A2 0.825, P2 0.86).
    const PriceReaction r = live.on_price(weth, usd(100'000)).value();
    EXPECT_EQ(r.liquidatable, (std::vector<BookPosition>{a1, p1, a2, p2}));
    EXPECT_EQ(r.screened, 4u);
    EXPECT_EQ(r.deferred, 0u);
}

TEST(LiveBook, ARiseClearsTheWatchedAndJudgesNothing) {
    LiveBook live = worked_live_book();
    // WETH 3,100: P1 1.0664 and A1 1.0656 leave the watch line.
    const PriceReaction r = live.on_price(weth, usd(310'000)).value();
    EXPECT_TRUE(r.liquidatable.empty());
    EXPECT_EQ(r.judged.size(), 0u);
    live.settle();
    EXPECT_EQ(live.index().flagged_count(), 0u);
}

TEST(LiveBook, TheLoanTokensPriceMovesTheMorphoOracleToo) {
    LiveBook live = worked_live_book();
    // USDC 1.04: the oracle gives 1e24 x 3,000e8 / 1.04e8 = 2,884.615...e24
    // (rounded down): P1 2,884.6 x 0.86 / 2,500 = 0.9923; A1's debt is worth
    // 2,496: 2,475 / 2,496 = 0.9916.
    const PriceReaction r = live.on_price(usdc, usd(104)).value();
    EXPECT_EQ(r.liquidatable, (std::vector<BookPosition>{a1, p1}));
    EXPECT_EQ(live.book().morpho_markets[0].price_1e36, U256(3000) * U256::pow10(24) * U256(100) / U256(104));
}

TEST(LiveBook, ATokenNothingReadsChangesNothing) {
    LiveBook live = worked_live_book();
    const PriceReaction r = live.on_price(link, usd(1'000)).value();
    EXPECT_TRUE(r.liquidatable.empty());
    EXPECT_EQ(r.screened, 0u);
    EXPECT_FALSE(live.on_price(weth, U256()).has_value());  // a zero price is refused
}

TEST(LiveBook, AForgottenPositionIsNotJudgedAgain) {
    LiveBook live = worked_live_book();
    ASSERT_EQ(live.on_price(weth, usd(290'000)).value().liquidatable.size(), 2u);
    live.settle();
    live.forget(a1);  // its liquidation is on its way
    EXPECT_EQ(live.on_price(weth, usd(289'000)).value().liquidatable, std::vector<BookPosition>{p1});
}

TEST(LiveBook, BuildRefusesWhatItCannotPrice) {
    auto answers = worked_answers();
    answers.erase(usdc);
    const auto missing = LiveBook::build(worked_book(), {weth_usdc_oracle}, answers, 0.05);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message, "live book: no USD price for token " + usdc.checksummed());
    EXPECT_FALSE(LiveBook::build(worked_book(), {}, worked_answers(), 0.05).has_value());  // no oracle for the market
}

// Screening never misses: over random books and 300 random moves, what each
// update confirms is exactly every position the exact models call
// liquidatable (each forgotten once it is reported, as the keeper does).
TEST(LiveBook, ReportsEveryExactlyLiquidatablePositionAndNothingElse) {
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::uint64_t> weth_e15(100, 5000);
    std::uniform_real_distribution<double> health(1.0, 1.4);
    stress::StressBook book = worked_book();
    book.morpho_markets[0].positions.clear();
    book.aave_pools[0].accounts.clear();
    U256 total;
    for (std::uint32_t i = 0; i < 150; ++i) {
        const std::uint64_t e15 = weth_e15(rng);
        // e15 x 0.001 WETH at 3,000 is 3 x e15 USDC = 3e6 x e15 units; borrowed at health h.
        const auto borrowed = static_cast<std::uint64_t>(3.0e6 * static_cast<double>(e15) * 0.86 / health(rng));
        book.morpho_markets[0].positions.push_back({user(i), borrower(e15, borrowed)});
        total += U256(borrowed);
        const auto debt = static_cast<std::uint64_t>(3.0e6 * static_cast<double>(e15) * 0.825 / health(rng));
        book.aave_pools[0].accounts.push_back(aave_account(1000 + i, e15, debt));
    }
    auto& market = book.morpho_markets[0];
    market.accrued.total_borrow_assets = total;
    market.accrued.total_borrow_shares = total * U256(1'000'000);
    LiveBook live = LiveBook::build(book, {weth_usdc_oracle}, worked_answers(), 0.05).value();

    const auto liquidatable_now = [&](const std::set<std::pair<int, std::uint32_t>>& forgotten) {
        std::set<std::pair<int, std::uint32_t>> out;
        const auto& m = live.book().morpho_markets[0];
        for (std::uint32_t i = 0; i < m.positions.size(); ++i) {
            if (!forgotten.contains({0, i}) &&
                !morpho::health(m.params, m.accrued, m.positions[i].position, m.price_1e36).value().healthy)
                out.insert({0, i});
        }
        for (std::uint32_t i = 0; i < live.book().aave_pools[0].accounts.size(); ++i) {
            if (!forgotten.contains({1, i}) &&
                aave::calculate_user_account_data(aave::PoolRules::V3_6, live.aave_account(0, i))
                    .value()
                    .liquidatable())
                out.insert({1, i});
        }
        return out;
    };
    std::set<std::pair<int, std::uint32_t>> forgotten;
    std::normal_distribution<double> move(0.0, 0.015);
    double weth_usd = 3000, usdc_usd = 1;
    std::size_t reported = 0;
    for (int u = 0; u < 300; ++u) {
        // Mean-reverting so the book neither empties nor drifts away.
        const bool loan = u % 5 == 4;
        if (loan)
            usdc_usd = std::clamp(usdc_usd * (1 + move(rng) / 5), 0.97, 1.03);
        else
            weth_usd = std::clamp(weth_usd * (1 + move(rng)), 2700.0, 3300.0);
        const Address moved = loan ? usdc : weth;
        const U256 answer(static_cast<std::uint64_t>((loan ? usdc_usd : weth_usd) * 1e8));
        const PriceReaction r = live.on_price(moved, answer).value();
        std::set<std::pair<int, std::uint32_t>> got;
        for (const BookPosition& p : r.liquidatable)
            got.insert({p.kind == BookPosition::Kind::morpho ? 0 : 1, p.index});
        ASSERT_EQ(got, liquidatable_now(forgotten)) << "update " << u;
        const ScreenTick rest = live.settle();
        EXPECT_TRUE(rest.nominated.empty());  // watch-line crossings may come late, nominations never
        for (const BookPosition& p : r.liquidatable) live.forget(p);
        forgotten.insert(got.begin(), got.end());
        reported += got.size();
    }
    EXPECT_GT(reported, 20u);  // the walk did liquidate
}

}  // namespace live_book_test
