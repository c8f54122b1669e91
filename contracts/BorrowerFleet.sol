// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// Opens many Morpho Blue borrow positions in one transaction, for the demo
// and tests. Each borrower is a tiny contract that authorizes the fleet on
// Morpho in its constructor; the fleet then supplies collateral on its behalf
// (anyone may) and borrows on its behalf (authorized). Self-contained: the
// few Morpho and ERC20 declarations it needs are below, matching Morpho Blue
// 1.0's ABI.

struct MarketParams {
    address loanToken;
    address collateralToken;
    address oracle;
    address irm;
    uint256 lltv;
}

interface IFleetMorpho {
    function setAuthorization(address authorized, bool newIsAuthorized) external;
    function supplyCollateral(MarketParams memory marketParams, uint256 assets, address onBehalf, bytes memory data)
        external;
    function borrow(
        MarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external returns (uint256 assetsBorrowed, uint256 sharesBorrowed);
}

interface IFleetERC20 {
    function approve(address spender, uint256 amount) external returns (bool);
}

// A borrower whose only act is letting its creator manage its position.
contract FleetBorrower {
    constructor(IFleetMorpho morpho) {
        morpho.setAuthorization(msg.sender, true);
    }
}

contract BorrowerFleet {
    IFleetMorpho public immutable morpho;
    address public immutable owner;

    // One per borrower, in the order of the arrays given to open().
    event BorrowerOpened(address indexed borrower, uint256 collateral, uint256 borrowedAssets);

    constructor(IFleetMorpho morpho_) {
        morpho = morpho_;
        owner = msg.sender;
    }

    // The fleet must hold sum(collateral) of params.collateralToken. Each
    // borrower gets collateral[i] and borrows borrowAssets[i] (none when 0),
    // the loan going to `receiver`.
    function open(
        MarketParams calldata params,
        uint256[] calldata collateral,
        uint256[] calldata borrowAssets,
        address receiver
    ) external returns (address[] memory borrowers) {
        require(msg.sender == owner, "fleet: not owner");
        require(collateral.length == borrowAssets.length, "fleet: length mismatch");
        IFleetERC20(params.collateralToken).approve(address(morpho), type(uint256).max);
        MarketParams memory p = params;
        borrowers = new address[](collateral.length);
        for (uint256 i = 0; i < collateral.length; ++i) {
            address borrower = address(new FleetBorrower(morpho));
            morpho.supplyCollateral(p, collateral[i], borrower, "");
            if (borrowAssets[i] > 0) morpho.borrow(p, borrowAssets[i], 0, borrower, receiver);
            borrowers[i] = borrower;
            emit BorrowerOpened(borrower, collateral[i], borrowAssets[i]);
        }
    }
}
