#include "protocols/yield_v2/yield_config.hpp"

namespace keeper::yield_v2 {

std::unique_ptr<protocols::ProtocolConfig> parse_yield_config(protocols::ConfigTable& table) {
    auto config = std::make_unique<YieldConfig>();
    const auto cauldron = table.address("cauldron", true);
    const auto witch = table.address("witch", true);
    const auto start = table.block_number("start_block");
    std::optional<U256> min_profit;
    std::optional<U256> gas_cost;
    std::optional<std::uint64_t> interval;
    if (table.has("min_profit")) min_profit = table.amount("min_profit");
    if (table.has("bid_gas_cost")) gas_cost = table.amount("bid_gas_cost");
    // A small non-negative integer, read with the integer getter the table has.
    if (table.has("block_interval_s")) {
        interval = table.block_number("block_interval_s");
        if (interval && *interval == 0) table.problem("block_interval_s", "must be at least 1 second");
    }
    std::optional<U256> rival_gas;
    std::optional<U256> rival_floor;
    if (table.has("rival_gas_cost")) rival_gas = table.amount("rival_gas_cost");
    if (table.has("rival_min_profit")) rival_floor = table.amount("rival_min_profit");
    if (table.has("rival_gas_cost") != table.has("rival_min_profit"))
        table.problem(table.has("rival_gas_cost") ? "rival_gas_cost" : "rival_min_profit",
                      "rival_gas_cost and rival_min_profit go together");
    if (!cauldron || !witch || !start) return nullptr;
    if (table.has("rival_gas_cost") != table.has("rival_min_profit") || (table.has("rival_gas_cost") && !rival_gas) ||
        (table.has("rival_min_profit") && !rival_floor))
        return nullptr;
    if ((table.has("min_profit") && !min_profit) || (table.has("bid_gas_cost") && !gas_cost) ||
        (table.has("block_interval_s") && (!interval || *interval == 0)))
        return nullptr;
    config->cauldron = *cauldron;
    config->witch = *witch;
    config->start = *start;
    if (min_profit) config->min_profit_base = *min_profit;
    if (gas_cost) config->bid_gas_cost_base = *gas_cost;
    if (interval) config->block_interval_s = *interval;
    config->rival_gas_cost_base = rival_gas;
    config->rival_min_profit_base = rival_floor;
    return config;
}

}  // namespace keeper::yield_v2
