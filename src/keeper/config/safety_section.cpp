#include "keeper/config/config_sections.hpp"

namespace keeper::config {
namespace {

constexpr std::uint64_t kSecondsPerDay = 86'400;

void read_capital_budget(const toml::node& node, std::string_view key, SafetySettings& out, Problems& problems) {
    const auto* budget = node.as_table();
    if (budget == nullptr) {
        problems.add(&node, key,
                     "expected a table of \"0x<token>\" = \"<token units per day>\", got " + describe(node));
        return;
    }
    for (auto&& [token_text, amount_node] : *budget) {
        const std::string entry_key = std::string(key) + "." + std::string(token_text.str());
        auto token = Address::parse(token_text.str());
        if (!token) {
            problems.add(&amount_node, entry_key, "expected the key to be a token's 0x-prefixed 20-byte hex address");
            continue;
        }
        auto amount = read_amount(amount_node, entry_key, problems);
        if (!amount) continue;
        // Lowercase and checksummed spellings are one token.
        if (!out.daily_capital_budget.emplace(*token, *amount).second)
            problems.add(&amount_node, entry_key, "token listed twice");
    }
}

}  // namespace

void read_safety_section(Fields& root, SafetySettings& out) {
    const toml::table* table = section_table(root, "safety", false);
    if (table == nullptr) return;
    Fields fields(*table, "safety", root.problems());
    Problems& problems = fields.problems();
    if (const toml::node* node = fields.get("daily_gas_budget"))
        out.daily_gas_budget_wei = read_scaled(*node, "safety.daily_gas_budget", kWadDecimals, problems);
    if (const toml::node* node = fields.get("daily_capital_budget"))
        read_capital_budget(*node, "safety.daily_capital_budget", out, problems);
    if (const toml::node* node = fields.get("breaker_reverts")) {
        if (auto count = read_u64_in(*node, "safety.breaker_reverts", 0, 1'000, problems))
            out.breaker_reverts = static_cast<unsigned>(*count);
    }
    if (const toml::node* node = fields.get("breaker_window_s")) {
        if (auto seconds = read_u64_in(*node, "safety.breaker_window_s", 1, kSecondsPerDay, problems))
            out.breaker_window = std::chrono::seconds(static_cast<std::int64_t>(*seconds));
    }
    fields.reject_unknown();
}

}  // namespace keeper::config
