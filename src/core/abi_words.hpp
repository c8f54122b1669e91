#pragma once
// Reading single head words of static return data without building Values:
// `getUserAccountData` returns six uint256, `position(id, user)` returns
// (uint256,uint128,uint128); adapters on hot paths read word i directly.
// Checks are the decoder's: the word must be present and its padding zero.
#include <cstddef>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::abi {

// One ABI word, in bytes: every head slot and every padded value is this long.
inline constexpr std::size_t kWord = 32;

// Word `index` (bytes 32*index .. 32*index+31) as uint<bits>; its high
// 256 - bits bits must be zero. bits is 8..256 in steps of 8.
Result<U256> read_uint(ByteView data, std::size_t index, unsigned bits);
inline Result<U256> read_uint256(ByteView data, std::size_t index) { return read_uint(data, index, 256); }
Result<Address> read_address(ByteView data, std::size_t index);
Result<bool> read_bool(ByteView data, std::size_t index);
Result<Bytes32> read_bytes32(ByteView data, std::size_t index);

}  // namespace keeper::abi
