#include "chain/counting_transport.hpp"

#include <utility>

namespace keeper::chain {

std::string request_method(std::string_view request) {
    const auto first = request.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && request[first] == '[') return "batch";
    const auto key = request.find("\"method\"");
    if (key == std::string_view::npos) return "unknown";
    const auto open = request.find('"', request.find(':', key + 8));
    if (open == std::string_view::npos) return "unknown";
    const auto close = request.find('"', open + 1);
    if (close == std::string_view::npos || close - open - 1 > 64) return "unknown";
    std::string method(request.substr(open + 1, close - open - 1));
    for (char c : method)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return "unknown";
    return method.empty() ? "unknown" : method;
}

CountingTransport::CountingTransport(std::unique_ptr<Transport> inner, std::string endpoint, RpcObserver observer)
    : inner_(std::move(inner)), endpoint_(std::move(endpoint)), observer_(std::move(observer)) {}

Result<std::string> CountingTransport::send(const std::string& request) {
    auto response = inner_->send(request);
    if (observer_) {
        const std::string method = request_method(request);
        const std::string error = response ? std::string() : response.error().message;
        observer_(RpcOutcome{endpoint_, method, response.has_value(), error});
    }
    return response;
}

}  // namespace keeper::chain
