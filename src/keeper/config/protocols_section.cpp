#include <algorithm>
#include <array>

#include "keeper/config/config_sections.hpp"

namespace keeper::config {

namespace {

constexpr std::array<std::string_view, 2> kKnownKinds = {"morpho-blue", "aave-v3"};

std::uint64_t read_start_block(Fields& fields) {
    const toml::node* node = fields.get("start_block");
    if (node == nullptr) return 0;
    return read_u64_in(*node, fields.key_path("start_block"), 0, INT64_MAX, fields.problems()).value_or(0);
}

MorphoBlueSettings read_morpho_blue(Fields& fields) {
    MorphoBlueSettings out;
    Problems& problems = fields.problems();
    if (const toml::node* address = fields.require("address"))
        out.address = read_address(*address, fields.key_path("address"), problems).value_or(Address{});
    out.start_block = read_start_block(fields);
    if (const toml::node* markets = fields.get("markets")) {
        const auto* ids = markets->as_array();
        if (ids == nullptr) {
            problems.add(markets, fields.key_path("markets"),
                         "expected an array of market ids, got " + describe(*markets));
            return out;
        }
        for (std::size_t i = 0; i < ids->size(); ++i) {
            const std::string key = fields.key_path("markets") + "[" + std::to_string(i) + "]";
            auto id = read_bytes32(*ids->get(i), key, problems);
            if (!id) continue;
            if (std::find(out.markets.begin(), out.markets.end(), *id) != out.markets.end()) {
                problems.add(ids->get(i), key, "market listed twice");
                continue;
            }
            out.markets.push_back(*id);
        }
    }
    return out;
}

AaveV3Settings read_aave_v3(Fields& fields) {
    AaveV3Settings out;
    if (const toml::node* provider = fields.require("pool_addresses_provider"))
        out.pool_addresses_provider =
            read_address(*provider, fields.key_path("pool_addresses_provider"), fields.problems())
                .value_or(Address{});
    out.start_block = read_start_block(fields);
    Problems& problems = fields.problems();
    if (const toml::node* node = fields.get("flash_liquidator"))
        out.flash_liquidator = read_address(*node, fields.key_path("flash_liquidator"), problems);
    if (const toml::node* node = fields.get("receive_a_token")) {
        out.receive_a_token = read_bool(*node, fields.key_path("receive_a_token"), problems).value_or(false);
        // The flash liquidator must sell the seized collateral to repay its
        // loan in the same transaction, so it always takes the underlying.
        if (out.receive_a_token && out.flash_liquidator)
            problems.add(node, fields.key_path("receive_a_token"),
                         "cannot be true with flash_liquidator (the flash loan is repaid by selling the collateral)");
    }
    if (const toml::node* node = fields.get("native_token"))
        out.native_token = read_address(*node, fields.key_path("native_token"), problems);
    if (const toml::node* node = fields.get("min_profit_base"))
        out.min_profit_base = read_amount(*node, fields.key_path("min_profit_base"), problems).value_or(U256{});
    if (const toml::node* node = fields.get("max_debt_spend_base"))
        out.max_debt_spend_base = read_amount(*node, fields.key_path("max_debt_spend_base"), problems);
    return out;
}

// Two entries for one deployment would track (and liquidate) everything twice.
bool same_deployment(const ProtocolSettings& a, const ProtocolSettings& b) {
    if (a.index() != b.index()) return false;
    if (const auto* morpho = std::get_if<MorphoBlueSettings>(&a))
        return morpho->address == std::get<MorphoBlueSettings>(b).address;
    return std::get<AaveV3Settings>(a).pool_addresses_provider ==
           std::get<AaveV3Settings>(b).pool_addresses_provider;
}

std::string known_kinds_text() {
    std::string out;
    for (std::string_view kind : kKnownKinds) {
        if (!out.empty()) out += ", ";
        out += "\"" + std::string(kind) + "\"";
    }
    return out;
}

}  // namespace

void read_protocols_section(Fields& root, std::vector<ProtocolSettings>& out) {
    Problems& problems = root.problems();
    const toml::node* node = root.require("protocols");
    if (node == nullptr) return;
    const auto* entries = node->as_array();
    if (entries != nullptr && entries->empty()) {
        problems.add(node, "protocols", "expected at least one [[protocols]] table");
        return;
    }
    if (entries == nullptr || !entries->is_array_of_tables()) {
        problems.add(node, "protocols", "expected [[protocols]] tables, got " + describe(*node));
        return;
    }
    std::vector<std::size_t> origin;  // out[k] came from protocols[origin[k]]
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const toml::table& table = *entries->get(i)->as_table();
        Fields fields(table, "protocols[" + std::to_string(i) + "]", problems);
        const toml::node* kind_node = fields.require("kind");
        if (kind_node == nullptr) continue;  // without a kind, no key can be judged known or not
        const auto kind = read_string(*kind_node, fields.key_path("kind"), problems);
        if (!kind) continue;
        const std::size_t problems_before = problems.count();
        ProtocolSettings settings;
        if (*kind == "morpho-blue") {
            settings = read_morpho_blue(fields);
        } else if (*kind == "aave-v3") {
            settings = read_aave_v3(fields);
        } else {
            problems.add(kind_node, fields.key_path("kind"),
                         "unknown protocol kind " + describe(*kind_node) + "; known kinds: " + known_kinds_text());
            continue;
        }
        fields.reject_unknown();
        if (problems.count() != problems_before) continue;
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (same_deployment(out[k], settings)) {
                problems.add(&table, fields.path(),
                             "the same " + *kind + " deployment as protocols[" + std::to_string(origin[k]) + "]");
            }
        }
        out.push_back(std::move(settings));
        origin.push_back(i);
    }
}

}  // namespace keeper::config
