// The Aave V3 adapter on the shared log follower (the daemon's tracking) after an RPC outage on a real Aave V3 market (issue #16, item
// 6): the node comes back with the head hundreds of blocks past the tracker,
// behind a provider that refuses eth_getLogs over more than 100 blocks. One
// follow() must catch the gap up by ranges (a header per range, not per
// block), learn the accounts opened in it, and leave every account equal to
// Pool.getUserAccountData to the wei at the head.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "chain/aave/aave_calls.hpp"
#include "chain/rpc_client.hpp"
#include "followed_aave.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "support/fault_proxy.hpp"

namespace keeper {
namespace aave_tracker_head_gap_test {

using testing::FollowedAave;

class AaveTrackerHeadGap : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = devnet::AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(devnet::dev_accounts()[0].private_key_hex).value());
        auto deployed = devnet::deploy_aave_devnet(*client_, *owner_);
        ASSERT_TRUE(deployed.has_value()) << deployed.error().message;
        market_ = *deployed;
        auto proxy = testing::FaultProxy::start(anvil_->port());
        ASSERT_TRUE(proxy.has_value()) << proxy.error().message;
        proxy_ = std::move(*proxy);
        proxy_->limit_log_range({.max_blocks = 100});
    }

    chain::BlockHeader head() { return client_->get_block_header(chain::BlockId::latest()).value().value(); }

    std::vector<Address> open(std::size_t from, std::size_t count) {
        auto all = devnet::mixed_aave_borrowers(from + count);
        std::vector<devnet::AaveBorrowerSpec> specs(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
        auto opened = devnet::open_aave_borrowers(*client_, *owner_, market_, specs, 5);
        EXPECT_TRUE(opened.has_value()) << opened.error().message;
        return opened.value_or(std::vector<Address>{});
    }

    void mine(std::uint64_t blocks) {
        auto mined = client_->call("anvil_mine", nlohmann::json::array({U256(blocks).to_hex()}));
        ASSERT_TRUE(mined.has_value()) << mined.error().message;
    }

    std::map<Address, U256> engine_health(const FollowedAave& tracker) {
        std::vector<std::string> errors;
        auto out = tracker.health(errors);
        EXPECT_TRUE(errors.empty()) << errors.front();
        return out;
    }

    U256 pool_health(const Address& user, std::uint64_t block) {
        auto answer = client_->eth_call(chain::CallRequest{std::nullopt, market_.contracts.pool,
                                                           chain::aave_v3::encode_get_user_account_data(user),
                                                           std::nullopt, std::nullopt},
                                        chain::BlockId::number(block));
        EXPECT_TRUE(answer.has_value());
        return chain::aave_v3::decode_user_account_data(answer.value_or(Bytes{})).value().health_factor;
    }

    std::optional<devnet::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
    std::unique_ptr<testing::FaultProxy> proxy_;
    devnet::AaveDevnet market_;
};

TEST_F(AaveTrackerHeadGap, AGapWiderThanTheRangeLimitIsCaughtUpByRangesWithTheAccountsOpenedInIt) {
    const std::vector<Address> before = open(0, 5);
    ASSERT_EQ(before.size(), 5u);

    chain::JsonRpcClient through_proxy = chain::make_http_client(proxy_->url());
    std::vector<std::string> notices;
    FollowedAave tracker(through_proxy, market_.contracts.addresses_provider, market_.deploy_block, notices);
    const auto first = head();
    ASSERT_TRUE(tracker.catch_up(first).has_value());
    ASSERT_TRUE(tracker.refresh(first).has_value());
    const std::size_t known = tracker.account_count();  // the borrowers and whoever supplied their liquidity
    ASSERT_GE(known, 5u);

    // The outage: the chain moves on without the tracker looking.
    mine(300);
    const std::vector<Address> in_gap = open(5, 5);
    ASSERT_EQ(in_gap.size(), 5u);
    mine(300);
    const auto now = head();
    ASSERT_GT(now.number, first.number + 600);

    const unsigned headers_before = proxy_->calls("eth_getBlockByNumber");
    auto update = tracker.follow(now);
    ASSERT_TRUE(update.has_value()) << update.error().message;
    const unsigned headers = proxy_->calls("eth_getBlockByNumber") - headers_before;
    EXPECT_LT(headers, 40u) << "headers read for a gap of " << now.number - first.number << " blocks";
    EXPECT_GE(proxy_->log_range_refusals(), 1u) << "the test must exercise the provider's limit";
    ASSERT_TRUE(update->ranged.has_value());
    EXPECT_EQ(update->ranged->from, first.number + 1);
    EXPECT_EQ(tracker.synced_through(), now.number);
    bool noticed = false;
    for (const auto& n : notices) noticed = noticed || n.find("caught up a head gap") != std::string::npos;
    EXPECT_TRUE(noticed);

    ASSERT_TRUE(tracker.refresh(now).has_value());
    EXPECT_EQ(tracker.account_count(), known + 5) << "the accounts opened during the gap are known";
    const auto health = engine_health(tracker);
    for (const auto* group : {&before, &in_gap})
        for (const Address& a : *group) {
            ASSERT_TRUE(health.contains(a)) << a.checksummed();
            EXPECT_EQ(health.at(a), pool_health(a, now.number)) << a.checksummed();
        }
}

}  // namespace aave_tracker_head_gap_test
}  // namespace keeper
