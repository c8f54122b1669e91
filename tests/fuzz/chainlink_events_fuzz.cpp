// fuzz-libs: keeper::oracles
// A hostile node's aggregator logs: the Chainlink decoders must decode or
// fail with an error, never crash or read out of bounds, and a decoded
// event must convert to a PriceUpdate whose price prints and rescales.
//
// Input: byte 0 picks the topic0 (0-2: AnswerUpdated, OCR1, OCR2
// NewTransmission; from 3 up, a topic0 taken from the input), byte 1 the
// number of further topics (0-3), then those topics (32 bytes each); the
// rest is the data.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "oracles/chainlink_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper;
    if (size < 2) return 0;
    const auto& followed = oracles::chainlink::followed_topics();
    std::vector<Bytes32> topics;
    std::size_t at = 2;
    auto take_word = [&]() {
        Bytes32 word;
        for (std::size_t i = 0; i < 32 && at < size; ++i) word.bytes[i] = data[at++];
        return word;
    };
    if (data[0] < followed.size()) topics.push_back(followed[data[0]]);
    else topics.push_back(take_word());
    for (unsigned i = 0; i < (data[1] & 3u); ++i) topics.push_back(take_word());
    const ByteView rest(data + at, size - at);

    auto event = oracles::chainlink::decode_event(topics, rest);
    if (event && event->has_value()) {
        const oracles::chainlink::FeedContext context{{}, static_cast<std::uint8_t>(data[1]), {}, 1, 1};
        const auto update = oracles::chainlink::to_price_update(**event, context);
        (void)update.price.text();
        (void)update.price.to_wad();
    }
    return 0;
}
