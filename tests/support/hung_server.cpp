#include "support/hung_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace keeper::testing {

Result<std::unique_ptr<HungServer>> HungServer::start() {
    std::unique_ptr<HungServer> server(new HungServer());
    server->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int yes = 1;
    ::setsockopt(server->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(server->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(server->listen_fd_, 64) != 0 ||
        ::getsockname(server->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return fail(std::string("hung server: listen: ") + std::strerror(errno));
    server->port_ = ntohs(addr.sin_port);
    server->thread_ = std::thread([s = server.get()] { s->serve(); });
    return server;
}

HungServer::~HungServer() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

void HungServer::serve() {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    char sink[4096];
    while (!stopping_) {
        if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
        if (fds[0].revents & POLLIN) {
            const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client >= 0) {
                ++connections_;
                fds.push_back({client, POLLIN, 0});
            }
        }
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            // Read and discard; a peer that gave up is closed on our side too.
            if (::recv(fds[i].fd, sink, sizeof(sink), 0) <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
        std::erase_if(fds, [](const pollfd& p) { return p.fd < 0; });
    }
    for (std::size_t i = 1; i < fds.size(); ++i) ::close(fds[i].fd);
}

}  // namespace keeper::testing
