#include "oracles/chainlink_calls.hpp"

#include <limits>

#include "core/abi_words.hpp"
#include "core/keccak.hpp"

namespace keeper::oracles::chainlink {
namespace {

Bytes selector_bytes(std::string_view signature) {
    const Selector s = selector(signature);
    return Bytes(s.begin(), s.end());
}

}  // namespace

Bytes latest_round_data_call() { return selector_bytes("latestRoundData()"); }
Bytes decimals_call() { return selector_bytes("decimals()"); }
Bytes aggregator_call() { return selector_bytes("aggregator()"); }

Result<RoundData> decode_latest_round_data(ByteView data) {
    auto round = abi::read_uint(data, 0, 80);
    if (!round) return std::unexpected(context("latestRoundData roundId", round.error()));
    // int256: every word is a valid two's complement value.
    auto answer = abi::read_uint256(data, 1);
    if (!answer) return std::unexpected(context("latestRoundData answer", answer.error()));
    auto started = abi::read_uint256(data, 2);
    if (!started) return std::unexpected(context("latestRoundData startedAt", started.error()));
    auto updated = abi::read_uint256(data, 3);
    if (!updated) return std::unexpected(context("latestRoundData updatedAt", updated.error()));
    auto answered = abi::read_uint(data, 4, 80);
    if (!answered) return std::unexpected(context("latestRoundData answeredInRound", answered.error()));
    return RoundData{*round, abi::I256{*answer}, *started, *updated, *answered};
}

Result<std::uint8_t> decode_decimals(ByteView data) {
    auto d = abi::read_uint(data, 0, 8);
    if (!d) return std::unexpected(context("decimals", d.error()));
    return static_cast<std::uint8_t>(d->low64());
}

Result<Address> decode_aggregator(ByteView data) {
    auto a = abi::read_address(data, 0);
    if (!a) return std::unexpected(context("aggregator", a.error()));
    return *a;
}

PriceUpdate to_price_update(const RoundData& round, const FeedContext& context) {
    PriceUpdate u;
    u.asset = context.asset;
    u.price = ScaledAnswer{round.answer, context.decimals};
    u.source = PriceSource::chainlink_latest_round;
    u.feed = context.aggregator;
    u.round_id = round.round_id;
    u.observed_at_s = round.updated_at_s.fits_u64() ? round.updated_at_s.low64()
                                                    : std::numeric_limits<std::uint64_t>::max();
    u.block = context.block;
    return u;
}

}  // namespace keeper::oracles::chainlink
