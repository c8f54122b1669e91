// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// The view of Pyth's contract (IPyth) this oracle reads: its PythStructs.Price.
interface PythLike {
    struct Price {
        int64 price;
        uint64 conf;
        int32 expo;
        uint256 publishTime;
    }

    function getPriceUnsafe(bytes32 id) external view returns (Price memory);
}

/// A Morpho Blue IOracle fed by one Pyth price feed, for tests: price() is
/// loan-token units per collateral-token unit scaled by 1e36, the Pyth price
/// times `scale` = 10^(36 + loan decimals - collateral decimals + expo)
/// (18, 18 and expo -8: 1e28). It reads getPriceUnsafe, so it trusts the
/// stored price however old: judging its freshness is the keeper's job here.
contract PythMorphoOracle {
    PythLike public immutable pyth;
    bytes32 public immutable priceId;
    uint256 public immutable scale;

    constructor(address pyth_, bytes32 priceId_, uint256 scale_) {
        pyth = PythLike(pyth_);
        priceId = priceId_;
        scale = scale_;
    }

    function price() external view returns (uint256) {
        PythLike.Price memory p = pyth.getPriceUnsafe(priceId);
        require(p.price > 0, "no price");
        return uint256(uint64(p.price)) * scale;
    }
}
