#pragma once
// Building Yield v2 logs as a node returns them, for the decoder and adapter
// tests: topics from the Solidity declaration's indexed values, data from
// ABI-encoded values.
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "chain/rpc_types.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_type.hpp"
#include "core/keccak.hpp"

namespace keeper::yield_v2::testing {

// An indexed bytesN (bytes6, bytes12): left-aligned in its topic.
template <class Id>
Bytes32 topic_of(const Id& id) {
    Bytes32 t;
    std::copy(id.bytes.begin(), id.bytes.end(), t.bytes.begin());
    return t;
}
// An indexed address: right-aligned.
inline Bytes32 topic_of(const Address& a) {
    Bytes32 t;
    std::copy(a.bytes.begin(), a.bytes.end(), t.bytes.begin() + 12);
    return t;
}
inline Bytes abi_data(std::string_view types, const std::vector<abi::Value>& values) {
    return abi::encode(abi::parse_type_list(types).value(), values).value();
}
inline chain::Log make_log(const Address& at, std::string_view signature, std::vector<Bytes32> indexed, Bytes data = {},
                           std::uint64_t block = 0) {
    chain::Log l;
    l.address = at;
    l.topics.push_back(keccak256(signature));
    l.topics.insert(l.topics.end(), indexed.begin(), indexed.end());
    l.data = std::move(data);
    l.block_number = block;
    return l;
}

}  // namespace keeper::yield_v2::testing
