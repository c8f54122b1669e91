// Subscriptions against anvil's own websocket endpoint (same port as HTTP):
// newHeads in order, the emitter's logs, a dropped connection whose missed
// events come back exactly once through eth_getLogs, and connection failures
// that name their stage.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "chain/subscription.hpp"
#include "chain/transaction.hpp"
#include "core/hex.hpp"
#include "net/websocket_session.hpp"
#include "support/anvil_process.hpp"
#include "support/dev_chain.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace ws_subscription_anvil_test {

using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;
using keeper::testing::emitter_topic;
using keeper::testing::kEmitterInitCode;
using namespace std::chrono_literals;

// Generous bounds on waiting, never asserted on: a slow machine only waits longer.
constexpr auto kWait = 10'000ms;
constexpr int kMaxMessages = 200;

std::uint16_t unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // NOLINT
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);  // NOLINT
    ::close(fd);  // nothing listens on it now
    return ntohs(addr.sin_port);
}

RetryEnvironment recording_environment(std::vector<std::chrono::milliseconds>* sleeps) {
    return RetryEnvironment{[sleeps](std::chrono::milliseconds d) { sleeps->push_back(d); }, [] { return 0.0; }};
}

class WsOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        ws_url_ = "ws://127.0.0.1:" + std::to_string(anvil_->port());
        client_.emplace(make_http_client(anvil_->url()));
        key_.emplace(PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value());
    }

    void deploy_emitter() {
        auto receipt = send({}, *hex::decode(kEmitterInitCode));
        ASSERT_TRUE(receipt.contract_address.has_value());
        emitter_ = *receipt.contract_address;
    }

    Receipt send(std::optional<Address> to, Bytes data) {
        auto receipt = keeper::testing::send_and_wait(*client_, *key_, to, std::move(data));
        EXPECT_TRUE(receipt.has_value()) << receipt.error().message;
        return receipt.value_or(Receipt{});
    }

    void emit(std::uint8_t sequence) { send(emitter_, Bytes{sequence}); }
    LogFilter filter() const { return LogFilter{{emitter_}, {emitter_topic()}}; }

    std::unique_ptr<SubscriptionClient> subscription_client(std::vector<std::chrono::milliseconds>* sleeps) {
        ReconnectPolicy policy;
        policy.max_attempts = 3;
        return std::make_unique<SubscriptionClient>(websocket_channel(ws_url_), policy, recording_environment(sleeps));
    }

    std::optional<AnvilProcess> anvil_;
    std::string ws_url_;
    std::optional<JsonRpcClient> client_;
    std::optional<PrivateKey> key_;
    Address emitter_;
};

TEST_F(WsOnAnvil, SessionExchangesMessagesAndAReceiveThatTimesOutLosesNothing) {
    auto session = net::WebSocketSession::connect(ws_url_);
    ASSERT_TRUE(session.has_value()) << session.error().message;
    EXPECT_TRUE(session->is_open());
    ASSERT_TRUE(session->send(R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})").has_value());
    auto reply = session->receive(kWait);
    ASSERT_TRUE(reply.has_value()) << reply.error().message;
    ASSERT_TRUE(reply->has_value());
    const auto sub = nlohmann::json::parse(**reply);
    ASSERT_TRUE(sub["result"].is_string()) << **reply;

    // No block yet: the read times out but stays pending...
    auto quiet = session->receive(1ms);
    ASSERT_TRUE(quiet.has_value()) << quiet.error().message;
    EXPECT_FALSE(quiet->has_value());
    // ...and the next receive gets the whole notification.
    ASSERT_TRUE(keeper::devnet::evm_mine(*client_).has_value());
    auto note = session->receive(kWait);
    ASSERT_TRUE(note.has_value()) << note.error().message;
    ASSERT_TRUE(note->has_value());
    const auto doc = nlohmann::json::parse(**note);
    EXPECT_EQ(doc["method"], "eth_subscription");
    EXPECT_EQ(doc["params"]["subscription"], sub["result"]);

    auto closed = session->close();
    ASSERT_TRUE(closed.has_value()) << closed.error().message;
    EXPECT_FALSE(session->is_open());
    auto after = session->receive(1ms);
    ASSERT_FALSE(after.has_value());
    EXPECT_NE(after.error().message.find("read"), std::string::npos) << after.error().message;
}

TEST_F(WsOnAnvil, NewHeadsDeliversEveryMinedBlockInOrder) {
    std::vector<std::chrono::milliseconds> sleeps;
    auto subs = subscription_client(&sleeps);
    const auto key = subs->subscribe_new_heads();
    ASSERT_TRUE(key.has_value()) << key.error().message;
    const std::uint64_t start = client_->block_number().value();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(keeper::devnet::evm_mine(*client_).has_value());

    std::vector<BlockHeader> heads;
    for (int i = 0; i < kMaxMessages && heads.size() < 3; ++i) {
        auto event = subs->next(kWait);
        ASSERT_TRUE(event.has_value()) << event.error().message;
        if (!*event) continue;
        const auto* head = std::get_if<NewHead>(&**event);
        ASSERT_NE(head, nullptr) << "unexpected event kind " << (*event)->index();
        EXPECT_EQ(head->key, *key);
        heads.push_back(head->header);
    }
    ASSERT_EQ(heads.size(), 3u);
    for (std::uint64_t i = 0; i < 3; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(heads[i].number, start + 1 + i);
        const auto canonical = client_->get_block_header(BlockId::number(start + 1 + i)).value().value();
        EXPECT_EQ(heads[i].hash, canonical.hash);
        EXPECT_EQ(heads[i].parent_hash, canonical.parent_hash);
        if (i > 0) {
            EXPECT_EQ(heads[i].parent_hash, heads[i - 1].hash);
        }
    }
    EXPECT_EQ(subs->reconnects(), 0u);
}

TEST_F(WsOnAnvil, LogsSubscriptionDeliversTheEmittersEvents) {
    deploy_emitter();
    std::vector<std::chrono::milliseconds> sleeps;
    auto subs = subscription_client(&sleeps);
    const auto key = subs->subscribe_logs(filter());
    ASSERT_TRUE(key.has_value()) << key.error().message;
    for (std::uint8_t i = 1; i <= 3; ++i) emit(i);
    send(std::nullopt, *hex::decode(kEmitterInitCode));  // another contract's deployment: not ours

    std::vector<Log> logs;
    for (int i = 0; i < kMaxMessages && logs.size() < 3; ++i) {
        auto event = subs->next(kWait);
        ASSERT_TRUE(event.has_value()) << event.error().message;
        if (!*event) continue;
        const auto* log = std::get_if<NewLog>(&**event);
        ASSERT_NE(log, nullptr) << "unexpected event kind " << (*event)->index();
        EXPECT_EQ(log->key, *key);
        logs.push_back(log->log);
    }
    ASSERT_EQ(logs.size(), 3u);
    for (std::uint8_t i = 0; i < 3; ++i) {
        SCOPED_TRACE(int{i});
        EXPECT_EQ(logs[i].address, emitter_);
        EXPECT_EQ(logs[i].topics, std::vector<Bytes32>{emitter_topic()});
        EXPECT_EQ(logs[i].data, Bytes{static_cast<std::uint8_t>(i + 1)});
        EXPECT_FALSE(logs[i].removed);
        EXPECT_TRUE(logs[i].block_hash.has_value());
    }
}

TEST_F(WsOnAnvil, EventsEmittedWhileDisconnectedAreBackfilledExactlyOnce) {
    deploy_emitter();
    const auto start = client_->get_block_header(BlockId::latest()).value().value();
    LogFollower follower(*client_, filter(), block_ref(start));
    std::vector<std::chrono::milliseconds> sleeps;
    WebSocketHeadSource heads(subscription_client(&sleeps));

    std::vector<std::uint8_t> applied;
    std::vector<std::uint64_t> blocks;
    LogFollower::Handler handler{
        [](const std::vector<BlockRef>& removed) -> Result<void> {
            return fail("unexpected rollback of " + std::to_string(removed.size()) + " blocks");
        },
        [&](const BlockRef& block, std::vector<Log> logs) -> Result<void> {
            blocks.push_back(block.number);
            for (const auto& log : logs) applied.push_back(log.data.at(0));
            return {};
        }};
    auto follow_until = [&](std::size_t events) {
        for (int i = 0; i < kMaxMessages && applied.size() < events; ++i) {
            auto step = follow_next_head(heads, follower, handler, kWait);
            ASSERT_TRUE(step.has_value()) << step.error().message;
        }
    };

    // Subscribe before anything happens, then one event live.
    auto first = follow_next_head(heads, follower, handler, 1ms);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    emit(1);
    follow_until(1);
    ASSERT_EQ(applied, (std::vector<std::uint8_t>{1}));

    // The socket dies; three blocks with events are mined while nobody listens.
    heads.client().drop_connection();
    emit(2);
    emit(3);
    emit(4);
    follow_until(4);
    EXPECT_EQ(heads.client().reconnects(), 1u);
    EXPECT_EQ(applied, (std::vector<std::uint8_t>{1, 2, 3, 4}));

    // Live again, and nothing applied twice.
    emit(5);
    follow_until(5);
    EXPECT_EQ(applied, (std::vector<std::uint8_t>{1, 2, 3, 4, 5}));
    std::vector<std::uint64_t> expected_blocks;
    for (std::uint64_t n = start.number + 1; n <= start.number + 5; ++n) expected_blocks.push_back(n);
    EXPECT_EQ(blocks, expected_blocks);
    EXPECT_EQ(follower.tracker().tip()->number, start.number + 5);
    EXPECT_TRUE(sleeps.empty());  // the reconnect succeeded at once
}

TEST(WsConnectFailures, NothingListeningIsAConnectErrorNamingTheUrl) {
    const std::uint16_t port = unused_port();
    const std::string url = "ws://user:secret@127.0.0.1:" + std::to_string(port) + "/key";
    net::WebSocketOptions options;
    options.connect_timeout = 5000ms;
    auto session = net::WebSocketSession::connect(url, options);
    ASSERT_FALSE(session.has_value());
    const std::string& message = session.error().message;
    EXPECT_NE(message.find("ws://127.0.0.1:" + std::to_string(port) + "/<redacted>: connect: "), std::string::npos) << message;
    EXPECT_EQ(message.find("timed out"), std::string::npos) << message;  // refused, not waited out
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    EXPECT_EQ(message.find("key"), std::string::npos) << message;

    // Through the subscription client: the policy's attempts, backoff between them.
    std::vector<std::chrono::milliseconds> sleeps;
    ReconnectPolicy policy;
    policy.max_attempts = 2;
    SubscriptionClient client(websocket_channel("ws://127.0.0.1:" + std::to_string(port), options), policy,
                              recording_environment(&sleeps));
    auto key = client.subscribe_new_heads();
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().kind, RpcError::Kind::transport);
    EXPECT_NE(key.error().message.find("2 attempts"), std::string::npos) << key.error().message;
    EXPECT_NE(key.error().message.find("connect: "), std::string::npos) << key.error().message;
    EXPECT_EQ(sleeps.size(), 1u);
}

TEST_F(WsOnAnvil, WssToAPlainServerFailsAtTheTlsStage) {
    net::WebSocketOptions options;
    options.connect_timeout = 5000ms;
    auto session = net::WebSocketSession::connect("wss://127.0.0.1:" + std::to_string(anvil_->port()), options);
    ASSERT_FALSE(session.has_value());
    EXPECT_NE(session.error().message.find(": tls: "), std::string::npos) << session.error().message;
}

TEST_F(WsOnAnvil, HttpPollingHeadSourceSeesTheSameBlocks) {
    std::vector<std::chrono::milliseconds> sleeps;
    HeadSourceConfig config;
    config.poll_interval = 10ms;
    auto source = make_head_source(config, *client_, recording_environment(&sleeps));
    ASSERT_EQ(source->kind(), "polling");
    auto first = source->next_head(0ms);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_TRUE(first->has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(*client_).has_value());
    auto second = source->next_head(kWait);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    ASSERT_TRUE(second->has_value());
    EXPECT_EQ((*second)->number, (*first)->number + 1);
    EXPECT_EQ((*second)->parent_hash, (*first)->hash);
}

}  // namespace ws_subscription_anvil_test
}  // namespace keeper::chain
