#include "oracles/pyth_events.hpp"

#include <cstdlib>
#include <limits>
#include <string>

#include "core/abi_signature.hpp"

namespace keeper::oracles::pyth {
namespace {

const abi::EventSpec& price_feed_update_spec() {
    static const abi::EventSpec spec = [] {
        auto parsed = abi::parse_event(
            "PriceFeedUpdate(bytes32 indexed id, uint64 publishTime, int64 price, uint64 conf)");
        if (!parsed) std::abort();  // a constant signature that does not parse: a bug
        return std::move(*parsed);
    }();
    return spec;
}

// decode_log has checked the int64 word is the sign extension of 64 bits:
// its low 64 bits are the value in two's complement.
std::int64_t int64_of(const abi::I256& v) { return static_cast<std::int64_t>(v.twos.low64()); }

Result<PriceFeedUpdate> read_update(const abi::DecodedLog& log) {
    auto id = log.bytes32_at(0);
    if (!id) return std::unexpected(id.error());
    auto publish_time = log.uint_at(1);
    if (!publish_time) return std::unexpected(publish_time.error());
    auto price = log.int_at(2);
    if (!price) return std::unexpected(price.error());
    auto conf = log.uint_at(3);
    if (!conf) return std::unexpected(conf.error());
    // uint64: the decoder has checked the widths.
    return PriceFeedUpdate{*id, publish_time->low64(), int64_of(*price), conf->low64()};
}

}  // namespace

Bytes32 price_feed_update_topic() { return price_feed_update_spec().topic0; }

Result<std::optional<PriceFeedUpdate>> decode_event(std::span<const Bytes32> topics, ByteView data) {
    if (topics.empty() || topics.front() != price_feed_update_topic()) return std::optional<PriceFeedUpdate>();
    auto log = abi::decode_log(price_feed_update_spec(), topics, data);
    if (!log) return std::unexpected(context("PriceFeedUpdate", log.error()));
    auto update = read_update(*log);
    if (!update) return std::unexpected(context("PriceFeedUpdate", update.error()));
    return std::optional<PriceFeedUpdate>(*update);
}

Result<ScaledAnswer> scaled_price(std::int64_t price, std::int32_t expo) {
    const abi::I256 answer = abi::I256::from_int64(price);
    if (expo <= 0) {
        if (expo < -static_cast<std::int32_t>(std::numeric_limits<std::uint8_t>::max()))
            return fail("pyth expo " + std::to_string(expo) + " is below -255");
        return ScaledAnswer{answer, static_cast<std::uint8_t>(-expo)};
    }
    // |int64| < 2^63 and 10^57 < 2^190: the product stays below 2^255.
    if (expo > 57) return fail("pyth expo " + std::to_string(expo) + " is above 57");
    const U256 magnitude = answer.magnitude() * U256::pow10(static_cast<unsigned>(expo));
    return ScaledAnswer{abi::I256{answer.is_negative() ? U256(0) - magnitude : magnitude}, 0};
}

Result<PriceUpdate> to_price_update(const PriceFeedUpdate& event, const FeedContext& context) {
    auto price = scaled_price(event.price, context.expo);
    if (!price) return std::unexpected(price.error());
    PriceUpdate u;
    u.asset = context.asset;
    u.price = *price;
    u.source = PriceSource::pyth_price_feed_update;
    u.feed = context.contract;
    u.round_id = U256(event.publish_time_s);
    u.observed_at_s = event.publish_time_s;
    u.block = context.block;
    u.price_id = event.id;
    return u;
}

}  // namespace keeper::oracles::pyth
