// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// A Chainlink AggregatorV3 whose answer the devnet moves: what Yield's
/// ChainlinkMultiOracle reads (latestRoundData; it requires answer > 0,
/// updatedAt != 0 and answeredInRound >= roundId). Each set() is a new round
/// and emits AnswerUpdated, as every Chainlink aggregator generation does
/// (AggregatorInterface), so the keeper can follow it like a real feed.
contract ChainlinkAggregatorMock {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    uint8 public immutable decimals;
    int256 public latestAnswer;
    uint80 public latestRound;
    uint256 public latestTimestamp;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    function set(int256 answer) external {
        latestAnswer = answer;
        latestRound += 1;
        latestTimestamp = block.timestamp;
        emit AnswerUpdated(answer, latestRound, block.timestamp);
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (latestRound, latestAnswer, latestTimestamp, latestTimestamp, latestRound);
    }
}
