#pragma once
// The Yield v2 keeper's decision, pure (no client, no clock): from one
// snapshot and the round's inputs,
//   - start the Witch's auction of every under-collateralised vault that is
//     not under auction (auction(vault, keeper): the keeper is the starter,
//     so its own later bids pay it the whole payout, and others' bids pay it
//     the starter's reward);
//   - bid on every running auction at the block strategies/dutch_auction_bid
//     picks: the action is emitted in the round whose next block is that
//     block (not_before_block = it), paying with fyToken when the keeper
//     holds enough of it (payFYToken, one-to-one with art), else with base
//     (payBase), taking the largest part its funds cover without leaving dust.
#include <cstdint>
#include <optional>
#include <string>

#include "core/u256.hpp"
#include "protocols/action.hpp"
#include "protocols/yield_v2/yield_snapshot.hpp"

namespace keeper::yield_v2 {

struct YieldDecideSettings {
    std::string protocol_key;     // the adapter's key()
    U256 min_profit_base;         // floor after gas, in base units
    U256 bid_gas_cost_base;       // one bid's gas priced in base units, for timing (the executor re-prices it)
    std::uint64_t block_interval_s = 12;
    std::uint64_t horizon_blocks = 600;
    unsigned gas_margin_percent = 20;
    std::optional<U256> base_per_wei_1e36;  // for the executor's after-gas check; nullopt: before gas
    bool dry_run = false;         // a dry run treats an unread balance as unlimited
    // An expected rival bidder (fully funded) with its gas cost and floor in
    // base units: the strategy bids before it where that still pays.
    struct Rival {
        U256 gas_cost_base;
        U256 min_profit_base;
    };
    std::optional<Rival> rival;
};

std::string auction_work_key(const VaultId& vault);
std::string bid_work_key(const VaultId& vault);

protocols::Decisions decide_yield(const YieldSnapshot& snapshot, const protocols::DecisionInput& input,
                                  const YieldDecideSettings& settings);

}  // namespace keeper::yield_v2
