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
    if (!cauldron || !witch || !start) return nullptr;
    if ((table.has("min_profit") && !min_profit) || (table.has("bid_gas_cost") && !gas_cost) ||
        (table.has("block_interval_s") && (!interval || *interval == 0)))
        return nullptr;
    config->cauldron = *cauldron;
    config->witch = *witch;
    config->start = *start;
    if (min_profit) config->min_profit_base = *min_profit;
    if (gas_cost) config->bid_gas_cost_base = *gas_cost;
    if (interval) config->block_interval_s = *interval;
    return config;
}

}  // namespace keeper::yield_v2
