// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// @title Multicall: many read-only calls in one eth_call.
/// @notice The keeper's own aggregator for test chains. Its external interface
/// matches Multicall3's `aggregate3` (same selector, argument and return
/// layout), so the same client code talks to the canonical deployment at
/// 0xcA11bde05977b3631167028862bE2a173976CA11 on real chains.
contract Multicall {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// A sub-call that was not allowed to fail reverted; `index` is its
    /// position in the batch and `reason` its revert data.
    error SubCallFailed(uint256 index, bytes reason);

    /// Calls each target in order with its calldata. A failure of a call with
    /// allowFailure = false reverts the whole batch; otherwise it is reported
    /// as success = false with the revert data in returnData.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        uint256 count = calls.length;
        results = new Result[](count);
        for (uint256 i; i < count; ) {
            Call3 calldata item = calls[i];
            (bool ok, bytes memory output) = item.target.call(item.callData);
            if (!ok && !item.allowFailure) revert SubCallFailed(i, output);
            results[i].success = ok;
            results[i].returnData = output;
            unchecked {
                ++i;
            }
        }
    }

    /// Helper views with Multicall3's signatures, so chain state reads can
    /// ride in the same batch as contract calls.
    function getEthBalance(address account) external view returns (uint256 balance) {
        balance = account.balance;
    }

    function getBlockNumber() external view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }

    function getChainId() external view returns (uint256 chainid) {
        chainid = block.chainid;
    }

    function getBasefee() external view returns (uint256 basefee) {
        basefee = block.basefee;
    }

    function getCurrentBlockTimestamp() external view returns (uint256 timestamp) {
        timestamp = block.timestamp;
    }
}
