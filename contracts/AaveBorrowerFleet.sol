// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// Opens many Aave V3 borrow positions in one transaction, for the demo and
// tests. Each borrower is a tiny contract that, in its constructor, enters
// its eMode category (only the user itself may) and delegates credit on each
// variable debt token it will borrow to the fleet. The fleet then mints the
// collateral (the market's MintableERC20s let anyone mint), supplies it on
// the borrower's behalf (anyone may) and borrows on its behalf at the
// variable rate (delegated); Aave sends the loan to the fleet, which passes
// it to `receiver`. Self-contained: the few Aave and ERC20 declarations it
// needs are below, matching @aave/core-v3 1.19's ABI.

interface IFleetAavePool {
    function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
    function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf)
        external;
    function setUserEMode(uint8 categoryId) external;
}

interface IFleetCreditDelegation {
    function approveDelegation(address delegatee, uint256 amount) external;
}

interface IFleetMintableERC20 {
    function mint(address account, uint256 value) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}

struct FleetSupply {
    address asset;
    uint256 amount;
}

struct FleetBorrow {
    address asset;
    address variableDebtToken;
    uint256 amount;
}

struct FleetOrder {
    uint8 eModeCategory;  // 0: none
    FleetSupply[] supplies;
    FleetBorrow[] borrows;
}

// A borrower whose only acts are choosing its eMode and letting its creator
// borrow on its behalf.
contract AaveFleetBorrower {
    constructor(IFleetAavePool pool, uint8 eModeCategory, address[] memory variableDebtTokens) {
        if (eModeCategory != 0) pool.setUserEMode(eModeCategory);
        for (uint256 i = 0; i < variableDebtTokens.length; ++i) {
            IFleetCreditDelegation(variableDebtTokens[i]).approveDelegation(msg.sender, type(uint256).max);
        }
    }
}

contract AaveBorrowerFleet {
    uint256 private constant VARIABLE_RATE = 2;

    IFleetAavePool public immutable pool;
    address public immutable owner;

    // One per borrower, in the order of the orders given to open().
    event AaveBorrowerOpened(address indexed borrower, uint8 eModeCategory, uint256 supplies, uint256 borrows);

    constructor(IFleetAavePool pool_) {
        pool = pool_;
        owner = msg.sender;
    }

    // Every supply must be of a reserve whose asset is a MintableERC20; every
    // borrow must keep the borrower within its LTV, or the whole batch reverts
    // with the pool's error code.
    function open(FleetOrder[] calldata orders, address receiver) external returns (address[] memory borrowers) {
        require(msg.sender == owner, "fleet: not owner");
        borrowers = new address[](orders.length);
        for (uint256 i = 0; i < orders.length; ++i) {
            borrowers[i] = _open(orders[i], receiver);
        }
    }

    function _open(FleetOrder calldata order, address receiver) private returns (address borrower) {
        address[] memory debtTokens = new address[](order.borrows.length);
        for (uint256 j = 0; j < order.borrows.length; ++j) {
            debtTokens[j] = order.borrows[j].variableDebtToken;
        }
        borrower = address(new AaveFleetBorrower(pool, order.eModeCategory, debtTokens));
        for (uint256 j = 0; j < order.supplies.length; ++j) {
            FleetSupply calldata s = order.supplies[j];
            IFleetMintableERC20 token = IFleetMintableERC20(s.asset);
            token.mint(address(this), s.amount);
            if (token.allowance(address(this), address(pool)) < s.amount) {
                token.approve(address(pool), type(uint256).max);
            }
            pool.supply(s.asset, s.amount, borrower, 0);
        }
        for (uint256 j = 0; j < order.borrows.length; ++j) {
            FleetBorrow calldata b = order.borrows[j];
            pool.borrow(b.asset, b.amount, VARIABLE_RATE, 0, borrower);
            require(IFleetMintableERC20(b.asset).transfer(receiver, b.amount), "fleet: transfer failed");
        }
        emit AaveBorrowerOpened(borrower, order.eModeCategory, order.supplies.length, order.borrows.length);
    }
}
