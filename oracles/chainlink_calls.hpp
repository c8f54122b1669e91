#pragma once
// The aggregator views the keeper reads (AggregatorV3Interface and the
// proxies' aggregator()), as calldata and decoders of their return data
// (untrusted bytes from a node). Pure: the keeper layer sends the calls.
#include <cstdint>

#include "core/abi_value.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "oracles/chainlink_events.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles::chainlink {

// latestRoundData() returns (uint80 roundId, int256 answer, uint256 startedAt,
// uint256 updatedAt, uint80 answeredInRound).
struct RoundData {
    U256 round_id;
    abi::I256 answer;
    U256 started_at_s;
    U256 updated_at_s;
    U256 answered_in_round;
    friend bool operator==(const RoundData&, const RoundData&) = default;
};

Bytes latest_round_data_call();  // latestRoundData()
Bytes decimals_call();           // decimals()
// aggregator(): an EACAggregatorProxy's current aggregator, whose logs carry
// the feed's updates (the proxy itself emits none). A plain aggregator
// has no such function: the call reverts.
Bytes aggregator_call();

Result<RoundData> decode_latest_round_data(ByteView data);
Result<std::uint8_t> decode_decimals(ByteView data);
Result<Address> decode_aggregator(ByteView data);

// The read round as a PriceUpdate (source chainlink_latest_round, observed
// at updatedAt); the context's block is the block it was read at.
PriceUpdate to_price_update(const RoundData& round, const FeedContext& context);

}  // namespace keeper::oracles::chainlink
