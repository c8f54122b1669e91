#include "aave_scan_chain.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "chain/multicall.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

namespace keeper::bench {
namespace {

using Clock = std::chrono::steady_clock;

enum Reserve : std::size_t { WETH = 0, WBTC = 1, USDC = 2, DAI = 3 };  // default_aave_devnet_options() order

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_scan Aave setup: %s\n", what.c_str());
    std::exit(1);
}

// Deterministic pseudo-random numbers (a 64-bit LCG), so every run opens the same accounts.
struct Lcg {
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    std::uint64_t next(std::uint64_t bound) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % bound;
    }
};

// As tests/integration/keeper/aave_keeper_test.cpp: collateral from every
// reserve and debt in the others' units (a WETH debt would fall with its
// collateral); eMode accounts hold DAI (and maybe USDC) against USDC.
std::vector<devnet::AaveBorrowerSpec> account_specs(std::size_t count) {
    const auto options = devnet::default_aave_devnet_options();
    Lcg rng;
    std::vector<devnet::AaveBorrowerSpec> specs;
    specs.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        devnet::AaveBorrowerSpec spec;
        const bool emode = i % 5 == 0;
        const std::vector<std::size_t> collateral_pool =
            emode ? std::vector<std::size_t>{DAI, USDC} : std::vector<std::size_t>{WETH, WBTC, USDC, DAI};
        const std::vector<std::size_t> debt_pool =
            emode ? std::vector<std::size_t>{USDC} : std::vector<std::size_t>{USDC, DAI, WBTC};
        const std::size_t collaterals = 1 + rng.next(collateral_pool.size());
        const std::size_t first = emode ? 0 : rng.next(collateral_pool.size());
        U256 allowed_base;  // sum(value_i * ltv_i) / 1e4
        for (std::size_t k = 0; k < collaterals; ++k) {
            const std::size_t r = collateral_pool[(first + k) % collateral_pool.size()];
            const auto& reserve = options.reserves[r];
            const U256 value_base = U256(1'000 + rng.next(50'000)) * U256::pow10(8);  // $1k..$51k
            const U256 amount = value_base * U256::pow10(reserve.decimals) / reserve.price_1e8;
            spec.supplies.push_back({r, amount});
            const U256 ltv = emode ? U256(9300) : U256(reserve.ltv_bps);
            allowed_base = allowed_base + amount * reserve.price_1e8 / U256::pow10(reserve.decimals) * ltv / U256(10'000);
        }
        if (emode) spec.emode_category = 1;
        const std::size_t debts = 1 + rng.next(debt_pool.size());
        const U256 borrow_base = allowed_base * U256(60 + rng.next(40)) / U256(100);
        const std::size_t first_debt = rng.next(debt_pool.size());
        for (std::size_t k = 0; k < debts; ++k) {
            const std::size_t r = debt_pool[(first_debt + k) % debt_pool.size()];
            const auto& reserve = options.reserves[r];
            const U256 amount = borrow_base / U256(debts) * U256::pow10(reserve.decimals) / reserve.price_1e8;
            if (!amount.is_zero()) spec.borrows.push_back({r, amount});
        }
        specs.push_back(std::move(spec));
    }
    return specs;
}

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

AaveScanChain build() {
    const auto started = Clock::now();
    AaveScanChain chain;
    devnet::AnvilOptions anvil_options;
    // Room for kAaveAccountsPerTransaction accounts (~0.5M gas each) per block.
    anvil_options.extra_args = {"--gas-limit", "1000000000"};
    auto anvil = devnet::AnvilProcess::start(anvil_options);
    if (!anvil) die("anvil: " + anvil.error().message);
    chain.anvil.emplace(std::move(*anvil));

    auto client = chain::make_http_client(chain.anvil->url());
    const auto owner = chain::PrivateKey::from_hex(devnet::dev_accounts()[0].private_key_hex);
    if (!owner) die("dev key: " + owner.error().message);
    auto deployed = devnet::deploy_aave_devnet(client, *owner);
    if (!deployed) die("Aave devnet: " + deployed.error().message);
    chain.devnet = std::move(*deployed);
    const auto deploy_time = since(started);

    const auto specs = account_specs(kAaveAccounts);
    for (const auto& spec : specs) chain.emode_accounts += spec.emode_category == 1 ? 1 : 0;
    const auto open_started = Clock::now();
    auto opened = devnet::open_aave_borrowers(client, *owner, chain.devnet, specs, kAaveAccountsPerTransaction);
    if (!opened) die("opening accounts: " + opened.error().message);
    chain.accounts = std::move(*opened);
    chain.open_time = since(open_started);

    auto multicall = devnet::compile_contract(devnet::contract_source("Multicall.sol"), "Multicall");
    if (!multicall) die("compiling Multicall.sol: " + multicall.error().message);
    auto aggregator = chain::ensure_multicall(client, *owner, multicall->init_code);
    if (!aggregator) die("Multicall: " + aggregator.error().message);
    chain.aggregator = *aggregator;

    // WETH -25% and DAI -10%: plain accounts heavy in WETH and eMode
    // accounts with much DAI collateral near their limits fall below 1.
    if (auto moved = devnet::set_aave_price(client, *owner, chain.devnet, WETH, U256(1500) * U256::pow10(8)); !moved)
        die("WETH price: " + moved.error().message);
    if (auto moved = devnet::set_aave_price(client, *owner, chain.devnet, DAI, U256(90) * U256::pow10(6)); !moved)
        die("DAI price: " + moved.error().message);
    auto head = client.get_block_header(chain::BlockId::latest());
    if (!head || !*head) die("head block: " + (head ? std::string("missing") : head.error().message));
    chain.head = **head;
    chain.setup_time = since(started);
    std::fprintf(stderr,
                 "bench_scan: Aave V3 market deployed in %lld ms; %zu accounts (%zu in eMode 1) opened in %lld ms "
                 "(up to %zu per transaction), setup %lld ms; head block %llu\n",
                 static_cast<long long>(deploy_time.count()), chain.accounts.size(), chain.emode_accounts,
                 static_cast<long long>(chain.open_time.count()), kAaveAccountsPerTransaction,
                 static_cast<long long>(chain.setup_time.count()), static_cast<unsigned long long>(chain.head.number));
    return chain;
}

}  // namespace

AaveScanChain& AaveScanChain::get() {
    static AaveScanChain chain = build();
    return chain;
}

}  // namespace keeper::bench
