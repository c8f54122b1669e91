// eth_subscription notifications on canned JSON: demultiplexed into typed
// events by subscription, replies routed by id, and a dropped connection
// reconnected with backoff and re-subscribed under the same keys.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "chain/subscription.hpp"

namespace keeper::chain {
namespace subscription_demux_test {

using nlohmann::json;
using namespace std::chrono_literals;

const char* const kHash1 = "0x1111111111111111111111111111111111111111111111111111111111111111";
const char* const kHash2 = "0x2222222222222222222222222222222222222222222222222222222222222222";
const char* const kTopic = "0x000000000000000000000000000000000000000000000000000000000000002a";

json header_json(std::uint64_t number, const char* hash, const char* parent) {
    return {{"number", U256(number).to_hex()}, {"hash", hash}, {"parentHash", parent}, {"timestamp", "0x6553f100"},
            {"baseFeePerGas", "0x3b9aca00"}, {"miner", "0x0000000000000000000000000000000000000000"}};
}

json log_json(bool removed) {
    return {{"address", "0x5fbdb2315678afecb367f032d93f642f64180aa3"},
            {"topics", json::array({kTopic})},
            {"data", "0x07"},
            {"blockNumber", "0x5"},
            {"blockHash", kHash1},
            {"transactionHash", kHash2},
            {"transactionIndex", "0x0"},
            {"logIndex", "0x0"},
            {"removed", removed}};
}

std::string notification(const std::string& id, const json& result) {
    return json{{"jsonrpc", "2.0"}, {"method", "eth_subscription"}, {"params", {{"subscription", id}, {"result", result}}}}.dump();
}

// ---- parse_incoming ------------------------------------------------------------

TEST(ParseIncoming, TellsNotificationsFromReplies) {
    auto n = parse_incoming(notification("0xabc", header_json(5, kHash1, kHash2)));
    ASSERT_TRUE(n.has_value()) << n.error().message;
    const auto* note = std::get_if<SubscriptionNotification>(&*n);
    ASSERT_NE(note, nullptr);
    EXPECT_EQ(note->subscription, "0xabc");
    EXPECT_EQ(note->result["number"], "0x5");

    auto r = parse_incoming(R"({"jsonrpc":"2.0","id":7,"result":"0xdef"})");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    const auto* reply = std::get_if<RpcReply>(&*r);
    ASSERT_NE(reply, nullptr);
    EXPECT_EQ(reply->id, 7u);
    EXPECT_EQ(check_response(reply->document, 7).value(), "0xdef");
}

TEST(ParseIncoming, RejectsWhatIsNeither) {
    const std::pair<std::string, std::string> cases[] = {
        {"not json", "not JSON"},
        {"[1,2]", "not a JSON object"},
        {R"({"jsonrpc":"2.0"})", "neither"},
        {R"({"jsonrpc":"2.0","method":"eth_other","params":{}})", "unexpected method"},
        {R"({"jsonrpc":"2.0","method":"eth_subscription","params":[]})", "'params' is not an object"},
        {R"({"jsonrpc":"2.0","method":"eth_subscription","params":{"result":{}}})", "params.subscription"},
        {R"({"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"","result":{}}})", "params.subscription"},
        {R"({"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0x1"}})", "params.result"},
        {R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}})", "parse error"},
        {R"({"jsonrpc":"2.0","id":"7","result":1})", "reply with id"},
    };
    for (const auto& [text, expected] : cases) {
        SCOPED_TRACE(text);
        auto parsed = parse_incoming(text);
        ASSERT_FALSE(parsed.has_value());
        EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << parsed.error().message;
    }
}

TEST(LogSubscriptionFilter, HasAddressAndTopicsButNoRange) {
    Address a = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
    Bytes32 t;
    t.bytes[31] = 0x2a;
    const json filter = log_subscription_filter(LogFilter{{a}, {t}});
    EXPECT_EQ(filter["address"], json::array({a.hex()}));
    EXPECT_EQ(filter["topics"], json::array({json::array({t.hex()})}));
    EXPECT_FALSE(filter.contains("fromBlock"));
    EXPECT_EQ(log_subscription_filter(LogFilter{}), json::object());
}

// ---- SubscriptionClient over scripted channels -----------------------------------

// What the fake node saw and will say, shared by every channel it opens.
struct FakeNode {
    std::vector<std::vector<json>> sent;  // per connection, the requests received
    std::deque<std::string> inbox;        // what the current connection will read next
    bool broken = false;                  // the current connection failed
    int connects = 0;
    int refuse_next = 0;                  // connection attempts to refuse
    int next_sub = 1;
    bool answer_subscribe = true;
    std::vector<std::string> before_reply;  // pushed ahead of the next reply (notifications racing it)
};

class FakeChannel final : public MessageChannel {
public:
    explicit FakeChannel(FakeNode& node) : node_(node) {}
    Result<void> send(const std::string& text) override {
        if (node_.broken) return fail("write: broken pipe");
        const json request = json::parse(text);
        node_.sent.back().push_back(request);
        for (auto& m : node_.before_reply) node_.inbox.push_back(m);
        node_.before_reply.clear();
        if (request["method"] == "eth_subscribe" && node_.answer_subscribe) {
            node_.inbox.push_back(
                json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", "0xsub" + std::to_string(node_.next_sub++)}}.dump());
        } else if (request["method"] == "eth_unsubscribe") {
            node_.inbox.push_back(json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", true}}.dump());
        } else if (request["method"] == "eth_chainId") {
            node_.inbox.push_back(json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", "0x7a69"}}.dump());
        }
        return {};
    }
    Result<std::optional<std::string>> receive(std::chrono::milliseconds) override {
        if (node_.broken) return fail("ws ws://node:80: read: connection reset");
        if (node_.inbox.empty()) return std::optional<std::string>{};
        std::string m = std::move(node_.inbox.front());
        node_.inbox.pop_front();
        return std::optional<std::string>(std::move(m));
    }
    void abort() override { node_.broken = true; }

private:
    FakeNode& node_;
};

ChannelFactory factory(FakeNode& node) {
    return [&node]() -> Result<std::unique_ptr<MessageChannel>> {
        if (node.refuse_next > 0) {
            --node.refuse_next;
            return fail("ws ws://node:80: connect: Connection refused");
        }
        ++node.connects;
        node.broken = false;
        node.inbox.clear();
        node.sent.emplace_back();
        return std::unique_ptr<MessageChannel>(std::make_unique<FakeChannel>(node));
    };
}

struct Sleeps {
    std::vector<std::chrono::milliseconds> calls;
    RetryEnvironment environment() {
        return RetryEnvironment{[this](std::chrono::milliseconds d) { calls.push_back(d); }, [] { return 1.0; }};
    }
};

ReconnectPolicy policy(unsigned attempts = 5) {
    ReconnectPolicy p;
    p.max_attempts = attempts;
    p.base_delay = 250ms;
    p.max_delay = 10'000ms;
    p.request_timeout = 1000ms;
    return p;
}

template <class T>
T expect_event(Result<std::optional<SubscriptionEvent>> event) {
    EXPECT_TRUE(event.has_value()) << event.error().message;
    if (!event || !*event || !std::holds_alternative<T>(**event)) {
        ADD_FAILURE() << "expected another event";
        return T{};
    }
    return std::get<T>(std::move(**event));
}

TEST(SubscriptionClient, DemultiplexesNotificationsIntoTypedEventsBySubscription) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    const auto heads = client.subscribe_new_heads();
    ASSERT_TRUE(heads.has_value()) << heads.error().message;
    const auto logs = client.subscribe_logs(LogFilter{});
    ASSERT_TRUE(logs.has_value()) << logs.error().message;
    EXPECT_NE(*heads, *logs);
    EXPECT_EQ(client.server_id(*heads), "0xsub1");
    EXPECT_EQ(client.server_id(*logs), "0xsub2");
    ASSERT_EQ(node.sent.at(0).size(), 2u);
    EXPECT_EQ(node.sent[0][0]["params"], json::array({"newHeads"}));
    EXPECT_EQ(node.sent[0][1]["params"], json::array({"logs", json::object()}));

    node.inbox.push_back(notification("0xsub1", header_json(5, kHash1, kHash2)));
    node.inbox.push_back(notification("0xsub2", log_json(true)));
    node.inbox.push_back(notification("0xother", header_json(6, kHash2, kHash1)));  // not ours
    node.inbox.push_back(R"({"jsonrpc":"2.0","id":999,"result":"0x1"})");            // nobody waits for it

    const NewHead head = expect_event<NewHead>(client.next(0ms));
    EXPECT_EQ(head.key, *heads);
    EXPECT_EQ(head.header.number, 5u);
    EXPECT_EQ(head.header.hash.hex(), kHash1);
    EXPECT_EQ(head.header.parent_hash.hex(), kHash2);
    EXPECT_EQ(head.header.base_fee_per_gas, U256(1'000'000'000));

    const NewLog log = expect_event<NewLog>(client.next(0ms));
    EXPECT_EQ(log.key, *logs);
    EXPECT_TRUE(log.log.removed);
    EXPECT_EQ(log.log.block_number, 5u);
    EXPECT_EQ(log.log.data, Bytes{0x07});

    for (int i = 0; i < 3; ++i) {  // the foreign notification, the stale reply, then silence
        auto nothing = client.next(0ms);
        ASSERT_TRUE(nothing.has_value()) << nothing.error().message;
        EXPECT_FALSE(nothing->has_value());
    }
    EXPECT_EQ(node.connects, 1);
    EXPECT_TRUE(sleeps.calls.empty());
}

// The transaction anvil 1.7.1 sent for `cast send --async` (trimmed of r, s, v).
json pending_tx_json() {
    return {{"type", "0x2"},
            {"chainId", "0x7a69"},
            {"nonce", "0x0"},
            {"gas", "0x5208"},
            {"maxFeePerGas", "0x45e0d813"},
            {"maxPriorityFeePerGas", "0x3b9aca00"},
            {"to", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"},
            {"value", "0x1"},
            {"accessList", json::array()},
            {"input", "0xb1dc65a4"},
            {"hash", kHash1},
            {"blockHash", nullptr},
            {"blockNumber", nullptr},
            {"from", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"}};
}

TEST(SubscriptionClient, PendingTransactionsComeWithTheTransactionOrItsHashOnly) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    const auto pending = client.subscribe_pending_transactions();
    ASSERT_TRUE(pending.has_value()) << pending.error().message;
    EXPECT_EQ(node.sent.at(0).at(0)["params"], json::array({"newPendingTransactions", true}));

    node.inbox.push_back(notification("0xsub1", pending_tx_json()));
    node.inbox.push_back(notification("0xsub1", kHash2));  // a node that ignores the `true`
    json legacy = pending_tx_json();
    legacy.erase("maxPriorityFeePerGas");
    legacy.erase("maxFeePerGas");
    legacy["gasPrice"] = "0x77359400";
    legacy["to"] = nullptr;
    node.inbox.push_back(notification("0xsub1", legacy));

    const auto full = expect_event<NewPendingTransaction>(client.next(0ms));
    EXPECT_EQ(full.key, *pending);
    EXPECT_EQ(full.hash.hex(), kHash1);
    ASSERT_TRUE(full.tx.has_value());
    EXPECT_EQ(full.tx->from, Address::parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").value());
    EXPECT_EQ(full.tx->to, Address::parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8").value());
    EXPECT_EQ(full.tx->input, (Bytes{0xb1, 0xdc, 0x65, 0xa4}));
    EXPECT_EQ(full.tx->priority_fee_wei, U256(1'000'000'000));  // maxPriorityFeePerGas, 1 gwei

    const auto hash_only = expect_event<NewPendingTransaction>(client.next(0ms));
    EXPECT_EQ(hash_only.hash.hex(), kHash2);
    EXPECT_FALSE(hash_only.tx.has_value());

    const auto creation = expect_event<NewPendingTransaction>(client.next(0ms));
    ASSERT_TRUE(creation.tx.has_value());
    EXPECT_EQ(creation.tx->to, std::nullopt);
    EXPECT_EQ(creation.tx->priority_fee_wei, U256(2'000'000'000));  // a legacy gasPrice tips all of it
}

TEST(SubscriptionClient, APendingTransactionWithoutAFeeIsMalformed) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    ASSERT_TRUE(client.subscribe_pending_transactions().has_value());
    json feeless = pending_tx_json();
    feeless.erase("maxPriorityFeePerGas");
    node.inbox.push_back(notification("0xsub1", feeless));
    const auto event = client.next(0ms);
    ASSERT_FALSE(event.has_value());
    EXPECT_NE(event.error().message.find("neither 'maxPriorityFeePerGas' nor 'gasPrice'"), std::string::npos)
        << event.error().message;
}

TEST(SubscriptionClient, NotificationsThatArriveWhileACallWaitsAreKept) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    const auto heads = client.subscribe_new_heads().value();
    node.before_reply = {notification("0xsub1", header_json(9, kHash1, kHash2)), R"({"jsonrpc":"2.0","id":12345,"result":1})"};
    auto chain_id = client.call("eth_chainId");
    ASSERT_TRUE(chain_id.has_value()) << chain_id.error().message;
    EXPECT_EQ(*chain_id, "0x7a69");
    const NewHead head = expect_event<NewHead>(client.next(0ms));
    EXPECT_EQ(head.key, heads);
    EXPECT_EQ(head.header.number, 9u);
}

TEST(SubscriptionClient, AMalformedNotificationIsAnErrorAndTheNextCallGoesOn) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    (void)client.subscribe_new_heads().value();
    json bad = header_json(5, kHash1, kHash2);
    bad.erase("parentHash");
    node.inbox.push_back(notification("0xsub1", bad));
    node.inbox.push_back(notification("0xsub1", header_json(6, kHash2, kHash1)));
    auto first = client.next(0ms);
    ASSERT_FALSE(first.has_value());
    EXPECT_NE(first.error().message.find("parentHash"), std::string::npos) << first.error().message;
    EXPECT_NE(first.error().message.find("newHeads"), std::string::npos) << first.error().message;
    EXPECT_EQ(expect_event<NewHead>(client.next(0ms)).header.number, 6u);
}

TEST(SubscriptionClient, ADroppedConnectionIsReestablishedAndResubscribedUnderTheSameKeys) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    const auto heads = client.subscribe_new_heads().value();
    Address a = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
    const auto logs = client.subscribe_logs(LogFilter{{a}, {}}).value();

    client.drop_connection();
    const Reconnected back = expect_event<Reconnected>(client.next(0ms));
    EXPECT_EQ(back.attempts, 1u);
    EXPECT_NE(back.cause.find("connection reset"), std::string::npos) << back.cause;
    EXPECT_EQ(client.reconnects(), 1u);
    EXPECT_EQ(node.connects, 2);
    EXPECT_TRUE(sleeps.calls.empty());  // the first attempt after a drop is immediate

    // Both subscriptions renewed, same parameters, new ids behind the same keys.
    ASSERT_EQ(node.sent.at(1).size(), 2u);
    EXPECT_EQ(node.sent[1][0]["params"], node.sent[0][0]["params"]);
    EXPECT_EQ(node.sent[1][1]["params"], node.sent[0][1]["params"]);
    EXPECT_EQ(client.server_id(heads), "0xsub3");
    EXPECT_EQ(client.server_id(logs), "0xsub4");

    node.inbox.push_back(notification("0xsub1", header_json(7, kHash1, kHash2)));  // the old id: gone
    node.inbox.push_back(notification("0xsub3", header_json(8, kHash2, kHash1)));
    auto stale = client.next(0ms);
    ASSERT_TRUE(stale.has_value());
    EXPECT_FALSE(stale->has_value());
    const NewHead head = expect_event<NewHead>(client.next(0ms));
    EXPECT_EQ(head.key, heads);
    EXPECT_EQ(head.header.number, 8u);
}

TEST(SubscriptionClient, ReconnectsBackOffExponentiallyAndGiveUpAfterThePolicysAttempts) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(3), sleeps.environment());
    (void)client.subscribe_new_heads().value();

    client.drop_connection();
    node.refuse_next = 5;
    auto gave_up = client.next(0ms);
    ASSERT_FALSE(gave_up.has_value());
    EXPECT_NE(gave_up.error().message.find("connect: Connection refused"), std::string::npos) << gave_up.error().message;
    EXPECT_NE(gave_up.error().message.find("3 attempts"), std::string::npos) << gave_up.error().message;
    // uniform01 = 1: the full ceiling, 250 ms doubling.
    EXPECT_EQ(sleeps.calls, (std::vector<std::chrono::milliseconds>{250ms, 500ms}));

    // The next call carries on from there: two more refusals, then it connects.
    auto back = client.next(0ms);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_TRUE(back->has_value());
    const auto* reconnected = std::get_if<Reconnected>(&**back);
    ASSERT_NE(reconnected, nullptr);
    EXPECT_EQ(reconnected->attempts, 3u);
    EXPECT_EQ(sleeps.calls, (std::vector<std::chrono::milliseconds>{250ms, 500ms, 1000ms, 2000ms, 4000ms}));

    EXPECT_EQ(client.backoff(10), 10'000ms);  // capped at max_delay
}

TEST(SubscriptionClient, ANodeThatNeverAnswersTheSubscribeIsDroppedWithATransportError) {
    FakeNode node;
    node.answer_subscribe = false;
    Sleeps sleeps;
    ReconnectPolicy p = policy(1);
    p.request_timeout = 1ms;
    SubscriptionClient client(factory(node), p, sleeps.environment());
    auto key = client.subscribe_new_heads();
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().kind, RpcError::Kind::transport);
    EXPECT_NE(key.error().message.find("no answer"), std::string::npos) << key.error().message;
    EXPECT_FALSE(client.connected());
}

TEST(SubscriptionClient, UnsubscribeTellsTheNodeAndStopsRouting) {
    FakeNode node;
    Sleeps sleeps;
    SubscriptionClient client(factory(node), policy(), sleeps.environment());
    const auto heads = client.subscribe_new_heads().value();
    ASSERT_TRUE(client.unsubscribe(heads).has_value());
    EXPECT_EQ(node.sent[0].back()["method"], "eth_unsubscribe");
    EXPECT_EQ(node.sent[0].back()["params"], json::array({"0xsub1"}));
    EXPECT_FALSE(client.server_id(heads).has_value());
    node.inbox.push_back(notification("0xsub1", header_json(5, kHash1, kHash2)));
    auto nothing = client.next(0ms);
    ASSERT_TRUE(nothing.has_value());
    EXPECT_FALSE(nothing->has_value());
}

// ---- head sources -------------------------------------------------------------

// Answers eth_getBlockByNumber from a list of headers, one per call (the last repeats).
class HeadScript final : public Transport {
public:
    explicit HeadScript(std::vector<json> heads) : heads_(std::move(heads)) {}
    Result<std::string> send(const std::string& request) override {
        const json doc = json::parse(request);
        const json head = heads_.at(std::min(next_, heads_.size() - 1));
        ++next_;
        return json{{"jsonrpc", "2.0"}, {"id", doc["id"]}, {"result", head}}.dump();
    }

private:
    std::vector<json> heads_;
    std::size_t next_ = 0;
};

TEST(PollingHeadSource, ReportsAHeadOnlyWhenItChangesAndWaitsInIntervals) {
    JsonRpcClient client(std::make_unique<HeadScript>(std::vector<json>{
        header_json(5, kHash1, kHash2), header_json(5, kHash1, kHash2), header_json(5, kHash1, kHash2),
        header_json(5, kHash1, kHash2), header_json(6, kHash2, kHash1)}));
    std::vector<std::chrono::milliseconds> sleeps;
    // A clock that moves only by the sleeps: the interval is measured on it, never on the machine's.
    auto clock = std::chrono::steady_clock::time_point{};
    PollingHeadSource source(
        client, 100ms,
        [&](std::chrono::milliseconds d) {
            sleeps.push_back(d);
            clock += d;
        },
        [&] { return clock; });
    EXPECT_EQ(source.kind(), "polling");

    auto first = source.next_head(1000ms);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_TRUE(first->has_value());
    EXPECT_EQ((*first)->number, 5u);
    EXPECT_TRUE(sleeps.empty());

    auto none = source.next_head(150ms);  // polls once, 100 ms after the last poll: block 5 again
    ASSERT_TRUE(none.has_value()) << none.error().message;
    EXPECT_FALSE(none->has_value());
    EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{100ms, 50ms}));

    auto second = source.next_head(1000ms);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    ASSERT_TRUE(second->has_value());
    EXPECT_EQ((*second)->number, 6u);
}

// The daemon asks for the next head 200 ms at a time with a 250 ms poll
// interval. Each call used to poll at its start and again at its end: ~10
// polls a second instead of 4. Now the interval runs across calls: 10 calls
// of 200 ms on a quiet chain poll at 250, 500, ..., 2000 ms: 8 times.
TEST(PollingHeadSource, PollsOncePerIntervalWhenAskedInShorterSteps) {
    std::size_t polls = 0;
    class Counting final : public Transport {
    public:
        explicit Counting(std::size_t& polls) : polls_(polls) {}
        Result<std::string> send(const std::string& request) override {
            ++polls_;
            const json doc = json::parse(request);
            return json{{"jsonrpc", "2.0"}, {"id", doc["id"]}, {"result", header_json(5, kHash1, kHash2)}}.dump();
        }

    private:
        std::size_t& polls_;
    };
    JsonRpcClient client(std::make_unique<Counting>(polls));
    auto clock = std::chrono::steady_clock::time_point{};
    PollingHeadSource source(
        client, 250ms, [&](std::chrono::milliseconds d) { clock += d; }, [&] { return clock; });
    auto first = source.next_head(200ms);
    ASSERT_TRUE(first.has_value() && first->has_value());
    EXPECT_EQ(polls, 1u);
    for (int call = 0; call < 10; ++call) {
        auto none = source.next_head(200ms);
        ASSERT_TRUE(none.has_value()) << none.error().message;
        EXPECT_FALSE(none->has_value());
    }
    EXPECT_EQ(clock - std::chrono::steady_clock::time_point{}, 2000ms);
    EXPECT_EQ(polls, 1u + 8u);
}

TEST(HeadSourceChoice, NoWebsocketConfiguredMeansPolling) {
    JsonRpcClient client(std::make_unique<HeadScript>(std::vector<json>{header_json(1, kHash1, kHash2)}));
    HeadSourceConfig config;
    Sleeps sleeps;
    EXPECT_EQ(make_head_source(config, client, sleeps.environment())->kind(), "polling");
    config.ws_url = "ws://127.0.0.1:1";
    EXPECT_EQ(make_head_source(config, client, sleeps.environment())->kind(), "websocket");  // connects lazily
}

}  // namespace subscription_demux_test
}  // namespace keeper::chain
