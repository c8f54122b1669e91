#pragma once
// Subscriptions over a websocket (eth_subscribe "newHeads" and "logs"),
// demultiplexed into typed events, with reconnect + re-subscribe; and the
// HeadSource the daemon follows the chain with: websocket newHeads when a
// `ws` URL is configured, HTTP polling of the latest block otherwise.
//
// Why no event is lost across a reconnect -- by construction, not by replay:
//   Live `logs` notifications are NOT trusted alone. A subscription says
//   nothing about what was missed while the socket was down, and a node may
//   drop notifications under load. So the daemon drives state from HEADS:
//   every head (from newHeads or from polling) goes to
//   LogFollower::follow_head(), which resolves gaps and reorgs through the
//   BlockTracker and fetches the logs of the whole added block range with
//   eth_getLogs. A head that arrives after a gap therefore backfills every
//   block in between; a reorg rolls back before it applies. After a
//   reconnect, the WebSocketHeadSource also asks the node for its latest head
//   at once, so the backfill does not wait for the next block.
//   Live `logs` notifications are a low-latency hint (e.g. to pre-screen an
//   account a block early); anything that must be exact comes from the
//   follower. follow_next_head() below is that loop's one step.
//
// Retry and fallback are layers (DESIGN rule 11): SubscriptionClient owns the
// reconnect (backoff with full jitter, sleep injected like RetryEnvironment),
// the socket is a MessageChannel a test replaces with a script.
// Not thread-safe: one client per thread.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/log_sync.hpp"
#include "chain/retrying_transport.hpp"
#include "chain/rpc_client.hpp"
#include "chain/rpc_error.hpp"
#include "chain/rpc_types.hpp"
#include "core/result.hpp"
#include "net/websocket_session.hpp"

namespace keeper::chain {

// ---- One message off the wire (pure, fuzzable) ----------------------------

// {"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":ID,"result":...}}
struct SubscriptionNotification {
    std::string subscription;  // the node's id, as sent
    nlohmann::json result;
};
// An answer to one of our requests: checked with check_response() by whoever waits for `id`.
struct RpcReply {
    std::uint64_t id = 0;
    nlohmann::json document;
};
using IncomingMessage = std::variant<SubscriptionNotification, RpcReply>;

// Errors name what is wrong; a message that is neither is an error, not ignored.
Result<IncomingMessage> parse_incoming(std::string_view text);

// The filter object of eth_subscribe("logs", {...}): address and topics, no block range.
nlohmann::json log_subscription_filter(const LogFilter& filter);

// ---- The connection, replaceable in tests ---------------------------------

class MessageChannel {
public:
    virtual ~MessageChannel() = default;
    virtual Result<void> send(const std::string& text) = 0;
    // nullopt: nothing within `timeout` (the channel is still usable).
    virtual Result<std::optional<std::string>> receive(std::chrono::milliseconds timeout) = 0;
    // Drops the connection as a network failure would: later calls fail.
    virtual void abort() = 0;
};
using ChannelFactory = std::function<Result<std::unique_ptr<MessageChannel>>()>;

// Each call opens a new net::WebSocketSession to `url`.
ChannelFactory websocket_channel(std::string url, net::WebSocketOptions options = {});

// ---- Typed events ---------------------------------------------------------

// Our name for a subscription; stays the same across reconnects (the node's id does not).
struct SubscriptionKey {
    std::uint32_t value = 0;
    friend auto operator<=>(const SubscriptionKey&, const SubscriptionKey&) = default;
};

struct NewHead {
    SubscriptionKey key;
    BlockHeader header;
};
struct NewLog {
    SubscriptionKey key;
    Log log;  // log.removed: a reorg dropped it
};
// A transaction entered the node's pool. With full transactions (geth,
// anvil: eth_subscribe("newPendingTransactions", true)) `tx` is set; a node
// that sends hashes only leaves it empty: eth_getTransactionByHash the hash.
struct NewPendingTransaction {
    SubscriptionKey key;
    Bytes32 hash;
    std::optional<PendingTransaction> tx;
};
// The connection was lost and is back, every subscription renewed. Anything
// the node sent in between is gone: re-read what matters (see the top).
struct Reconnected {
    unsigned attempts = 0;  // connection attempts this took
    std::string cause;      // the error that dropped the old connection
};
using SubscriptionEvent = std::variant<NewHead, NewLog, NewPendingTransaction, Reconnected>;

struct ReconnectPolicy {
    unsigned max_attempts = 5;  // per next()/subscribe call; the next call starts over
    std::chrono::milliseconds base_delay{250};
    std::chrono::milliseconds max_delay{10'000};
    std::chrono::milliseconds request_timeout{5'000};  // an eth_subscribe or call() answer (below the 10 s shutdown promise)
};

class SubscriptionClient {
public:
    SubscriptionClient(ChannelFactory connect, ReconnectPolicy policy, RetryEnvironment environment);

    // Subscribes now (connecting if needed) and again after every reconnect.
    RpcResult<SubscriptionKey> subscribe_new_heads();
    RpcResult<SubscriptionKey> subscribe_logs(const LogFilter& filter);
    // eth_subscribe("newPendingTransactions", true): full transactions where
    // the node offers them, hashes where it ignores the flag.
    RpcResult<SubscriptionKey> subscribe_pending_transactions();
    // Forgets the subscription; tells the node when connected (best effort).
    RpcResult<void> unsubscribe(SubscriptionKey key);

    // An ordinary JSON-RPC call over the socket; notifications that arrive
    // while waiting are kept for next().
    RpcResult<nlohmann::json> call(const std::string& method, nlohmann::json params = nlohmann::json::array());

    // The next event, waiting at most `timeout` for one message. nullopt when
    // nothing arrived or the message was not an event of ours (a stale reply,
    // an unsubscribed id). A lost connection is re-established here, with
    // backoff, and reported as Reconnected; an error means the policy's
    // attempts all failed (the next call tries again) or a notification was
    // malformed (it is dropped; the next call goes on).
    Result<std::optional<SubscriptionEvent>> next(std::chrono::milliseconds timeout);

    // Drops the socket as a network failure would; the next call notices and
    // reconnects. For tests and for an operator's "reconnect now".
    void drop_connection();

    bool connected() const { return channel_ != nullptr; }
    // The node's current id for `key`, while connected.
    std::optional<std::string> server_id(SubscriptionKey key) const;
    std::uint64_t reconnects() const { return reconnects_; }
    // The delay before connection attempt `attempt` + 1 (1 = the first retry).
    std::chrono::milliseconds backoff(unsigned attempt) const;

private:
    enum class Kind : std::uint8_t { heads, logs, pending_transactions };
    struct Wanted {
        nlohmann::json params;  // ["newHeads"], ["logs", {...}] or ["newPendingTransactions", true]
        Kind kind = Kind::logs;
        std::optional<std::string> server_id;
    };

    Result<void> ensure_connected();
    RpcResult<nlohmann::json> request(const std::string& method, nlohmann::json params);
    RpcResult<std::string> subscribe_on_node(const nlohmann::json& params);
    RpcResult<SubscriptionKey> add(nlohmann::json params, Kind kind);
    // Decodes a notification into queue_; error when malformed.
    Result<void> route(const SubscriptionNotification& notification);
    void lose_connection(std::string cause);
    bool stopping() const;

    ChannelFactory connect_;
    ReconnectPolicy policy_;
    RetryEnvironment env_;
    std::unique_ptr<MessageChannel> channel_;
    std::map<SubscriptionKey, Wanted> wanted_;
    std::map<std::string, SubscriptionKey> by_server_id_;
    std::deque<SubscriptionEvent> queue_;
    std::optional<std::string> lost_;  // why the last connection went away; set once we had one
    std::uint32_t next_key_ = 1;
    std::uint64_t next_id_ = 1;
    std::uint64_t reconnects_ = 0;
    unsigned failures_in_a_row_ = 0;  // connection attempts; grows the backoff across calls
};

// ---- Where heads come from ------------------------------------------------

class HeadSource {
public:
    virtual ~HeadSource() = default;
    // A head the consumer has not seen from this source, or nullopt when none
    // came within `timeout`. Heads may repeat a height (reorg) or skip heights
    // (a gap): feed them to LogFollower::follow_head, which sorts that out.
    virtual Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds timeout) = 0;
    virtual std::string_view kind() const = 0;  // "websocket" | "polling"
};

// eth_getBlockByNumber("latest") every `interval`; reports a head when its
// hash changed. At most one poll per interval across calls too: a caller
// that waits in steps shorter than the interval (the daemon asks for 200 ms
// at a time) does not poll at the end of one call and again at the start of
// the next. The interval runs from the last poll, by `now` or by the source's
// own sleeps, whichever says more time has passed.
class PollingHeadSource final : public HeadSource {
public:
    using Now = std::function<std::chrono::steady_clock::time_point()>;
    PollingHeadSource(JsonRpcClient& client, std::chrono::milliseconds interval,
                      std::function<void(std::chrono::milliseconds)> sleep, Now now = {});
    Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds timeout) override;
    std::string_view kind() const override { return "polling"; }

private:
    JsonRpcClient& client_;
    std::chrono::milliseconds interval_;
    std::function<void(std::chrono::milliseconds)> sleep_;
    Now now_;
    std::optional<Bytes32> last_hash_;
    std::optional<std::chrono::steady_clock::time_point> last_poll_;
    std::chrono::milliseconds slept_since_poll_{0};
};

// newHeads over a SubscriptionClient (subscribed on first use). After a
// reconnect the node's latest head is fetched over the socket and returned,
// so a follower backfills the gap right away.
class WebSocketHeadSource final : public HeadSource {
public:
    explicit WebSocketHeadSource(std::unique_ptr<SubscriptionClient> client);
    Result<std::optional<BlockHeader>> next_head(std::chrono::milliseconds timeout) override;
    std::string_view kind() const override { return "websocket"; }
    SubscriptionClient& client() { return *client_; }

private:
    std::unique_ptr<SubscriptionClient> client_;
    std::optional<SubscriptionKey> key_;
};

struct HeadSourceConfig {
    std::optional<std::string> ws_url;  // [chain] ws; absent: HTTP polling
    std::chrono::milliseconds poll_interval{250};
    net::WebSocketOptions ws_options;
    ReconnectPolicy reconnect;
    // With a websocket: how often HTTP is asked while the socket is up but
    // quiet (see FallbackHeadSource), and where switches are told.
    std::chrono::milliseconds ws_check_interval{1'000};
    std::function<void(bool trouble, const std::string& line)> note;
};
// The daemon's choice: websocket newHeads when `ws_url` is set -- on a thread
// of its own, with HTTP polling of `http` while it is down or quiet
// (FallbackHeadSource) --, else polling `http` (which must outlive the
// source). `environment.stopping` also ends the websocket's thread.
std::unique_ptr<HeadSource> make_head_source(const HeadSourceConfig& config, JsonRpcClient& http,
                                             RetryEnvironment environment);

// One step of following: waits for the next head and feeds it to the
// follower (logs from eth_getLogs over every added block). nullopt when no
// head came; an empty update when the head was already applied or is an
// older block of the chain we follow (a late notification, not a reorg).
Result<std::optional<ChainUpdate>> follow_next_head(HeadSource& heads, LogFollower& follower,
                                                    const LogFollower::Handler& handler,
                                                    std::chrono::milliseconds timeout);

}  // namespace keeper::chain
