#pragma once
// [[protocols]] kind = "morpho-blue": address, start_block, markets.
#include <memory>
#include <vector>

#include "margin/morpho_events.hpp"
#include "protocols/protocol_config.hpp"

namespace keeper::protocols::morpho_blue {

struct MorphoBlueConfig final : ProtocolConfig {
    Address address;                          // the Morpho contract
    std::uint64_t first_block = 0;            // start_block
    std::vector<morpho::MarketId> markets;    // empty: every market

    std::string_view kind() const override { return "morpho-blue"; }
    std::string key() const override { return "morpho-blue@" + address.hex(); }
    std::uint64_t start_block() const override { return first_block; }
};

std::unique_ptr<ProtocolConfig> parse_config(ConfigTable& table);

}  // namespace keeper::protocols::morpho_blue
