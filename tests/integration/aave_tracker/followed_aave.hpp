#pragma once
// The Aave V3 adapter on the keeper's shared log follower, as the daemon's
// round drives it, with the accessors these tests read.
#include <map>
#include <string>
#include <vector>

#include "keeper/daemon/followed_adapter.hpp"
#include "protocols/aave_v3/aave_v3_adapter.hpp"

namespace keeper::testing {

class FollowedAave {
public:
    FollowedAave(chain::JsonRpcClient& client, const Address& provider, std::uint64_t start_block,
                 std::vector<std::string>& notices)
        : adapter_(config_of(provider, start_block),
                   protocols::AdapterServices{client, nullptr, note(notices), note(notices), {}, false, {}}),
          followed_(client, adapter_, note(notices)) {}

    Result<void> catch_up(const chain::BlockHeader& head) { return followed_.catch_up(head); }
    Result<chain::ChainUpdate> follow(const chain::BlockHeader& head) { return followed_.follow(head); }
    Result<void> refresh(const chain::BlockHeader& head) { return followed_.refresh(head); }
    std::uint64_t synced_through() const { return adapter_.synced_through(); }
    std::size_t account_count() const { return adapter_.account_count(); }
    // Every account with debt -> its health factor as the engine computes it.
    std::map<Address, U256> health(std::vector<std::string>& errors) const {
        std::map<Address, U256> out;
        const auto& snapshot = adapter_.aave_snapshot();
        errors = snapshot.position_errors;
        for (const auto& row : snapshot.accounts) out[row.account] = row.data.health_factor_wad;
        return out;
    }

private:
    static protocols::aave_v3::AaveV3Config config_of(const Address& provider, std::uint64_t start_block) {
        protocols::aave_v3::AaveV3Config config;
        config.pool_addresses_provider = provider;
        config.first_block = start_block;
        return config;
    }
    static std::function<void(const std::string&)> note(std::vector<std::string>& notices) {
        return [&notices](const std::string& n) { notices.push_back(n); };
    }

    protocols::aave_v3::AaveV3Adapter adapter_;
    app::FollowedAdapter<protocols::aave_v3::AaveV3Adapter> followed_;
};

}  // namespace keeper::testing
