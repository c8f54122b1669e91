// (b) Incremental tick: 1,000,000 accounts over 20 assets, one asset's price
// moves; time to re-evaluate the accounts touching it and rank the riskiest.
// Target: p99 < 5 ms. (d) Index memory per account as a counter.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "margin/account_index.hpp"
#include "../support/bench_timing.hpp"

namespace tick_bench {

using namespace keeper::margin;

AccountIndex build_index(std::uint32_t accounts, std::uint16_t assets, std::vector<double>& prices) {
    AccountIndex index(assets, 0.05);
    std::mt19937 rng(2);
    std::uniform_real_distribution<double> price(0.5, 2.0);
    prices.resize(assets);
    for (std::uint16_t a = 0; a < assets; ++a) {
        prices[a] = 100 * price(rng);
        (void)index.set_asset(a, prices[a], 0.8);
    }
    // 4 distinct assets, 2 collateral and 2 debt; debt sized for health ~ 0.9..2.5.
    std::vector<std::uint16_t> ids(assets);
    for (std::uint16_t a = 0; a < assets; ++a) {
        ids[a] = a;
    }
    std::uniform_real_distribution<double> amount(1, 100);
    std::uniform_real_distribution<double> target(0.9, 2.5);
    for (std::uint32_t i = 0; i < accounts; ++i) {
        std::shuffle(ids.begin(), ids.end(), rng);
        const double c0 = amount(rng), c1 = amount(rng);
        const double weighted = 0.8 * (c0 * prices[ids[0]] + c1 * prices[ids[1]]);
        const double debt_usd = weighted / target(rng);
        const std::vector<ScreenPosition> p{{ids[0], PositionSide::collateral, c0},
                                            {ids[1], PositionSide::collateral, c1},
                                            {ids[2], PositionSide::debt, 0.5 * debt_usd / prices[ids[2]]},
                                            {ids[3], PositionSide::debt, 0.5 * debt_usd / prices[ids[3]]}};
        (void)index.add(p);
    }
    return index;
}

using keeper::bench_timing::percentile;
using keeper::bench_timing::thread_cpu_ms;

void BM_IncrementalTick(benchmark::State& state) {
    constexpr std::uint16_t assets = 20;
    constexpr int ticks = 200;
    std::vector<double> prices;
    AccountIndex index = build_index(static_cast<std::uint32_t>(state.range(0)), assets, prices);
    std::mt19937 rng(3);
    std::normal_distribution<double> ret(0.0, 0.01);  // 1 % moves
    std::vector<double> ms;
    std::vector<double> cpu_ms;
    std::vector<double> update_cpu_ms;
    std::vector<double> rank_cpu_ms;
    std::size_t evaluated = 0;
    std::size_t crossings = 0;
    for (auto _ : state) {
        ms.clear();
        for (int t = 0; t < ticks; ++t) {
            const std::uint16_t asset = static_cast<std::uint16_t>(t % assets);
            prices[asset] *= 1.0 + ret(rng);
            const auto start = std::chrono::steady_clock::now();
            const double cpu0 = thread_cpu_ms();
            const auto tick = index.on_asset_update(asset, prices[asset], 0.8);
            const double cpu1 = thread_cpu_ms();
            const auto top = index.riskiest(100);
            const double cpu2 = thread_cpu_ms();
            const auto stop = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(top.data());
            evaluated += tick->evaluated;
            crossings += tick->newly_flagged.size() + tick->cleared.size();
            ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
            cpu_ms.push_back(cpu2 - cpu0);
            update_cpu_ms.push_back(cpu1 - cpu0);
            rank_cpu_ms.push_back(cpu2 - cpu1);
        }
    }
    state.counters["p50_ms"] = percentile(ms, 0.50);
    state.counters["p99_ms"] = percentile(ms, 0.99);
    state.counters["max_ms"] = percentile(ms, 1.0);
    state.counters["cpu_p50_ms"] = percentile(cpu_ms, 0.50);
    state.counters["cpu_p99_ms"] = percentile(cpu_ms, 0.99);
    state.counters["update_cpu_p50_ms"] = percentile(update_cpu_ms, 0.50);
    state.counters["rank_cpu_p50_ms"] = percentile(rank_cpu_ms, 0.50);
    state.counters["evaluated_per_tick"] =
        static_cast<double>(evaluated) / static_cast<double>(ticks * state.iterations());
    state.counters["crossings_per_tick"] =
        static_cast<double>(crossings) / static_cast<double>(ticks * state.iterations());
    state.counters["flagged"] = static_cast<double>(index.flagged_count());
    state.counters["bytes_per_account"] =
        static_cast<double>(index.footprint_bytes()) / static_cast<double>(index.account_count());
}

BENCHMARK(BM_IncrementalTick)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace tick_bench
