// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// An ERC-20 for tests whose balanceOf can be made to revert for callers that
// are not contracts: a keeper's eth_call reverts (from the keeper's point of
// view the token is "poisoned"), while Morpho and Aave, which call the token
// from their contracts, keep working. Anyone may mint, set a balance or flip
// the switch. The constructor takes what Aave's MintableERC20 takes, so the
// Aave devnet can list it as a reserve.
contract PoisonableERC20 {
    string public name;
    string public symbol;
    uint8 public decimals;
    uint256 public totalSupply;
    bool public poisoned;

    mapping(address => uint256) private balances;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function setPoisoned(bool on) external {
        poisoned = on;
    }

    function balanceOf(address account) external view returns (uint256) {
        require(!(poisoned && msg.sender == tx.origin), "PoisonableERC20: balanceOf is poisoned");
        return balances[account];
    }

    function setBalance(address account, uint256 amount) public {
        if (amount > balances[account]) totalSupply += amount - balances[account];
        else totalSupply -= balances[account] - amount;
        balances[account] = amount;
    }

    function mint(address account, uint256 amount) external returns (bool) {
        setBalance(account, balances[account] + amount);
        emit Transfer(address(0), account, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= amount, "insufficient allowance");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        require(balances[from] >= amount, "insufficient balance");
        balances[from] -= amount;
        balances[to] += amount;
        emit Transfer(from, to, amount);
    }
}
