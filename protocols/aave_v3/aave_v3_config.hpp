#pragma once
// [[protocols]] kind = "aave-v3": pool_addresses_provider, start_block,
// flash_liquidator, receive_a_token, native_token, min_profit_base,
// max_debt_spend_base.
#include <memory>
#include <optional>

#include "protocols/protocol_config.hpp"

namespace keeper::protocols::aave_v3 {

struct AaveV3Config final : ProtocolConfig {
    Address pool_addresses_provider;
    std::uint64_t first_block = 0;
    std::optional<Address> flash_liquidator;  // contracts/AaveFlashLiquidator.sol, owned by the signer
    bool receive_a_token = false;
    std::optional<Address> native_token;      // prices gas through the pool's oracle
    U256 min_profit_base;                     // base-currency units
    std::optional<U256> max_debt_spend_base;

    std::string_view kind() const override { return "aave-v3"; }
    std::string key() const override { return "aave-v3@" + pool_addresses_provider.hex(); }
    std::uint64_t start_block() const override { return first_block; }
};

std::unique_ptr<ProtocolConfig> parse_config(ConfigTable& table);

}  // namespace keeper::protocols::aave_v3
