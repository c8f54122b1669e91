#include "chain/subscription.hpp"

#include <algorithm>
#include <utility>

#include "chain/fallback_head_source.hpp"
#include "chain/head_source_thread.hpp"
#include "chain/json_fields.hpp"
#include "chain/rpc_response.hpp"
#include "net/printable_excerpt.hpp"

namespace keeper::chain {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

class WebSocketChannel final : public MessageChannel {
public:
    explicit WebSocketChannel(net::WebSocketSession session) : session_(std::move(session)) {}
    ~WebSocketChannel() override { (void)session_.close(); }
    Result<void> send(const std::string& text) override { return session_.send(text); }
    Result<std::optional<std::string>> receive(std::chrono::milliseconds timeout) override { return session_.receive(timeout); }
    void abort() override { session_.abort(); }

private:
    net::WebSocketSession session_;
};

std::string excerpt(std::string_view text) { return net::printable_excerpt(text, 120); }

}  // namespace

// ---- parsing ----------------------------------------------------------------

Result<IncomingMessage> parse_incoming(std::string_view text) {
    const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return fail("websocket message: not JSON: " + excerpt(text));
    if (!doc.is_object()) return fail("websocket message: not a JSON object: " + excerpt(text));
    if (const auto method = doc.find("method"); method != doc.end()) {
        if (!method->is_string() || method->get<std::string>() != "eth_subscription")
            return fail("websocket message: unexpected method " + excerpt(method->dump()));
        const auto params = doc.find("params");
        if (params == doc.end() || !params->is_object()) return fail("eth_subscription: 'params' is not an object");
        const auto id = params->find("subscription");
        if (id == params->end() || !id->is_string() || id->get<std::string>().empty())
            return fail("eth_subscription: 'params.subscription' is not a non-empty string");
        const auto result = params->find("result");
        if (result == params->end()) return fail("eth_subscription: no 'params.result'");
        return IncomingMessage{SubscriptionNotification{id->get<std::string>(), *result}};
    }
    const auto id = doc.find("id");
    if (id == doc.end()) return fail("websocket message: neither a notification nor a reply (no 'method', no 'id')");
    if (!id->is_number_unsigned()) {
        std::string detail = "websocket message: reply with id " + id->dump() + " (we send unsigned integers)";
        if (const auto error = doc.find("error"); error != doc.end()) detail += ": error " + excerpt(error->dump());
        return fail(detail);
    }
    return IncomingMessage{RpcReply{id->get<std::uint64_t>(), doc}};
}

json log_subscription_filter(const LogFilter& filter) {
    json object = json::object();
    if (!filter.addresses.empty()) {
        json list = json::array();
        for (const auto& a : filter.addresses) list.push_back(a.hex());
        object["address"] = list;
    }
    if (!filter.any_topic0.empty()) {
        json topics = json::array();
        for (const auto& t : filter.any_topic0) topics.push_back(t.hex());
        object["topics"] = json::array({topics});
    }
    return object;
}

ChannelFactory websocket_channel(std::string url, net::WebSocketOptions options) {
    return [url = std::move(url), options = std::move(options)]() -> Result<std::unique_ptr<MessageChannel>> {
        auto session = net::WebSocketSession::connect(url, options);
        if (!session) return std::unexpected(session.error());
        return std::unique_ptr<MessageChannel>(std::make_unique<WebSocketChannel>(std::move(*session)));
    };
}

// ---- SubscriptionClient -------------------------------------------------------

SubscriptionClient::SubscriptionClient(ChannelFactory connect, ReconnectPolicy policy, RetryEnvironment environment)
    : connect_(std::move(connect)), policy_(policy), env_(std::move(environment)) {
    policy_.max_attempts = std::max(policy_.max_attempts, 1u);
}

std::chrono::milliseconds SubscriptionClient::backoff(unsigned attempt) const {
    const unsigned shift = std::min(std::max(attempt, 1u) - 1, 20u);
    const auto ceiling = std::min(policy_.max_delay.count(), policy_.base_delay.count() << shift);
    // Full jitter: many keepers reconnecting to one node must not stampede in step.
    const double u = env_.uniform01 ? env_.uniform01() : 1.0;
    return std::chrono::milliseconds(static_cast<std::int64_t>(u * static_cast<double>(ceiling)));
}

bool SubscriptionClient::stopping() const { return env_.stopping && env_.stopping(); }

void SubscriptionClient::lose_connection(std::string cause) {
    if (!channel_) return;
    channel_->abort();
    channel_.reset();
    by_server_id_.clear();
    for (auto& [key, wanted] : wanted_) wanted.server_id.reset();
    lost_ = std::move(cause);
}

void SubscriptionClient::drop_connection() {
    // Keep the channel: the next read fails as after a real network drop, so
    // the ordinary error path (not a shortcut) reconnects.
    if (channel_) channel_->abort();
}

Result<void> SubscriptionClient::ensure_connected() {
    if (channel_) return {};
    const std::size_t queued_before = queue_.size();
    std::string last_error = "no attempt made";
    for (unsigned attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
        if (stopping()) return fail("subscription: connecting: stopped (shutdown)");
        if (failures_in_a_row_ > 0 && env_.sleep) env_.sleep(backoff(failures_in_a_row_));
        if (stopping()) return fail("subscription: connecting: stopped (shutdown)");
        auto channel = connect_();
        if (!channel) {
            last_error = channel.error().message;
            ++failures_in_a_row_;
            continue;
        }
        channel_ = std::move(*channel);
        bool renewed = true;
        for (auto& [key, wanted] : wanted_) {
            auto id = subscribe_on_node(wanted.params);
            if (!id) {
                last_error = "re-subscribing: " + id.error().message;
                renewed = false;
                break;
            }
            wanted.server_id = *id;
            by_server_id_[*id] = key;
        }
        if (!renewed) {
            if (channel_) {
                channel_->abort();
                channel_.reset();
            }
            by_server_id_.clear();
            ++failures_in_a_row_;
            continue;
        }
        failures_in_a_row_ = 0;
        if (lost_) {
            ++reconnects_;
            const auto at = queue_.begin() + static_cast<std::ptrdiff_t>(std::min(queued_before, queue_.size()));
            queue_.insert(at, SubscriptionEvent{Reconnected{attempt, std::move(*lost_)}});
            lost_.reset();
        }
        return {};
    }
    return fail("subscription: connecting: " + std::to_string(policy_.max_attempts) + " attempts failed; last: " + last_error);
}

RpcResult<json> SubscriptionClient::request(const std::string& method, json params) {
    if (!channel_) return rpc_fail(RpcError::transport(method + ": not connected"));
    const std::uint64_t id = next_id_++;
    if (auto sent = channel_->send(make_request(RpcCall{method, std::move(params)}, id).dump()); !sent) {
        lose_connection(sent.error().message);
        return rpc_fail(RpcError::transport(method + ": " + sent.error().message));
    }
    const auto deadline = SteadyClock::now() + policy_.request_timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0) {
            // A node that does not answer is as good as gone: start afresh.
            lose_connection(method + ": no answer within " + std::to_string(policy_.request_timeout.count()) + " ms");
            return rpc_fail(RpcError::transport(method + ": no answer within " + std::to_string(policy_.request_timeout.count()) + " ms"));
        }
        if (stopping()) return rpc_fail(RpcError::transport(method + ": stopped (shutdown)"));
        // In slices, so a shutdown does not wait out the whole request timeout.
        auto message = channel_->receive(std::min(left, std::chrono::milliseconds(200)));
        if (!message) {
            lose_connection(message.error().message);
            return rpc_fail(RpcError::transport(method + ": " + message.error().message));
        }
        if (!*message) continue;
        auto parsed = parse_incoming(**message);
        if (!parsed) continue;  // not ours to judge here; the node's answer to us is what we wait for
        if (const auto* notification = std::get_if<SubscriptionNotification>(&*parsed)) {
            (void)route(*notification);  // a malformed notification is dropped while a call waits
            continue;
        }
        const auto& reply = std::get<RpcReply>(*parsed);
        if (reply.id != id) continue;  // an answer to a call we gave up on
        auto result = check_response(reply.document, id);
        if (!result) return rpc_fail(rpc_context(method, result.error()));
        return result;
    }
}

RpcResult<std::string> SubscriptionClient::subscribe_on_node(const json& params) {
    auto answer = request("eth_subscribe", params);
    if (!answer) return rpc_fail(answer.error());
    if (!answer->is_string() || answer->get<std::string>().empty())
        return rpc_fail(RpcError::malformed("eth_subscribe: result is not a subscription id: " + excerpt(answer->dump())));
    return answer->get<std::string>();
}

RpcResult<SubscriptionKey> SubscriptionClient::add(json params, Kind kind) {
    if (auto connected = ensure_connected(); !connected)
        return rpc_fail(RpcError::transport(connected.error().message));
    auto id = subscribe_on_node(params);
    if (!id) return rpc_fail(id.error());
    const SubscriptionKey key{next_key_++};
    wanted_[key] = Wanted{std::move(params), kind, *id};
    by_server_id_[*id] = key;
    return key;
}

RpcResult<SubscriptionKey> SubscriptionClient::subscribe_new_heads() {
    return add(json::array({"newHeads"}), Kind::heads);
}

RpcResult<SubscriptionKey> SubscriptionClient::subscribe_logs(const LogFilter& filter) {
    return add(json::array({"logs", log_subscription_filter(filter)}), Kind::logs);
}

RpcResult<SubscriptionKey> SubscriptionClient::subscribe_pending_transactions() {
    return add(json::array({"newPendingTransactions", true}), Kind::pending_transactions);
}

RpcResult<void> SubscriptionClient::unsubscribe(SubscriptionKey key) {
    const auto it = wanted_.find(key);
    if (it == wanted_.end()) return {};
    const std::optional<std::string> id = it->second.server_id;
    wanted_.erase(it);
    if (!id) return {};
    by_server_id_.erase(*id);
    if (!channel_) return {};
    auto answer = request("eth_unsubscribe", json::array({*id}));
    if (!answer) return rpc_fail(answer.error());
    return {};
}

RpcResult<json> SubscriptionClient::call(const std::string& method, json params) {
    if (auto connected = ensure_connected(); !connected) return rpc_fail(RpcError::transport(method + ": " + connected.error().message));
    return request(method, std::move(params));
}

std::optional<std::string> SubscriptionClient::server_id(SubscriptionKey key) const {
    const auto it = wanted_.find(key);
    if (it == wanted_.end()) return std::nullopt;
    return it->second.server_id;
}

Result<void> SubscriptionClient::route(const SubscriptionNotification& notification) {
    const auto it = by_server_id_.find(notification.subscription);
    if (it == by_server_id_.end()) return {};  // unsubscribed, or from a connection before this one
    const SubscriptionKey key = it->second;
    const Kind kind = wanted_.at(key).kind;
    if (kind == Kind::heads) {
        auto header = decode_block_header(notification.result);
        if (!header)
            return fail("subscription " + notification.subscription + " (newHeads): " + header.error().message);
        queue_.push_back(NewHead{key, std::move(*header)});
    } else if (kind == Kind::pending_transactions) {
        const std::string what = "subscription " + notification.subscription + " (newPendingTransactions): ";
        if (notification.result.is_string()) {  // a node that sends hashes only
            auto hash = field::bytes32(notification.result, "hash");
            if (!hash) return fail(what + hash.error().message);
            queue_.push_back(NewPendingTransaction{key, *hash, std::nullopt});
            return {};
        }
        auto tx = decode_pending_transaction(notification.result);
        if (!tx) return fail(what + tx.error().message);
        const Bytes32 hash = tx->hash;
        queue_.push_back(NewPendingTransaction{key, hash, std::move(*tx)});
    } else {
        auto log = decode_log(notification.result);
        if (!log) return fail("subscription " + notification.subscription + " (logs): " + log.error().message);
        queue_.push_back(NewLog{key, std::move(*log)});
    }
    return {};
}

Result<std::optional<SubscriptionEvent>> SubscriptionClient::next(std::chrono::milliseconds timeout) {
    auto pop = [this] {
        SubscriptionEvent event = std::move(queue_.front());
        queue_.pop_front();
        return std::optional<SubscriptionEvent>(std::move(event));
    };
    if (!queue_.empty()) return pop();
    if (!channel_) {
        if (auto connected = ensure_connected(); !connected) return std::unexpected(connected.error());
        if (!queue_.empty()) return pop();
    }
    auto message = channel_->receive(timeout);
    if (!message) {
        const std::string cause = message.error().message;
        lose_connection(cause);
        if (auto connected = ensure_connected(); !connected)
            return fail("subscription: connection lost (" + cause + "); " + connected.error().message);
        return queue_.empty() ? std::optional<SubscriptionEvent>{} : pop();
    }
    if (!*message) return std::optional<SubscriptionEvent>{};
    auto parsed = parse_incoming(**message);
    if (!parsed) return fail("subscription: " + parsed.error().message);
    if (const auto* notification = std::get_if<SubscriptionNotification>(&*parsed)) {
        if (auto routed = route(*notification); !routed) return std::unexpected(routed.error());
    }
    // A reply nobody waits for (a call that timed out) is ignored.
    return queue_.empty() ? std::optional<SubscriptionEvent>{} : pop();
}

// ---- head sources -------------------------------------------------------------

PollingHeadSource::PollingHeadSource(JsonRpcClient& client, std::chrono::milliseconds interval,
                                     std::function<void(std::chrono::milliseconds)> sleep, Now now)
    : client_(client),
      interval_(std::max(interval, std::chrono::milliseconds(1))),
      sleep_(std::move(sleep)),
      now_(now ? std::move(now) : Now([] { return SteadyClock::now(); })) {}

Result<std::optional<BlockHeader>> PollingHeadSource::next_head(std::chrono::milliseconds timeout) {
    using std::chrono::milliseconds;
    milliseconds waited{0};
    while (true) {
        if (last_poll_) {
            const auto since = std::max(slept_since_poll_,
                                        std::chrono::duration_cast<milliseconds>(now_() - *last_poll_));
            if (since < interval_) {
                if (waited >= timeout) return std::optional<BlockHeader>{};
                const auto pause = std::min(interval_ - since, timeout - waited);
                if (sleep_) sleep_(pause);
                waited += pause;
                slept_since_poll_ += pause;
                continue;
            }
        }
        last_poll_ = now_();
        slept_since_poll_ = milliseconds(0);
        auto head = client_.get_block_header(BlockId::latest());
        if (!head) return fail("head polling: " + head.error().message);
        if (*head && (!last_hash_ || (*head)->hash != *last_hash_)) {
            last_hash_ = (*head)->hash;
            return std::optional<BlockHeader>(std::move(**head));
        }
        if (waited >= timeout) return std::optional<BlockHeader>{};
    }
}

WebSocketHeadSource::WebSocketHeadSource(std::unique_ptr<SubscriptionClient> client) : client_(std::move(client)) {}

Result<std::optional<BlockHeader>> WebSocketHeadSource::next_head(std::chrono::milliseconds timeout) {
    if (!key_) {
        auto key = client_->subscribe_new_heads();
        if (!key) return fail("websocket heads: " + key.error().message);
        key_ = *key;
    }
    auto event = client_->next(timeout);
    if (!event) return fail("websocket heads: " + event.error().message);
    if (!*event) return std::optional<BlockHeader>{};
    if (const auto* head = std::get_if<NewHead>(&**event); head != nullptr && head->key == *key_)
        return std::optional<BlockHeader>(head->header);
    if (std::holds_alternative<Reconnected>(**event)) {
        // Heads mined while we were away were never sent: ask for the newest
        // now, so the follower backfills the gap without waiting for a block.
        auto latest = client_->call("eth_getBlockByNumber", json::array({"latest", false}));
        if (!latest) return fail("websocket heads: after reconnect: " + latest.error().message);
        if (latest->is_null()) return std::optional<BlockHeader>{};
        auto header = decode_block_header(*latest);
        if (!header) return fail("websocket heads: after reconnect: eth_getBlockByNumber: " + header.error().message);
        return std::optional<BlockHeader>(std::move(*header));
    }
    return std::optional<BlockHeader>{};
}

std::unique_ptr<HeadSource> make_head_source(const HeadSourceConfig& config, JsonRpcClient& http, RetryEnvironment environment) {
    auto polling = std::make_unique<PollingHeadSource>(http, config.poll_interval, environment.sleep);
    if (!config.ws_url) return polling;
    auto make_websocket = [url = *config.ws_url, options = config.ws_options, policy = config.reconnect,
                           environment](std::function<bool()> stopping) -> std::unique_ptr<HeadSource> {
        RetryEnvironment on_thread = environment;
        on_thread.stopping = std::move(stopping);
        return std::make_unique<WebSocketHeadSource>(
            std::make_unique<SubscriptionClient>(websocket_channel(url, options), policy, std::move(on_thread)));
    };
    auto thread = std::make_unique<HeadSourceThread>(std::move(make_websocket), HeadSourceThread::Options{},
                                                     environment.stopping);
    return std::make_unique<FallbackHeadSource>(std::move(thread), std::move(polling), config.ws_check_interval,
                                                config.note);
}

Result<std::optional<ChainUpdate>> follow_next_head(HeadSource& heads, LogFollower& follower, const LogFollower::Handler& handler,
                                                    std::chrono::milliseconds timeout) {
    auto head = heads.next_head(timeout);
    if (!head) return std::unexpected(head.error());
    if (!*head) return std::optional<ChainUpdate>{};
    const BlockRef ref = block_ref(**head);
    // A late notification for a block we already applied is not a reorg to a
    // shorter chain: same height, same hash. Skip it rather than roll back.
    if (const auto tip = follower.tracker().tip(); tip && ref.number < tip->number) {
        if (const auto known = follower.tracker().at(ref.number); known && known->hash == ref.hash)
            return std::optional<ChainUpdate>(ChainUpdate{});
    }
    auto update = follower.follow_head(ref, handler);
    if (!update) return std::unexpected(update.error());
    return std::optional<ChainUpdate>(std::move(*update));
}

}  // namespace keeper::chain
