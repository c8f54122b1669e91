// Issue #16 on a real node: the shepherd never mistakes its own mined
// transaction for another process's, re-checks and re-simulates work a reorg
// took away (re-sent with the same nonce, or the nonce filled), and keeps an
// attempt the node answered with an error it does not recognise.
//
// The work in these tests is a call to a tiny contract, the guard: it accepts
// any call (and its value) while its storage slot 0 is zero and reverts once
// the slot is set, so a test can make the same payload "stale" at will. Its
// balance counts how many times the work ran.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "chain/http_transport.hpp"
#include "chain/signer.hpp"
#include "chain/tx_shepherd.hpp"
#include "support/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace tx_safety_anvil_test {

using keeper::testing::AnvilOptions;
using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;

// PUSH1 0 SLOAD PUSH1 7 JUMPI STOP JUMPDEST PUSH1 0 DUP1 REVERT
constexpr const char* kGuardCode = "0x600054600757005b600080fd";
const Address kGuard = Address::parse("0x00000000000000000000000000000000000b10c1").value();

void install_guard(JsonRpcClient& client) {
    ASSERT_TRUE(client.call("anvil_setCode", nlohmann::json::array({kGuard.hex(), kGuardCode})).has_value());
}
void set_guard_reverts(JsonRpcClient& client, bool reverts) {
    const std::string slot0 = "0x" + std::string(64, '0');
    const std::string value = "0x" + std::string(63, '0') + (reverts ? "1" : "0");
    ASSERT_TRUE(client.call("anvil_setStorageAt", nlohmann::json::array({kGuard.hex(), slot0, value})).has_value());
}
// The work: 1 wei to the guard, through its code.
TxIntent guarded_work() { return TxIntent{kGuard, {}, U256(1), GasLimit{60'000}}; }

std::uint64_t head(JsonRpcClient& client) { return client.block_number().value(); }

// A transport that, just before it forwards a chosen method, has the node
// mine a block: the interleaving that made a keeper take its own landed
// transaction for another process's ("nonce used elsewhere").
class MineBefore final : public Transport {
public:
    MineBefore(std::string url, std::string method) : inner_(url), side_(make_http_client(url)), method_(std::move(method)) {}
    Result<std::string> send(const std::string& request) override {
        if (armed_ && request.find("\"" + method_ + "\"") != std::string::npos) {
            armed_ = false;
            if (auto mined = keeper::devnet::evm_mine(side_); !mined)
                return fail("mine-before: " + mined.error().message);
        }
        return inner_.send(request);
    }
    void arm() { armed_ = true; }

private:
    HttpTransport inner_;
    JsonRpcClient side_;
    std::string method_;
    bool armed_ = false;
};

// A node that takes the transaction but answers with an error wording no
// client table knows (the transaction is live all the same).
class UnknownSendError final : public Transport {
public:
    explicit UnknownSendError(std::string url) : inner_(std::move(url)) {}
    Result<std::string> send(const std::string& request) override {
        auto answer = inner_.send(request);
        if (!answer || request.find("\"eth_sendRawTransaction\"") == std::string::npos) return answer;
        const auto id = nlohmann::json::parse(request).at("id");
        return nlohmann::json{{"jsonrpc", "2.0"},
                              {"id", id},
                              {"error", {{"code", -32010}, {"message", "TxPool: could not admit (reason 0x1f)"}}}}
            .dump();
    }

private:
    HttpTransport inner_;
};

TEST(TxSafetyOnAnvil, OurTransactionMinedBetweenTheReadsIsOursNotAnotherProcesss) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto transport = std::make_unique<MineBefore>(anvil->url(), "eth_getTransactionCount");
    MineBefore* mine_before = transport.get();
    JsonRpcClient client(std::move(transport));
    const auto key = PrivateKey::from_hex(dev_accounts()[3].private_key_hex).value();
    auto nonces = NonceBook::rebuild(0, std::nullopt);
    ShepherdPolicy policy;
    policy.confirmations = 1;  // the tightest setting: any slip shows at once
    TxShepherd shepherd(client, key, ChainId{31337}, nonces, policy);

    auto tx = shepherd.send(TxIntent{dev_accounts()[7].address(), {}, U256(1), GasLimit{21'000}}, 0);
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    // The round's head is block 0; our transaction is mined into block 1
    // while check() runs, right before it reads the nonce count.
    mine_before->arm();
    auto outcome = shepherd.check(*tx, 0);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_NE(outcome->status, TxStatus::nonce_used_elsewhere);
    ASSERT_TRUE(outcome->receipt.has_value());
    EXPECT_EQ(outcome->receipt->transaction_hash, tx->attempts.at(0).hash);
    EXPECT_EQ(outcome->receipt->block_number, 1u);

    outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::confirmed);
    EXPECT_TRUE(outcome->receipt->success);
}

TEST(TxSafetyOnAnvil, AReorgedOutTransactionIsSimulatedAgainAndResentWithTheSameNonceOnce) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    install_guard(client);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());  // block 1: the guard's code is in place
    const auto key = PrivateKey::from_hex(dev_accounts()[4].private_key_hex).value();
    const Address sender = address_of(key);
    auto nonces = NonceBook::rebuild(0, std::nullopt);
    TxShepherd shepherd(client, key, ChainId{31337}, nonces);  // default: 3 confirmations
    EXPECT_EQ(shepherd.policy().confirmations, 3u);

    const auto before_work = client.call("evm_snapshot").value();
    auto tx = shepherd.send(guarded_work(), head(client));
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());  // block 2 holds it
    auto outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(outcome->status, TxStatus::mined);  // 1 of 3 confirmations: the work stays open

    // A reorg replaces block 2 with blocks that do not hold it.
    ASSERT_TRUE(client.call("evm_revert", nlohmann::json::array({before_work})).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    ASSERT_EQ(client.get_transaction_count(sender, BlockId::latest()).value(), 0u);
    outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::pending);
    EXPECT_TRUE(outcome->reorged_out);
    EXPECT_NE(outcome->note.find("still succeeds: re-sent"), std::string::npos) << outcome->note;
    ASSERT_EQ(tx->attempts.size(), 2u);
    EXPECT_EQ(tx->attempts[1].payload, AttemptPayload::intent);

    for (int i = 0; i < 3; ++i) ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(outcome->status, TxStatus::confirmed);
    EXPECT_TRUE(outcome->receipt->success);
    EXPECT_FALSE(outcome->filled);
    // The work ran exactly once, with nonce 0.
    EXPECT_EQ(client.get_balance(kGuard).value(), U256(1));
    EXPECT_EQ(client.get_transaction_count(sender, BlockId::latest()).value(), 1u);
}

TEST(TxSafetyOnAnvil, AReorgedOutTransactionThatWouldNowRevertHasItsNonceFilledAndLaterNoncesStillMine) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    install_guard(client);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    const auto key = PrivateKey::from_hex(dev_accounts()[5].private_key_hex).value();
    const Address sender = address_of(key);
    const U256 sender_before = client.get_balance(sender).value();
    auto nonces = NonceBook::rebuild(0, std::nullopt);
    TxShepherd shepherd(client, key, ChainId{31337}, nonces);

    const auto before_work = client.call("evm_snapshot").value();
    auto tx = shepherd.send(guarded_work(), head(client));
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    ASSERT_EQ(shepherd.check(*tx, head(client)).value().status, TxStatus::mined);

    // On the new branch the work would revert (say, someone else liquidated first).
    ASSERT_TRUE(client.call("evm_revert", nlohmann::json::array({before_work})).has_value());
    set_guard_reverts(client, true);
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    auto outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::pending);
    EXPECT_NE(outcome->note.find("filling the nonce"), std::string::npos) << outcome->note;
    ASSERT_EQ(tx->attempts.size(), 2u);
    EXPECT_EQ(tx->attempts[1].payload, AttemptPayload::nonce_fill);

    // A later piece of work takes nonce 1: it must not wait behind a gap.
    auto later = shepherd.send(TxIntent{dev_accounts()[8].address(), {}, U256(7), GasLimit{21'000}}, head(client));
    ASSERT_TRUE(later.has_value()) << later.error().message;
    EXPECT_EQ(later->nonce.value, 1u);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(outcome->status, TxStatus::confirmed);
    EXPECT_TRUE(outcome->filled);
    EXPECT_TRUE(outcome->receipt->success);
    EXPECT_EQ(outcome->receipt->to, sender);  // the fill: 0 wei to ourselves
    auto later_outcome = shepherd.check(*later, head(client));
    ASSERT_TRUE(later_outcome.has_value()) << later_outcome.error().message;
    EXPECT_EQ(later_outcome->status, TxStatus::confirmed);

    EXPECT_EQ(client.get_balance(kGuard).value(), U256());  // the stale work never ran
    EXPECT_EQ(client.get_transaction_count(sender, BlockId::latest()).value(), 2u);
    EXPECT_LT(client.get_balance(sender).value(), sender_before);
}

TEST(TxSafetyOnAnvil, AnUnrecognisedSendErrorKeepsTheAttemptAndItsNonce) {
    auto anvil = AnvilProcess::start();  // automine
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    JsonRpcClient client(std::make_unique<UnknownSendError>(anvil->url()));
    const auto key = PrivateKey::from_hex(dev_accounts()[6].private_key_hex).value();
    auto nonces = NonceBook::rebuild(0, std::nullopt);
    ShepherdPolicy policy;
    policy.confirmations = 1;
    TxShepherd shepherd(client, key, ChainId{31337}, nonces, policy);

    auto tx = shepherd.send(TxIntent{dev_accounts()[9].address(), {}, U256(3), GasLimit{21'000}}, 0);
    // The node took it: an unknown answer must not make us forget it.
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    ASSERT_EQ(tx->attempts.size(), 1u);
    EXPECT_EQ(nonces.peek(), 1u);  // nonce 0 is not handed to other work
    // anvil's automine can answer eth_sendRawTransaction before the block that
    // holds it is the head (seen in a Release build): judge at that block.
    const Address sender = address_of(key);
    for (int i = 0; i < 200 && client.get_transaction_count(sender, BlockId::latest()).value_or(0) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    auto outcome = shepherd.check(*tx, head(client));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    ASSERT_EQ(outcome->status, TxStatus::confirmed);
    ASSERT_TRUE(outcome->receipt.has_value());
    EXPECT_EQ(outcome->receipt->transaction_hash, tx->attempts[0].hash);
}

TEST(TxSafetyOnAnvil, ARefusedResendLeavesNoAttemptBehindAndWaitsABackOffBeforeTryingAgain) {
    AnvilOptions options;
    options.no_mining = true;
    auto anvil = AnvilProcess::start(options);
    ASSERT_TRUE(anvil.has_value()) << anvil.error().message;
    auto client = make_http_client(anvil->url());
    const auto key = PrivateKey::from_hex(dev_accounts()[7].private_key_hex).value();
    int journaled = 0, refused = 0;
    auto nonces = NonceBook::rebuild(0, 0);
    ShepherdPolicy policy;
    policy.confirmations = 1;
    TxShepherd shepherd(
        client, key, ChainId{31337}, nonces, policy,
        [&](const InFlightTx&, const TxAttempt&) -> Result<void> {
            ++journaled;
            return {};
        },
        [&](const InFlightTx&, const TxAttempt&) { ++refused; });
    // Another process with this key has nonce 0 in the pool at the market's
    // fees; our nonce 0 (journaled before a crash, never broadcast) offers
    // the same fees, so the node refuses it: "replacement transaction underpriced".
    auto their_nonces = NonceBook::rebuild(0, std::nullopt);
    TxShepherd other_process(client, key, ChainId{31337}, their_nonces, policy);
    ASSERT_TRUE(other_process.send(TxIntent{dev_accounts()[9].address(), {}, U256(5), GasLimit{21'000}}, 0));
    InFlightTx restored{Nonce{0}, TxIntent{dev_accounts()[8].address(), {}, U256(1), GasLimit{21'000}}, {}};

    auto outcome = shepherd.check(restored, head(client));
    ASSERT_FALSE(outcome.has_value());  // refused, and said so
    EXPECT_NE(outcome.error().message.find("replacement_underpriced"), std::string::npos) << outcome.error().message;
    EXPECT_TRUE(restored.attempts.empty());
    EXPECT_EQ(journaled, 1);
    EXPECT_EQ(refused, 1);  // the journal is told to forget the row it wrote
    // Polled again and again at the same head: no new attempt, no new row.
    for (int i = 0; i < 5; ++i) {
        outcome = shepherd.check(restored, head(client));
        ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
        EXPECT_EQ(outcome->status, TxStatus::pending);
    }
    EXPECT_EQ(journaled, 1);
    EXPECT_EQ(journaled - refused, 0);

    // Their transaction is mined: nonce 0 is spent by a transaction that is
    // not ours, concluded at the second look.
    ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
    for (int i = 0; i < 4 && outcome && outcome->status == TxStatus::pending; ++i) {
        ASSERT_TRUE(keeper::devnet::evm_mine(client).has_value());
        outcome = shepherd.check(restored, head(client));
    }
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    EXPECT_EQ(outcome->status, TxStatus::nonce_used_elsewhere);
    EXPECT_EQ(journaled - refused, 0);  // no row claims an attempt that never reached a pool
}

}  // namespace tx_safety_anvil_test
}  // namespace keeper::chain
