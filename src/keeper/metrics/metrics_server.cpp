#include "keeper/metrics/metrics_server.hpp"

#include <charconv>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "keeper/metrics/status_page.hpp"

namespace keeper::metrics {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// What the status board holds, rendered here on the listener's thread (the
// board hands out a pointer; no lock is held while rendering).
void status_json_response(const StatusBoard* board, http::response<http::string_body>& response) {
    const auto status = board ? board->latest() : nullptr;
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-store");
    if (!status) {
        response.result(http::status::service_unavailable);
        response.body() = R"({"error":"no round has finished yet"})"
                          "\n";
        return;
    }
    response.result(http::status::ok);
    response.body() = to_json(*status).dump() + "\n";
}

http::response<http::string_body> respond(const http::request<http::string_body>& request, KeeperMetrics& metrics,
                                          HealthState& health, const StatusBoard* board) {
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(false);
    response.set(http::field::server, "margin-keeper");
    const auto now = Clock::now();
    std::string target(request.target());
    if (const auto query = target.find('?'); query != std::string::npos) target.resize(query);
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
        response.result(http::status::method_not_allowed);
        response.set(http::field::content_type, "text/plain");
        response.body() = "GET only\n";
    } else if (target == "/metrics") {
        response.result(http::status::ok);
        response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        response.body() = metrics.scrape(now);
    } else if (target == "/healthz" || target == "/readyz") {
        const bool live = target == "/healthz";
        const Verdict verdict = live ? health.liveness(now) : health.readiness(now);
        response.result(verdict.ok ? http::status::ok : http::status::service_unavailable);
        response.set(http::field::content_type, "application/json");
        response.body() = verdict.to_json(live ? "live" : "ready").dump() + "\n";
    } else if (target == "/status.json") {
        status_json_response(board, response);
    } else if (target == "/status" || target == "/") {  // `/`: what an operator's browser opens first
        response.result(http::status::ok);
        response.set(http::field::content_type, "text/html; charset=utf-8");
        response.body() = std::string(status_page_html());
    } else {
        response.result(http::status::not_found);
        response.set(http::field::content_type, "text/plain");
        response.body() = "not found: try / (the status page), /status.json, /metrics, /healthz or /readyz\n";
    }
    if (request.method() == http::verb::head) response.body().clear();
    response.prepare_payload();
    return response;
}

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, KeeperMetrics& metrics, HealthState& health, const StatusBoard* board)
        : stream_(std::move(socket)), metrics_(metrics), health_(health), board_(board) {}

    void run() {
        stream_.expires_after(std::chrono::seconds(5));
        http::async_read(stream_, buffer_, request_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

private:
    void on_read(beast::error_code ec) {
        if (ec) return;
        response_ = respond(request_, metrics_, health_, board_);
        http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
            beast::error_code ignored;
            self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    KeeperMetrics& metrics_;
    HealthState& health_;
    const StatusBoard* board_;
};

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
    ListenAddress out;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find("]:");
        if (close == std::string_view::npos)
            return fail("listen: expected [ipv6]:port, got '" + std::string(text) + "'");
        out.host = std::string(text.substr(1, close - 1));
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || colon == 0)
            return fail("listen: expected host:port such as 127.0.0.1:9464, got '" + std::string(text) + "'");
        out.host = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || port.empty() || value > 65535)
        return fail("listen: port must be 0 to 65535, got '" + std::string(port) + "'");
    boost::system::error_code bad;
    (void)asio::ip::make_address(out.host, bad);
    if (bad) return fail("listen: '" + out.host + "' is not an IP address");
    out.port = static_cast<std::uint16_t>(value);
    return out;
}

struct MetricsServer::Impl {
    Impl(KeeperMetrics& m, HealthState& h, const StatusBoard* b) : metrics(m), health(h), board(b), acceptor(io) {}

    void accept() {
        acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) std::make_shared<Connection>(std::move(socket), metrics, health, board)->run();
            accept();
        });
    }

    KeeperMetrics& metrics;
    HealthState& health;
    const StatusBoard* board;
    asio::io_context io{1};
    tcp::acceptor acceptor;
    std::thread thread;
    std::uint16_t port = 0;
};

Result<std::unique_ptr<MetricsServer>> MetricsServer::start(const ListenAddress& address, KeeperMetrics& metrics,
                                                            HealthState& health, const StatusBoard* status) {
    auto impl = std::make_unique<Impl>(metrics, health, status);
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(address.host, ec), address.port);
    if (ec) return fail("metrics listener: bad address " + address.host);
    const std::string where = address.host + ":" + std::to_string(address.port);
    if (impl->acceptor.open(endpoint.protocol(), ec); ec)
        return fail("metrics listener " + where + ": open: " + ec.message());
    impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (impl->acceptor.bind(endpoint, ec); ec) return fail("metrics listener " + where + ": bind: " + ec.message());
    if (impl->acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
        return fail("metrics listener " + where + ": listen: " + ec.message());
    impl->port = impl->acceptor.local_endpoint().port();
    impl->accept();
    Impl* raw = impl.get();
    impl->thread = std::thread([raw] { raw->io.run(); });
    return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() { stop(); }

std::uint16_t MetricsServer::port() const { return impl_->port; }

void MetricsServer::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->io.stop();
    impl_->thread.join();
    // Only now, with the thread gone: a close posted to a stopping io_context
    // may never run, and a listening socket left open takes connections nobody answers.
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
}

}  // namespace keeper::metrics
