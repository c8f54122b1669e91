#include "support/http_get.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "support/socket_send.hpp"

namespace keeper::testing {

HttpAnswer http_get(std::uint16_t port, const std::string& path) {
    HttpAnswer got;
    const int fd = connect_loopback(port);
    if (fd < 0) return got;
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (!send_all(fd, request)) {
        ::close(fd);
        return got;
    }
    std::string raw;
    char buffer[8192];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;) raw.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    const auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || raw.size() < 12 || !raw.starts_with("HTTP/1.")) return got;
    got.status = std::stoi(raw.substr(9, 3));
    const std::string head = raw.substr(0, head_end);
    if (const auto ct = head.find("Content-Type: "); ct != std::string::npos)
        got.content_type = head.substr(ct + 14, head.find("\r\n", ct) - ct - 14);
    got.body = raw.substr(head_end + 4);
    return got;
}

}  // namespace keeper::testing
