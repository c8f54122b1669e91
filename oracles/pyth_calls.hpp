#pragma once
// The Pyth contract's views the keeper reads (IPyth, @pythnetwork/pyth-sdk-solidity),
// as calldata and a decoder of their return data (untrusted bytes from a node):
//   getPriceUnsafe(bytes32 id)                  selector 0x96834ad3
//   getPriceNoOlderThan(bytes32 id, uint256 age) selector 0xa4ae35e0
// Both return PythStructs.Price (int64 price, uint64 conf, int32 expo,
// uint256 publishTime), a static tuple: four words. getPriceUnsafe answers
// whatever price is stored, however old (reverting PriceFeedNotFound,
// 0x14aebe68, for an id never pushed); getPriceNoOlderThan reverts
// StalePrice (0x19abf40e) when it is older than `age` seconds.
// Pure: the keeper layer sends the calls.
#include <cstdint>

#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "oracles/price_update.hpp"
#include "oracles/pyth_events.hpp"

namespace keeper::oracles::pyth {

struct Price {
    std::int64_t price = 0;
    std::uint64_t conf = 0;
    std::int32_t expo = 0;
    U256 publish_time_s;  // uint256 in the struct (the event's is uint64)
    friend bool operator==(const Price&, const Price&) = default;
};

Bytes get_price_unsafe_call(const Bytes32& id);
Bytes get_price_no_older_than_call(const Bytes32& id, std::uint64_t age_s);

// The return data of either view. Every word is checked as its type (int64
// and int32 sign-extended, uint64 zero-padded): a malformed answer is an Error.
Result<Price> decode_price(ByteView data);

// The read price as a PriceUpdate (source pyth_get_price, observed at
// publishTime, round_id publishTime); `context.expo` is ignored: the
// struct carries its own. An error only for an expo scaled_price refuses.
Result<PriceUpdate> to_price_update(const Price& price, const Bytes32& id, const FeedContext& context);

}  // namespace keeper::oracles::pyth
