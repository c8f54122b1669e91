#include "keeper/daemon/pending_transmissions.hpp"

#include <algorithm>
#include <set>

#include "chain/retrying_transport.hpp"
#include "chain/subscription.hpp"

namespace keeper::app {

std::optional<Result<PendingTransmission>> recognise_transmission(const chain::PendingTransaction& tx,
                                                                  std::span<const Address> aggregators) {
    if (!tx.to || std::find(aggregators.begin(), aggregators.end(), *tx.to) == aggregators.end()) return std::nullopt;
    auto decoded = oracles::chainlink::decode_ocr2_transmit(tx.input);
    if (!decoded)
        return Result<PendingTransmission>(
            std::unexpected(context("pending tx " + tx.hash.hex() + " to " + tx.to->checksummed(), decoded.error())));
    if (!*decoded) return std::nullopt;  // another call to the aggregator (setConfig, ...)
    return Result<PendingTransmission>(PendingTransmission{*tx.to, std::move(**decoded), tx});
}

PendingTransmissionWatcher::PendingTransmissionWatcher(Options options) : options_(std::move(options)) {}

PendingTransmissionWatcher::~PendingTransmissionWatcher() { stop(); }

void PendingTransmissionWatcher::start() {
    if (worker_.joinable()) return;
    worker_ = std::thread([this] { run(); });
}

void PendingTransmissionWatcher::stop() {
    stop_ = true;
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
}

std::optional<PendingTransmission> PendingTransmissionWatcher::take() {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return std::nullopt;
    PendingTransmission out = std::move(queue_.front());
    queue_.pop_front();
    return out;
}

bool PendingTransmissionWatcher::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return !queue_.empty() || stop_; });
    return !queue_.empty();
}

void PendingTransmissionWatcher::run() {
    chain::RetryEnvironment environment = chain::real_retry_environment([this] { return stopping(); });
    net::WebSocketOptions ws;
    ws.connect_timeout = std::chrono::seconds(3);
    chain::ReconnectPolicy policy;
    policy.max_attempts = 1;  // this loop calls again: each failure is seen
    policy.request_timeout = std::chrono::seconds(3);
    chain::SubscriptionClient client(chain::websocket_channel(options_.ws_url, ws), policy, environment);
    std::optional<chain::SubscriptionKey> key;
    std::string last_error;
    auto trouble = [&](const std::string& text) {
        if (text == last_error) return;  // once per change, not once per retry
        last_error = text;
        options_.warn("pending transactions: " + text);
    };
    std::set<Bytes32> seen;  // a node may announce a transaction twice (re-broadcast, reconnect)
    while (!stopping()) {
        if (!key) {
            auto subscribed = client.subscribe_pending_transactions();
            if (!subscribed) {
                trouble("eth_subscribe newPendingTransactions: " + subscribed.error().message);
                environment.sleep(std::chrono::milliseconds(500));
                continue;
            }
            key = *subscribed;
            last_error.clear();
            options_.info("pending transactions by websocket subscription: watching transmits to " +
                          std::to_string(options_.aggregators.size()) + " aggregator(s)");
        }
        auto event = client.next(std::chrono::milliseconds(100));
        if (!event) {
            trouble(event.error().message);
            continue;
        }
        if (!*event) continue;
        const auto* pending = std::get_if<chain::NewPendingTransaction>(&**event);
        if (pending == nullptr) continue;  // Reconnected: renewed by the client
        if (!seen.insert(pending->hash).second) continue;
        if (seen.size() > 4096) seen.clear();  // memory stays bounded; a repeat after this is harmless (journal)
        std::optional<chain::PendingTransaction> tx = pending->tx;
        if (!tx) {
            auto answer = client.call("eth_getTransactionByHash", nlohmann::json::array({pending->hash.hex()}));
            if (!answer || answer->is_null()) continue;  // mined or dropped meanwhile: the rounds see it mined
            auto decoded = chain::decode_pending_transaction(*answer);
            if (!decoded) {
                trouble("eth_getTransactionByHash " + pending->hash.hex() + ": " + decoded.error().message);
                continue;
            }
            tx = std::move(*decoded);
        }
        auto recognised = recognise_transmission(*tx, options_.aggregators);
        if (!recognised) continue;
        if (!*recognised) {
            options_.warn(recognised->error().message + " (it would revert: not acted on)");
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            if (queue_.size() >= options_.max_queued) queue_.pop_front();
            queue_.push_back(std::move(**recognised));
        }
        changed_.notify_all();
    }
}

}  // namespace keeper::app
