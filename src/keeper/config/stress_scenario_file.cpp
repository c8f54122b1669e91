#include "keeper/config/stress_scenario_file.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "keeper/config/toml_fields.hpp"

namespace keeper::config {
namespace {

using margin::stress::AssetShock;
using margin::stress::StressScenario;

// A TOML number (percent) or a string such as "-30%": basis points, or
// nullopt after reporting.
std::optional<std::int32_t> read_move_bps(const toml::node& node, std::string_view key, Problems& problems) {
    std::optional<std::int32_t> bps;
    if (const auto* s = node.as_string()) {
        bps = parse_percent_bps(s->get());
    } else if (const auto* i = node.as_integer()) {
        if (i->get() >= -100 && i->get() <= 10'000) bps = static_cast<std::int32_t>(i->get() * 100);
    } else if (const auto* f = node.as_floating_point()) {
        const double scaled = f->get() * 100.0;
        const double rounded = std::round(scaled);
        if (std::isfinite(scaled) && std::fabs(scaled - rounded) < 1e-6 && std::fabs(rounded) <= 1e6)
            bps = static_cast<std::int32_t>(rounded);
    }
    if (!bps) {
        problems.add(
            &node, key,
            "expected a move in percent with at most two decimals (\"-30%\", -30, 2.5), found " + describe(node));
        return std::nullopt;
    }
    if (*bps < margin::stress::kMinMoveBps || *bps > margin::stress::kMaxMoveBps) {
        problems.add(&node, key, "a move must be above -100% and at most +10000%, found " + describe(node));
        return std::nullopt;
    }
    return bps;
}

std::optional<std::int32_t> read_positive_percent_bps(const toml::node& node, std::string_view key,
                                                      Problems& problems) {
    auto bps = read_move_bps(node, key, problems);
    if (bps && *bps <= 0) {
        problems.add(&node, key, "expected a positive percentage, found " + describe(node));
        return std::nullopt;
    }
    return bps;
}

}  // namespace

std::optional<std::int32_t> parse_percent_bps(std::string_view text) {
    if (!text.empty() && text.back() == '%') text.remove_suffix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::int64_t whole = 0;
    std::size_t i = 0, digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
        whole = whole * 10 + (text[i] - '0');
        if (whole > 1'000'000) return std::nullopt;
    }
    std::int64_t fraction = 0;
    std::size_t fraction_digits = 0;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction_digits) {
            if (fraction_digits == 2) return std::nullopt;
            fraction = fraction * 10 + (text[i] - '0');
        }
    }
    if (i != text.size() || digits + fraction_digits == 0) return std::nullopt;
    if (fraction_digits == 1) fraction *= 10;
    const std::int64_t bps = whole * 100 + fraction;
    if (bps > 100'000'000) return std::nullopt;
    return static_cast<std::int32_t>(negative ? -bps : bps);
}

Result<StressScenarioFile> parse_stress_scenarios(std::string_view toml_text, std::string_view source_name) {
    const std::string source(source_name);
    toml::table document;
    try {
        document = toml::parse(toml_text, source);
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        return fail(source + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                    ": TOML syntax error: " + std::string(error.description()));
    }
    StressScenarioFile out;
    Problems problems(source);
    Fields root(document, "", problems);
    std::map<std::string, Address, std::less<>> by_label;
    if (const toml::node* node = root.get("assets")) {
        if (const toml::table* assets = node->as_table()) {
            for (const auto& [label, value] : *assets) {
                const std::string key = "assets." + std::string(label.str());
                if (auto address = read_address(value, key, problems)) {
                    by_label[std::string(label.str())] = *address;
                    out.labels[*address] = std::string(label.str());
                }
            }
        } else {
            problems.add(node, "assets", "expected a table of label = \"0x…\" address, found " + describe(*node));
        }
    }
    if (const toml::node* node = root.get("grid")) {
        if (const toml::table* grid = node->as_table()) {
            Fields fields(*grid, "grid", problems);
            margin::stress::StressGridSpec spec;
            if (const toml::node* max = fields.get("max_move_percent"))
                if (auto bps = read_positive_percent_bps(*max, fields.key_path("max_move_percent"), problems))
                    spec.max_move_bps = *bps;
            if (const toml::node* step = fields.get("step_percent"))
                if (auto bps = read_positive_percent_bps(*step, fields.key_path("step_percent"), problems))
                    spec.step_bps = *bps;
            fields.reject_unknown();
            if (spec.max_move_bps > -margin::stress::kMinMoveBps)
                problems.add(node, "grid.max_move_percent", "must be below 100 (a price must stay above 0)");
            else if (spec.max_move_bps % spec.step_bps != 0)
                problems.add(node, "grid.step_percent", "must divide max_move_percent");
            out.grid = spec;
        } else {
            problems.add(node, "grid", "expected a table, found " + describe(*node));
        }
    }
    std::set<std::string, std::less<>> names;
    if (const toml::node* node = root.get("scenario")) {
        const toml::array* list = node->as_array();
        if (list == nullptr) problems.add(node, "scenario", "expected [[scenario]] tables, found " + describe(*node));
        for (std::size_t i = 0; list != nullptr && i < list->size(); ++i) {
            const std::string path = "scenario[" + std::to_string(i) + "]";
            const toml::table* table = (*list)[i].as_table();
            if (table == nullptr) {
                problems.add(&(*list)[i], path, "expected a table, found " + describe((*list)[i]));
                continue;
            }
            Fields fields(*table, path, problems);
            StressScenario scenario;
            if (const toml::node* name = fields.require("name")) {
                if (auto text = read_string(*name, fields.key_path("name"), problems)) {
                    if (text->empty())
                        problems.add(name, fields.key_path("name"), "must not be empty");
                    else if (!names.insert(*text).second)
                        problems.add(name, fields.key_path("name"), "\"" + *text + "\" names two scenarios");
                    scenario.name = *text;
                }
            }
            if (const toml::node* shocks = fields.require("shocks")) {
                if (const toml::table* moves = shocks->as_table()) {
                    for (const auto& [asset_key, value] : *moves) {
                        const std::string label(asset_key.str());
                        const std::string key = fields.key_path("shocks") + "." + label;
                        std::optional<Address> asset;
                        if (auto it = by_label.find(label); it != by_label.end())
                            asset = it->second;
                        else if (auto parsed = Address::parse(label))
                            asset = *parsed;
                        else {
                            problems.add(&value, key,
                                         "\"" + label + "\" is neither a label in [assets] nor a 0x address");
                            continue;
                        }
                        auto bps = read_move_bps(value, key, problems);
                        if (!bps) continue;
                        bool twice = false;
                        for (const auto& s : scenario.shocks) twice = twice || s.asset == *asset;
                        if (twice)
                            problems.add(&value, key, "this asset is already shocked in this scenario");
                        else
                            scenario.shocks.push_back(AssetShock{*asset, *bps});
                    }
                } else {
                    problems.add(shocks, fields.key_path("shocks"),
                                 "expected a table such as { WETH = \"-30%\" }, found " + describe(*shocks));
                }
            }
            fields.reject_unknown();
            out.scenarios.push_back(std::move(scenario));
        }
    }
    root.reject_unknown();
    if (problems.empty() && out.scenarios.empty() && !out.grid)
        problems.add_plain(nullptr, "no [[scenario]] and no [grid]: nothing to run");
    if (!problems.empty()) return std::unexpected(problems.error());
    return out;
}

Result<StressScenarioFile> load_stress_scenarios(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(path + ": cannot read the scenario file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_stress_scenarios(text.str(), path);
}

}  // namespace keeper::config
