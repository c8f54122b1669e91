// The RPC layers against a misbehaving network: a proxy between our client and
// a real anvil drops connections, delays, answers 429/500, cuts bodies short,
// sends garbage and wrong ids. The retrying client recovers where recovery is
// possible, says clearly what went wrong where it is not, and a log sync
// through it loses no event.
#include <gtest/gtest.h>

#include <thread>

#include "chain/http_transport.hpp"
#include "chain/log_sync.hpp"
#include "chain/retrying_transport.hpp"
#include "chain/rpc_client.hpp"
#include "support/anvil_process.hpp"
#include "support/fault_proxy.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::chain {
namespace rpc_faults_test {

using keeper::testing::AnvilProcess;
using keeper::testing::Fault;
using keeper::testing::FaultProxy;

RetryEnvironment no_wait() {
    return {[](std::chrono::milliseconds) {}, [] { return 0.0; }};
}

class RpcFaults : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        auto proxy = FaultProxy::start(anvil_->port());
        ASSERT_TRUE(proxy.has_value()) << proxy.error().message;
        proxy_ = std::move(*proxy);
    }

    JsonRpcClient retrying_client(unsigned attempts = 6) {
        net::HttpOptions http;
        http.total_timeout = std::chrono::milliseconds(2'000);
        RetryPolicy policy;
        policy.max_attempts = attempts;
        return JsonRpcClient(std::make_unique<RetryingTransport>(std::make_unique<HttpTransport>(proxy_->url(), http),
                                                                 policy, no_wait()));
    }

    std::optional<AnvilProcess> anvil_;
    std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(RpcFaults, ThePassThroughProxyIsTransparent) {
    auto client = make_http_client(proxy_->url());
    auto id = client.chain_id();
    ASSERT_TRUE(id.has_value()) << id.error().message;
    EXPECT_EQ(*id, 31337u);
    EXPECT_EQ(proxy_->faults_injected(), 0u);
}

TEST_F(RpcFaults, RecoversFromDropsRateLimitsServerErrorsAndCutBodies) {
    proxy_->script({Fault::drop, Fault::status_429, Fault::status_500, Fault::truncate, Fault::malformed});
    auto client = retrying_client();
    auto id = client.chain_id();
    ASSERT_TRUE(id.has_value()) << id.error().message;
    EXPECT_EQ(*id, 31337u);
    EXPECT_EQ(proxy_->faults_injected(), 5u);
    EXPECT_EQ(proxy_->requests(), 6u);  // five faults, then the answer
}

TEST_F(RpcFaults, GivesUpWithTheLastReasonWhenTheNodeNeverAnswers) {
    proxy_->script(std::vector<Fault>(3, Fault::status_500));
    auto client = retrying_client(3);
    auto id = client.chain_id();
    ASSERT_FALSE(id.has_value());
    EXPECT_EQ(id.error().kind, RpcError::Kind::transport);
    EXPECT_NE(id.error().message.find("after 3 attempts"), std::string::npos) << id.error().message;
    EXPECT_NE(id.error().message.find("500"), std::string::npos) << id.error().message;
}

TEST_F(RpcFaults, AWrongIdIsReportedAsMalformedNotTakenAsTheAnswer) {
    proxy_->script({Fault::wrong_id});
    auto client = make_http_client(proxy_->url());
    auto id = client.chain_id();
    ASSERT_FALSE(id.has_value());
    EXPECT_EQ(id.error().kind, RpcError::Kind::malformed);
    EXPECT_NE(id.error().message.find("id"), std::string::npos) << id.error().message;
    auto again = client.chain_id();  // the next call is unaffected
    ASSERT_TRUE(again.has_value()) << again.error().message;
}

TEST_F(RpcFaults, ASlowAnswerWithinTheTimeoutStillArrives) {
    proxy_->set_delay(std::chrono::milliseconds(300));
    proxy_->script({Fault::delay});
    auto client = retrying_client(1);
    ASSERT_TRUE(client.block_number().has_value());
}

TEST_F(RpcFaults, ALogSyncThroughAFlakyLinkLosesNoBlock) {
    // 30 blocks; every third request to the node fails in some way.
    auto direct = make_http_client(anvil_->url());
    for (int i = 0; i < 30; ++i) ASSERT_TRUE(keeper::devnet::evm_mine(direct).has_value());
    const std::uint64_t head = direct.block_number().value();
    proxy_->periodic(Fault::drop, 3);

    auto client = retrying_client();
    std::vector<std::uint64_t> covered;
    auto done = sync_logs(
        client, LogFilter{}, 0, head,
        [&](const BlockRange& r, std::vector<Log>) -> Result<void> {
            for (auto b = r.from; b <= r.to; ++b) covered.push_back(b);
            return {};
        },
        {}, RangeLimits{.initial_span = 4, .min_span = 1, .max_span = 4, .fast_ms = 1'500, .comfortable_logs = 5'000});
    ASSERT_TRUE(done.has_value()) << done.error().message;
    ASSERT_EQ(covered.size(), head + 1);
    for (std::uint64_t b = 0; b <= head; ++b) EXPECT_EQ(covered[b], b);
    EXPECT_GT(proxy_->faults_injected(), 0u);
}

}  // namespace rpc_faults_test
}  // namespace keeper::chain
