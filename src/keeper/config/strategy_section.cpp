#include "keeper/config/config_sections.hpp"

namespace keeper::config {

namespace {

constexpr unsigned kGweiDecimals = 9;  // 1 gwei = 1e9 wei

// A cap of zero would never let anything through: an operator who wants no
// cap leaves the key out, so zero is taken for a mistake.
std::optional<U256> positive(std::optional<U256> value, const toml::node& node, std::string_view key,
                             Problems& problems) {
    if (value && value->is_zero()) {
        problems.add(&node, key, "must be above 0 (leave the key out for no limit)");
        return std::nullopt;
    }
    return value;
}

void read_native_prices(const toml::node& node, std::string_view key, StrategySettings& out, Problems& problems) {
    const auto* prices = node.as_table();
    if (prices == nullptr) {
        problems.add(&node, key, "expected a table of \"0x<loan token>\" = \"<price>\", got " + describe(node));
        return;
    }
    for (auto&& [token_text, price_node] : *prices) {
        const std::string entry_key = std::string(key) + "." + std::string(token_text.str());
        auto token = Address::parse(token_text.str());
        if (!token) {
            problems.add(&price_node, entry_key,
                         "expected the key to be a loan token's 0x-prefixed 20-byte hex address");
            continue;
        }
        auto price = read_amount(price_node, entry_key, problems);
        if (!price) continue;
        if (price->is_zero()) {
            problems.add(&price_node, entry_key, "a price of 0 would make gas free: expected above 0");
            continue;
        }
        // Lowercase and checksummed spellings are one token.
        if (!out.native_price_1e36.emplace(*token, *price).second)
            problems.add(&price_node, entry_key, "token listed twice");
    }
}

}  // namespace

void read_strategy_section(Fields& root, StrategySettings& out) {
    // Absent: the defaults liquidate anything that pays.
    const toml::table* table = section_table(root, "strategy", false);
    if (table == nullptr) return;
    out.configured = true;
    Fields fields(*table, "strategy", root.problems());
    Problems& problems = fields.problems();

    if (const toml::node* node = fields.get("min_profit"))
        out.min_profit = read_amount(*node, "strategy.min_profit", problems).value_or(U256{});
    if (const toml::node* node = fields.get("max_gas_price_gwei"))
        out.max_gas_price_wei = positive(read_scaled(*node, "strategy.max_gas_price_gwei", kGweiDecimals, problems),
                                         *node, "strategy.max_gas_price_gwei", problems);
    if (const toml::node* node = fields.get("max_loan_spend"))
        out.max_loan_spend =
            positive(read_amount(*node, "strategy.max_loan_spend", problems), *node, "strategy.max_loan_spend", problems);
    if (const toml::node* node = fields.get("gas_margin_percent")) {
        if (auto percent = read_u64_in(*node, "strategy.gas_margin_percent", 0, 1000, problems))
            out.gas_margin_percent = static_cast<unsigned>(*percent);
    }
    if (const toml::node* node = fields.get("native_price_1e36"))
        read_native_prices(*node, "strategy.native_price_1e36", out, problems);
    if (const toml::node* node = fields.get("confirmations"))
        out.confirmations = read_u64_in(*node, "strategy.confirmations", 1, 1000, problems).value_or(3);
    if (const toml::node* node = fields.get("replace_after_blocks"))
        out.replace_after_blocks = read_u64_in(*node, "strategy.replace_after_blocks", 1, 1000, problems).value_or(3);
    fields.reject_unknown();
}

}  // namespace keeper::config
