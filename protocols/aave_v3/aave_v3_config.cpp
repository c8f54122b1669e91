#include "protocols/aave_v3/aave_v3_config.hpp"

namespace keeper::protocols::aave_v3 {

std::unique_ptr<ProtocolConfig> parse_config(ConfigTable& table) {
    auto out = std::make_unique<AaveV3Config>();
    out->pool_addresses_provider = table.address("pool_addresses_provider", true).value_or(Address{});
    out->first_block = table.block_number("start_block").value_or(0);
    if (table.has("flash_liquidator")) out->flash_liquidator = table.address("flash_liquidator", false);
    if (table.has("receive_a_token")) {
        out->receive_a_token = table.boolean("receive_a_token").value_or(false);
        // The flash liquidator must sell the seized collateral to repay its
        // loan in the same transaction, so it always takes the underlying.
        if (out->receive_a_token && out->flash_liquidator)
            table.problem("receive_a_token",
                          "cannot be true with flash_liquidator (the flash loan is repaid by selling the collateral)");
    }
    if (table.has("native_token")) out->native_token = table.address("native_token", false);
    if (table.has("min_profit_base")) out->min_profit_base = table.amount("min_profit_base").value_or(U256{});
    if (table.has("max_debt_spend_base")) out->max_debt_spend_base = table.amount("max_debt_spend_base");
    return out;
}

}  // namespace keeper::protocols::aave_v3
