// Issue #18's in-process figure: from a PriceUpdate in hand to a signed
// liquidation transaction, over 1,000,000 tracked accounts. Target: p99 < 1 ms.
//
// The book (margin::LiveBook): ten tokens (seven volatile, three stable),
// 500,000 Morpho Blue positions in 100 markets of 5,000 (collateral one of
// the volatile tokens, loan a stable or WETH, LLTV 86 %, oracles
// MorphoChainlinkOracleV2-shaped) and 500,000 accounts of one Aave v3.6 pool
// with every token as a reserve (one or two volatile collaterals, one or two
// debts). Health at the start:
//   arg 0 "spread":  1 + lognormal (median 0.5, sigma 0.8), at least 1.01:
//                    ~0.7 % of accounts within 2 % of the 1.05 watch line
//   arg 1 "crowded": uniform 1.01-2.5: ~4 % within 2 % of it
// 200 updates in turn, each one token's Chainlink answer (8 decimals) moved by
// a normal draw (1 % sigma volatile, 0.05 % stable). Each update:
//   on_price   exact prices (Aave reserve, Morpho oracles), the screen's hot
//              pass, exact confirmation of the accounts it put under 1.002,
//              riskiest first; each confirmed position at once: plan
//              (strategies/, exact arithmetic), calldata, EIP-1559
//              transaction, secp256k1 signature
//   settle     the rest of the screen, after the transactions are signed
// Reported: time to the first signed transaction (updates that liquidate),
// the whole hot path, and settle, as p50/p99 of wall and thread CPU time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <vector>

#include <unistd.h>

#include "chain/aave/aave_calls.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/private_key.hpp"
#include "chain/transaction.hpp"
#include "margin/live_book.hpp"
#include "oracles/price_update.hpp"
#include "strategies/aave_liquidation_plan.hpp"
#include "strategies/morpho_liquidation_plan.hpp"
#include "../support/synthetic_book.hpp"
#include "../support/bench_timing.hpp"

namespace pipeline_bench {

using namespace keeper;
using namespace keeper::margin;
using namespace keeper::margin::stress;

struct Token {
    Address address;
    std::uint8_t decimals;
    double usd;
    bool stable;
};

std::vector<Token> tokens() {
    const std::array<std::pair<std::uint8_t, double>, 10> spec{{{18, 3000},  // WETH
                                                                {18, 3600},  // wstETH
                                                                {8, 90000},  // WBTC
                                                                {18, 3200},  // cbETH
                                                                {18, 15},    // LINK
                                                                {18, 8},     // UNI
                                                                {18, 150},   // AAVE
                                                                {6, 1},      // USDC
                                                                {6, 1},      // USDT
                                                                {18, 1}}};   // DAI
    std::vector<Token> out;
    for (std::size_t t = 0; t < spec.size(); ++t)
        out.push_back(
            Token{bench_book::token(static_cast<unsigned char>(t + 1)), spec[t].first, spec[t].second, t >= 7});
    return out;
}

U256 units(double amount, std::uint8_t decimals) {
    // Whole micro-units first so the double never needs more than 53 bits.
    const auto micro = static_cast<std::uint64_t>(amount * 1e6);
    return decimals >= 6 ? U256(micro) * U256::pow10(decimals - 6) : U256(micro) / U256::pow10(6 - decimals);
}

class HealthDraw {
public:
    HealthDraw(int kind, std::uint64_t seed) : kind_(kind), rng_(seed) {}
    double operator()() {
        if (kind_ == 1) return std::uniform_real_distribution<double>(1.01, 2.5)(rng_);
        return std::max(1.01, 1.0 + std::exp(std::normal_distribution<double>(std::log(0.5), 0.8)(rng_)));
    }
    std::mt19937_64& rng() { return rng_; }

private:
    int kind_;
    std::mt19937_64 rng_;
};

struct BenchBook {
    StressBook book;
    std::vector<MorphoFeedOracle> oracles;
    std::map<Address, U256> answers;
};

BenchBook build_book(std::uint32_t accounts, int health_kind) {
    const auto ts = tokens();
    HealthDraw health(health_kind, 18);
    auto& rng = health.rng();
    BenchBook out;
    for (const auto& t : ts) out.answers[t.address] = U256(static_cast<std::uint64_t>(t.usd * 1e8));
    const U256 ray = U256::pow10(27);
    std::uniform_real_distribution<double> value_usd(1e3, 1e6);

    // Morpho: 100 markets.
    constexpr std::uint32_t markets = 100;
    const std::uint32_t morpho_accounts = accounts / 2;
    const std::array<std::size_t, 4> loans{7, 8, 9, 0};  // USDC, USDT, DAI, WETH
    for (std::uint32_t m = 0; m < markets; ++m) {
        const Token& coll = ts[m % 7];
        std::size_t loan_index = loans[(m / 7) % 4];
        if (loan_index == m % 7) loan_index = 7;
        const Token& loan = ts[loan_index];
        MorphoStressMarket market;
        market.protocol = "morpho-blue@bench";
        market.id.bytes[0] = static_cast<std::uint8_t>(m);
        market.params.collateral_token = coll.address;
        market.params.loan_token = loan.address;
        market.params.lltv_wad = U256(860'000'000'000'000'000ULL);
        const MorphoFeedOracle oracle{coll.address, loan.address, U256::pow10(36 + loan.decimals - coll.decimals)};
        U256 total;
        const std::uint32_t first = m * (morpho_accounts / markets);
        for (std::uint32_t i = 0; i < morpho_accounts / markets; ++i) {
            const double usd = value_usd(rng);
            const U256 collateral = units(usd / coll.usd, coll.decimals);
            const U256 borrowed = units(usd * 0.86 / health() / loan.usd, loan.decimals);
            market.positions.push_back(
                {bench_book::account(first + i), morpho::Position{U256(), borrowed * U256(1'000'000), collateral}});
            total += borrowed;
        }
        // 1e6 shares per asset; the virtual share and asset keep it a hair
        // under, so no position starts a wei from its target.
        market.accrued.total_borrow_assets = total;
        market.accrued.total_borrow_shares = total * U256(1'000'000);
        market.accrued.total_supply_assets = total * U256(2);
        market.accrued.total_supply_shares = total * U256(2'000'000);
        out.book.morpho_markets.push_back(std::move(market));
        out.oracles.push_back(oracle);
    }

    // Aave v3.6: every token a reserve.
    AaveStressPool pool;
    pool.protocol = "aave-v3@bench";
    pool.rules = aave::PoolRules::V3_6;
    std::vector<aave::ReserveSnapshot> reserves;
    for (unsigned id = 0; id < ts.size(); ++id) {
        pool.reserves.push_back({id, ts[id].address});
        const std::uint16_t lt = ts[id].stable ? 8700 : (id == 2 ? 7800 : 8250);
        aave::ReserveConfig config = bench_book::reserve_config(lt, 10500, ts[id].decimals);
        config.flash_loan_enabled = true;  // the keeper repays through a flash loan
        reserves.push_back(aave::ReserveSnapshot{id, config, out.answers[ts[id].address], ray + ray / U256(20),
                                                 ray + ray / U256(10), U256(), U256(), U256()});
    }
    std::uniform_int_distribution<unsigned> volatile_token(0, 6);
    std::uniform_int_distribution<unsigned> debt_token(6, 9);  // 6 stands for WETH
    for (std::uint32_t i = 0; i < accounts - morpho_accounts; ++i) {
        AaveStressAccount a;
        a.account = bench_book::account(morpho_accounts + i);
        std::vector<unsigned> coll{volatile_token(rng)};
        if (rng() % 2 == 0) {
            const unsigned second = volatile_token(rng);
            if (second != coll[0]) coll.push_back(second);
        }
        std::vector<unsigned> debt;
        for (int d = 0, n = 1 + static_cast<int>(rng() % 2); d < n; ++d) {
            unsigned id = debt_token(rng);
            if (id == 6) id = 0;
            if (std::find(coll.begin(), coll.end(), id) == coll.end() &&
                std::find(debt.begin(), debt.end(), id) == debt.end())
                debt.push_back(id);
        }
        if (debt.empty()) debt.push_back(7);
        double weighted_usd = 0;
        aave::UserConfig config;
        for (const unsigned id : coll) {
            aave::ReserveSnapshot r = reserves[id];
            const double usd = value_usd(rng);
            // Scaled so the balance at the income index is the value drawn.
            r.scaled_atoken_balance = units(usd / ts[id].usd / 1.05, ts[id].decimals);
            weighted_usd += usd * r.config.liquidation_threshold_bps / 1e4;
            a.input.reserves.push_back(r);
            config = config.with_collateral(id, true);
        }
        const double debt_usd = weighted_usd / health() / static_cast<double>(debt.size());
        for (const unsigned id : debt) {
            aave::ReserveSnapshot r = reserves[id];
            r.scaled_variable_debt = units(debt_usd / ts[id].usd / 1.1, ts[id].decimals);
            a.input.reserves.push_back(r);
            config = config.with_borrowing(id, true);
        }
        a.input.config = config;
        pool.accounts.push_back(std::move(a));
    }
    out.book.aave_pools.push_back(std::move(pool));
    return out;
}

using keeper::bench_timing::percentile;
using keeper::bench_timing::thread_cpu_ms;

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// Plan, calldata, transaction, signature: one liquidation of `p`.
std::optional<chain::SignedTransaction> sign_liquidation(const LiveBook& live, const BookPosition& p,
                                                         const chain::PrivateKey& key, std::uint64_t nonce) {
    static const Address morpho = bench_book::token(0xb0), aave_pool = bench_book::token(0xa0);
    chain::DynamicFeeTransaction tx;
    tx.chain_id = chain::ChainId{1};
    tx.nonce = chain::Nonce{nonce};
    tx.max_priority_fee_per_gas_wei = U256(2'000'000'000ULL);
    tx.max_fee_per_gas_wei = U256(40'000'000'000ULL);
    tx.gas_limit = chain::GasLimit{600'000};
    if (p.kind == BookPosition::Kind::morpho) {
        const auto& market = live.book().morpho_markets[p.group];
        const auto& position = market.positions[p.index];
        const strategies::MorphoLiquidationInputs in{market.params, market.accrued, position.position,
                                                     market.price_1e36, U256::max() / U256(4)};
        const auto plan = strategies::plan_morpho_liquidation(in, strategies::ProfitRules{}, std::nullopt);
        if (!plan || !plan->worth_sending) return std::nullopt;
        tx.to = morpho;
        tx.data = chain::morpho_blue::encode_liquidate(market.params, position.account, plan->request.seized_assets,
                                                       U256());
    } else {
        const auto& pool = live.book().aave_pools[p.group];
        const aave::UserAccount account = live.aave_account(p.group, p.index);
        strategies::AaveFunding funding;
        funding.flash_loan = true;
        const auto plan = strategies::plan_aave_liquidation(pool.rules, account, funding, strategies::AaveProfitRules{},
                                                            std::nullopt);
        if (!plan || !plan->worth_sending) return std::nullopt;
        tx.to = aave_pool;
        tx.data = chain::aave_v3::encode_liquidation_call(
            pool.reserves[plan->call.collateral_reserve_id].asset, pool.reserves[plan->call.debt_reserve_id].asset,
            pool.accounts[p.index].account, plan->call.debt_to_cover, false);
    }
    return chain::sign(tx, key);
}

void BM_PriceUpdateToSignedTransaction(benchmark::State& state) {
    const std::size_t rss_before = resident_bytes();
    BenchBook built = build_book(1'000'000, static_cast<int>(state.range(0)));
    auto made = LiveBook::build(std::move(built.book), std::move(built.oracles), built.answers, 0.05);
    if (!made) {
        state.SkipWithError(made.error().message.c_str());
        return;
    }
    LiveBook live = std::move(*made);
    const std::size_t rss_after = resident_bytes();
    const auto key =
        chain::PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value();
    const auto ts = tokens();
    std::map<Address, double> answer;
    for (const auto& t : ts) answer[t.address] = t.usd * 1e8;

    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, ts.size() - 1);
    std::normal_distribution<double> move(0.0, 1.0);
    std::vector<double> first_ms, first_cpu_ms, confirm_cpu_ms, hot_ms, hot_cpu_ms, settle_cpu_ms;
    std::vector<double> morpho_tx_cpu_ms, aave_tx_cpu_ms;  // plan + calldata + sign of one position
    std::size_t signed_count = 0, screened = 0, deferred = 0, judged = 0, updates = 0;
    std::uint64_t nonce = 0;
    for (auto _ : state) {
        for (int u = 0; u < 200; ++u) {
            const Token& t = ts[pick(rng)];
            answer[t.address] *= 1.0 + move(rng) * (t.stable ? 0.0005 : 0.01);
            oracles::PriceUpdate update;
            update.asset = t.address;
            update.price.decimals = 8;
            update.price.answer.twos = U256(static_cast<std::uint64_t>(answer[t.address]));
            update.source = oracles::PriceSource::chainlink_answer_updated;

            const auto start = std::chrono::steady_clock::now();
            const double cpu0 = thread_cpu_ms();
            // Each confirmed position is planned and signed the moment it is
            // confirmed, as the daemon sends it.
            std::vector<chain::SignedTransaction> sent;
            const auto sign_now = [&](const BookPosition& p) {
                if (sent.empty()) confirm_cpu_ms.push_back(thread_cpu_ms() - cpu0);
                const double plan0 = thread_cpu_ms();
                auto signed_tx = sign_liquidation(live, p, key, nonce);
                (p.kind == BookPosition::Kind::morpho ? morpho_tx_cpu_ms : aave_tx_cpu_ms)
                    .push_back(thread_cpu_ms() - plan0);
                if (!signed_tx) return;
                ++nonce;
                sent.push_back(std::move(*signed_tx));
                if (sent.size() == 1) {
                    first_ms.push_back(
                        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
                    first_cpu_ms.push_back(thread_cpu_ms() - cpu0);
                }
            };
            auto reaction = live.on_price(update.asset, update.price.answer.twos, sign_now);
            if (!reaction) {
                state.SkipWithError(reaction.error().message.c_str());
                return;
            }
            hot_ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            hot_cpu_ms.push_back(thread_cpu_ms() - cpu0);
            const double cpu1 = thread_cpu_ms();
            live.settle();
            for (const BookPosition& p : reaction->liquidatable) live.forget(p);
            settle_cpu_ms.push_back(thread_cpu_ms() - cpu1);
            benchmark::DoNotOptimize(sent.data());
            signed_count += sent.size();
            screened += reaction->screened;
            deferred += reaction->deferred;
            judged += reaction->judged.size();
            ++updates;
        }
    }
    const auto per_update = [&](std::size_t n) { return static_cast<double>(n) / static_cast<double>(updates); };
    state.counters["first_tx_p50_ms"] = percentile(first_ms, 0.50);
    state.counters["first_tx_p99_ms"] = percentile(first_ms, 0.99);
    state.counters["first_tx_cpu_p99_ms"] = percentile(first_cpu_ms, 0.99);
    state.counters["first_confirmed_cpu_p50_ms"] = percentile(confirm_cpu_ms, 0.50);
    state.counters["first_confirmed_cpu_p99_ms"] = percentile(confirm_cpu_ms, 0.99);
    state.counters["first_tx_cpu_p50_ms"] = percentile(first_cpu_ms, 0.50);
    state.counters["morpho_plan_sign_cpu_p50_ms"] = percentile(morpho_tx_cpu_ms, 0.50);
    state.counters["aave_plan_sign_cpu_p50_ms"] = percentile(aave_tx_cpu_ms, 0.50);
    state.counters["aave_plan_sign_cpu_p99_ms"] = percentile(aave_tx_cpu_ms, 0.99);
    state.counters["updates_liquidating"] = static_cast<double>(first_ms.size());
    state.counters["hot_p50_ms"] = percentile(hot_ms, 0.50);
    state.counters["hot_p99_ms"] = percentile(hot_ms, 0.99);
    state.counters["hot_cpu_p99_ms"] = percentile(hot_cpu_ms, 0.99);
    state.counters["settle_cpu_p50_ms"] = percentile(settle_cpu_ms, 0.50);
    state.counters["signed_tx"] = static_cast<double>(signed_count);
    state.counters["screened_per_update"] = per_update(screened);
    state.counters["deferred_per_update"] = per_update(deferred);
    state.counters["judged_exactly_per_update"] = per_update(judged);
    state.counters["index_bytes_per_account"] = static_cast<double>(live.index().footprint_bytes()) /
                                                static_cast<double>(live.accounts());
    state.counters["rss_bytes_per_account"] = static_cast<double>(rss_after - rss_before) /
                                              static_cast<double>(live.accounts());
}

BENCHMARK(BM_PriceUpdateToSignedTransaction)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace pipeline_bench
