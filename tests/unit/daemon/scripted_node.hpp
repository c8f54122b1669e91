#pragma once
// A JSON-RPC node in a test: each method answers from a handler the test
// sets (alloy's MockTransport, keyed by method instead of by order), and every
// request is recorded. No network, no clock.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/rpc_client.hpp"
#include "chain/transport.hpp"

namespace keeper::testing {

struct ScriptedNode {
    // params -> the "result" member, or an {"error": ...} object to answer with an error.
    using Handler = std::function<nlohmann::json(const nlohmann::json& params)>;
    std::map<std::string, Handler> methods;
    std::vector<nlohmann::json> requests;

    std::size_t count(const std::string& method) const {
        std::size_t n = 0;
        for (const auto& r : requests) n += r.value("method", "") == method ? 1 : 0;
        return n;
    }

    static nlohmann::json error(int code, const std::string& message) {
        return {{"error", {{"code", code}, {"message", message}}}};
    }
};

class ScriptedTransport final : public chain::Transport {
public:
    explicit ScriptedTransport(std::shared_ptr<ScriptedNode> node) : node_(std::move(node)) {}
    Result<std::string> send(const std::string& text) override {
        const auto request = nlohmann::json::parse(text);
        node_->requests.push_back(request);
        nlohmann::json answer = {{"jsonrpc", "2.0"}, {"id", request["id"]}};
        const auto method = request["method"].get<std::string>();
        const auto handler = node_->methods.find(method);
        if (handler == node_->methods.end()) {
            answer["error"] = {{"code", -32601}, {"message", "method not found: " + method}};
            return answer.dump();
        }
        auto result = handler->second(request["params"]);
        if (result.is_object() && result.contains("error")) answer["error"] = result["error"];
        else answer["result"] = result;
        return answer.dump();
    }

private:
    std::shared_ptr<ScriptedNode> node_;
};

inline chain::JsonRpcClient scripted_client(std::shared_ptr<ScriptedNode> node) {
    return chain::JsonRpcClient(std::make_unique<ScriptedTransport>(std::move(node)));
}

}  // namespace keeper::testing
