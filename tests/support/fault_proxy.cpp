#include "support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

#include "support/socket_send.hpp"

namespace keeper::testing {
namespace {

struct HttpMessage {
    std::string head;  // start line + headers, without the blank line
    std::string body;
};

std::optional<std::size_t> content_length(const std::string& head) {
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find("content-length:");
    if (at == std::string::npos) return std::nullopt;
    return static_cast<std::size_t>(std::stoul(head.substr(at + 15)));
}

// Reads one HTTP message (head + Content-Length body) from fd, keeping any
// surplus in `buffer` for the next message on a kept-alive connection.
std::optional<HttpMessage> read_message(int fd, std::string& buffer) {
    char chunk[16384];
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) return std::nullopt;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    HttpMessage message{buffer.substr(0, head_end), {}};
    const std::size_t length = content_length(message.head).value_or(0);
    const std::size_t body_start = head_end + 4;
    while (buffer.size() < body_start + length) {
        const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) return std::nullopt;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    message.body = buffer.substr(body_start, length);
    buffer.erase(0, body_start + length);
    return message;
}

std::string response(int status, const char* reason, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: keep-alive\r\n\r\n" + body;
}

}  // namespace

Result<std::unique_ptr<FaultProxy>> FaultProxy::start(std::uint16_t upstream_port) {
    std::unique_ptr<FaultProxy> proxy(new FaultProxy());
    proxy->upstream_port_ = upstream_port;
    proxy->listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    ::setsockopt(proxy->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(proxy->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(proxy->listen_fd_, 16) != 0 ||
        ::getsockname(proxy->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return fail(std::string("fault proxy: listen: ") + std::strerror(errno));
    proxy->port_ = ntohs(addr.sin_port);
    proxy->server_ = std::thread([p = proxy.get()] { p->serve(); });
    return proxy;
}

FaultProxy::~FaultProxy() {
    stopping_ = true;
    if (server_.joinable()) server_.join();
    for (auto& t : connections_)
        if (t.joinable()) t.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

void FaultProxy::script(std::vector<Fault> faults) {
    std::lock_guard lock(mutex_);
    script_.assign(faults.begin(), faults.end());
}

void FaultProxy::periodic(Fault fault, unsigned every) {
    std::lock_guard lock(mutex_);
    periodic_fault_ = fault;
    periodic_every_ = every;
}

void FaultProxy::limit_log_range(LogRangeLimit limit) {
    std::lock_guard lock(mutex_);
    log_range_limit_ = std::move(limit);
}

unsigned FaultProxy::calls(const std::string& method) const {
    std::lock_guard lock(mutex_);
    const auto found = calls_.find(method);
    return found == calls_.end() ? 0 : found->second;
}

std::vector<std::uint64_t> FaultProxy::log_from_blocks() const {
    std::lock_guard lock(mutex_);
    return log_from_blocks_;
}

void FaultProxy::count_calls(const std::string& body) {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    std::lock_guard lock(mutex_);
    auto count = [&](const nlohmann::json& call) {
        if (!call.is_object() || !call.contains("method") || !call["method"].is_string()) return;
        const std::string method = call["method"].get<std::string>();
        ++calls_[method];
        if (method != "eth_getLogs" || !call.contains("params") || !call["params"].is_array() || call["params"].empty())
            return;
        const auto& filter = call["params"][0];
        if (!filter.is_object() || !filter.contains("fromBlock") || !filter["fromBlock"].is_string()) return;
        const std::string from = filter["fromBlock"].get<std::string>();
        if (from.size() > 2 && from.starts_with("0x"))
            log_from_blocks_.push_back(std::stoull(from.substr(2), nullptr, 16));
    };
    if (doc.is_array())
        for (const auto& call : doc) count(call);
    else
        count(doc);
}

std::optional<std::string> FaultProxy::refuse_log_range(const std::string& body) {
    std::lock_guard lock(mutex_);
    if (log_range_limit_.max_blocks == 0) return std::nullopt;
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object() || doc.value("method", "") != "eth_getLogs") return std::nullopt;
    const auto& params = doc["params"];
    if (!params.is_array() || params.empty() || !params[0].is_object()) return std::nullopt;
    auto block = [&](const char* key) -> std::optional<std::uint64_t> {
        const auto& f = params[0];
        if (!f.contains(key) || !f[key].is_string()) return std::nullopt;
        const std::string text = f[key].get<std::string>();
        if (!text.starts_with("0x")) return std::nullopt;  // "latest" and other tags: let the node answer
        return std::stoull(text.substr(2), nullptr, 16);
    };
    const auto from = block("fromBlock");
    const auto to = block("toBlock");
    if (!from || !to || *to < *from || *to - *from + 1 <= log_range_limit_.max_blocks) return std::nullopt;
    ++log_range_refusals_;
    const nlohmann::json answer = {{"jsonrpc", "2.0"},
                                   {"id", doc.contains("id") ? doc["id"] : nlohmann::json()},
                                   {"error", {{"code", log_range_limit_.code}, {"message", log_range_limit_.message}}}};
    return response(log_range_limit_.http_status, log_range_limit_.http_status == 200 ? "OK" : "Bad Request",
                    answer.dump());
}

Fault FaultProxy::next_fault() {
    std::lock_guard lock(mutex_);
    const unsigned n = ++requests_;
    if (!script_.empty()) {
        const Fault f = script_.front();
        script_.pop_front();
        return f;
    }
    if (periodic_every_ != 0 && n % periodic_every_ == 0) return periodic_fault_;
    return Fault::pass;
}

void FaultProxy::serve() {
    while (!stopping_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int client = ::accept(listen_fd_, nullptr, nullptr);
        if (client < 0) continue;
        connections_.emplace_back([this, client] { handle(client); });
    }
}

void FaultProxy::handle(int client_fd) {
    std::string client_buffer;
    int upstream = -1;
    std::string upstream_buffer;
    while (!stopping_) {
        pollfd p{client_fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        auto request = read_message(client_fd, client_buffer);
        if (!request) break;
        count_calls(request->body);
        if (dead_) break;
        const Fault fault = next_fault();
        if (fault != Fault::pass) ++injected_;
        if (fault == Fault::drop) break;
        if (fault == Fault::hang) {
            while (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            break;
        }
        if (auto refusal = refuse_log_range(request->body)) {
            if (!send_all(client_fd, *refusal)) break;
            continue;
        }
        if (fault == Fault::status_429) {
            if (!send_all(client_fd, response(429, "Too Many Requests", R"({"error":"rate limited"})"))) break;
            continue;
        }
        if (fault == Fault::status_500) {
            if (!send_all(client_fd, response(500, "Internal Server Error", "upstream failure"))) break;
            continue;
        }
        if (fault == Fault::malformed) {
            if (!send_all(client_fd, response(200, "OK", "<html>502 Bad Gateway</html>"))) break;
            continue;
        }
        if (fault == Fault::delay) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));

        if (upstream < 0) upstream = connect_loopback(upstream_port_);
        if (upstream < 0) break;
        const std::string forward =
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(request->body.size()) + "\r\n\r\n" + request->body;
        if (!send_all(upstream, forward)) break;
        auto answer = read_message(upstream, upstream_buffer);
        if (!answer) break;
        std::string body = answer->body;
        if (fault == Fault::truncate) body = body.substr(0, body.size() / 2);
        if (fault == Fault::wrong_id) {
            auto doc = nlohmann::json::parse(body, nullptr, false);
            if (doc.is_object()) doc["id"] = 987654321;
            body = doc.dump();
        }
        if (!send_all(client_fd, response(200, "OK", body))) break;
    }
    if (upstream >= 0) ::close(upstream);
    ::close(client_fd);
}

}  // namespace keeper::testing
