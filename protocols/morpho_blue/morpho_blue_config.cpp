#include "protocols/morpho_blue/morpho_blue_config.hpp"

namespace keeper::protocols::morpho_blue {

std::unique_ptr<ProtocolConfig> parse_config(ConfigTable& table) {
    auto out = std::make_unique<MorphoBlueConfig>();
    out->address = table.address("address", true).value_or(Address{});
    out->first_block = table.block_number("start_block").value_or(0);
    if (auto markets = table.bytes32_list("markets")) out->markets = std::move(*markets);
    return out;
}

}  // namespace keeper::protocols::morpho_blue
