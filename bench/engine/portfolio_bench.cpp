// (c) Portfolio margin: 10,000 accounts x 50 option positions x 63 scenarios.
// Risk arrays are rebuilt per price update (timed separately); the account
// pass is a dot product over scenarios. Target: account pass < 50 ms.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "margin/portfolio_margin.hpp"

namespace portfolio_bench {

using namespace keeper::margin;

constexpr int underlyings = 4;
constexpr int strikes_per_underlying = 25;
constexpr int expiries = 5;

struct Book {
    RiskArrayTable table{ScenarioGrid::make({}).value()};
    std::vector<InstrumentMarket> markets;
    std::vector<std::vector<PortfolioPosition>> accounts;
};

// 4 underlyings x 5 expiries x 25 strikes x call/put = 1,000 options + 4 perps.
Book make_book(int account_count, int positions_per_account) {
    Book book;
    const double spots[underlyings] = {60000, 3000, 150, 0.6};
    for (std::uint16_t u = 0; u < underlyings; ++u) {
        const InstrumentId perp = book.table.add_instrument(InstrumentSpec{.underlying = UnderlyingId{u}});
        book.markets.push_back(InstrumentMarket{.underlying_price = spots[u]});
        (void)perp;
        for (int e = 0; e < expiries; ++e) {
            for (int k = 0; k < strikes_per_underlying; ++k) {
                for (const OptionType type : {OptionType::call, OptionType::put}) {
                    book.table.add_instrument(InstrumentSpec{.underlying = UnderlyingId{u},
                                                             .kind = InstrumentKind::futures_option,
                                                             .option_type = type,
                                                             .strike = spots[u] * (0.6 + 0.8 * k / 24.0)});
                    book.markets.push_back(InstrumentMarket{.underlying_price = spots[u],
                                                            .implied_vol = 0.5 + 0.01 * k,
                                                            .years_to_expiry = (7.0 + 30.0 * e) / 365.0});
                }
            }
        }
    }
    for (std::uint32_t i = 0; i < book.markets.size(); ++i) {
        (void)book.table.update(InstrumentId{i}, book.markets[i]);
    }
    std::mt19937 rng(4);
    std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(book.markets.size() - 1));
    std::uniform_real_distribution<double> qty(-10, 10);
    book.accounts.resize(static_cast<std::size_t>(account_count));
    for (auto& account : book.accounts) {
        for (int p = 0; p < positions_per_account; ++p) {
            account.push_back(PortfolioPosition{InstrumentId{pick(rng)}, qty(rng)});
        }
    }
    return book;
}

PortfolioMarginParams params() {
    return PortfolioMarginParams{
        .offsets = {{UnderlyingId{0}, UnderlyingId{1}, 0.7}, {UnderlyingId{1}, UnderlyingId{2}, 0.5}},
        .short_option_minimum_fraction = 0.01,
        .gamma_extra_move_fraction = 0.1,
        .vega_extra_vol_shift = 0.05};
}

void BM_PortfolioAccountPass(benchmark::State& state) {
    Book book = make_book(10000, 50);
    auto calc = PortfolioMarginCalculator::make(params()).value();
    double total = 0;
    for (auto _ : state) {
        for (const auto& account : book.accounts) {
            total += calc.requirement(account, book.table)->requirement_usd;
        }
        benchmark::DoNotOptimize(total);
    }
    state.counters["accounts"] = static_cast<double>(book.accounts.size());
    state.counters["scenarios"] = static_cast<double>(book.table.scenario_count());
    state.counters["position_scenarios_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * 10000.0 * 50.0 * 63.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PortfolioAccountPass)->Unit(benchmark::kMillisecond);

// Rebuilding every instrument's risk array (1,004 instruments x 63 Black-76 revaluations).
void BM_RiskArrayRebuildAll(benchmark::State& state) {
    Book book = make_book(1, 1);
    for (auto _ : state) {
        for (std::uint32_t i = 0; i < book.markets.size(); ++i) {
            benchmark::DoNotOptimize(book.table.update(InstrumentId{i}, book.markets[i]));
        }
    }
    state.counters["instruments"] = static_cast<double>(book.markets.size());
}
BENCHMARK(BM_RiskArrayRebuildAll)->Unit(benchmark::kMillisecond);

}  // namespace portfolio_bench
