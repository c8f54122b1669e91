// An EIP-1559 transaction built and signed by our own code (chain/transaction,
// chain/signer) is accepted by a real node, mined, and attributed to our key.
#include <gtest/gtest.h>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "chain/transaction.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace signed_transaction_anvil_test {

using keeper::testing::AnvilOptions;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;

TEST(SignedTransactionOnAnvil, TypeTwoTransferIsMinedFromOurSigner) {
    AnvilOptions options;
    options.no_mining = true;  // the transaction waits in the pool until we mine: no race
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());

    auto key = PrivateKey::from_hex(dev_accounts()[0].private_key_hex);
    ASSERT_TRUE(key.has_value()) << key.error().message;
    const Address sender = address_of(*key);
    ASSERT_EQ(sender, dev_accounts()[0].address());
    const Address recipient = dev_accounts()[1].address();

    auto chain_id = client.chain_id();
    ASSERT_TRUE(chain_id.has_value()) << chain_id.error().message;
    ASSERT_EQ(*chain_id, 31337u);
    auto nonce = client.get_transaction_count(sender, BlockId::pending());
    ASSERT_TRUE(nonce.has_value()) << nonce.error().message;
    auto head = client.get_block_header(BlockId::latest());
    ASSERT_TRUE(head.has_value() && head->has_value());
    ASSERT_TRUE((*head)->base_fee_per_gas.has_value());
    auto tip = client.max_priority_fee_per_gas();
    ASSERT_TRUE(tip.has_value()) << tip.error().message;
    auto sender_before = client.get_balance(sender).value();
    auto recipient_before = client.get_balance(recipient).value();

    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{*chain_id};
    tx.nonce = Nonce{*nonce};
    tx.max_priority_fee_per_gas_wei = *tip;
    // Twice the base fee survives six full blocks of base-fee growth (12.5% each).
    tx.max_fee_per_gas_wei = *(*head)->base_fee_per_gas * U256(2) + *tip;
    tx.gas_limit = GasLimit{21000};
    tx.to = recipient;
    tx.value_wei = U256::pow10(18);
    const SignedTransaction signed_tx = sign(tx, *key);

    auto hash = client.send_raw_transaction(encode_raw(signed_tx));
    ASSERT_TRUE(hash.has_value()) << hash.error().message;
    EXPECT_EQ(*hash, transaction_hash(signed_tx));

    auto pending = client.get_transaction_receipt(*hash);
    ASSERT_TRUE(pending.has_value()) << pending.error().message;
    EXPECT_FALSE(pending->has_value()) << "no block was mined yet";

    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    auto receipt = client.get_transaction_receipt(*hash);
    ASSERT_TRUE(receipt.has_value()) << receipt.error().message;
    ASSERT_TRUE(receipt->has_value()) << "mined transaction has no receipt";
    const Receipt& r = **receipt;
    EXPECT_TRUE(r.success);
    EXPECT_EQ(r.from, sender);
    EXPECT_EQ(r.to, std::optional<Address>(recipient));
    EXPECT_EQ(r.gas_used, U256(21000));
    EXPECT_EQ(r.block_number, (*head)->number + 1);
    // effective price = min(max fee, base fee + tip) of the block it landed in.
    auto block = client.get_block_header(BlockId::number(r.block_number));
    ASSERT_TRUE(block.has_value() && block->has_value());
    EXPECT_EQ(r.effective_gas_price, min(tx.max_fee_per_gas_wei, *(*block)->base_fee_per_gas + *tip));

    // Balances move by exactly the value, plus gas for the sender.
    EXPECT_EQ(client.get_balance(recipient).value(), recipient_before + U256::pow10(18));
    EXPECT_EQ(client.get_balance(sender).value(), sender_before - U256::pow10(18) - r.gas_used * r.effective_gas_price);
    EXPECT_EQ(client.get_transaction_count(sender).value(), *nonce + 1);
}

}  // namespace signed_transaction_anvil_test
}  // namespace keeper::chain
