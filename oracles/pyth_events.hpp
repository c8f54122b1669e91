#pragma once
// Pyth's on-chain pull oracle: the event its contract emits when a price is
// pushed (untrusted bytes from a node). The signature is the contract's own
// (@pythnetwork/pyth-sdk-solidity IPythEvents.sol):
//   PriceFeedUpdate(bytes32 indexed id, uint64 publishTime, int64 price, uint64 conf)
// A Pyth price is price x 10^expo (expo negative for every USD feed: ETH / USD
// has expo -8, so price 200012345678 is 2000.12345678). The event carries no
// expo: the keeper reads it once with getPriceUnsafe(id) (oracles/pyth_calls.hpp)
// and binds it here. A log with this topic0 whose layout differs is an Error,
// never a guess. Pure: no node, no clock.
#include <cstdint>
#include <optional>
#include <span>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles::pyth {

struct PriceFeedUpdate {
    Bytes32 id;  // the Pyth price feed id (ETH / USD: 0xff61491a...)
    std::uint64_t publish_time_s = 0;
    std::int64_t price = 0;
    std::uint64_t conf = 0;  // the confidence interval, in the same units as price
    friend bool operator==(const PriceFeedUpdate&, const PriceFeedUpdate&) = default;
};

Bytes32 price_feed_update_topic();  // keccak256("PriceFeedUpdate(bytes32,uint64,int64,uint64)")

// nullopt: not a PriceFeedUpdate (another topic0, no topics). The emitter is
// not checked: filter by the Pyth contract's address first.
Result<std::optional<PriceFeedUpdate>> decode_event(std::span<const Bytes32> topics, ByteView data);

// price x 10^expo as a ScaledAnswer: decimals = -expo for expo <= 0; a
// positive expo multiplies the answer (decimals 0), exactly. An error when
// the scale does not fit (expo < -255 or > 57: int64 x 10^58 may pass int256).
Result<ScaledAnswer> scaled_price(std::int64_t price, std::int32_t expo);

// What the event does not carry: the asset the id prices, the feed's expo,
// the Pyth contract and the block.
struct FeedContext {
    Address asset;
    std::int32_t expo = 0;
    Address contract;
    std::optional<std::uint64_t> block;
};
// Source pyth_price_feed_update, observed at publishTime, round_id =
// publishTime (a Pyth contract stores a price only if it is newer), price_id
// the event's id. An error only for an expo scaled_price refuses.
Result<PriceUpdate> to_price_update(const PriceFeedUpdate& event, const FeedContext& context);

}  // namespace keeper::oracles::pyth
