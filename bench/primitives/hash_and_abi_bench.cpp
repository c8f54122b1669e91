// Throughput of the primitives on the keeper's hot path: keccak256 (topic
// hashes, market ids, selectors, tx hashes) and ABI-encoding the Morpho Blue
// liquidation call that every liquidation sends.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_words.hpp"
#include "core/address.hpp"
#include "core/keccak.hpp"

namespace hash_and_abi_bench {

using keeper::abi::Value;

// 32 B: one word (a mapping slot, a market id preimage half); 136 B: exactly
// one Keccak-256 rate block; 4 KiB: a large calldata or log payload.
void BM_Keccak256(benchmark::State& state) {
    const std::vector<std::uint8_t> input(static_cast<std::size_t>(state.range(0)), 0x5a);
    for (auto _ : state) {
        auto digest = keeper::keccak256(keeper::ByteView(input));
        benchmark::DoNotOptimize(digest);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Keccak256)->Arg(32)->Arg(136)->Arg(4096);

constexpr const char* kLiquidate =
    "liquidate((address,address,address,address,uint256),address,uint256,uint256,bytes)";

std::vector<Value> liquidation_args() {
    using List = Value::List;
    auto a = [](const char* text) { return keeper::Address::parse(text).value(); };
    return {List{a("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"), a("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
                 a("0x1111111111111111111111111111111111111111"), a("0x870ac11d48b15db9a138cf899d20f13f79ba00bc"),
                 keeper::U256(860000000000000000ULL)},
            a("0x3333333333333333333333333333333333333333"), keeper::U256(1000000000000000000ULL), keeper::U256(0),
            keeper::Bytes{}};
}

// The hot path: signature parsed once, values ready; measures encode only.
void BM_EncodeMorphoLiquidate(benchmark::State& state) {
    const auto function = keeper::abi::parse_function(kLiquidate).value();
    const auto args = liquidation_args();
    for (auto _ : state) {
        auto calldata = keeper::abi::encode_call(function, args);
        benchmark::DoNotOptimize(calldata);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EncodeMorphoLiquidate);

// The convenience path: parses the signature and hashes the selector each call.
void BM_EncodeMorphoLiquidateFromSignature(benchmark::State& state) {
    const auto args = liquidation_args();
    for (auto _ : state) {
        auto calldata = keeper::abi::encode_call(kLiquidate, args);
        benchmark::DoNotOptimize(calldata);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EncodeMorphoLiquidateFromSignature);

// Decoding the same arguments back (what a journal replay or a simulator
// does), and the typed word readers adapters use for static return data.
void BM_DecodeMorphoLiquidate(benchmark::State& state) {
    const auto function = keeper::abi::parse_function(kLiquidate).value();
    const auto calldata = keeper::abi::encode_call(function, liquidation_args()).value();
    const keeper::ByteView body = keeper::ByteView(calldata).subspan(4);
    for (auto _ : state) {
        auto values = keeper::abi::decode(function.inputs, body);
        benchmark::DoNotOptimize(values);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_DecodeMorphoLiquidate);

void BM_ReadUint256Words(benchmark::State& state) {
    // getUserAccountData returns six uint256 words.
    const std::vector<std::uint8_t> data(6 * 32, 0x00);
    for (auto _ : state) {
        for (std::size_t i = 0; i < 6; ++i) {
            auto v = keeper::abi::read_uint256(data, i);
            benchmark::DoNotOptimize(v);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 6);
}
BENCHMARK(BM_ReadUint256Words);

}  // namespace hash_and_abi_bench
