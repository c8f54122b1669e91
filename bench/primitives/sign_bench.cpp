// EIP-1559 signing throughput on one core: everything the keeper does between
// deciding to liquidate and handing bytes to eth_sendRawTransaction (build the
// transaction, signing hash, secp256k1 sign, raw encoding). Target: >= 15,000
// signed type-2 transactions per second.
#include <benchmark/benchmark.h>

#include "chain/transaction.hpp"
#include "core/hex.hpp"

namespace sign_bench {

using namespace keeper;
using namespace keeper::chain;

const PrivateKey& bench_key() {
    // anvil/Hardhat account 0: a public test key.
    static const PrivateKey key =
        PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value();
    return key;
}

// A liquidation call: selector + three ABI words, like Morpho's liquidate.
DynamicFeeTransaction liquidation_tx(std::uint64_t nonce) {
    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{1};
    tx.nonce = Nonce{nonce};
    tx.max_priority_fee_per_gas_wei = U256(2'000'000'000);
    tx.max_fee_per_gas_wei = U256(60'000'000'000);
    tx.gas_limit = GasLimit{450'000};
    tx.to = Address::from_hex("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb").value();
    tx.data = Bytes(4 + 3 * 32, 0x11);
    return tx;
}

void BM_SignEip1559(benchmark::State& state) {
    const PrivateKey& key = bench_key();
    std::uint64_t nonce = 0;
    for (auto _ : state) {
        const SignedTransaction signed_tx = sign(liquidation_tx(nonce++), key);
        Bytes raw = encode_raw(signed_tx);
        benchmark::DoNotOptimize(raw.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignEip1559);

void BM_SigningHashEip1559(benchmark::State& state) {
    std::uint64_t nonce = 0;
    for (auto _ : state) {
        const Bytes32 h = signing_hash(liquidation_tx(nonce++));
        benchmark::DoNotOptimize(h.bytes.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SigningHashEip1559);

void BM_DecodeAndRecoverEip1559(benchmark::State& state) {
    const Bytes raw = encode_raw(sign(liquidation_tx(7), bench_key()));
    for (auto _ : state) {
        auto decoded = decode_raw(raw);
        auto sender = recover_sender(*decoded);
        benchmark::DoNotOptimize(sender->bytes.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeAndRecoverEip1559);

}  // namespace sign_bench
