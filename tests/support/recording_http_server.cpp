#include "support/recording_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "support/socket_send.hpp"

namespace keeper::testing {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

const char* reason(int status) { return status == 200 ? "OK" : "Status"; }

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return v;
    return std::nullopt;
}

Result<std::unique_ptr<RecordingHttpServer>> RecordingHttpServer::start(std::string answer_body, int status) {
    std::unique_ptr<RecordingHttpServer> server(new RecordingHttpServer());
    server->answer_ = std::move(answer_body);
    server->status_ = status;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(std::string("recording server: socket: ") + std::strerror(errno));
    server->listen_fd_ = fd;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    auto* generic = reinterpret_cast<sockaddr*>(&addr);  // POSIX: layout-compatible
    if (::bind(fd, generic, sizeof(addr)) != 0 || ::getsockname(fd, generic, &len) != 0 || ::listen(fd, 16) != 0)
        return fail(std::string("recording server: bind/listen 127.0.0.1: ") + std::strerror(errno));
    server->port_ = ntohs(addr.sin_port);
    server->thread_ = std::thread([s = server.get()] { s->serve(); });
    return server;
}

RecordingHttpServer::~RecordingHttpServer() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::vector<RecordedRequest> RecordingHttpServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void RecordingHttpServer::serve() {
    while (!stopping_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;  // wake up now and then to see stopping_
        const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        handle(client);
        ::close(client);
    }
}

// Serves requests on one connection until the peer closes it or we stop.
void RecordingHttpServer::handle(int fd) {
    std::string buffer;
    char chunk[4096];
    auto fill = [&]() -> bool {
        while (!stopping_) {
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, 50);
            if (ready < 0) return false;
            if (ready == 0) continue;
            const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        return false;
    };
    while (!stopping_) {
        std::size_t end;
        while ((end = buffer.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return;
        RecordedRequest request;
        std::string_view head(buffer.data(), end);
        const std::size_t line_end = head.find("\r\n");
        const std::string_view request_line = head.substr(0, line_end);
        const std::size_t sp1 = request_line.find(' ');
        const std::size_t sp2 = request_line.find(' ', sp1 + 1);
        request.method = std::string(request_line.substr(0, sp1));
        request.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
        std::size_t content_length = 0;
        std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
            std::size_t next = head.find("\r\n", pos);
            if (next == std::string_view::npos) next = head.size();
            const std::string_view line = head.substr(pos, next - pos);
            const std::size_t colon = line.find(':');
            if (colon != std::string_view::npos) {
                const std::string_view name = trim(line.substr(0, colon));
                const std::string_view value = trim(line.substr(colon + 1));
                if (iequals(name, "content-length"))
                    std::from_chars(value.data(), value.data() + value.size(), content_length);
                request.headers.emplace_back(std::string(name), std::string(value));
            }
            pos = next + 2;
        }
        const std::size_t body_start = end + 4;
        while (buffer.size() < body_start + content_length)
            if (!fill()) return;
        request.body = buffer.substr(body_start, content_length);
        buffer.erase(0, body_start + content_length);
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(std::move(request));
        }
        const std::string response = "HTTP/1.1 " + std::to_string(status_) + " " + reason(status_) +
                                     "\r\nContent-Type: application/json\r\nContent-Length: " +
                                     std::to_string(answer_.size()) + "\r\n\r\n" + answer_;
        if (!send_all(fd, response)) return;
    }
}

}  // namespace keeper::testing
