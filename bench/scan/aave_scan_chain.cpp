#include "aave_scan_chain.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "chain/multicall.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

namespace keeper::bench {
namespace {

using Clock = std::chrono::steady_clock;

enum Reserve : std::size_t { WETH = 0, WBTC = 1, USDC = 2, DAI = 3 };  // default_aave_devnet_options() order

[[noreturn]] void die_in_aave_setup(const std::string& what) {
    std::fprintf(stderr, "bench_scan Aave setup: %s\n", what.c_str());
    std::exit(1);
}

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

AaveScanChain build_aave_chain() {
    const auto started = Clock::now();
    AaveScanChain chain;
    devnet::AnvilOptions anvil_options;
    // Room for kAaveAccountsPerTransaction accounts (~0.5M gas each) per block.
    anvil_options.extra_args = {"--gas-limit", "1000000000"};
    auto anvil = devnet::AnvilProcess::start(anvil_options);
    if (!anvil) die_in_aave_setup("anvil: " + anvil.error().message);
    chain.anvil.emplace(std::move(*anvil));

    auto client = chain::make_http_client(chain.anvil->url());
    const auto owner = chain::PrivateKey::from_hex(devnet::dev_accounts()[0].private_key_hex);
    if (!owner) die_in_aave_setup("dev key: " + owner.error().message);
    auto deployed = devnet::deploy_aave_devnet(client, *owner);
    if (!deployed) die_in_aave_setup("Aave devnet: " + deployed.error().message);
    chain.devnet = std::move(*deployed);
    const auto deploy_time = since(started);

    const auto specs = devnet::mixed_aave_borrowers(kAaveAccounts);
    for (const auto& spec : specs) chain.emode_accounts += spec.emode_category == 1 ? 1 : 0;
    const auto open_started = Clock::now();
    auto opened = devnet::open_aave_borrowers(client, *owner, chain.devnet, specs, kAaveAccountsPerTransaction);
    if (!opened) die_in_aave_setup("opening accounts: " + opened.error().message);
    chain.accounts = std::move(*opened);
    chain.open_time = since(open_started);

    auto multicall = devnet::compile_contract(devnet::contract_source("Multicall.sol"), "Multicall");
    if (!multicall) die_in_aave_setup("compiling Multicall.sol: " + multicall.error().message);
    auto aggregator = chain::ensure_multicall(client, *owner, multicall->init_code);
    if (!aggregator) die_in_aave_setup("Multicall: " + aggregator.error().message);
    chain.aggregator = *aggregator;

    // WETH -25% and DAI -10%: plain accounts heavy in WETH and eMode
    // accounts with much DAI collateral near their limits fall below 1.
    if (auto moved = devnet::set_aave_price(client, *owner, chain.devnet, WETH, U256(1500) * U256::pow10(8)); !moved)
        die_in_aave_setup("WETH price: " + moved.error().message);
    if (auto moved = devnet::set_aave_price(client, *owner, chain.devnet, DAI, U256(90) * U256::pow10(6)); !moved)
        die_in_aave_setup("DAI price: " + moved.error().message);
    auto head = client.get_block_header(chain::BlockId::latest());
    if (!head || !*head) die_in_aave_setup("head block: " + (head ? std::string("missing") : head.error().message));
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
    static AaveScanChain chain = build_aave_chain();
    return chain;
}

}  // namespace keeper::bench
