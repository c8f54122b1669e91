// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// A Chainlink AggregatorV3 whose answer the devnet moves: what Yield's
/// ChainlinkMultiOracle reads (latestRoundData; it requires answer > 0,
/// updatedAt != 0 and answeredInRound >= roundId). Each set() is a new round.
contract ChainlinkAggregatorMock {
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
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (latestRound, latestAnswer, latestTimestamp, latestTimestamp, latestRound);
    }
}
