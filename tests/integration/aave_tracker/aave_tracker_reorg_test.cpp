// The Aave V3 adapter on the shared log follower (the daemon's tracking) through a reorg on a real Aave V3 market: accounts opened in
// blocks that are then replaced must vanish, and every remaining account must
// again equal Pool.getUserAccountData to the wei at the new head.
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
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper {
namespace aave_tracker_reorg_test {

using testing::FollowedAave;

class AaveTrackerReorg : public ::testing::Test {
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
    }

    chain::BlockHeader head() { return client_->get_block_header(chain::BlockId::latest()).value().value(); }

    std::vector<Address> open(std::size_t from, std::size_t count) {
        auto all = devnet::mixed_aave_borrowers(from + count);
        std::vector<devnet::AaveBorrowerSpec> specs(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
        auto opened = devnet::open_aave_borrowers(*client_, *owner_, market_, specs, 5);
        EXPECT_TRUE(opened.has_value()) << opened.error().message;
        return opened.value_or(std::vector<Address>{});
    }

    // Health factor of every account with debt, as the tracker's engine sees it.
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
    devnet::AaveDevnet market_;
};

TEST_F(AaveTrackerReorg, AccountsOfReplacedBlocksVanishAndTheRestMatchThePoolAgain) {
    const std::vector<Address> kept = open(0, 10);
    ASSERT_EQ(kept.size(), 10u);

    std::vector<std::string> notices;
    FollowedAave tracker(*client_, market_.contracts.addresses_provider, market_.deploy_block, notices);
    const auto first = head();
    ASSERT_TRUE(tracker.catch_up(first).has_value());
    ASSERT_TRUE(tracker.refresh(first).has_value());
    EXPECT_EQ(engine_health(tracker).size(), 10u);

    // Five more accounts in blocks that the reorg will replace.
    const auto snapshot = client_->call("evm_snapshot").value();
    const std::vector<Address> orphaned = open(10, 5);
    ASSERT_EQ(orphaned.size(), 5u);
    const auto before_reorg = head();
    ASSERT_TRUE(tracker.follow(before_reorg).has_value());
    ASSERT_TRUE(tracker.refresh(before_reorg).has_value());
    EXPECT_EQ(engine_health(tracker).size(), 15u);

    // Back to the snapshot, then a longer chain of empty blocks: the same
    // heights with other hashes.
    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({snapshot})).has_value());
    while (head().number <= before_reorg.number) ASSERT_TRUE(keeper::devnet::evm_mine(*client_).has_value());
    const auto after = head();
    ASSERT_TRUE(tracker.follow(after).has_value());
    ASSERT_TRUE(tracker.refresh(after).has_value());

    bool reorg_noticed = false;
    for (const auto& n : notices) reorg_noticed = reorg_noticed || n.find("reorg: rolled back") != std::string::npos;
    EXPECT_TRUE(reorg_noticed);
    const auto health = engine_health(tracker);
    EXPECT_EQ(health.size(), 10u) << "the orphaned accounts' positions do not exist on this chain";
    for (const Address& a : orphaned) EXPECT_FALSE(health.contains(a)) << a.checksummed();
    for (const Address& a : kept) {
        ASSERT_TRUE(health.contains(a)) << a.checksummed();
        EXPECT_EQ(health.at(a), pool_health(a, after.number)) << a.checksummed();
    }
}

}  // namespace aave_tracker_reorg_test
}  // namespace keeper
