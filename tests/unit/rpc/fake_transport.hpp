#pragma once
// A Transport that replays canned response bodies in order and records what
// was sent, in the manner of alloy's MockTransport (DESIGN.md rule 8).
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "chain/transport.hpp"

namespace keeper::chain::testing {

struct FakeTransportLog {
    std::deque<Result<std::string>> answers;
    std::vector<std::string> requests;
};

class FakeTransport final : public Transport {
public:
    explicit FakeTransport(std::shared_ptr<FakeTransportLog> log) : log_(std::move(log)) {}

    Result<std::string> send(const std::string& request) override {
        log_->requests.push_back(request);
        if (log_->answers.empty()) return fail("fake transport: no canned answer left");
        auto answer = std::move(log_->answers.front());
        log_->answers.pop_front();
        return answer;
    }

private:
    std::shared_ptr<FakeTransportLog> log_;
};

}  // namespace keeper::chain::testing
