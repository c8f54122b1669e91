#pragma once
// The calldata of an OCR2 aggregator's transmit, as a pending transaction
// carries it (untrusted bytes from the node's mempool). Facts from libocr
// contract2/OCR2Aggregator.sol:
//   transmit(bytes32[3] reportContext, bytes report, bytes32[] rs, bytes32[] ss, bytes32 rawVs)
//       selector 0xb1dc65a4
//   reportContext[0] configDigest, [1] 27 zero bytes + epoch (4 bytes) +
//   round (1 byte): the uint40 epochAndRound, [2] extraHash
//   report = abi.encode(uint32 observationsTimestamp, bytes32 rawObservers,
//                       int192[] observations, int192 juelsPerFeeCoin)
//       exactly 5 * 32 + 32 * n bytes for n observations (the contract
//       requires it), observers = the first n bytes of rawObservers
//   answer = observations[n / 2], the median of the sorted observations
// What the contract then checks (signatures, transmitter, config digest,
// epoch order, min/max answer) is not judged here: the decoded median is
// what the aggregator will store IF the transaction succeeds; the keeper
// confirms against the node's pending state before acting on it.
// Pure: no node, no clock. Hostile input is an Error, never a crash.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/abi_value.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/keccak.hpp"
#include "core/result.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles::chainlink {

// The OCR2 aggregator allows at most 31 oracles (maxNumOracles).
inline constexpr std::size_t kOcr2MaxObservations = 31;

struct Ocr2Report {
    std::uint32_t observations_timestamp_s = 0;
    Bytes observers;                      // one byte per observation: the oracle's index
    std::vector<abi::I256> observations;  // int192 each
    abi::I256 juels_per_fee_coin;         // int192

    friend bool operator==(const Ocr2Report&, const Ocr2Report&) = default;
};

struct Ocr2Transmit {
    Bytes32 config_digest;
    std::uint64_t epoch_and_round = 0;  // uint40: epoch << 8 | round
    Bytes32 extra_hash;
    Ocr2Report report;
    std::size_t signatures = 0;  // rs.length (ss.length equal, else an error)

    // observations[n / 2], what the aggregator stores as the round's answer.
    const abi::I256& median() const { return report.observations[report.observations.size() / 2]; }

    friend bool operator==(const Ocr2Transmit&, const Ocr2Transmit&) = default;
};

Selector ocr2_transmit_selector();  // 0xb1dc65a4

// nullopt: not a transmit call (another selector, or shorter than one).
// An error: the transmit selector with calldata the aggregator would refuse
// to decode (bad offsets, padding, a report of the wrong length, no
// observations, more than 31, rs and ss of different lengths). A returned
// Ocr2Transmit has at least one observation, so median() is safe.
Result<std::optional<Ocr2Transmit>> decode_ocr2_transmit(ByteView calldata);

// The pending transmit's median as a PriceUpdate of `asset` (source
// chainlink_ocr2_pending, no block, observed at observationsTimestamp):
// what the aggregator will answer once the transaction is mined.
PriceUpdate to_pending_price_update(const Ocr2Transmit& t, const Address& asset, std::uint8_t decimals,
                                    const Address& aggregator);

// The calldata of `transmit` carrying `t` with `t.signatures` zero
// signatures (rs, ss, rawVs all zero): tests and the devnet transmit to
// aggregators that do not check signatures (contracts/Ocr2AggregatorMock.sol).
// An error when a value does not fit its type (an observation beyond int192,
// more than 32 observers).
Result<Bytes> encode_ocr2_transmit(const Ocr2Transmit& t);

}  // namespace keeper::oracles::chainlink
