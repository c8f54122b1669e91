#pragma once
// Keccak-256 as Ethereum uses it (the pre-standard padding, not SHA3-256).
#include <array>
#include <string_view>

#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"

namespace keeper {

using Selector = std::array<std::uint8_t, 4>;

Bytes32 keccak256(ByteView data);
Bytes32 keccak256(std::string_view text);

// The first four bytes of keccak256("transfer(address,uint256)").
Selector selector(std::string_view canonical_signature);
// keccak256("Transfer(address,address,uint256)"): an event's topic 0.
Bytes32 event_topic(std::string_view canonical_signature);

}  // namespace keeper
