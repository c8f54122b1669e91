// fuzz-libs: keeper::protocol_yield_v2
// A hostile node's Yield v2 logs and return data: every decoder must decode
// or fail with an error, never crash or read out of bounds.
//
// Input: byte 0 picks the followed event whose topic0 the log carries (or,
// from 12 up, a topic0 taken from the input), byte 1 the number of further
// topics (0-3), then those topics (32 bytes each); the rest is the data,
// which the return-data decoders also read.
#include <cstddef>
#include <cstdint>

#include "protocols/yield_v2/yield_calls.hpp"
#include "protocols/yield_v2/yield_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper;
    if (size < 2) return 0;
    const auto& topics = yield_v2::followed_topics();
    chain::Log log;
    std::size_t at = 2;
    auto take_word = [&]() {
        Bytes32 word;
        for (std::size_t i = 0; i < 32 && at < size; ++i) word.bytes[i] = data[at++];
        return word;
    };
    if (data[0] < topics.size()) log.topics.push_back(topics[data[0]]);
    else log.topics.push_back(take_word());
    for (unsigned i = 0; i < (data[1] & 3u); ++i) log.topics.push_back(take_word());
    log.data.assign(data + at, data + size);

    auto event = yield_v2::decode_event(log);
    if (event && event->has_value()) (void)yield_v2::vault_of(**event);
    const ByteView rest(data + at, size - at);
    (void)yield_v2::decode_auction(rest);
    (void)yield_v2::decode_line(rest);
    (void)yield_v2::decode_limits(rest);
    (void)yield_v2::decode_payout(rest);
    (void)yield_v2::decode_vault(rest);
    (void)yield_v2::decode_balances(rest);
    (void)yield_v2::decode_series(rest);
    (void)yield_v2::decode_debt(rest);
    (void)yield_v2::decode_spot_oracle(rest);
    (void)yield_v2::decode_level(rest);
    (void)yield_v2::decode_oracle_value(rest);
    (void)yield_v2::decode_uint(rest);
    (void)yield_v2::decode_bool(rest);
    (void)yield_v2::decode_address(rest);
    return 0;
}
