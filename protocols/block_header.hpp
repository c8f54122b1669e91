#pragma once
// A header the node must have: an error (not an empty answer) when it has none.
#include "chain/rpc_client.hpp"
#include "core/result.hpp"

namespace keeper::protocols {

inline Result<chain::BlockHeader> read_header_at(chain::JsonRpcClient& client, std::uint64_t number) {
    auto header = client.get_block_header(chain::BlockId::number(number));
    if (!header) return std::unexpected(Error(header.error()));
    if (!header->has_value()) return fail("the node has no block " + std::to_string(number));
    return **header;
}

}  // namespace keeper::protocols
