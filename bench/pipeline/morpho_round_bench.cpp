// What `run`'s Morpho Blue round costs in process at scale (issue #18): the
// round the daemon really runs on each head (MorphoScreenEngine::judge:
// re-screen the markets whose price or totals moved, judge exactly what the
// screen flags, carry every other row), as against bench_pipeline's
// price_to_tx, which measures the pure LiveBook pipeline the daemon does
// not drive yet.
//
// The book: N positions (arg 0) in 100 markets (collateral 1,000 tokens at
// an oracle price of 1e36, LLTV 86 %), health 1 + lognormal (median 0.5,
// sigma 0.8), at least 1.01. After the first round (an audit that judges
// every position), 60 heads in turn: even heads are quiet (nothing read
// moved), odd heads move one market's oracle price by -1 % or back. The
// audit is set far away, as between the default's every-100-blocks audits.
// Reported: p50/p99 thread CPU per round of each kind, exact evaluations
// and rows per round.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "margin/morpho_book.hpp"
#include "protocols/morpho_blue/morpho_screen_engine.hpp"
#include "../support/bench_timing.hpp"
#include "../support/synthetic_book.hpp"

namespace morpho_round_bench {

using namespace keeper;
using namespace keeper::protocols::morpho_blue;

constexpr unsigned kMarkets = 100;

struct Book {
    morpho::MorphoBook book;
    std::vector<MarketAtBlock> markets;
};

Book build(std::size_t positions) {
    Book b;
    const U256 e18 = U256::pow10(18);
    std::mt19937_64 rng(18);
    std::lognormal_distribution<double> excess(std::log(0.5), 0.8);
    for (unsigned m = 0; m < kMarkets; ++m) {
        MarketAtBlock market;
        market.params.loan_token = bench_book::token(1);
        market.params.collateral_token = bench_book::token(static_cast<unsigned char>(2 + m % 7));
        market.params.oracle = bench_book::account(0x0100'0000u + m);
        market.params.lltv_wad = U256(860'000'000'000'000'000ULL);
        market.id = morpho::market_id(market.params);
        market.price_1e36 = U256::pow10(36);
        market.accrued.last_update = 1'700'000'000;
        b.book.restore_market(market.id, market.params);
        b.markets.push_back(market);
    }
    for (std::size_t i = 0; i < positions; ++i) {
        MarketAtBlock& market = b.markets[i % kMarkets];
        const double health = std::max(1.01, 1.0 + excess(rng));
        // debt = collateral x LLTV / health, in thousandths of a loan token.
        const auto debt_milli = static_cast<std::uint64_t>(1'000.0 * 860.0 / health);
        morpho::Position p;
        p.collateral = U256(1'000) * e18;
        const U256 debt = U256(debt_milli) * U256::pow10(15);
        p.borrow_shares = debt * U256(1'000'000);  // one asset is 1e6 shares
        market.accrued.total_borrow_assets = market.accrued.total_borrow_assets + debt;
        market.accrued.total_borrow_shares = market.accrued.total_borrow_shares + p.borrow_shares;
        b.book.restore_position(market.id, bench_book::account(static_cast<std::uint32_t>(i)), p);
    }
    for (auto& market : b.markets) {
        market.accrued.total_supply_assets = market.accrued.total_borrow_assets * U256(2);
        market.accrued.total_supply_shares = market.accrued.total_supply_assets * U256(1'000'000);
    }
    return b;
}

void BM_MorphoRunRound(benchmark::State& state) {
    const auto positions = static_cast<std::size_t>(state.range(0));
    Book b = build(positions);
    std::vector<double> quiet, moved;
    std::size_t exact_quiet = 0, exact_moved = 0, rows = 0;
    for (auto _ : state) {
        MorphoScreenEngine engine(ScreenEngineSettings{.audit_every_blocks = 1'000'000, .riskiest_rows_judged = 50});
        std::uint64_t block = 100;
        (void)engine.judge(b.book, b.markets, block);  // the first round: an audit
        const U256 base = U256::pow10(36);
        const U256 dropped = base / U256(100) * U256(99);
        for (int head = 0; head < 60; ++head) {
            const bool moves = head % 2 == 1;
            if (moves) {
                auto& price = b.markets[static_cast<std::size_t>(head / 2) % kMarkets].price_1e36;
                price = price == base ? dropped : base;
            }
            const double start = bench_timing::thread_cpu_ms();
            const auto round = engine.judge(b.book, b.markets, ++block);
            const double spent = bench_timing::thread_cpu_ms() - start;
            (moves ? moved : quiet).push_back(spent);
            (moves ? exact_moved : exact_quiet) += round.work.exact_evaluations;
            rows = round.rows.size();
            benchmark::DoNotOptimize(round.rows.data());
        }
    }
    state.counters["quiet_p50_ms"] = bench_timing::percentile(quiet, 0.5);
    state.counters["quiet_p99_ms"] = bench_timing::percentile(quiet, 0.99);
    state.counters["moved_p50_ms"] = bench_timing::percentile(moved, 0.5);
    state.counters["moved_p99_ms"] = bench_timing::percentile(moved, 0.99);
    state.counters["exact_per_quiet"] = static_cast<double>(exact_quiet) / static_cast<double>(quiet.size());
    state.counters["exact_per_moved"] = static_cast<double>(exact_moved) / static_cast<double>(moved.size());
    state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_MorphoRunRound)->Arg(100'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace morpho_round_bench
