#pragma once
// Writing a whole buffer to a blocking socket, for the test servers (fault
// proxy, recording HTTP server): false when the peer has gone.
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace keeper::testing {

inline bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace keeper::testing
