// Finding every liquidatable Aave V3 account among kAaveAccounts on one
// chain state: the daemon's engine (the Aave V3 adapter following events, refreshed
// per head, health computed here) against Pool.getUserAccountData for every
// account through Multicall3. Both read the same anvil and the same head
// block, and must find the same non-empty set with every account's health
// factor equal to the wei (checked outside the timed loops; a mismatch skips
// the benchmark with an error). The tracker's initial sync is its own
// one-shot benchmark (catch_up and the first refresh, which reads every
// account), since a daemon pays it once.
//
// At the pinned head follow() has no new block to fetch (0 requests); a new
// head in the daemon adds that block's header and one eth_getLogs.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "aave_scan.hpp"
#include "aave_scan_chain.hpp"
#include "scan_chain.hpp"

namespace aave_scan_bench {

using namespace keeper;
using namespace keeper::bench;
using Clock = std::chrono::steady_clock;

// Accounts per aggregate3 eth_call: ~70 kB of calldata, ~390 kB of answer.
constexpr std::size_t kAccountsPerEthCall = 500;

// The daemon's tracker and the counted client it reads through (it keeps a reference).
struct Engine {
    std::shared_ptr<TransportCounts> counts = std::make_shared<TransportCounts>();
    std::optional<chain::JsonRpcClient> client;
    std::optional<AaveTracking> tracker;

    static Engine& get() {
        static Engine engine;
        return engine;
    }
};

Result<void> sync_engine() {
    AaveScanChain& chain = AaveScanChain::get();
    Engine& engine = Engine::get();
    engine.tracker.reset();
    if (!engine.client) engine.client.emplace(counted_client(chain.anvil->url(), engine.counts));
    engine.tracker.emplace(*engine.client, chain.devnet.contracts.addresses_provider, chain.devnet.deploy_block);
    // The daemon's first tick reads every account the sync found (they are
    // all dirty after catch_up): part of starting up, not of a head.
    auto synced = engine.tracker->catch_up(chain.head);
    if (synced) synced = engine.tracker->refresh(chain.head);
    if (!synced) engine.tracker.reset();
    return synced;
}

// The tracker, synced and refreshed once untimed when BM_Aave_InitialSync did not run (a filter).
Result<void> ensure_engine() {
    if (Engine::get().tracker) return {};
    return sync_engine();
}

Result<AaveScan> scan_local() {
    if (auto ready = ensure_engine(); !ready) return std::unexpected(ready.error());
    return scan_aave_engine(*Engine::get().tracker, AaveScanChain::get().head);
}

Result<AaveScan> scan_polling(chain::JsonRpcClient& client) {
    AaveScanChain& chain = AaveScanChain::get();
    return scan_aave_by_polling(client, {chain.devnet.contracts.pool, chain.aggregator}, chain.accounts,
                                chain.head.number, kAccountsPerEthCall);
}

// Each side's answer, computed once untimed, to check the other against.
const Result<AaveScan>& reference(bool local) {
    static std::optional<Result<AaveScan>> answers[2];
    auto& answer = answers[local ? 1 : 0];
    if (!answer) {
        if (local) {
            answer = scan_local();
        } else {
            auto client = counted_client(AaveScanChain::get().anvil->url(), std::make_shared<TransportCounts>());
            answer = scan_polling(client);
        }
    }
    return *answer;
}

// Empty when `mine` agrees with the other side to the wei; else what differs.
std::string check_against_other(const AaveScan& mine, bool mine_is_local) {
    const Result<AaveScan>& other = reference(!mine_is_local);
    if (!other) return "the other scan failed: " + other.error().message;
    return mine_is_local ? compare_aave_scans(mine, *other) : compare_aave_scans(*other, mine);
}

void report(benchmark::State& state, const AaveScan& scan, const TransportCounts& counts, Clock::duration wall) {
    const double iterations = static_cast<double>(state.iterations());
    const double wall_us = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()) / 1e3;
    state.counters["accounts"] = static_cast<double>(scan.accounts);
    state.counters["liquidatable"] = static_cast<double>(scan.liquidatable.size());
    if (counts.requests != 0) {  // an aggregate's coefficient of variation of 0 / 0 prints as nan
        state.counters["rpc_round_trips"] = static_cast<double>(counts.requests) / iterations;
        state.counters["MB_sent"] = static_cast<double>(counts.bytes_sent) / 1e6 / iterations;
        state.counters["MB_received"] = static_cast<double>(counts.bytes_received) / 1e6 / iterations;
    }
    state.counters["us_per_account"] = scan.accounts == 0 ? 0 : wall_us / iterations / static_cast<double>(scan.accounts);
}

void BM_Aave_InitialSync(benchmark::State& state) {
    AaveScanChain& chain = AaveScanChain::get();
    Engine& engine = Engine::get();
    for (auto _ : state) {
        *engine.counts = TransportCounts{};
        if (auto synced = sync_engine(); !synced) {
            state.SkipWithError(synced.error().message.c_str());
            return;
        }
    }
    state.counters["blocks"] = static_cast<double>(chain.head.number - chain.devnet.deploy_block + 1);
    state.counters["accounts"] = static_cast<double>(engine.tracker->account_count());
    state.counters["rpc_round_trips"] = static_cast<double>(engine.counts->requests);
    state.counters["MB_received"] = static_cast<double>(engine.counts->bytes_received) / 1e6;
}
BENCHMARK(BM_Aave_InitialSync)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// follow + refresh + evaluate, as tick_aave at each head after the first.
void BM_Aave_LocalEngine_FindLiquidatable(benchmark::State& state) {
    if (auto ready = ensure_engine(); !ready) {
        state.SkipWithError(ready.error().message.c_str());
        return;
    }
    Engine& engine = Engine::get();
    *engine.counts = TransportCounts{};
    AaveScan last;
    Clock::duration wall{};
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto scan = scan_aave_engine(*engine.tracker, AaveScanChain::get().head);
        wall += Clock::now() - t0;
        if (!scan) {
            state.SkipWithError(scan.error().message.c_str());
            return;
        }
        last = std::move(*scan);
    }
    report(state, last, *engine.counts, wall);
    if (const std::string wrong = check_against_other(last, true); !wrong.empty()) state.SkipWithError(wrong.c_str());
}
BENCHMARK(BM_Aave_LocalEngine_FindLiquidatable)->Iterations(20)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

// evaluate_aave_accounts (with tracker.users()) alone, on the refreshed tracker: how
// much of the figure above is ours rather than the node's.
void BM_Aave_LocalEngine_EvaluateOnly(benchmark::State& state) {
    if (auto ready = ensure_engine(); !ready) {
        state.SkipWithError(ready.error().message.c_str());
        return;
    }
    Engine& engine = Engine::get();
    *engine.counts = TransportCounts{};
    AaveScan last;
    Clock::duration wall{};
    for (auto _ : state) {
        const auto t0 = Clock::now();
        auto scan = evaluate_tracked(*engine.tracker);
        wall += Clock::now() - t0;
        if (!scan) {
            state.SkipWithError(scan.error().message.c_str());
            return;
        }
        last = std::move(*scan);
    }
    report(state, last, *engine.counts, wall);
    if (const std::string wrong = check_against_other(last, true); !wrong.empty()) state.SkipWithError(wrong.c_str());
}
BENCHMARK(BM_Aave_LocalEngine_EvaluateOnly)->Iterations(20)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Aave_ChainPolling_Multicall3(benchmark::State& state) {
    auto counts = std::make_shared<TransportCounts>();
    auto client = counted_client(AaveScanChain::get().anvil->url(), counts);
    AaveScan last;
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
    state.counters["accounts_per_eth_call"] = static_cast<double>(kAccountsPerEthCall);
    state.counters["eth_calls"] = static_cast<double>((AaveScanChain::get().accounts.size() + kAccountsPerEthCall - 1) /
                                                      kAccountsPerEthCall);
    if (const std::string wrong = check_against_other(last, false); !wrong.empty()) state.SkipWithError(wrong.c_str());
}
BENCHMARK(BM_Aave_ChainPolling_Multicall3)->Iterations(5)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace aave_scan_bench
