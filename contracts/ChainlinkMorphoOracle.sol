// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

interface AggregatorV3Like {
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

/// A Morpho Blue IOracle fed by one Chainlink aggregator, for tests: price()
/// is loan-token units per collateral-token unit scaled by 1e36, the feed's
/// answer times `scale` = 10^(36 + loan decimals - collateral decimals - feed
/// decimals) (18, 18 and 8 decimals: 1e28). It trusts the answer as it is,
/// however old: judging the feed's freshness is the keeper's job here.
contract ChainlinkMorphoOracle {
    AggregatorV3Like public immutable feed;
    uint256 public immutable scale;

    constructor(address feed_, uint256 scale_) {
        feed = AggregatorV3Like(feed_);
        scale = scale_;
    }

    function price() external view returns (uint256) {
        (, int256 answer,,,) = feed.latestRoundData();
        require(answer > 0, "no price");
        return uint256(answer) * scale;
    }
}
