// (a) Screening throughput: a full pass over 4-position lending accounts.
// Target: >= 20 million accounts per second on one core.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "margin/screen_kernel.hpp"

namespace screen_bench {

using namespace keeper::margin;

void BM_ScreenFullPass(benchmark::State& state) {
    const auto accounts = static_cast<std::size_t>(state.range(0));
    constexpr std::uint16_t assets = 20;
    ScreenFactors factors(assets);
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> price(0.5, 2.0);
    for (std::uint16_t a = 0; a < assets; ++a) {
        factors.set_asset(a, 100 * price(rng), 0.8);
    }
    std::uniform_int_distribution<int> asset(0, assets - 1);
    std::uniform_real_distribution<float> amount(1, 100);
    std::vector<std::uint16_t> keys(screen_slots * accounts);
    std::vector<float> amounts(screen_slots * accounts);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        keys[i] = screen_key(static_cast<std::uint16_t>(asset(rng)), i % screen_slots >= 2);
        amounts[i] = amount(rng);
    }
    std::vector<float> health(accounts);
    for (auto _ : state) {
        screen_health_batch(keys.data(), amounts.data(), accounts, factors, health.data());
        benchmark::DoNotOptimize(health.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(accounts));
    state.counters["accounts_per_s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(accounts), benchmark::Counter::kIsRate);
}

// 100k accounts fit in L2/L3; 2M (56 MB) streams from memory.
BENCHMARK(BM_ScreenFullPass)->Arg(100000)->Arg(2000000)->Unit(benchmark::kMillisecond);

}  // namespace screen_bench
