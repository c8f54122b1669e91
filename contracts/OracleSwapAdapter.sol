// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// For tests and the demo only: a swap adapter (AaveFlashLiquidator's
// ISwapAdapter) that trades at the Aave oracle's prices from its own
// inventory, standing in for a DEX a dev chain does not have. Fund it by
// minting the tokens it should pay out to its address.

interface IOracleSwapPrices {
    function getAssetPrice(address asset) external view returns (uint256);
}

interface IOracleSwapERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function decimals() external view returns (uint8);
}

contract OracleSwapAdapter {
    IOracleSwapPrices public immutable oracle;

    constructor(IOracleSwapPrices oracle_) {
        oracle = oracle_;
    }

    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut)
        external
        returns (uint256 amountOut)
    {
        uint256 unitIn = 10 ** IOracleSwapERC20(tokenIn).decimals();
        uint256 unitOut = 10 ** IOracleSwapERC20(tokenOut).decimals();
        amountOut = amountIn * oracle.getAssetPrice(tokenIn) * unitOut / (oracle.getAssetPrice(tokenOut) * unitIn);
        require(amountOut >= minAmountOut, "OracleSwapAdapter: below minAmountOut");
        require(IOracleSwapERC20(tokenIn).transferFrom(msg.sender, address(this), amountIn), "transferFrom");
        require(IOracleSwapERC20(tokenOut).transfer(msg.sender, amountOut), "transfer");
    }
}
