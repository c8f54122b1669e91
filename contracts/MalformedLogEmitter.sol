// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// Emits a log with the topic0 of a followed event and none of its data, for
// tests: a keeper configured to follow this address as a protocol meets a log
// it must refuse to decode, and cannot follow that protocol past its block.
contract MalformedLogEmitter {
    function emitMalformed(bytes32 topic0) external {
        assembly {
            log1(0, 0, topic0)
        }
    }
}
