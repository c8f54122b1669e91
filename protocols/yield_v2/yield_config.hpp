#pragma once
// The [[protocols]] table of kind "yield-v2":
//
//   [[protocols]]
//   kind = "yield-v2"
//   witch = "0x..."              # the Witch (its cauldron() and ladle() are read at start)
//   cauldron = "0x..."           # the Cauldron whose vaults to follow
//   start_block = 0
//   min_profit = "0"             # optional: base units after gas a bid must earn
//   bid_gas_cost = "0"           # optional: one bid's gas in base units, to time bids
//   block_interval_s = 12        # optional: the chain's block time, to time bids
//   rival_gas_cost = "0"         # optional, with rival_min_profit: an expected rival
//   rival_min_profit = "0"       #   bidder the keeper bids before where that still pays
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/address.hpp"
#include "core/u256.hpp"
#include "protocols/protocol_config.hpp"

namespace keeper::yield_v2 {

inline constexpr std::string_view kKind = "yield-v2";

struct YieldConfig : protocols::ProtocolConfig {
    Address cauldron;
    Address witch;
    std::uint64_t start = 0;
    U256 min_profit_base;
    U256 bid_gas_cost_base;
    std::uint64_t block_interval_s = 12;
    std::optional<U256> rival_gas_cost_base;
    std::optional<U256> rival_min_profit_base;

    std::string_view kind() const override { return kKind; }
    std::string key() const override { return std::string(kKind) + "@" + cauldron.hex(); }
    std::uint64_t start_block() const override { return start; }
};

// nullptr when a key is missing or bad (the table has the problems).
std::unique_ptr<protocols::ProtocolConfig> parse_yield_config(protocols::ConfigTable& table);

}  // namespace keeper::yield_v2
