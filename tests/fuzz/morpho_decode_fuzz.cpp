// fuzz-libs: keeper::chain keeper::margin
// A hostile node's Morpho Blue logs and return data: every decoder must
// decode or fail with an error, never crash or read out of bounds, and a
// decoded event fed to the book must be applied or refused with an error.
//
// Input: byte 0 picks the followed event whose topic0 the log carries (or,
// from 10 up, a topic0 taken from the input), byte 1 the number of further
// topics (0-3), then those topics (32 bytes each) and the rest is the data,
// which the return-data decoders also read.
#include <cstddef>
#include <cstdint>

#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "margin/morpho_book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper;
    if (size < 2) return 0;
    const auto& topics = chain::morpho_blue::followed_topics();
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
    log.block_number = 1;

    auto event = chain::morpho_blue::decode_event(log);
    if (event && event->has_value()) {
        morpho::MorphoBook book;
        (void)book.apply(1, **event);
        (void)book.take_changes();
        book.rollback_after(0);
    }
    const ByteView rest(data + at, size - at);
    (void)chain::morpho_blue::decode_market(rest);
    (void)chain::morpho_blue::decode_position(rest);
    (void)chain::morpho_blue::decode_market_params(rest);
    (void)chain::morpho_blue::decode_uint256(rest);
    return 0;
}
