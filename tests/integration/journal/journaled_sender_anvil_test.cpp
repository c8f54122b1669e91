// Issue #16 items 2 and 8 with the real journal (SQLite state store) and a
// real node: work taken away by a reorg deeper than the confirmation depth
// is reopened and its nonce never left a gap; work re-sent after a restart
// is simulated first and its nonce filled when it would revert; refused
// re-sends leave no attempt rows behind.
//
// The work is a call to the guard, a tiny contract that accepts calls (and
// their value) while its storage slot 0 is zero and reverts once it is set:
// its balance counts how many times the work ran.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/signer.hpp"
#include "keeper/daemon/journaled_sender.hpp"
#include "keeper/state/state_store.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::app {
namespace journaled_sender_anvil_test {

using keeper::testing::AnvilOptions;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;

constexpr const char* kGuardCode = "0x600054600757005b600080fd";
const Address kGuard = Address::parse("0x00000000000000000000000000000000000b10c1").value();

class JournaledSenderOnAnvil : public ::testing::Test {
protected:
    void start(AnvilOptions options = {}) {
        auto started = AnvilProcess::start(options);
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        ASSERT_TRUE(client_->call("anvil_setCode", nlohmann::json::array({kGuard.hex(), kGuardCode})));
        ASSERT_TRUE(keeper::devnet::evm_mine(*client_));
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-journal-" + std::to_string(::getpid()) + "-" + std::to_string(anvil_->port()));
        std::filesystem::remove_all(dir_);
        auto opened = state::StateStore::open(dir_, 31337);
        ASSERT_TRUE(opened) << opened.error().message;
        store_.emplace(std::move(opened->store));
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<JournaledSender> open_sender(std::uint64_t confirmations) {
        chain::ShepherdPolicy policy;
        policy.confirmations = confirmations;
        auto sender = JournaledSender::open(*client_, key_, chain::ChainId{31337}, *store_, policy);
        EXPECT_TRUE(sender) << sender.error().message;
        return sender ? std::move(*sender) : nullptr;
    }
    std::uint64_t head() { return client_->block_number().value(); }
    // True once the transaction has a receipt and its block is the head or older (5 s at most).
    bool wait_until_mined(const Bytes32& hash) {
        if (!client_.has_value()) return false;
        chain::JsonRpcClient& client = *client_;
        for (int i = 0; i < 500; ++i) {
            const std::optional<chain::Receipt> receipt = client.get_transaction_receipt(hash).value_or(std::nullopt);
            if (receipt && receipt->block_number <= client.block_number().value_or(0)) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    void mine(int blocks = 1) {
        for (int i = 0; i < blocks; ++i) ASSERT_TRUE(keeper::devnet::evm_mine(*client_));
    }
    void set_guard_reverts(bool reverts) {
        const std::string slot0 = "0x" + std::string(64, '0');
        const std::string value = "0x" + std::string(63, '0') + (reverts ? "1" : "0");
        ASSERT_TRUE(client_->call("anvil_setStorageAt", nlohmann::json::array({kGuard.hex(), slot0, value})));
    }
    static chain::TxIntent guarded_work() { return chain::TxIntent{kGuard, {}, U256(1), chain::GasLimit{60'000}}; }
    std::uint64_t mined_count() { return client_->get_transaction_count(sender_address(), chain::BlockId::latest()).value(); }
    Address sender_address() const { return chain::address_of(key_); }
    state::JournalEntry entry(std::int64_t id) { return store_->journal_entry(id).value().value(); }

    chain::PrivateKey key_ = chain::PrivateKey::from_hex(dev_accounts()[3].private_key_hex).value();
    std::optional<AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::filesystem::path dir_;
    std::optional<state::StateStore> store_;
};

TEST_F(JournaledSenderOnAnvil, WorkFinalInABlockThatADeepReorgRemovedIsReopenedAndDoneOnceWithNoNonceGap) {
    start();  // automine
    // confirmations = 1: final in its own block, the setting that once gave
    // duplicate liquidations and a nonce gap after a reorg.
    auto sender = open_sender(1);
    ASSERT_TRUE(sender);
    const auto before_work = client_->call("evm_snapshot").value();
    auto id = sender->send("work:a", guarded_work(), head(), "{}", head());
    ASSERT_TRUE(id) << id.error().message;
    // anvil may answer eth_sendRawTransaction before its automined block is
    // the head, and count the nonce before the receipt is there (both seen on
    // a loaded machine): judge once the receipt and its block are.
    ASSERT_TRUE(wait_until_mined(sender->in_flight().at(*id).tx.attempts.back().hash));
    ASSERT_EQ(mined_count(), 1u);
    auto outcome = sender->check(*id, head());
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->status, chain::TxStatus::confirmed);
    EXPECT_EQ(entry(*id).status, state::JournalStatus::confirmed);
    EXPECT_TRUE(sender->in_flight().empty());

    // A reorg deeper than the confirmation depth takes the block away.
    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({before_work})));
    mine(2);
    ASSERT_EQ(mined_count(), 0u);
    // New work gets nonce 1, which now waits behind the missing nonce 0.
    auto next = sender->send("work:b", chain::TxIntent{dev_accounts()[9].address(), {}, U256(5), chain::GasLimit{21'000}},
                             head(), "{}", head());
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(sender->in_flight().at(*next).tx.nonce.value, 1u);
    EXPECT_EQ(mined_count(), 0u);

    auto notes = sender->reconcile();
    ASSERT_TRUE(notes) << notes.error().message;
    ASSERT_EQ(notes->size(), 1u);
    EXPECT_EQ(notes->front().journal_id, *id);
    EXPECT_TRUE(state::is_open(entry(*id).status));
    EXPECT_FALSE(entry(*id).receipt.has_value());
    EXPECT_TRUE(sender->has_open("work:a"));  // nobody re-plans this work meanwhile

    // Shepherded again: simulated (still succeeds), re-sent with nonce 0.
    outcome = sender->check(*id, head());
    ASSERT_TRUE(outcome) << outcome.error().message;
    for (int i = 0; i < 3 && !sender->in_flight().empty(); ++i) {
        mine();
        for (auto& [work, result] : sender->check_unvisited(head())) ASSERT_TRUE(result) << result.error().message;
    }
    EXPECT_TRUE(sender->in_flight().empty());
    EXPECT_EQ(entry(*id).status, state::JournalStatus::confirmed);
    EXPECT_EQ(entry(*next).status, state::JournalStatus::confirmed);
    EXPECT_EQ(client_->get_balance(kGuard).value(), U256(1));  // the work ran exactly once
    EXPECT_EQ(mined_count(), 2u);                               // nonces 0 and 1, no gap
}

TEST_F(JournaledSenderOnAnvil, AfterARestartStaleWorkIsSimulatedFirstAndItsNonceFilledInsteadOfSendingARevert) {
    AnvilOptions options;
    options.no_mining = true;
    start(options);
    std::int64_t id = 0;
    {
        auto first = open_sender(1);
        ASSERT_TRUE(first);
        auto sent = first->send("work:stale", guarded_work(), head(), "{}", head());
        ASSERT_TRUE(sent) << sent.error().message;
        id = *sent;
    }  // the keeper is killed; its transaction never gets mined
    ASSERT_TRUE(client_->call("anvil_dropAllTransactions"));
    set_guard_reverts(true);  // the world moved on: the work would revert now
    mine(3);

    auto restarted = open_sender(1);
    ASSERT_TRUE(restarted);
    ASSERT_EQ(restarted->in_flight().size(), 1u);
    auto outcome = restarted->check(id, head());
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_NE(outcome->note.find("filling the nonce"), std::string::npos) << outcome->note;
    ASSERT_EQ(entry(id).attempts.size(), 2u);
    EXPECT_EQ(entry(id).attempts[1].payload, state::JournalPayload::nonce_fill);
    mine();
    outcome = restarted->check(id, head());
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->status, chain::TxStatus::confirmed);
    EXPECT_TRUE(outcome->filled);
    const auto closed = entry(id);
    EXPECT_EQ(closed.status, state::JournalStatus::abandoned);  // with a record: the fill's receipt
    ASSERT_TRUE(closed.receipt.has_value());
    EXPECT_TRUE(closed.receipt->success);
    EXPECT_EQ(closed.receipt->tx_hash, closed.attempts[1].hash);
    EXPECT_EQ(mined_count(), 1u);
    EXPECT_EQ(client_->get_balance(kGuard).value(), U256());  // nothing reverted on chain, nothing ran
}

TEST_F(JournaledSenderOnAnvil, RefusedResendsAddNoAttemptRows) {
    AnvilOptions options;
    options.no_mining = true;
    start(options);
    std::int64_t id = 0;
    {
        auto first = open_sender(1);
        ASSERT_TRUE(first);
        auto sent = first->send("work:refused", guarded_work(), head(), "{}", head());
        ASSERT_TRUE(sent) << sent.error().message;
        id = *sent;
    }
    // Lost from the pool, and the key can no longer pay for gas: every
    // re-send is refused ("insufficient funds"), poll after poll.
    ASSERT_TRUE(client_->call("anvil_dropAllTransactions"));
    const Address from = sender_address();
    auto restarted = open_sender(1);
    ASSERT_TRUE(restarted);
    // eth_call from a key without funds still simulates (anvil charges no
    // gas on calls), so the work is judged sound and the send itself is refused.
    ASSERT_TRUE(keeper::devnet::anvil_set_balance(*client_, from, U256(1)));
    for (int poll = 0; poll < 12; ++poll) {
        mine();
        (void)restarted->check(id, head());
    }
    const auto after = entry(id);
    EXPECT_EQ(after.attempts.size(), 1u);  // only the original attempt
    EXPECT_TRUE(state::is_open(after.status));
}

TEST_F(JournaledSenderOnAnvil, WorkNoConfiguredProtocolOwnsIsStillShepherdedToAFinalState) {
    start();
    std::int64_t id = 0;
    {
        auto first = open_sender(1);
        ASSERT_TRUE(first);
        auto sent = first->send("retired-protocol:0xabc:0xdef", guarded_work(), head(), "{}", head());
        ASSERT_TRUE(sent) << sent.error().message;
        id = *sent;
    }
    auto restarted = open_sender(1);
    ASSERT_TRUE(restarted);
    // No protocol checks it (its key belongs to none of them): the sweep does.
    auto swept = restarted->check_unvisited(head());
    ASSERT_EQ(swept.size(), 1u);
    ASSERT_TRUE(swept[0].second) << swept[0].second.error().message;
    EXPECT_EQ(swept[0].second->status, chain::TxStatus::confirmed);
    EXPECT_EQ(entry(id).status, state::JournalStatus::confirmed);
    EXPECT_TRUE(restarted->in_flight().empty());
    // Entries checked at this head are not checked twice.
    EXPECT_TRUE(restarted->check_unvisited(head()).empty());
}

}  // namespace journaled_sender_anvil_test
}  // namespace keeper::app
