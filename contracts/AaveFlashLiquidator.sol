// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// Liquidates an Aave V3 account without holding the debt asset: borrows it
// with the pool's flashLoanSimple, calls liquidationCall, turns the seized
// collateral back into the debt asset through a swap adapter (the operator's
// bridge to whatever DEX it uses) and lets the pool pull back the loan plus
// its premium. What is left is the profit, sent to the owner in the same
// transaction. Only the owner (the keeper's signer) may start one, and only
// the pool, for a loan this contract asked for, may call executeOperation.
// Self-contained: the few Aave and ERC-20 declarations it needs are below,
// matching @aave/core-v3 1.19's ABI.

interface IFlashLiquidationPool {
    function flashLoanSimple(address receiverAddress, address asset, uint256 amount, bytes calldata params,
        uint16 referralCode) external;
    function liquidationCall(address collateralAsset, address debtAsset, address user, uint256 debtToCover,
        bool receiveAToken) external;
}

interface IFlashLiquidatorERC20 {
    function approve(address spender, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

// Sells exactly amountIn of tokenIn (pulled with transferFrom) for at least
// minAmountOut of tokenOut, sent to the caller.
interface ISwapAdapter {
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut)
        external
        returns (uint256 amountOut);
}

contract AaveFlashLiquidator {
    IFlashLiquidationPool public immutable pool;
    address public immutable owner;
    ISwapAdapter public swapper;

    constructor(IFlashLiquidationPool pool_, ISwapAdapter swapper_) {
        pool = pool_;
        owner = msg.sender;
        swapper = swapper_;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "AaveFlashLiquidator: not the owner");
        _;
    }

    function setSwapper(ISwapAdapter swapper_) external onlyOwner {
        swapper = swapper_;
    }

    function liquidate(address collateral, address debt, address user, uint256 debtToCover) external onlyOwner {
        pool.flashLoanSimple(address(this), debt, debtToCover, abi.encode(collateral, user), 0);
        uint256 collateralLeft = IFlashLiquidatorERC20(collateral).balanceOf(address(this));
        if (collateralLeft > 0) require(IFlashLiquidatorERC20(collateral).transfer(owner, collateralLeft), "transfer");
        if (debt != collateral) {
            uint256 debtLeft = IFlashLiquidatorERC20(debt).balanceOf(address(this));
            if (debtLeft > 0) require(IFlashLiquidatorERC20(debt).transfer(owner, debtLeft), "transfer");
        }
    }

    // IFlashLoanSimpleReceiver
    function executeOperation(address asset, uint256 amount, uint256 premium, address initiator, bytes calldata params)
        external
        returns (bool)
    {
        require(msg.sender == address(pool) && initiator == address(this), "AaveFlashLiquidator: not our loan");
        (address collateral, address user) = abi.decode(params, (address, address));
        require(IFlashLiquidatorERC20(asset).approve(address(pool), amount), "approve");
        pool.liquidationCall(collateral, asset, user, amount, false);
        uint256 owed = amount + premium;
        if (collateral != asset) {
            uint256 seized = IFlashLiquidatorERC20(collateral).balanceOf(address(this));
            require(IFlashLiquidatorERC20(collateral).approve(address(swapper), seized), "approve");
            swapper.swap(collateral, asset, seized, owed);
        }
        // The pool pulls the loan and its premium back after this returns.
        require(IFlashLiquidatorERC20(asset).approve(address(pool), owed), "approve");
        return true;
    }
}
