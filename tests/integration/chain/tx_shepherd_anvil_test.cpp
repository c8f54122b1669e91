// A transaction that gets stuck (its fee falls below the base fee) is replaced
// with the same nonce and higher fees, and exactly one of the attempts is mined.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "chain/tx_shepherd.hpp"
#include "chain/signer.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace tx_shepherd_anvil_test {

using keeper::testing::AnvilOptions;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;

const U256 gwei = U256::pow10(9);

TEST(TxShepherdOnAnvil, AStuckTransactionIsReplacedAndMinedOnceNeverTwice) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const auto key = PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value();
    const Address recipient = dev_accounts()[2].address();
    const U256 recipient_before = client.get_balance(recipient).value();

    std::vector<Bytes32> journaled;
    auto nonces = NonceBook::rebuild(client.get_transaction_count(address_of(key), BlockId::pending()).value(), std::nullopt);
    ShepherdPolicy policy;
    policy.replace_after_blocks = 1;
    policy.confirmations = 2;
    TxShepherd shepherd(client, key, ChainId{31337}, nonces, policy,
                        [&](const InFlightTx&, const TxAttempt& a) -> Result<void> {
                            journaled.push_back(a.hash);
                            return {};
                        });

    auto head = client.block_number().value();
    auto tx = shepherd.send(TxIntent{recipient, {}, U256::pow10(17), GasLimit{21'000}}, head);
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    const Eip1559Fees first_fees = tx->attempts.at(0).fees;
    ASSERT_LT(first_fees.max_fee_per_gas_wei, 10 * gwei);

    // The next block's base fee jumps above what we offered: ours stays in the pool.
    ASSERT_TRUE(client.call("anvil_setNextBlockBaseFeePerGas", nlohmann::json::array({(10 * gwei).to_hex()})).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    head = client.block_number().value();
    auto outcome = shepherd.check(*tx, head);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::pending);
    ASSERT_EQ(tx->attempts.size(), 2u);  // replaced
    const TxAttempt& replacement = tx->attempts[1];
    EXPECT_GE(replacement.fees.max_fee_per_gas_wei * 100, first_fees.max_fee_per_gas_wei * 110);
    EXPECT_GE(replacement.fees.max_priority_fee_per_gas_wei * 100, first_fees.max_priority_fee_per_gas_wei * 110);
    EXPECT_NE(replacement.hash, tx->attempts[0].hash);

    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*tx, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::mined);  // in the head block: 1 of 2 confirmations
    EXPECT_EQ(outcome->confirmations, 1u);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*tx, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(outcome->status, TxStatus::confirmed);
    EXPECT_EQ(outcome->confirmations, 2u);
    EXPECT_TRUE(outcome->receipt->success);
    EXPECT_EQ(outcome->receipt->transaction_hash, replacement.hash);

    // Mined once: the first attempt has no receipt, the value arrived once, one nonce used.
    EXPECT_FALSE(client.get_transaction_receipt(tx->attempts[0].hash).value().has_value());
    EXPECT_EQ(client.get_balance(recipient).value(), recipient_before + U256::pow10(17));
    EXPECT_EQ(client.get_transaction_count(address_of(key), BlockId::latest()).value(), tx->nonce.value + 1);
    EXPECT_EQ(journaled, (std::vector<Bytes32>{tx->attempts[0].hash, replacement.hash}));
    EXPECT_EQ(nonces.peek(), tx->nonce.value + 1);
}

// Pending mode's backrun: the first attempt's tip is capped at the tip of
// the transaction it follows (here 0 wei, below the policy's 1 wei floor),
// the max fee stays the market's, and the node accepts and mines it.
TEST(TxShepherdOnAnvil, ATipCapLowersTheFirstAttemptsTipAndKeepsTheMarketsMaxFee) {
    AnvilOptions options;
    options.no_mining = true;  // both sends price against the same blocks
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const auto key = PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value();
    auto nonces = NonceBook::rebuild(client.get_transaction_count(address_of(key), BlockId::pending()).value(),
                                     std::nullopt);
    TxShepherd shepherd(client, key, ChainId{31337}, nonces, ShepherdPolicy{});
    const TxIntent intent{dev_accounts()[2].address(), {}, U256(1), GasLimit{21'000}};

    auto market = shepherd.send(intent, client.block_number().value());
    ASSERT_TRUE(market.has_value()) << market.error().message;
    auto capped = shepherd.send(intent, client.block_number().value(), U256(0));
    ASSERT_TRUE(capped.has_value()) << capped.error().message;
    EXPECT_GE(market->attempts.at(0).fees.max_priority_fee_per_gas_wei, U256(1));
    EXPECT_EQ(capped->attempts.at(0).fees.max_priority_fee_per_gas_wei, U256(0));
    EXPECT_EQ(capped->attempts.at(0).fees.max_fee_per_gas_wei, market->attempts.at(0).fees.max_fee_per_gas_wei);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    const auto receipt = client.get_transaction_receipt(capped->attempts[0].hash);
    ASSERT_TRUE(receipt && receipt->has_value());
    EXPECT_TRUE((*receipt)->success);
}

TEST(TxShepherdOnAnvil, AReceiptWhoseBlockWasReorgedOutDoesNotCount) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const auto key = PrivateKey::from_hex(dev_accounts()[5].private_key_hex).value();
    auto nonces = NonceBook::rebuild(0, std::nullopt);
    ShepherdPolicy policy;
    policy.confirmations = 1;  // final in its own block: then taken away
    TxShepherd shepherd(client, key, ChainId{31337}, nonces, policy);

    const auto snapshot = client.call("evm_snapshot").value();
    auto tx = shepherd.send(TxIntent{dev_accounts()[6].address(), {}, U256(1), GasLimit{21'000}}, 0);
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    auto outcome = shepherd.check(*tx, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(outcome->status, TxStatus::confirmed);

    // The block with our transaction is dropped and replaced by an empty one.
    ASSERT_TRUE(client.call("evm_revert", nlohmann::json::array({snapshot})).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*tx, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::pending);
}

TEST(TxShepherdOnAnvil, ANonceTakenByAnotherProcessIsReportedNotResent) {
    auto anvil = AnvilProcess::start();
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const auto key = PrivateKey::from_hex(dev_accounts()[1].private_key_hex).value();
    // Our book thinks the next nonce is 0 ...
    auto nonces = NonceBook::rebuild(0, std::nullopt);
    TxShepherd shepherd(client, key, ChainId{31337}, nonces);
    // ... but another process with the same key uses nonce 0 first.
    auto their_nonces = NonceBook::rebuild(0, std::nullopt);
    TxShepherd other_process(client, key, ChainId{31337}, their_nonces);
    auto theirs = other_process.send(TxIntent{dev_accounts()[3].address(), {}, U256(1), GasLimit{21'000}}, 0);
    ASSERT_TRUE(theirs.has_value()) << theirs.error().message;
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());

    // The node answers "nonce too low"; the attempt is kept so check() can
    // tell "ours was mined" from "someone else's was".
    auto ours = shepherd.send(TxIntent{dev_accounts()[4].address(), {}, U256(1), GasLimit{21'000}}, 0);
    ASSERT_TRUE(ours.has_value()) << ours.error().message;
    // Their transaction is in block 1; with 3 confirmations the spent nonce
    // counts once block 1 is 3 deep (head 3).
    auto outcome = shepherd.check(*ours, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::pending);  // head 2: block 1 is 2 deep, not yet final
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*ours, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    // Head 3: spent 3 deep without a receipt of ours, seen once: the verdict
    // waits for a re-read at a newer head (a lagging node may not have our receipt yet).
    EXPECT_EQ(outcome->status, TxStatus::pending);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*ours, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::nonce_used_elsewhere);
    EXPECT_FALSE(outcome->receipt.has_value());
    EXPECT_EQ(nonces.peek(), 1u);  // the book moved past the spent nonce
    EXPECT_EQ(client.get_transaction_count(address_of(key), BlockId::latest()).value(), 1u);  // nothing of ours mined
}

TEST(TxShepherdOnAnvil, AJournaledTransactionWithoutAttemptsIsSentByCheckFillingTheNonceGap) {
    auto anvil = AnvilProcess::start();
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const auto key = PrivateKey::from_hex(dev_accounts()[2].private_key_hex).value();
    const Address sender = address_of(key);
    // A restart found nonces 0 and 1 journaled without attempts (a crash came
    // before their first attempt); the book hands out 2 next, which waits
    // behind the gap until check() sends 0 and 1.
    auto nonces = NonceBook::rebuild(0, 1);
    ShepherdPolicy policy;
    policy.confirmations = 1;
    TxShepherd shepherd(client, key, ChainId{31337}, nonces, policy);
    auto later = shepherd.send(TxIntent{dev_accounts()[5].address(), {}, U256(2), GasLimit{21'000}}, 0);
    ASSERT_TRUE(later.has_value()) << later.error().message;
    EXPECT_EQ(later->nonce.value, 2u);
    InFlightTx restored{Nonce{0}, TxIntent{dev_accounts()[6].address(), {}, U256(1), GasLimit{21'000}}, {}};
    InFlightTx gap_then{Nonce{1}, TxIntent{dev_accounts()[6].address(), {}, U256(1), GasLimit{21'000}}, {}};
    ASSERT_EQ(client.get_transaction_count(sender, BlockId::latest()).value(), 0u);

    auto outcome = shepherd.check(restored, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(restored.attempts.size(), 1u);
    outcome = shepherd.check(gap_then, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    // All three nonces are now mined, each once.
    for (int i = 0; i < 100 && client.get_transaction_count(sender, BlockId::latest()).value() < 3; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(client.get_transaction_count(sender, BlockId::latest()).value(), 3u);
    outcome = shepherd.check(restored, client.block_number().value());
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::confirmed);
    EXPECT_EQ(restored.attempts.size(), 1u);
}

}  // namespace tx_shepherd_anvil_test
}  // namespace keeper::chain
