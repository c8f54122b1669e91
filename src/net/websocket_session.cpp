#include "net/websocket_session.hpp"

#include <charconv>
#include <exception>
#include <functional>
#include <type_traits>

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "net/url_redaction.hpp"

namespace keeper::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    (void)asio::ip::make_address(host, ec);
    return !ec;
}

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

std::string WsUrl::host_header() const {
    const bool v6 = host.find(':') != std::string::npos;
    std::string out = v6 ? "[" + host + "]" : host;
    if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
    return out;
}

Result<WsUrl> parse_ws_url(std::string_view url) {
    WsUrl out;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return fail("websocket url: no scheme (expected ws:// or wss://)");
    const std::string scheme = lower(url.substr(0, scheme_end));
    if (scheme == "ws") {
        out.tls = false;
    } else if (scheme == "wss") {
        out.tls = true;
    } else {
        return fail("websocket url: scheme \"" + scheme + "\" is not ws or wss");
    }
    std::string_view rest = url.substr(scheme_end + 3);
    const auto authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);  // drop user:pass

    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("websocket url: unterminated [ in the host");
        out.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail("websocket url: junk after ]");
            port_text = after.substr(1);
            if (port_text.empty()) return fail("websocket url: empty port");
        }
    } else {
        const auto colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) return fail("websocket url: empty port");
            authority = authority.substr(0, colon);
        }
        out.host = std::string(authority);
    }
    if (out.host.empty()) return fail("websocket url: no host");
    for (char c : out.host)
        if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\')
            return fail("websocket url: invalid character in the host");

    if (port_text.empty()) {
        out.port = out.tls ? 443 : 80;
    } else {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
            return fail("websocket url: port \"" + std::string(port_text) + "\" is not a number in 1..65535");
        out.port = static_cast<std::uint16_t>(value);
    }

    if (const auto hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);  // fragments never go on the wire
    if (tail.empty()) {
        out.target = "/";
    } else if (tail.front() == '?') {
        out.target = "/" + std::string(tail);
    } else {
        out.target = std::string(tail);
    }
    for (char c : out.target)
        if (static_cast<unsigned char>(c) <= ' ') return fail("websocket url: whitespace or control character in the path");
    out.shown = redact_url(url);
    return out;
}

// The connection, for either a plain or a TLS stream.
struct WebSocketSession::Impl {
    virtual ~Impl() = default;
    virtual Result<void> send(std::string_view text) = 0;
    virtual Result<std::optional<std::string>> receive(std::chrono::milliseconds timeout) = 0;
    virtual Result<void> close() = 0;
    virtual void abort() = 0;
    virtual bool is_open() const = 0;
};

namespace {

template <bool Tls>
class Connection final : public WebSocketSession::Impl {
public:
    using Next = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

    Connection(WsUrl url, WebSocketOptions options) : url_(std::move(url)), options_(std::move(options)) {}

    ~Connection() override { abort(); }

    Result<void> connect() {
        const auto deadline = Clock::now() + options_.connect_timeout;
        if constexpr (Tls) {
            ssl_.emplace(asio::ssl::context::tls_client);
            boost::system::error_code ec;
            ssl_->set_default_verify_paths(ec);
            if (ec) return error("tls", "loading the system trust store: " + ec.message());
            if (options_.ca_file) {
                ssl_->load_verify_file(*options_.ca_file, ec);
                if (ec) return error("tls", "loading ca_file: " + ec.message());
            }
            ssl_->set_verify_mode(asio::ssl::verify_peer);
            ws_.emplace(io_, *ssl_);
        } else {
            ws_.emplace(io_);
        }

        // resolve
        tcp::resolver resolver(io_);
        tcp::resolver::results_type endpoints;
        bool done = false;
        boost::system::error_code ec;
        resolver.async_resolve(url_.host, std::to_string(url_.port),
                               [&](boost::system::error_code e, tcp::resolver::results_type r) {
                                   ec = e;
                                   endpoints = std::move(r);
                                   done = true;
                               });
        if (!run_until(done, deadline, [&] { resolver.cancel(); })) return timed_out("resolve");
        if (ec) return error("resolve", ec.message());

        // TCP connect
        done = false;
        beast::get_lowest_layer(*ws_).async_connect(endpoints, [&](boost::system::error_code e, const tcp::endpoint&) {
            ec = e;
            done = true;
        });
        if (!run_until(done, deadline, [&] { beast::get_lowest_layer(*ws_).close(); })) return timed_out("connect");
        if (ec) return error("connect", ec.message());
        (void)beast::get_lowest_layer(*ws_).socket().set_option(tcp::no_delay(true), ec);

        if constexpr (Tls) {
            auto& tls = ws_->next_layer();
            // DESIGN rule 7: the certificate must name the host we asked for.
            tls.set_verify_callback(asio::ssl::host_name_verification(url_.host));
            // SNI, so a server hosting several names picks the right certificate (not for IP literals).
            if (!is_ip_literal(url_.host) && SSL_ctrl(tls.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                                               const_cast<char*>(url_.host.c_str())) != 1)
                return error("tls", "setting SNI failed");
            done = false;
            tls.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code e) {
                ec = e;
                done = true;
            });
            if (!run_until(done, deadline, [&] { beast::get_lowest_layer(*ws_).close(); })) return timed_out("tls");
            if (ec) return error("tls", ec.message());
        }

        // websocket upgrade
        ws_->set_option(websocket::stream_base::decorator(
            [](websocket::request_type& request) { request.set(beast::http::field::user_agent, "margin-keeper"); }));
        ws_->read_message_max(options_.max_message_bytes);
        websocket::response_type response;
        done = false;
        ws_->async_handshake(response, url_.host_header(), url_.target, [&](boost::system::error_code e) {
            ec = e;
            done = true;
        });
        if (!run_until(done, deadline, [&] { beast::get_lowest_layer(*ws_).close(); })) return timed_out("handshake");
        if (ec) {
            std::string detail = ec.message();
            if (response.result_int() != 0 && response.result_int() != 101)
                detail = "HTTP " + std::to_string(response.result_int()) + " " + std::string(response.reason()) + " (" + detail + ")";
            return error("handshake", detail);
        }

        // From now on the websocket layer keeps time: pings after idle_timeout/2
        // of silence, "timeout" after idle_timeout.
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = options_.close_timeout;
        timeouts.idle_timeout = options_.idle_timeout;
        timeouts.keep_alive_pings = true;
        ws_->set_option(timeouts);
        ws_->text(true);
        open_ = true;
        return {};
    }

    Result<void> send(std::string_view text) override {
        if (!open_) return error("write", "session is closed");
        bool done = false;
        boost::system::error_code ec;
        ws_->async_write(asio::buffer(text.data(), text.size()), [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        if (!run_until(done, Clock::now() + options_.write_timeout, [&] { beast::get_lowest_layer(*ws_).close(); })) {
            abort();
            return timed_out("write", options_.write_timeout);
        }
        if (ec) {
            abort();
            return error("write", ec.message());
        }
        return {};
    }

    Result<std::optional<std::string>> receive(std::chrono::milliseconds timeout) override {
        if (!open_) return error("read", "session is closed");
        if (!read_pending_) {
            buffer_.clear();
            read_done_ = false;
            read_pending_ = true;
            ws_->async_read(buffer_, [this](boost::system::error_code e, std::size_t) {
                read_ec_ = e;
                read_done_ = true;
            });
        }
        if (!read_done_ && !run_until(read_done_, Clock::now() + timeout, {})) return std::optional<std::string>{};
        read_pending_ = false;
        if (read_ec_) {
            const std::string detail = read_ec_ == websocket::error::closed ? "closed by the server" : read_ec_.message();
            abort();
            return error("read", detail);
        }
        std::string message = beast::buffers_to_string(buffer_.data());
        buffer_.clear();
        return std::optional<std::string>(std::move(message));
    }

    Result<void> close() override {
        if (!open_) return {};
        bool done = false;
        boost::system::error_code ec;
        ws_->async_close(websocket::close_code::normal, [&](boost::system::error_code e) {
            ec = e;
            done = true;
        });
        const bool finished = run_until(done, Clock::now() + options_.close_timeout, [&] { beast::get_lowest_layer(*ws_).close(); });
        abort();
        if (!finished) return timed_out("close", options_.close_timeout);
        // Some servers (anvil) drop the TCP connection instead of echoing the
        // close frame: our close was sent, the connection is gone, that is closed.
        if (ec && ec != websocket::error::closed && ec != asio::error::eof) return error("close", ec.message());
        return {};
    }

    void abort() override {
        open_ = false;
        if (!ws_) return;
        boost::system::error_code ignored;
        beast::get_lowest_layer(*ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(*ws_).close();
        // Let the cancelled operations finish so no handler outlives its frame.
        io_.restart();
        io_.poll();
        if (read_pending_ && read_done_) read_pending_ = false;
    }

    bool is_open() const override { return open_; }

private:
    // Runs the event loop until `done` or the deadline; on the deadline calls
    // `cancel` (if any) and waits for the cancelled operation to finish.
    // Without `cancel` the operation stays pending (a read resumed later).
    bool run_until(const bool& done, Clock::time_point deadline, const std::function<void()>& cancel) {
        io_.restart();
        while (!done) {
            const std::size_t ran = io_.run_one_until(deadline);
            if (done) break;
            if (ran == 0 && (Clock::now() >= deadline || io_.stopped())) {
                if (cancel) {
                    cancel();
                    io_.restart();
                    while (!done && io_.run_one() != 0) {
                    }
                }
                return false;
            }
        }
        return true;
    }

    std::unexpected<Error> error(std::string_view stage, const std::string& detail) const {
        return fail("ws " + url_.shown + ": " + std::string(stage) + ": " + detail);
    }
    std::unexpected<Error> timed_out(std::string_view stage) const { return timed_out(stage, options_.connect_timeout); }
    std::unexpected<Error> timed_out(std::string_view stage, std::chrono::milliseconds bound) const {
        return error(stage, "timed out after " + ms(bound));
    }

    WsUrl url_;
    WebSocketOptions options_;
    asio::io_context io_;
    std::optional<asio::ssl::context> ssl_;  // outlives ws_ (declared before it)
    std::optional<websocket::stream<Next>> ws_;
    beast::flat_buffer buffer_;
    bool open_ = false;
    bool read_pending_ = false;
    bool read_done_ = false;
    boost::system::error_code read_ec_;
};

}  // namespace

WebSocketSession::WebSocketSession(std::unique_ptr<Impl> impl, std::string url) : impl_(std::move(impl)), url_(std::move(url)) {}
WebSocketSession::WebSocketSession(WebSocketSession&&) noexcept = default;
WebSocketSession& WebSocketSession::operator=(WebSocketSession&&) noexcept = default;
WebSocketSession::~WebSocketSession() = default;

Result<WebSocketSession> WebSocketSession::connect(std::string_view url, WebSocketOptions options) {
    auto parsed = parse_ws_url(url);
    if (!parsed) return std::unexpected(parsed.error());
    const std::string shown = parsed->shown;
    try {
        if (parsed->tls) {
            auto conn = std::make_unique<Connection<true>>(std::move(*parsed), std::move(options));
            if (auto ok = conn->connect(); !ok) return std::unexpected(ok.error());
            return WebSocketSession(std::move(conn), shown);
        }
        auto conn = std::make_unique<Connection<false>>(std::move(*parsed), std::move(options));
        if (auto ok = conn->connect(); !ok) return std::unexpected(ok.error());
        return WebSocketSession(std::move(conn), shown);
    } catch (const std::exception& e) {  // Asio/OpenSSL setup failures (out of memory, no SSL_CTX)
        return fail("ws " + shown + ": connect: " + e.what());
    }
}

Result<void> WebSocketSession::send(std::string_view text) {
    if (!impl_) return fail("ws " + url_ + ": write: session was moved from");
    return impl_->send(text);
}

Result<std::optional<std::string>> WebSocketSession::receive(std::chrono::milliseconds timeout) {
    if (!impl_) return fail("ws " + url_ + ": read: session was moved from");
    return impl_->receive(timeout);
}

Result<void> WebSocketSession::close() {
    if (!impl_) return {};
    return impl_->close();
}

void WebSocketSession::abort() {
    if (impl_) impl_->abort();
}

bool WebSocketSession::is_open() const { return impl_ && impl_->is_open(); }

}  // namespace keeper::net
