#pragma once
// The Solidity contract ABI encoding (docs.soliditylang.org, "Contract ABI
// Specification", formal specification of the encoding): heads and tails,
// offsets relative to the start of the enclosing tuple or array body.
#include <span>
#include <vector>

#include "core/abi_type.hpp"
#include "core/abi_value.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper::abi {

// Encodes `values` as the tuple (types...), the layout of call arguments and
// return data. Errors name the value's path and the mismatch:
// "abi: [1][0]: uint8 value 256 does not fit 8 bits".
Result<Bytes> encode(std::span<const Type> types, std::span<const Value> values);
// The same, appended to `out` (after a selector, say) without a copy.
Result<void> encode_into(std::span<const Type> types, std::span<const Value> values, Bytes& out);

// Decodes `data` as the tuple (types...). Untrusted input: every offset and
// length is bounds-checked before use, and rejected with the byte position,
// what was expected and what was found, are
//   - offsets or lengths pointing past the end of the data;
//   - non-zero padding in uint<M> (M < 256), address, bool (0 or 1 only) and
//     bytes<M>, and int<M> words that are not the sign extension of M bits;
//   - decodes that would materialise more than 4x the input (offsets that
//     point many elements at the same bytes), so output size stays linear in
//     the input.
// Trailing bytes after the encoding are allowed, as Solidity's abi.decode
// allows them; so are non-strict (gapped) offsets.
Result<std::vector<Value>> decode(std::span<const Type> types, ByteView data);

// How many decoded bytes a decode may produce per input byte (see above).
inline constexpr std::size_t kDecodeAmplification = 4;

}  // namespace keeper::abi
