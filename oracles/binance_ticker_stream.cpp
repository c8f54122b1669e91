#include "oracles/binance_ticker_stream.hpp"

#include <algorithm>

#include "net/websocket_session.hpp"
#include "oracles/binance_book_ticker.hpp"

namespace keeper::oracles::binance {
namespace {

// How long one receive waits before the stop flag is looked at again.
constexpr std::chrono::milliseconds kPoll{200};

}  // namespace

TickerStream::TickerStream(StreamSettings settings, Clock clock, Log info, Log warn)
    : settings_(std::move(settings)), clock_(std::move(clock)), info_(std::move(info)), warn_(std::move(warn)) {
    thread_ = std::thread([this] { run(); });
}

TickerStream::~TickerStream() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::optional<PriceUpdate> TickerStream::latest(const Address& asset) const {
    const std::lock_guard lock(mutex_);
    const auto it = latest_.find(asset);
    if (it == latest_.end()) return std::nullopt;
    return it->second;
}

void TickerStream::wait_for(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return stop_.load(); });
}

void TickerStream::run() {
    auto retry = settings_.first_retry;
    while (!stop_) {
        const std::uint64_t before = updates_.load();
        if (!session()) return;
        if (updates_.load() > before) retry = settings_.first_retry;  // it worked for a while: start over
        if (stop_) return;
        warn_("binance: reconnecting in " + std::to_string(retry.count()) + " ms");
        wait_for(retry);
        retry = std::min(retry * 2, settings_.max_retry);
    }
}

bool TickerStream::session() {
    // Short bounds: the destructor waits for this thread, and the daemon has
    // 10 s from SIGTERM to exit (connect 3 s + close 1 s at worst).
    net::WebSocketOptions options;
    options.connect_timeout = std::chrono::milliseconds(3000);
    options.close_timeout = std::chrono::milliseconds(1000);
    auto ws = net::WebSocketSession::connect(settings_.url, options);
    if (!ws) {
        warn_("binance: " + ws.error().message);
        return !stop_;
    }
    connections_.fetch_add(1);
    std::vector<std::string> streams;
    streams.reserve(settings_.symbols.size());
    for (const auto& [symbol, asset] : settings_.symbols) streams.push_back(book_ticker_stream(symbol));
    constexpr std::uint64_t kSubscribeId = 1;
    if (auto sent = ws->send(subscribe_request(streams, kSubscribeId)); !sent) {
        warn_("binance: subscribe: " + sent.error().message);
        return !stop_;
    }
    info_("binance: connected to " + ws->url() + ", subscribing to " + std::to_string(streams.size()) + " stream(s)");
    while (!stop_) {
        auto received = ws->receive(kPoll);
        if (!received) {
            warn_("binance: " + received.error().message);
            return !stop_;
        }
        const std::optional<std::string>& text = *received;
        if (!text.has_value()) continue;  // nothing within the poll: look at the stop flag
        auto message = parse_message(*text);
        if (!message) {
            warn_("binance: message ignored: " + message.error().message);
            continue;
        }
        const std::optional<Message>& parsed = *message;
        if (!parsed.has_value()) continue;  // another event kind
        if (const auto* answer = std::get_if<RequestAnswer>(&*parsed)) {
            if (answer->error) {
                warn_("binance: subscription refused: " + answer->error.value_or(""));
                (void)ws->close();
                return !stop_;
            }
            info_("binance: subscribed");
            continue;
        }
        const auto& ticker = std::get<BookTicker>(*parsed);
        const auto bound = std::find_if(settings_.symbols.begin(), settings_.symbols.end(),
                                        [&](const auto& s) { return s.first == ticker.symbol; });
        if (bound == settings_.symbols.end()) continue;  // not ours (symbols are upper case on the wire)
        auto update = to_price_update(ticker, bound->second, clock_());
        if (!update) {
            warn_("binance: " + update.error().message);
            continue;
        }
        {
            const std::lock_guard lock(mutex_);
            latest_[bound->second] = *update;
        }
        updates_.fetch_add(1);
    }
    (void)ws->close();
    return false;
}

}  // namespace keeper::oracles::binance
