#include "keeper/devnet/send_and_wait.hpp"

#include <chrono>
#include <thread>

#include "chain/signer.hpp"
#include "chain/transaction.hpp"

namespace keeper::devnet {

Result<chain::Receipt> send_and_wait(chain::JsonRpcClient& client, const chain::PrivateKey& key,
                                     std::optional<Address> to, Bytes data, std::uint64_t gas_limit) {
    using namespace chain;
    auto chain_id = client.chain_id();
    if (!chain_id) return fail(chain_id.error().message);
    auto nonce = client.get_transaction_count(address_of(key), BlockId::pending());
    if (!nonce) return fail(nonce.error().message);
    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{*chain_id};
    tx.nonce = Nonce{*nonce};
    tx.max_priority_fee_per_gas_wei = U256(1);
    tx.max_fee_per_gas_wei = U256::pow10(11);
    tx.gas_limit = GasLimit{gas_limit};
    tx.to = to;
    tx.data = std::move(data);
    const auto hash = client.send_raw_transaction(encode_raw(sign(tx, key)));
    if (!hash) return fail(hash.error().message);
    for (int attempt = 0; attempt < 200; ++attempt) {
        auto receipt = client.get_transaction_receipt(*hash);
        if (!receipt) return fail(receipt.error().message);
        if (receipt->has_value()) return **receipt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return fail("no receipt for " + hash->hex() + " after 2 s");
}

}  // namespace keeper::devnet
