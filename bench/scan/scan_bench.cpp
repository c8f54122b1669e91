// Finding every liquidatable position among kBorrowers Morpho Blue positions
// on one chain state: the local engine (book kept from events, markets
// re-read per head, health computed here) against polling the chain per
// position through Multicall3 (position + market + oracle price per borrower).
// Both read the same anvil, the same head block and must find the same,
// non-empty set (checked outside the timed loops; a mismatch skips the
// benchmark with an error). The engine's initial sync from events is its own
// one-shot benchmark, since a daemon pays it once.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "liquidatable_scan.hpp"
#include "scan_chain.hpp"

namespace scan_bench {

using namespace keeper;
using namespace keeper::bench;
using Clock = std::chrono::steady_clock;

// Borrowers per aggregate3 eth_call: 1,500 sub-calls, ~1.3 MB of hex
// calldata per request (geth refuses HTTP bodies over 5 MB).
constexpr std::size_t kBorrowersPerEthCall = 500;

struct Engine {
    std::optional<morpho::MorphoBook> book;
    std::uint64_t synced_through = 0;

    static Engine& get() {
        static Engine engine;
        return engine;
    }
};

Result<SyncReport> sync_engine(chain::JsonRpcClient& client) {
    ScanChain& chain = ScanChain::get();
    Engine& engine = Engine::get();
    engine.book.emplace();
    auto report = sync_book(client, chain.devnet.contracts.morpho, chain.devnet.deploy_block, chain.head.number,
                            *engine.book);
    if (!report) {
        engine.book.reset();
        return report;
    }
    engine.synced_through = report->synced_through;
    return report;
}

// The engine's book, synced untimed when BM_InitialSync did not run (a filter).
Result<void> ensure_engine() {
    if (Engine::get().book) return {};
    auto client = counted_client(ScanChain::get().anvil->url(), std::make_shared<TransportCounts>());
    auto report = sync_engine(client);
    if (!report) return std::unexpected(report.error());
    return {};
}

Result<Scan> scan_local(chain::JsonRpcClient& client) {
    if (auto ready = ensure_engine(); !ready) return std::unexpected(ready.error());
    ScanChain& chain = ScanChain::get();
    Engine& engine = Engine::get();
    return scan_local_engine(client, chain.devnet.contracts.morpho, *engine.book, engine.synced_through, chain.head);
}

Result<Scan> scan_polling(chain::JsonRpcClient& client) {
    ScanChain& chain = ScanChain::get();
    const PollTarget target{chain.devnet.contracts.morpho, chain.aggregator, chain.devnet.market_id,
                            chain.devnet.params};
    return scan_by_polling(client, target, chain.borrowers, chain.head.number, kBorrowersPerEthCall);
}

// Each side's answer, computed once untimed, to check the other against.
const Result<Scan>& reference(bool local) {
    static std::optional<Result<Scan>> answers[2];
    auto& answer = answers[local ? 1 : 0];
    if (!answer) {
        auto client = counted_client(ScanChain::get().anvil->url(), std::make_shared<TransportCounts>());
        answer = local ? scan_local(client) : scan_polling(client);
    }
    return *answer;
}

// Empty when `mine` equals the other side's set, is non-empty and has the
// size the chosen loan-to-values predict; else what is wrong.
std::string check_against_other(const Scan& mine, bool mine_is_local) {
    const Result<Scan>& other = reference(!mine_is_local);
    if (!other) return "the other scan failed: " + other.error().message;
    if (mine.liquidatable.empty()) return "no liquidatable position found";
    if (mine.liquidatable != other->liquidatable)
        return "liquidatable sets differ: " + std::to_string(mine.liquidatable.size()) + " here vs " +
               std::to_string(other->liquidatable.size());
    if (mine.positions != other->positions) return "position counts differ";
    if (mine.liquidatable.size() != ScanChain::get().expected_liquidatable)
        return "found " + std::to_string(mine.liquidatable.size()) + ", expected " +
               std::to_string(ScanChain::get().expected_liquidatable);
    return {};
}

void report(benchmark::State& state, const Scan& scan, const TransportCounts& counts, Clock::duration wall) {
    const double iterations = static_cast<double>(state.iterations());
    const double wall_us = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()) / 1e3;
    state.counters["positions"] = static_cast<double>(scan.positions);
    state.counters["liquidatable"] = static_cast<double>(scan.liquidatable.size());
    if (counts.requests != 0) {  // an aggregate's coefficient of variation of 0 / 0 prints as nan
        state.counters["rpc_round_trips"] = static_cast<double>(counts.requests) / iterations;
        state.counters["MB_sent"] = static_cast<double>(counts.bytes_sent) / 1e6 / iterations;
        state.counters["MB_received"] = static_cast<double>(counts.bytes_received) / 1e6 / iterations;
    }
    state.counters["us_per_position"] = scan.positions == 0 ? 0 : wall_us / iterations / static_cast<double>(scan.positions);
}

void BM_InitialSync(benchmark::State& state) {
    ScanChain& chain = ScanChain::get();
    auto counts = std::make_shared<TransportCounts>();
    auto client = counted_client(chain.anvil->url(), counts);
    SyncReport last;
    for (auto _ : state) {
        auto synced = sync_engine(client);
        if (!synced) {
            state.SkipWithError(synced.error().message.c_str());
            return;
        }
        last = *synced;
    }
    const double iterations = static_cast<double>(state.iterations());
    state.counters["blocks"] = static_cast<double>(chain.head.number - chain.devnet.deploy_block + 1);
    state.counters["logs"] = static_cast<double>(last.logs);
    state.counters["events_applied"] = static_cast<double>(last.events);
    state.counters["positions"] = static_cast<double>(Engine::get().book->position_count());
    state.counters["rpc_round_trips"] = static_cast<double>(counts->requests) / iterations;
    state.counters["MB_received"] = static_cast<double>(counts->bytes_received) / 1e6 / iterations;
}
BENCHMARK(BM_InitialSync)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_LocalEngine_FindLiquidatable(benchmark::State& state) {
    if (auto ready = ensure_engine(); !ready) {
        state.SkipWithError(ready.error().message.c_str());
        return;
    }
    auto counts = std::make_shared<TransportCounts>();
    auto client = counted_client(ScanChain::get().anvil->url(), counts);
    Scan last;
    Clock::duration wall{};
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto scan = scan_local(client);
        wall += Clock::now() - t0;
        if (!scan) {
            state.SkipWithError(scan.error().message.c_str());
            return;
        }
        last = std::move(*scan);
    }
    report(state, last, *counts, wall);
    if (const std::string wrong = check_against_other(last, true); !wrong.empty()) state.SkipWithError(wrong.c_str());
}
BENCHMARK(BM_LocalEngine_FindLiquidatable)->Iterations(20)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

// The engine's computation alone, markets read once beforehand: how much of
// the figure above is ours rather than the node's.
void BM_LocalEngine_EvaluateOnly(benchmark::State& state) {
    if (auto ready = ensure_engine(); !ready) {
        state.SkipWithError(ready.error().message.c_str());
        return;
    }
    ScanChain& chain = ScanChain::get();
    Engine& engine = Engine::get();
    auto counts = std::make_shared<TransportCounts>();
    auto client = counted_client(chain.anvil->url(), counts);
    auto markets = read_head(client, chain.devnet.contracts.morpho, *engine.book, engine.synced_through, chain.head);
    if (!markets) {
        state.SkipWithError(markets.error().message.c_str());
        return;
    }
    *counts = TransportCounts{};
    Scan last;
    Clock::duration wall{};
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto scan = find_liquidatable(*engine.book, *markets);
        wall += Clock::now() - t0;
        if (!scan) {
            state.SkipWithError(scan.error().message.c_str());
            return;
        }
        last = std::move(*scan);
    }
    report(state, last, *counts, wall);
    if (const std::string wrong = check_against_other(last, true); !wrong.empty()) state.SkipWithError(wrong.c_str());
}
BENCHMARK(BM_LocalEngine_EvaluateOnly)->Iterations(20)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ChainPolling_Multicall3(benchmark::State& state) {
    auto counts = std::make_shared<TransportCounts>();
    auto client = counted_client(ScanChain::get().anvil->url(), counts);
    Scan last;
    Clock::duration wall{};
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto scan = scan_polling(client);
        wall += Clock::now() - t0;
        if (!scan) {
            state.SkipWithError(scan.error().message.c_str());
            return;
        }
        last = std::move(*scan);
    }
    report(state, last, *counts, wall);
    state.counters["borrowers_per_eth_call"] = static_cast<double>(kBorrowersPerEthCall);
    state.counters["eth_calls"] = static_cast<double>((ScanChain::get().borrowers.size() + kBorrowersPerEthCall - 1) /
                                                      kBorrowersPerEthCall);
    if (const std::string wrong = check_against_other(last, false); !wrong.empty()) state.SkipWithError(wrong.c_str());
}
BENCHMARK(BM_ChainPolling_Multicall3)->Iterations(5)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace scan_bench
