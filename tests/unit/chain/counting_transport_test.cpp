// CountingTransport reports each request's endpoint, method and outcome and
// passes the answer through untouched.
#include <gtest/gtest.h>

#include <vector>

#include "chain/counting_transport.hpp"

namespace keeper::chain {
namespace counting_transport_test {

class Canned final : public Transport {
public:
    explicit Canned(Result<std::string> answer) : answer_(std::move(answer)) {}
    Result<std::string> send(const std::string&) override { return answer_; }

private:
    Result<std::string> answer_;
};

struct Seen {
    std::string endpoint, method, error;
    bool ok;
    bool operator==(const Seen&) const = default;
};

TEST(RequestMethod, ReadsTheMethodOrSaysBatch) {
    EXPECT_EQ(request_method(R"({"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[]})"), "eth_getLogs");
    EXPECT_EQ(request_method(R"({"method" : "eth_call","id":2})"), "eth_call");
    EXPECT_EQ(request_method(R"( [{"method":"eth_call"},{"method":"eth_call"}])"), "batch");
    EXPECT_EQ(request_method(R"({"id":1})"), "unknown");
    EXPECT_EQ(request_method(R"({"method":"eth_call\"<script>"})"), "unknown");  // never a label with junk
}

TEST(CountingTransport, ReportsOkAndErrorsAndPassesAnswersThrough) {
    std::vector<Seen> seen;
    RpcObserver observe = [&](const RpcOutcome& o) {
        seen.push_back({std::string(o.endpoint), std::string(o.method), std::string(o.error), o.ok});
    };
    CountingTransport good(std::make_unique<Canned>(std::string(R"({"result":"0x1"})")), "http://a:8545", observe);
    CountingTransport bad(std::make_unique<Canned>(fail("connect: refused")), "http://b:8545", observe);
    EXPECT_EQ(good.send(R"({"method":"eth_blockNumber"})").value(), R"({"result":"0x1"})");
    EXPECT_EQ(bad.send(R"({"method":"eth_chainId"})").error().message, "connect: refused");
    EXPECT_EQ(seen, (std::vector<Seen>{{"http://a:8545", "eth_blockNumber", "", true},
                                       {"http://b:8545", "eth_chainId", "connect: refused", false}}));
}

}  // namespace counting_transport_test
}  // namespace keeper::chain
