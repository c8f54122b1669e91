#pragma once
// Two ways to find every liquidatable Aave V3 account in one block.
//
// Local engine (what the daemon's tick_aave does each new head): the
// daemon's own Aave V3 adapter follows the pool's events to the head and
// refreshes (reserves, oracle prices and eMode categories re-read, accounts
// that changed re-read), then evaluate_aave_accounts judges every account as
// GenericLogic.calculateUserAccountData would.
//
// Chain polling (what many bots do): Pool.getUserAccountData(user) for every
// known account through Multicall3 aggregate3, healthFactor < 1e18 kept.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/rpc_types.hpp"
#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "keeper/daemon/followed_adapter.hpp"
#include "protocols/aave_v3/aave_v3_adapter.hpp"

namespace keeper::bench {

struct AaveScan {
    std::size_t accounts = 0;                         // accounts with debt that were judged
    std::vector<Address> liquidatable;                // sorted
    std::vector<std::pair<Address, U256>> health;     // every account with debt, by address: health factor (wad)
};

// The daemon's Aave tracking: the Aave V3 adapter on its log follower, as the
// keeper's round drives it.
class AaveTracking {
public:
    AaveTracking(chain::JsonRpcClient& client, const Address& addresses_provider, std::uint64_t start_block);
    Result<void> catch_up(const chain::BlockHeader& head) { return followed_.catch_up(head); }
    Result<void> follow(const chain::BlockHeader& head);
    Result<void> refresh(const chain::BlockHeader& head) { return followed_.refresh(head); }
    std::size_t account_count() const { return adapter_.account_count(); }
    const protocols::aave_v3::AaveV3Adapter& adapter() const { return adapter_; }

private:
    protocols::aave_v3::AaveV3Adapter adapter_;
    app::FollowedAdapter<protocols::aave_v3::AaveV3Adapter> followed_;
};

// The engine's computation alone, on what the tracking holds.
Result<AaveScan> evaluate_tracked(const AaveTracking& tracking);
// One head of the daemon: follow(head), then refresh(head), which judges every
// account (evaluate_tracked's work, done once, as in the round).
Result<AaveScan> scan_aave_engine(AaveTracking& tracking, const chain::BlockHeader& head);

struct AavePollTarget {
    Address pool;
    Address aggregator;  // Multicall3
};

// One pass of the poller at `block`: one getUserAccountData per account,
// `accounts_per_eth_call` per aggregate3 eth_call, one eth_call per HTTP
// request, in turn. Accounts without debt (health factor uint256 max) are
// left out, as the engine leaves them out.
Result<AaveScan> scan_aave_by_polling(chain::JsonRpcClient& client, const AavePollTarget& target,
                                      std::span<const Address> accounts, std::uint64_t block,
                                      std::size_t accounts_per_eth_call);

// Empty when both scans judged the same accounts with the same health
// factors to the wei and found the same, non-empty liquidatable set; else
// what differs.
std::string compare_aave_scans(const AaveScan& engine, const AaveScan& polled);

}  // namespace keeper::bench
