#include "chain/canonical_receipt.hpp"

namespace keeper::chain {

RpcResult<std::optional<Receipt>> read_canonical_receipt(JsonRpcClient& client, const Bytes32& transaction_hash) {
    auto receipt = client.get_transaction_receipt(transaction_hash);
    if (!receipt || !*receipt) return receipt;
    auto block = client.get_block_header(BlockId::number((**receipt).block_number));
    if (!block) return std::unexpected(block.error());
    if (!*block || (**block).hash != (**receipt).block_hash) return std::optional<Receipt>{};
    return receipt;
}

}  // namespace keeper::chain
