// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// An aggregator shaped like Chainlink's OCR2 aggregator, for tests: the keeper
/// sees the same transmit calldata (in the mempool) and the same
/// NewTransmission log (once mined) as from a real feed, and consumers read
/// latestRoundData / latestAnswer / decimals as from a real one.
///
/// What matches the real contract (facts from libocr contract2/OCR2Aggregator.sol):
///   - transmit(bytes32[3] reportContext, bytes report, bytes32[] rs, bytes32[] ss, bytes32 rawVs),
///     selector 0xb1dc65a4; reportContext[1] carries the uint40 epochAndRound
///     in its low 5 bytes and must grow with every report;
///   - report = abi.encode(uint32 observationsTimestamp, bytes32 rawObservers,
///     int192[] observations, int192 juelsPerFeeCoin), of exactly
///     5 * 32 + 32 * observations.length bytes; observers are the first
///     observations.length bytes of rawObservers;
///   - the answer is observations[observations.length / 2], the median of
///     the observations the oracles sorted (the contract does not re-check);
///   - the NewTransmission event's signature and field order.
///
/// What does NOT: this is a TEST CONTRACT. Signatures (rs, ss, rawVs) are NOT
/// checked, there is no transmitter allow-list, no config digest check, no
/// billing and no min/max answer range: anyone may transmit any report. The
/// real aggregator also emits NewRound and AnswerUpdated after
/// NewTransmission for legacy consumers; this one emits NewTransmission
/// alone, so a test shows the keeper acting on that event by itself.
contract Ocr2AggregatorMock {
    event NewTransmission(
        uint32 indexed aggregatorRoundId,
        int192 answer,
        address transmitter,
        uint32 observationsTimestamp,
        int192[] observations,
        bytes observers,
        int192 juelsPerFeeCoin,
        bytes32 configDigest,
        uint40 epochAndRound
    );

    struct Round {
        int192 answer;
        uint32 observedAt;     // observationsTimestamp of the report
        uint32 transmittedAt;  // the block's timestamp
    }

    uint8 public immutable decimals;
    uint32 public latestAggregatorRoundId;
    uint40 public latestEpochAndRound;
    mapping(uint32 => Round) internal rounds;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    // One report, decoded (a struct keeps transmit's stack shallow).
    struct Report {
        uint32 observedAt;
        bytes observers;  // one byte per observation: the oracle's index
        int192[] observations;
        int192 juelsPerFeeCoin;
    }

    function transmit(
        bytes32[3] calldata reportContext,
        bytes calldata report,
        bytes32[] calldata rs, // signatures: NOT checked (test contract)
        bytes32[] calldata ss,
        bytes32 /* rawVs: not checked */
    ) external {
        // selector, reportContext, three offsets, rawVs, three lengths, then the tails.
        require(msg.data.length == 4 + 3 * 32 + 3 * 32 + 32 + 3 * 32 + report.length + 32 * (rs.length + ss.length),
            "calldata length mismatch");
        require(rs.length == ss.length, "signatures out of registration");
        uint40 epochAndRound = uint40(uint256(reportContext[1]));
        require(epochAndRound > latestEpochAndRound, "stale report");
        latestEpochAndRound = epochAndRound;
        _record(_decodeReport(report), reportContext[0], epochAndRound);
    }

    function _decodeReport(bytes calldata report) internal pure returns (Report memory r) {
        bytes32 rawObservers;
        (r.observedAt, rawObservers, r.observations, r.juelsPerFeeCoin) =
            abi.decode(report, (uint32, bytes32, int192[], int192));
        uint256 count = r.observations.length;
        require(count > 0 && count <= 31, "observation count");
        require(report.length == 5 * 32 + 32 * count, "report length mismatch");
        r.observers = new bytes(count);
        for (uint256 i = 0; i < count; ++i) {
            r.observers[i] = rawObservers[i];
        }
    }

    function _record(Report memory r, bytes32 configDigest, uint40 epochAndRound) internal {
        int192 median = r.observations[r.observations.length / 2];
        uint32 roundId = latestAggregatorRoundId + 1;
        latestAggregatorRoundId = roundId;
        rounds[roundId] = Round(median, r.observedAt, uint32(block.timestamp));
        emit NewTransmission(
            roundId,
            median,
            msg.sender,
            r.observedAt,
            r.observations,
            r.observers,
            r.juelsPerFeeCoin,
            configDigest,
            epochAndRound
        );
    }

    function latestAnswer() external view returns (int256) {
        return rounds[latestAggregatorRoundId].answer;
    }

    function latestRound() external view returns (uint256) {
        return latestAggregatorRoundId;
    }

    /// startedAt is the report's observationsTimestamp and updatedAt the
    /// transmitting block's timestamp, as the OCR2 aggregator answers.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        uint32 id = latestAggregatorRoundId;
        Round memory r = rounds[id];
        return (id, r.answer, r.observedAt, r.transmittedAt, id);
    }
}
