#include "support/websocket_test_server.hpp"

#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace keeper::testing {

// Named, not anonymous or bare: the unity build joins this file with others.
namespace websocket_test_server_detail {
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
constexpr std::chrono::milliseconds kPoll{10};
}  // namespace websocket_test_server_detail
namespace wts = websocket_test_server_detail;

struct WebSocketTestServer::Impl {
    wts::asio::io_context io;
    wts::tcp::acceptor acceptor{io};
};

Result<std::unique_ptr<WebSocketTestServer>> WebSocketTestServer::start(std::string subscribe_answer) {
    std::unique_ptr<WebSocketTestServer> server(new WebSocketTestServer());
    server->impl_ = std::make_unique<Impl>();
    server->answer_ = std::move(subscribe_answer);
    boost::system::error_code ec;
    auto& acceptor = server->impl_->acceptor;
    const wts::tcp::endpoint endpoint(wts::asio::ip::make_address("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(wts::asio::socket_base::max_listen_connections, ec);
    // Non-blocking accept: the thread polls it, so it can see stopping_.
    if (!ec) acceptor.non_blocking(true, ec);
    if (ec) return fail("websocket test server: " + ec.message());
    server->port_ = acceptor.local_endpoint().port();
    server->thread_ = std::thread([s = server.get()] { s->serve(); });
    return server;
}

WebSocketTestServer::~WebSocketTestServer() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void WebSocketTestServer::send(std::string text) {
    const std::lock_guard lock(mutex_);
    outbox_.push_back(std::move(text));
}

std::vector<std::string> WebSocketTestServer::subscriptions() const {
    const std::lock_guard lock(mutex_);
    return subscriptions_;
}

void WebSocketTestServer::serve() {
    while (!stopping_) {
        boost::system::error_code ec;
        wts::tcp::socket socket(impl_->io);
        impl_->acceptor.accept(socket, ec);
        if (ec == wts::asio::error::would_block || ec == wts::asio::error::try_again) {
            std::this_thread::sleep_for(wts::kPoll);
            continue;
        }
        if (ec) return;
        drop_ = false;
        socket.non_blocking(false, ec);
        wts::websocket::stream<wts::tcp::socket> ws(std::move(socket));
        ws.accept(ec);
        if (ec) continue;
        // The client's SUBSCRIBE comes first; nothing is read after it.
        boost::beast::flat_buffer buffer;
        ws.read(buffer, ec);
        if (ec) continue;
        {
            const std::lock_guard lock(mutex_);
            subscriptions_.push_back(boost::beast::buffers_to_string(buffer.data()));
        }
        ws.text(true);
        ws.write(wts::asio::buffer(answer_), ec);
        while (!ec && !stopping_ && !drop_) {
            // Bytes from the client after its SUBSCRIBE: its close frame (it
            // gave up on the connection). Reading it ends this connection.
            if (ws.next_layer().available(ec) > 0 && !ec) {
                ws.read(buffer, ec);
                if (ec) break;
                continue;
            }
            std::string next;
            {
                const std::lock_guard lock(mutex_);
                if (!outbox_.empty()) {
                    next = std::move(outbox_.front());
                    outbox_.pop_front();
                }
            }
            if (next.empty()) {
                std::this_thread::sleep_for(wts::kPoll);
                continue;
            }
            ws.write(wts::asio::buffer(next), ec);
            if (!ec) delivered_.fetch_add(1);
        }
        // Dropped or stopping: the TCP connection goes without a close frame.
        ws.next_layer().close(ec);
    }
}

}  // namespace keeper::testing
