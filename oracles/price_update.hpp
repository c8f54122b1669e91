#pragma once
// One observation of an asset's price from one feed: what every oracle
// connector produces and what the feed-sanity policy and the keeper consume.
// Chainlink answers are signed integers scaled by the feed's decimals():
// an ETH / USD answer 200012345678 with 8 decimals is 2000.12345678 USD.
// Pyth prices are price x 10^expo: decimals = -expo (oracles/pyth_events.hpp).
// The scale travels with the number (ScaledAnswer), never beside it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/abi_value.hpp"
#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"

namespace keeper::oracles {

// answer / 10^decimals units of the feed's quote (USD, ETH, ...).
struct ScaledAnswer {
    abi::I256 answer;       // two's complement, as int256 / int192 on the wire
    std::uint8_t decimals = 0;

    bool positive() const { return !answer.is_negative() && !answer.twos.is_zero(); }
    // The answer rescaled to 18 decimals (1e18 = one unit of the quote), as
    // a price's comparison needs; nullopt when the answer is zero or
    // negative (no price) or the rescale overflows 256 bits.
    std::optional<U256> to_wad() const;
    // "2000.12345678" (and "-5" style for negatives): for logs.
    std::string text() const;

    friend bool operator==(const ScaledAnswer&, const ScaledAnswer&) = default;
};

// Which message the value came from.
enum class PriceSource : std::uint8_t {
    chainlink_answer_updated,     // AnswerUpdated(int256 indexed, uint256 indexed, uint256)
    chainlink_ocr1_transmission,  // OCR1 NewTransmission (OffchainAggregator)
    chainlink_ocr2_transmission,  // OCR2 NewTransmission (OCR2Aggregator)
    chainlink_latest_round,       // latestRoundData(), read from the feed
    chainlink_ocr2_pending,       // the median of an OCR2 transmit still in the mempool (not mined)
    pyth_price_feed_update,       // Pyth PriceFeedUpdate(bytes32 indexed id, uint64, int64, uint64)
    pyth_get_price,               // Pyth getPriceUnsafe(id) / getPriceNoOlderThan(id, age), read from the contract
    binance_book_ticker,          // Binance <symbol>@bookTicker mid price: alerts and pre-screening only
};
std::string_view to_string(PriceSource source);

struct PriceUpdate {
    Address asset;              // what is priced; zero when the feed was not bound to an asset
    ScaledAnswer price;
    PriceSource source = PriceSource::chainlink_latest_round;
    Address feed;  // the aggregator (or Pyth contract) that emitted the log or answered the call
    // The aggregator's round (AnswerUpdated roundId, OCR aggregatorRoundId);
    // Pyth has no rounds: its publishTime, which a Pyth contract only lets grow.
    U256 round_id;
    // When the price was observed, unix seconds: updatedAt (AnswerUpdated,
    // latestRoundData), observationsTimestamp (OCR2), the block's timestamp
    // (OCR1, whose event carries none), publishTime (Pyth); 0 when unknown.
    std::uint64_t observed_at_s = 0;
    std::optional<std::uint64_t> block;  // the block it was mined in or read at; nullopt off chain
    Bytes32 price_id;  // Pyth: the price feed id within `feed`; zero for Chainlink (one feed per aggregator)

    friend bool operator==(const PriceUpdate&, const PriceUpdate&) = default;
};

}  // namespace keeper::oracles
