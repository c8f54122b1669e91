#include "scan_chain.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "chain/http_transport.hpp"
#include "chain/multicall.hpp"
#include "chain/private_key.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

namespace keeper::bench {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_scan setup: %s\n", what.c_str());
    std::exit(1);
}

U256 tokens(std::uint64_t whole) { return U256(whole) * U256::pow10(18); }

// Liquidatable at price 0.90 and LLTV 86% exactly when ltv_bp > 7740.
constexpr std::uint64_t kThresholdBp = 7740;
std::uint64_t ltv_bp(std::size_t i) { return 4005 + 10 * (i % 450); }

ScanChain build_morpho_chain() {
    const auto started = Clock::now();
    ScanChain chain;
    devnet::AnvilOptions anvil_options;
    // Room for kBorrowersPerTransaction borrowers (~330k gas each) per block.
    anvil_options.extra_args = {"--gas-limit", "1000000000"};
    auto anvil = devnet::AnvilProcess::start(anvil_options);
    if (!anvil) die("anvil: " + anvil.error().message);
    chain.anvil.emplace(std::move(*anvil));

    auto client = chain::make_http_client(chain.anvil->url());
    const auto owner = chain::PrivateKey::from_hex(devnet::dev_accounts()[0].private_key_hex);
    if (!owner) die("dev key: " + owner.error().message);
    auto deployed = devnet::deploy_morpho_devnet(client, *owner, devnet::default_morpho_devnet_options());
    if (!deployed) die("Morpho devnet: " + deployed.error().message);
    chain.devnet = *deployed;

    std::vector<devnet::BorrowerSpec> specs;
    specs.reserve(kBorrowers);
    for (std::size_t i = 0; i < kBorrowers; ++i) {
        const U256 collateral = tokens(1000 + 250 * (i % 7));
        specs.push_back({collateral, collateral * U256(ltv_bp(i)) / U256(10'000)});
        if (ltv_bp(i) > kThresholdBp) ++chain.expected_liquidatable;
    }
    const auto open_started = Clock::now();
    auto opened = devnet::open_borrowers(client, *owner, chain.devnet, specs, kBorrowersPerTransaction);
    if (!opened) die("opening borrowers: " + opened.error().message);
    chain.borrowers = std::move(*opened);
    chain.open_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - open_started);

    auto multicall = devnet::compile_contract(devnet::contract_source("Multicall.sol"), "Multicall");
    if (!multicall) die("compiling Multicall.sol: " + multicall.error().message);
    auto aggregator = chain::ensure_multicall(client, *owner, multicall->init_code);
    if (!aggregator) die("Multicall: " + aggregator.error().message);
    chain.aggregator = *aggregator;

    if (auto moved = devnet::set_oracle_price(client, *owner, chain.devnet, U256(90) * U256::pow10(34)); !moved)
        die("oracle: " + moved.error().message);
    auto head = client.get_block_header(chain::BlockId::latest());
    if (!head || !*head) die("head block: " + (head ? std::string("missing") : head.error().message));
    chain.head = **head;
    chain.setup_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    std::fprintf(stderr,
                 "bench_scan: %zu borrowers opened in %lld ms (%zu per transaction), setup %lld ms; head block %llu, "
                 "%zu expected liquidatable at price 0.90\n",
                 chain.borrowers.size(), static_cast<long long>(chain.open_time.count()), kBorrowersPerTransaction,
                 static_cast<long long>(chain.setup_time.count()), static_cast<unsigned long long>(chain.head.number),
                 chain.expected_liquidatable);
    return chain;
}

}  // namespace

ScanChain& ScanChain::get() {
    static ScanChain chain = build_morpho_chain();
    return chain;
}

chain::JsonRpcClient counted_client(const std::string& url, std::shared_ptr<TransportCounts> counts) {
    net::HttpOptions options;
    options.total_timeout = std::chrono::seconds(60);  // the initial sync's eth_getLogs carries every event
    return chain::JsonRpcClient(
        std::make_unique<CountingTransport>(std::make_unique<chain::HttpTransport>(url, options), std::move(counts)));
}

}  // namespace keeper::bench
