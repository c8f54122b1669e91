// The incremental engine `run` judges Morpho Blue positions with (issue #18):
// which positions a round judges exactly, and the screen's bound (no position
// the screen leaves above its watch line is liquidatable or below
// warning_health).
//
// The worked book: two markets at LLTV 86%, price 1:1, no interest, 1e6
// borrow shares per loan unit (so debt = shares / 1e6 exactly). Every
// borrower holds 1,000 collateral.
//   market A: borrows 500, 600, 700, 780, 840 -> health 1.72, 1.433, 1.229, 1.103, 1.024
//   market B: borrows 500, 600, 700           -> health 1.72, 1.433, 1.229
// The watch line with warning_health 1.05 is 1.05 x 1.0001 = 1.050105: only
// A's 840 borrower is below it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>

#include "protocols/morpho_blue/morpho_screen_engine.hpp"

namespace keeper::protocols::morpho_blue {
namespace morpho_screen_engine_test {

const U256 kE18 = U256::pow10(18);
const U256 kE24 = U256::pow10(24);
const U256 kWarning = U256(1'050'000'000'000'000'000ULL);

Address account(unsigned n) {
    Bytes word(32, 0);
    word[30] = static_cast<std::uint8_t>(n >> 8);
    word[31] = static_cast<std::uint8_t>(n);
    return Address::from_word(Bytes32::from_bytes(word).value());
}

morpho::MarketParams params(unsigned oracle) {
    morpho::MarketParams p;
    p.loan_token = account(0xb1);
    p.collateral_token = account(0xc1);
    p.oracle = account(0x0a00 + oracle);
    p.lltv_wad = U256(860'000'000'000'000'000ULL);
    return p;
}

// A market whose borrowers owe `total_borrow` loan units, at `price_1e36`.
MarketAtBlock market(unsigned oracle, const U256& total_borrow, const U256& price_1e36) {
    MarketAtBlock m;
    m.params = params(oracle);
    m.id = morpho::market_id(m.params);
    m.accrued.total_supply_assets = 10'000 * kE18;
    m.accrued.total_supply_shares = 10'000 * kE24;
    m.accrued.total_borrow_assets = total_borrow;
    m.accrued.total_borrow_shares = total_borrow * U256(1'000'000);
    m.accrued.last_update = 1'700'000'000;
    m.price_1e36 = price_1e36;
    return m;
}

morpho::Position borrowing(unsigned loan_units) {
    morpho::Position p;
    p.collateral = 1'000 * kE18;
    p.borrow_shares = U256(loan_units) * kE24;
    return p;
}

struct TwoMarkets {
    morpho::MorphoBook book;
    MarketAtBlock a = market(1, 3'420 * kE18, U256::pow10(36));
    MarketAtBlock b = market(2, 1'800 * kE18, U256::pow10(36));
    std::vector<unsigned> a_borrows{500, 600, 700, 780, 840};
    std::vector<unsigned> b_borrows{500, 600, 700};

    TwoMarkets() {
        book.restore_market(a.id, a.params);
        book.restore_market(b.id, b.params);
        for (unsigned i = 0; i < a_borrows.size(); ++i)
            book.restore_position(a.id, account(i), borrowing(a_borrows[i]));
        for (unsigned i = 0; i < b_borrows.size(); ++i)
            book.restore_position(b.id, account(100 + i), borrowing(b_borrows[i]));
    }
    std::vector<MarketAtBlock> markets() const { return {a, b}; }
};

const PositionHealth* row_of(const ScreenRound& round, const morpho::MarketId& market, const Address& who) {
    for (const auto& p : round.positions)
        if (p.market == market && p.account == who) return &p;
    return nullptr;
}

// Rows riskiest first (carried rows by their last judgement), rows[i] of positions[i].
bool riskiest_first(const ScreenRound& round) {
    if (round.rows.size() != round.positions.size()) return false;
    for (std::size_t i = 0; i < round.rows.size(); ++i)
        if (round.rows[i].account != round.positions[i].account ||
            round.rows[i].health_wad != round.positions[i].health_wad)
            return false;
    return std::is_sorted(round.positions.begin(), round.positions.end(), riskier);
}

std::size_t liquidatable(const ScreenRound& round) {
    return static_cast<std::size_t>(
        std::count_if(round.positions.begin(), round.positions.end(), [](const auto& p) { return p.liquidatable; }));
}

TEST(MorphoScreenEngine, TheWatchLineSitsAboveWarningHealthByTheFloatMargin) {
    EXPECT_DOUBLE_EQ(screen_watch_line(kWarning), 1.05 * 1.0001);
    // A warning_health at or below 1 still watches above the liquidation line.
    EXPECT_DOUBLE_EQ(screen_watch_line(U256::pow10(18)), 1.0001);
}

TEST(MorphoScreenEngine, TheFirstRoundJudgesEveryPositionThenOnlyTheFlaggedOne) {
    TwoMarkets t;
    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100});
    const auto first = engine.judge(t.book, t.markets(), 100);
    EXPECT_TRUE(first.work.audit);
    EXPECT_EQ(first.work.exact_evaluations, 8u);
    ASSERT_EQ(first.positions.size(), 8u);
    EXPECT_EQ(first.rows.size(), 8u);
    EXPECT_EQ(first.positions.front().account, account(4));  // 840 of 860: the riskiest
    EXPECT_EQ(first.work.flagged, 1u);

    // Nothing moved: the one position below 1.050105 is judged and listed;
    // the seven others are carried, above the line: counted, not copied.
    const auto second = engine.judge(t.book, t.markets(), 101);
    EXPECT_FALSE(second.work.audit);
    EXPECT_EQ(second.work.exact_evaluations, 1u);
    EXPECT_EQ(second.work.screened, 0u);  // no market moved: no float work either
    ASSERT_EQ(second.positions.size(), 1u);
    EXPECT_EQ(second.rows.size(), 1u);
    EXPECT_EQ(second.rows_left_out, 7u);
    EXPECT_EQ(second.positions[0].health_wad, first.positions[0].health_wad);  // 860 / 840
}

TEST(MorphoScreenEngine, APriceMoveOnOneMarketJudgesOnlyThatMarketsFlaggedBorrowers) {
    TwoMarkets t;
    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100});
    (void)engine.judge(t.book, t.markets(), 100);

    // A's price falls 10%: maxBorrow 774. Healths 1.548, 1.29, 1.106, 0.992, 0.921:
    // two below the watch line (both liquidatable), 1.106 above it.
    t.a.price_1e36 = U256(9) * U256::pow10(35);
    const auto moved = engine.judge(t.book, t.markets(), 101);
    EXPECT_EQ(moved.work.screened, 10u);  // A's 5 accounts, once per screening asset (price, share price)
    EXPECT_EQ(moved.work.flagged, 2u);
    EXPECT_EQ(moved.work.exact_evaluations, 2u);  // A's 780 and 840; nothing of B
    EXPECT_EQ(liquidatable(moved), 2u);
    EXPECT_TRUE(riskiest_first(moved));
    const auto* at_780 = row_of(moved, t.a.id, account(3));
    ASSERT_NE(at_780, nullptr);
    EXPECT_TRUE(at_780->liquidatable);
    EXPECT_EQ(at_780->health_wad, U256(992'307'692'307'692'307ULL));  // 774 / 780
    // 700 of A (1.106 now) is above the line: carried from block 100 (860 / 700),
    // counted among the six rows left out, not listed.
    EXPECT_EQ(row_of(moved, t.a.id, account(2)), nullptr);
    EXPECT_EQ(moved.rows.size(), 2u);
    EXPECT_EQ(moved.rows_left_out, 6u);

    // Back to 1:1: 780 rises above the line (1.103) and is judged once more,
    // so its row (and any alert on it) resolves; 840 is still flagged.
    t.a.price_1e36 = U256::pow10(36);
    const auto back = engine.judge(t.book, t.markets(), 102);
    EXPECT_EQ(back.work.exact_evaluations, 2u);
    EXPECT_EQ(back.work.flagged, 1u);
    EXPECT_EQ(liquidatable(back), 0u);
    EXPECT_TRUE(riskiest_first(back));
    const auto* resolved = row_of(back, t.a.id, account(3));
    ASSERT_NE(resolved, nullptr);  // listed, though above the line: judged this round
    EXPECT_EQ(resolved->health_wad, U256(1'102'564'102'564'102'564ULL));  // 860 / 780
    EXPECT_EQ(back.rows.size() + back.rows_left_out, 8u);
}

TEST(MorphoScreenEngine, AnEventOnOneBorrowerRejudgesThatBorrowerOnly) {
    TwoMarkets t;
    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100});
    (void)engine.judge(t.book, t.markets(), 100);

    // B's 600 borrower repays 100 (its Repay event changed the book).
    const morpho::PositionKey key{t.b.id, account(101)};
    t.book.restore_position(t.b.id, account(101), borrowing(500));
    engine.positions_changed(std::vector<morpho::PositionKey>{key});
    const auto round = engine.judge(t.book, t.markets(), 101);
    EXPECT_EQ(round.work.named, 1u);
    EXPECT_EQ(round.work.exact_evaluations, 2u);  // the named borrower and A's flagged 840
    const auto* repaid = row_of(round, t.b.id, account(101));
    ASSERT_NE(repaid, nullptr);
    EXPECT_EQ(repaid->health_wad, U256(1'720'000'000'000'000'000ULL));  // 860 / 500

    // Repaid in full: the position leaves the rows (and the index).
    t.book.restore_position(t.b.id, account(101),
                            morpho::Position{.supply_shares = {}, .borrow_shares = {}, .collateral = 1'000 * kE18});
    engine.positions_changed(std::vector<morpho::PositionKey>{key});
    const auto gone = engine.judge(t.book, t.markets(), 102);
    EXPECT_EQ(gone.positions.size() + gone.rows_left_out, 7u);
    EXPECT_TRUE(riskiest_first(gone));
    EXPECT_EQ(row_of(gone, t.b.id, account(101)), nullptr);
    EXPECT_EQ(engine.index().account_count(), 7u);
}

TEST(MorphoScreenEngine, TheRiskiestRowsAreJudgedEveryRoundForTheStatusPage) {
    TwoMarkets t;
    MorphoScreenEngine engine(
        ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100, .riskiest_rows_judged = 3});
    (void)engine.judge(t.book, t.markets(), 100);
    // The three riskiest rows (A's 840 and 780, then A's 700 or B's 700 at 1.229) every round,
    // though only 840 is below the watch line.
    const auto round = engine.judge(t.book, t.markets(), 101);
    EXPECT_EQ(round.work.flagged, 1u);
    EXPECT_EQ(round.work.exact_evaluations, 3u);
    EXPECT_TRUE(riskiest_first(round));
}

TEST(MorphoScreenEngine, ARowThatMovesUpAmongTheRiskiestIsJudgedTheSameRound) {
    TwoMarkets t;
    MorphoScreenEngine engine(
        ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100, .riskiest_rows_judged = 2});
    (void)engine.judge(t.book, t.markets(), 100);
    // A's 840 borrower repays everything: the rows' top two were 840 and 780; now
    // they are 780 and a 700 borrower (1.229), which was carried and is judged too.
    t.book.restore_position(t.a.id, account(4),
                            morpho::Position{.supply_shares = {}, .borrow_shares = {}, .collateral = 1'000 * kE18});
    engine.positions_changed(std::vector<morpho::PositionKey>{{t.a.id, account(4)}});
    const auto round = engine.judge(t.book, t.markets(), 101);
    EXPECT_EQ(round.positions.size(), 2u);  // the two riskiest, both judged now
    EXPECT_EQ(round.rows_left_out, 5u);
    EXPECT_EQ(round.work.exact_evaluations, 2u);  // 780, then the 700 that moved up to second
    EXPECT_EQ(round.positions[0].account, account(3));
    EXPECT_TRUE(riskiest_first(round));
}

TEST(MorphoScreenEngine, TheAuditJudgesEveryPositionEveryNBlocks) {
    TwoMarkets t;
    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 3});
    std::vector<std::size_t> judged;
    for (std::uint64_t block = 100; block <= 106; ++block)
        judged.push_back(engine.judge(t.book, t.markets(), block).work.exact_evaluations);
    // Audits at 100, 103, 106; the flagged 840 alone in between.
    EXPECT_EQ(judged, (std::vector<std::size_t>{8, 1, 1, 8, 1, 1, 8}));

    MorphoScreenEngine every_head(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 0});
    for (std::uint64_t block = 100; block <= 102; ++block) {
        const auto round = every_head.judge(t.book, t.markets(), block);
        EXPECT_TRUE(round.work.audit);
        EXPECT_EQ(round.work.exact_evaluations, 8u);
        EXPECT_EQ(round.work.missed_by_screen, 0u);
    }
}

TEST(MorphoScreenEngine, AMarketNotReadThisRoundLeavesItsRowsOutAndKeepsItsEventsForLater) {
    TwoMarkets t;
    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100});
    (void)engine.judge(t.book, t.markets(), 100);
    const morpho::PositionKey key{t.b.id, account(100)};
    t.book.restore_position(t.b.id, account(100), borrowing(800));  // 860 / 800 = 1.075
    engine.positions_changed(std::vector<morpho::PositionKey>{key});
    const auto without_b = engine.judge(t.book, std::vector<MarketAtBlock>{t.a}, 101);  // B's oracle reverted
    EXPECT_EQ(without_b.positions.size() + without_b.rows_left_out, 5u);                // A's only
    EXPECT_EQ(without_b.work.exact_evaluations, 1u);  // A's 840 only
    const auto with_b = engine.judge(t.book, t.markets(), 102);
    const auto* borrowed_more = row_of(with_b, t.b.id, account(100));
    ASSERT_NE(borrowed_more, nullptr);
    EXPECT_EQ(borrowed_more->health_wad, U256(1'075'000'000'000'000'000ULL));
}

// bench_scan's Morpho book (bench/scan/scan_chain.cpp): 10,000 borrowers of
// 1,000 .. 2,500 collateral at loan-to-values 40.05% .. 84.95% in steps of
// 0.1% (i % 450), LLTV 86%, one market. Exact judgements per head:
//   price 1.00, quiet heads: ltv > 0.86 / 1.050105 = 81.90%: 8195 .. 8495 bp,
//     31 of every 450, 22 full cycles (the last 100 borrowers stop at 49.95%): 682
//   price 0.90: ltv > 0.774 / 1.050105 = 73.71%: 7375 .. 8495 bp, 113 of 450: 2,486,
//     of them liquidatable ltv > 77.4%: 7745 .. 8495 bp, 76 of 450: 1,672
// against 10,000 for every head before the engine.
TEST(MorphoScreenEngine, BenchScansTenThousandBorrowersAreJudged682PerQuietHeadAnd2486AfterTheDrop) {
    morpho::MorphoBook book;
    U256 total;
    std::vector<std::pair<Address, morpho::Position>> positions;
    for (unsigned i = 0; i < 10'000; ++i) {
        morpho::Position p;
        p.collateral = U256(1'000 + 250 * (i % 7)) * kE18;
        const U256 borrowed = p.collateral * U256(4'005 + 10 * (i % 450)) / U256(10'000);
        p.borrow_shares = borrowed * U256(1'000'000);
        total += borrowed;
        positions.emplace_back(account(i), p);
    }
    MarketAtBlock m = market(7, total, U256::pow10(36));
    book.restore_market(m.id, m.params);
    for (const auto& [who, p] : positions) book.restore_position(m.id, who, p);

    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 100});
    const std::vector<MarketAtBlock> at_1{m};
    EXPECT_EQ(engine.judge(book, at_1, 100).work.exact_evaluations, 10'000u);  // the first round audits
    const auto quiet = engine.judge(book, at_1, 101);
    EXPECT_EQ(quiet.work.exact_evaluations, 682u);
    EXPECT_EQ(quiet.rows.size(), 682u);  // those under the watch line; the rest counted
    EXPECT_EQ(quiet.rows_left_out, 10'000u - 682u);

    m.price_1e36 = U256(90) * U256::pow10(34);
    const std::vector<MarketAtBlock> at_090{m};
    const auto dropped = engine.judge(book, at_090, 102);
    EXPECT_EQ(dropped.work.screened, 20'000u);  // every borrower, once per screening asset, in float
    EXPECT_EQ(dropped.work.exact_evaluations, 2'486u);
    EXPECT_EQ(liquidatable(dropped), 1'672u);
    EXPECT_EQ(engine.judge(book, at_090, 103).work.exact_evaluations, 2'486u);
}

// Not a test: how long a quiet head of the 10k book takes through the engine
// against judging every position as scan does (one market, no I/O). Run with
// --gtest_also_run_disabled_tests; a Debug build flatters the engine (U256
// arithmetic is slower there than copying rows).
TEST(MorphoScreenEngine, DISABLED_TenThousandBorrowersQuietHeadTime) {
    morpho::MorphoBook book;
    U256 total;
    std::vector<std::pair<Address, morpho::Position>> positions;
    for (unsigned i = 0; i < 10'000; ++i) {
        morpho::Position p;
        p.collateral = U256(1'000 + 250 * (i % 7)) * kE18;
        const U256 borrowed = p.collateral * U256(4'005 + 10 * (i % 450)) / U256(10'000);
        p.borrow_shares = borrowed * U256(1'000'000);
        total += borrowed;
        positions.emplace_back(account(i), p);
    }
    const MarketAtBlock m = market(7, total, U256::pow10(36));
    book.restore_market(m.id, m.params);
    for (const auto& [who, p] : positions) book.restore_position(m.id, who, p);
    const std::vector<MarketAtBlock> at{m};
    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 1'000'000});
    (void)engine.judge(book, at, 100);
    using Clock = std::chrono::steady_clock;
    constexpr int kRounds = 20;
    const auto t0 = Clock::now();
    std::size_t judged = 0;
    for (int r = 0; r < kRounds; ++r)
        judged += engine.judge(book, at, 101 + static_cast<unsigned>(r)).work.exact_evaluations;
    const auto t1 = Clock::now();
    std::size_t rows = 0;
    for (int r = 0; r < kRounds; ++r) {
        const auto all = evaluate_positions(book, at);
        for (const auto& p : all) rows += position_row(p).debt_text.empty() ? 0 : 1;
    }
    const auto t2 = Clock::now();
    const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count() / kRounds; };
    std::printf("[ measured ] 10k positions, quiet head: engine %.2f ms (%zu exact), every position %.2f ms (%zu)\n",
                ms(t1 - t0), judged / kRounds, ms(t2 - t1), rows / kRounds);
}

// Random markets and positions near the line, dust included (debt of a few
// units, where the contract's rounding is most of the health): every position
// the screen puts at or above the watch line is exactly neither liquidatable
// nor below warning_health, after the first round and after random price moves.
TEST(MorphoScreenEngine, NoPositionAboveTheWatchLineIsLiquidatableOrBelowWarningHealth) {
    std::mt19937_64 rng(18);
    auto pick = [&](std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
    };
    auto scaled = [&](unsigned lo_exp, unsigned hi_exp) {  // m x 10^e, m in [1, 999]
        return U256(pick(1, 999)) * U256::pow10(static_cast<unsigned>(pick(lo_exp, hi_exp)));
    };
    const std::vector<std::uint64_t> lltvs{385, 625, 770, 860, 915, 945, 965, 980};

    morpho::MorphoBook book;
    std::vector<MarketAtBlock> markets;
    std::vector<morpho::PositionKey> keys;
    for (unsigned mi = 0; mi < 24; ++mi) {
        MarketAtBlock m = market(1000 + mi, scaled(3, 30), scaled(18, 44));
        m.params.lltv_wad = U256(lltvs[mi % lltvs.size()]) * U256::pow10(15);
        m.id = morpho::market_id(m.params);
        // 1e6 to 2e6 shares per loan unit (interest has accrued to some markets).
        m.accrued.total_borrow_shares = m.accrued.total_borrow_assets * U256(pick(1'000'000, 2'000'000));
        book.restore_market(m.id, m.params);
        for (unsigned pi = 0; pi < 400; ++pi) {
            const bool dust = pi % 10 == 0;
            morpho::Position p;
            p.collateral = dust ? U256(pick(1, 20'000)) : scaled(0, 28);
            const auto value = keeper::mul_div_down(p.collateral, m.price_1e36, U256::pow10(36));
            const auto max_borrow = keeper::mul_div_down(value.value_or(U256()), m.params.lltv_wad, kE18);
            // Aim at a health between 0.95 and 1.15.
            const U256 target = U256(pick(950, 1150)) * U256::pow10(15);
            const U256 debt = keeper::mul_div_down(max_borrow.value_or(U256()), kE18, target).value_or(U256());
            p.borrow_shares = keeper::mul_div_down(debt + U256(pick(0, 3)),
                                                   m.accrued.total_borrow_shares + U256(1'000'000),
                                                   m.accrued.total_borrow_assets + U256(1))
                                  .value_or(U256());
            if (p.borrow_shares.is_zero()) continue;
            const Address who = account(static_cast<unsigned>(mi * 400 + pi));
            book.restore_position(m.id, who, p);
            keys.push_back({m.id, who});
        }
        markets.push_back(m);
    }

    MorphoScreenEngine engine(ScreenEngineSettings{.warning_health_wad = kWarning, .audit_every_blocks = 1000});
    std::size_t above = 0, below_warning = 0, liquidated = 0, near_above = 0, unscreened = 0;
    auto check = [&](std::uint64_t block) {
        const auto round = engine.judge(book, markets, block);
        EXPECT_EQ(round.work.missed_by_screen, 0u);
        EXPECT_TRUE(riskiest_first(round));
        // Every position is a row or counted among those left out, and every
        // one below warning_health is listed with this block's exact health.
        EXPECT_EQ(round.rows.size() + round.rows_left_out, keys.size());
        std::map<morpho::PositionKey, U256> listed;
        for (const auto& p : round.positions) listed.emplace(morpho::PositionKey{p.market, p.account}, p.health_wad);
        std::unordered_map<morpho::MarketId, const MarketAtBlock*> by_id;
        for (const auto& m : markets) by_id.emplace(m.id, &m);
        for (const auto& key : keys) {
            auto exact = judge_position(*by_id.at(key.market), key.account, *book.position(key.market, key.account));
            if (!exact || exact->health_wad >= kWarning) continue;
            const auto row = listed.find(key);
            ASSERT_NE(row, listed.end()) << key.account.hex() << " is below warning_health but not listed";
            EXPECT_EQ(row->second, exact->health_wad);
        }
        for (const auto& key : keys) {
            const auto screen = engine.screen_health(key);
            if (!screen) {  // amounts of 2^120 or more: not screened, judged every round
                ++unscreened;
                continue;
            }
            const morpho::Position* p = book.position(key.market, key.account);
            ASSERT_NE(p, nullptr);
            auto exact = judge_position(*by_id.at(key.market), key.account, *p);
            ASSERT_TRUE(exact) << exact.error().message;
            below_warning += exact->health_wad < kWarning ? 1 : 0;
            liquidated += exact->liquidatable ? 1 : 0;
            if (static_cast<double>(screen.value_or(0.0f)) < engine.watch_line()) continue;
            ++above;
            near_above += exact->health_wad < U256(1'060'000'000'000'000'000ULL) ? 1 : 0;
            EXPECT_FALSE(exact->liquidatable) << key.account.hex() << " screen " << screen.value_or(0.0f);
            EXPECT_GE(exact->health_wad, kWarning) << key.account.hex() << " screen " << screen.value_or(0.0f)
                                                   << " debt " << exact->health.borrowed.to_dec();
        }
    };
    check(100);
    for (std::uint64_t block = 101; block <= 110; ++block) {
        for (auto& m : markets)  // each price moves by -5% to +5%
            m.price_1e36 = m.price_1e36 * U256(pick(950, 1050)) / U256(1000);
        check(block);
    }
    // The sample is on both sides of the line, and close to it.
    EXPECT_GT(above, 10'000u);
    EXPECT_GT(below_warning, 10'000u);
    EXPECT_GT(liquidated, 1'000u);
    EXPECT_GT(near_above, 500u);
    EXPECT_GT(unscreened, 0u);  // prices up to 1e9 loan units per collateral unit make some debts huge
}

}  // namespace morpho_screen_engine_test
}  // namespace keeper::protocols::morpho_blue
