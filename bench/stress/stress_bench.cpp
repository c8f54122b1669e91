// Issue #20's benchmark: the full default grid (3 assets x 21 moves = 63
// scenarios) over 100k synthetic accounts, exact models included, on one
// core. Target: under 1 s.
//
// The book: three assets (WETH, wstETH, USDC) in three Morpho markets
// (WETH/USDC, wstETH/USDC, wstETH/WETH) of 20k positions each, and an Aave
// v3.6 pool of 40k accounts (WETH or wstETH collateral, USDC or WETH debt).
// Health factors spread from 1.0 to 3.0, so the -50 % moves liquidate a large
// share of the book and every liquidatable account runs the exact model.
#include <benchmark/benchmark.h>

#include <random>

#include "margin/stress_engine.hpp"
#include "margin/stress_grid.hpp"
#include "margin/stress_monte_carlo.hpp"
#include "../support/synthetic_book.hpp"

namespace stress_bench {

using namespace keeper;
using namespace keeper::margin::stress;

using bench_book::account;
using bench_book::reserve_config;
const Address kWeth = bench_book::token(1), kWsteth = bench_book::token(2), kUsdc = bench_book::token(3);
const U256 kE18 = U256::pow10(18);

// Collateral in whole tokens, debt chosen for a health factor h: debt =
// value x lltv / h, in loan units.
MorphoStressMarket morpho_market(const Address& collateral, const Address& loan, const U256& price_1e36,
                                 std::uint32_t first, std::uint32_t count, std::mt19937_64& rng) {
    MorphoStressMarket m;
    m.protocol = "morpho-blue@bench";
    m.id.bytes[0] = collateral.bytes[0];
    m.id.bytes[1] = loan.bytes[0];
    m.params.collateral_token = collateral;
    m.params.loan_token = loan;
    m.params.lltv_wad = U256(860'000'000'000'000'000ULL);
    m.price_1e36 = price_1e36;
    std::uniform_int_distribution<std::uint64_t> tokens(1, 1000);
    std::uniform_int_distribution<std::uint64_t> health_bps(10'000, 30'000);
    U256 total;
    for (std::uint32_t i = 0; i < count; ++i) {
        const U256 collateral_units = U256(tokens(rng)) * kE18 + U256(rng() % 1'000'000);
        const U256 value = mul_div_down(collateral_units, price_1e36, U256::pow10(36)).value();
        const U256 borrowed = value * U256(8600) / U256(health_bps(rng));
        morpho::Position p{U256(), borrowed * U256(1'000'000), collateral_units};
        total += borrowed;
        m.positions.push_back({account(first + i), p});
    }
    // Exactly 1e6 shares per asset, virtual shares included.
    m.accrued.total_borrow_assets = total;
    m.accrued.total_borrow_shares = total * U256(1'000'000);
    m.accrued.total_supply_assets = total * U256(2);
    m.accrued.total_supply_shares = total * U256(2'000'000);
    return m;
}

AaveStressPool aave_pool(std::uint32_t first, std::uint32_t count, std::mt19937_64& rng) {
    AaveStressPool pool;
    pool.protocol = "aave-v3@bench";
    pool.rules = aave::PoolRules::V3_6;
    pool.reserves = {{0, kWeth}, {1, kWsteth}, {2, kUsdc}};
    const U256 ray = U256::pow10(27);
    const aave::ReserveSnapshot weth{0,
                                     reserve_config(8300, 10500, 18),
                                     U256(300'000'000'000ULL),
                                     ray + ray / U256(20),
                                     ray + ray / U256(10),
                                     U256(),
                                     U256(),
                                     U256()};
    const aave::ReserveSnapshot wsteth{1,
                                       reserve_config(8100, 10600, 18),
                                       U256(360'000'000'000ULL),
                                       ray + ray / U256(50),
                                       ray + ray / U256(25),
                                       U256(),
                                       U256(),
                                       U256()};
    const aave::ReserveSnapshot usdc{2,
                                     reserve_config(7800, 10450, 6),
                                     U256(100'000'000ULL),
                                     ray + ray / U256(15),
                                     ray + ray / U256(8),
                                     U256(),
                                     U256(),
                                     U256()};
    std::uniform_int_distribution<std::uint64_t> tokens(1, 500);
    std::uniform_int_distribution<std::uint64_t> health_bps(10'000, 30'000);
    for (std::uint32_t i = 0; i < count; ++i) {
        AaveStressAccount a;
        a.account = account(first + i);
        const bool steth = (rng() & 1) != 0;
        const bool usdc_debt = (rng() % 4) != 0;
        aave::ReserveSnapshot coll = steth ? wsteth : weth;
        aave::ReserveSnapshot debt = usdc_debt ? usdc : weth;
        if (steth && !usdc_debt) debt = weth;
        if (!steth && !usdc_debt) debt = usdc;  // WETH against WETH is not a shock story
        coll.scaled_atoken_balance = U256(tokens(rng)) * kE18;
        // Debt for the chosen health: collateral base x lt / h, in debt units.
        const U256 coll_base = coll.scaled_atoken_balance * coll.price / kE18;
        const U256 debt_base = coll_base * U256(coll.config.liquidation_threshold_bps) / U256(health_bps(rng));
        debt.scaled_variable_debt = debt_base * U256::pow10(debt.config.decimals) / debt.price;
        a.input.config = aave::UserConfig().with_collateral(coll.id, true).with_borrowing(debt.id, true);
        a.input.reserves = {coll, debt};
        pool.accounts.push_back(std::move(a));
    }
    return pool;
}

StressBook bench_book(std::uint32_t accounts) {
    std::mt19937_64 rng(20);
    StressBook book;
    const std::uint32_t per_market = accounts / 5;
    const U256 e36 = U256::pow10(36);
    // WETH $3000 in USDC (6 decimals) per WETH (18): 3000e6 x 1e36 / 1e18.
    book.morpho_markets.push_back(morpho_market(kWeth, kUsdc, U256(3000) * U256::pow10(24), 0, per_market, rng));
    book.morpho_markets.push_back(
        morpho_market(kWsteth, kUsdc, U256(3600) * U256::pow10(24), per_market, per_market, rng));
    book.morpho_markets.push_back(
        morpho_market(kWsteth, kWeth, e36 * U256(12) / U256(10), 2 * per_market, per_market, rng));
    book.aave_pools.push_back(aave_pool(3 * per_market, accounts - 3 * per_market, rng));
    return book;
}

void BM_StressDefaultGrid(benchmark::State& state) {
    const StressBook book = bench_book(static_cast<std::uint32_t>(state.range(0)));
    const auto assets = book.assets();
    const auto grid = default_grid(assets).value();
    std::size_t liquidatable = 0;
    for (auto _ : state) {
        auto out = run_stress(book, grid, StressOptions{false});
        liquidatable = 0;
        for (const auto& o : out.value()) liquidatable += o.liquidatable;
        benchmark::DoNotOptimize(liquidatable);
    }
    state.counters["scenarios"] = static_cast<double>(grid.size());
    state.counters["accounts"] = static_cast<double>(book.positions());
    // Liquidatable (account, scenario) pairs: each ran the exact liquidation.
    state.counters["liquidations"] = static_cast<double>(liquidatable);
}
BENCHMARK(BM_StressDefaultGrid)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(3);

// Monte-Carlo over the same 100k book: one day's correlated returns (WETH
// 4.5 %, wstETH 4.6 % a day, correlation 0.97; USDC 0.1 %), valued in USD.
// Arg 0: draws; arg 1: cascade rounds at most (1: no cascade, a runner that
// lists no accounts; 5: 0.05 bps per $1M sold on WETH and wstETH: the book
// sells ~$1.5G of collateral on an average day, so ~75 bps a round).
void BM_StressMonteCarlo(benchmark::State& state) {
    const StressBook book = bench_book(100'000);
    const CovarianceSpec covariance{
        {kWeth, kWsteth, kUsdc}, {0.045, 0.046, 0.001}, {1.0, 0.97, 0.0, 0.97, 1.0, 0.0, 0.0, 0.0, 1.0}};
    CascadeSpec cascade;
    const bool cascading = state.range(1) > 1;
    cascade.valuations[kWeth] = AssetValuation{3000.0, 18, cascading ? 0.05 : 0.0};
    cascade.valuations[kWsteth] = AssetValuation{3600.0, 18, cascading ? 0.05 : 0.0};
    cascade.valuations[kUsdc] = AssetValuation{1.0, 6, 0.0};
    cascade.max_rounds = static_cast<std::size_t>(state.range(1));
    StressRunner runner(book, StressOptions{cascading});
    MonteCarloOutcome last;
    for (auto _ : state) {
        last = run_monte_carlo(runner, covariance, cascade, MonteCarloSpec{1, static_cast<std::size_t>(state.range(0))})
                   .value();
        // (Not DoNotOptimize on the double itself: Debian's benchmark 1.7.1
        // under GCC 12 -O3 zeroed it through its "+r" asm constraint.)
        benchmark::DoNotOptimize(last.volume_usd.data());
    }
    state.counters["draws"] = static_cast<double>(state.range(0));
    state.counters["accounts"] = static_cast<double>(book.positions());
    state.counters["liquidated_mean"] = last.liquidations.mean;
    state.counters["volume_var99_usd"] = last.volume.at_99.var;
    state.counters["bad_debt_var99_usd"] = last.bad_debt.at_99.var;
}
BENCHMARK(BM_StressMonteCarlo)
    ->Args({1'000, 1})
    ->Args({10'000, 1})
    ->Args({200, 5})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace stress_bench
