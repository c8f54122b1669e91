// fuzz-libs: keeper::oracles
// A hostile node's Pyth logs and view answers: PriceFeedUpdate and the
// getPriceUnsafe / getPriceNoOlderThan return data must decode or fail with
// an error, never crash or read out of bounds, and whatever decodes must
// convert to a PriceUpdate whose price prints and rescales.
//
// Input: byte 0 picks what is decoded (even: a log, odd: a Price answer);
// for a log, byte 1 picks the topic0 (0: PriceFeedUpdate, else one taken
// from the input) and the number of further topics (bits 1-2), byte 2 the
// expo bound to the update (minus 128: 0x78 is -8); then the topics (32 bytes each); the
// rest is the data.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "oracles/pyth_calls.hpp"
#include "oracles/pyth_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper;
    namespace pyth = oracles::pyth;
    if (size < 3) return 0;
    std::size_t at = 3;
    const auto take_word = [&]() {
        Bytes32 word;
        for (std::size_t i = 0; i < 32 && at < size; ++i) word.bytes[i] = data[at++];
        return word;
    };
    const std::int32_t expo = static_cast<std::int32_t>(data[2]) - 128;  // -128 .. 127
    const pyth::FeedContext context{{}, expo, {}, 1};
    if ((data[0] & 1u) != 0) {
        const auto price = pyth::decode_price(ByteView(data + at, size - at));
        if (!price) return 0;
        const auto update = pyth::to_price_update(*price, Bytes32{}, context);
        if (update) {
            (void)update->price.text();
            (void)update->price.to_wad();
        }
        return 0;
    }
    std::vector<Bytes32> topics;
    if ((data[1] & 1u) == 0)
        topics.push_back(pyth::price_feed_update_topic());
    else
        topics.push_back(take_word());
    for (unsigned i = 0; i < ((data[1] >> 1) & 3u); ++i) topics.push_back(take_word());
    const auto event = pyth::decode_event(topics, ByteView(data + at, size - at));
    if (!event || !event->has_value()) return 0;
    const auto update = pyth::to_price_update(event->value_or(pyth::PriceFeedUpdate{}), context);
    if (update) {
        (void)update->price.text();
        (void)update->price.to_wad();
    }
    return 0;
}
