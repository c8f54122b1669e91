#pragma once
// Chainlink aggregator logs, decoded from their topics and data (untrusted
// bytes from a node). The signatures are the contracts' own:
//   AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)
//       AggregatorInterface (@chainlink/contracts src/v0.8/shared/interfaces),
//       emitted by every aggregator generation (Flux, OCR1, OCR2)
//   NewTransmission(uint32 indexed aggregatorRoundId, int192 answer, address transmitter,
//                   int192[] observations, bytes observers, bytes32 rawReportContext)
//       OCR1, libocr contract/OffchainAggregator.sol
//   NewTransmission(uint32 indexed aggregatorRoundId, int192 answer, address transmitter,
//                   uint32 observationsTimestamp, int192[] observations, bytes observers,
//                   int192 juelsPerFeeCoin, bytes32 configDigest, uint40 epochAndRound)
//       OCR2, libocr contract2/OCR2Aggregator.sol
// A log with one of these topic0s whose layout differs is an Error naming
// the event, never a guess. Pure: no node, no clock.
#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "core/abi_value.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles::chainlink {

struct AnswerUpdated {
    abi::I256 current;
    U256 round_id;
    U256 updated_at_s;  // unix seconds
    friend bool operator==(const AnswerUpdated&, const AnswerUpdated&) = default;
};

// Both OCR generations; the fields OCR1 does not carry are nullopt.
struct NewTransmission {
    enum class Ocr : std::uint8_t { v1 = 1, v2 = 2 };
    Ocr ocr = Ocr::v2;
    std::uint32_t aggregator_round_id = 0;
    abi::I256 answer;  // the report's median
    Address transmitter;
    std::vector<abi::I256> observations;  // sorted, the median in the middle
    Bytes observers;                      // one byte per observation: the oracle's index
    std::optional<std::uint32_t> observations_timestamp_s;  // OCR2
    std::optional<abi::I256> juels_per_fee_coin;            // OCR2
    // OCR1: rawReportContext (11 zero bytes, the config digest's 16 bytes,
    // epoch (4 bytes), round (1 byte)). OCR2: configDigest.
    Bytes32 config_digest;
    std::uint64_t epoch_and_round = 0;  // OCR2 uint40; OCR1: the low 5 bytes of rawReportContext
    friend bool operator==(const NewTransmission&, const NewTransmission&) = default;
};

using FeedEvent = std::variant<AnswerUpdated, NewTransmission>;

Bytes32 answer_updated_topic();
Bytes32 ocr1_new_transmission_topic();
Bytes32 ocr2_new_transmission_topic();
// Every topic0 above: an eth_getLogs filter's topic0 set for aggregators.
const std::vector<Bytes32>& followed_topics();

// nullopt: not one of the events above (NewRound, ConfigSet, no topics).
// The emitter is not checked: filter by the aggregator's address first.
Result<std::optional<FeedEvent>> decode_event(std::span<const Bytes32> topics, ByteView data);

// What a feed's event says, bound to what the event does not carry: the
// asset the feed prices, its decimals, the aggregator, the block and, for
// OCR1 (no timestamp in the event), the block's timestamp.
struct FeedContext {
    Address asset;
    std::uint8_t decimals = 0;
    Address aggregator;
    std::optional<std::uint64_t> block;
    std::uint64_t block_timestamp_s = 0;
};
PriceUpdate to_price_update(const FeedEvent& event, const FeedContext& context);

}  // namespace keeper::oracles::chainlink
