#include "keeper/config/stress_scenario_file.hpp"

#include <cmath>
#include <fstream>
#include <limits>
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

// A TOML integer or float as a double, or nullopt after reporting.
std::optional<double> read_number(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point(); f != nullptr && std::isfinite(f->get())) return f->get();
    problems.add(&node, key, "expected a number, found " + describe(node));
    return std::nullopt;
}

std::optional<Address> asset_named(const toml::node* at, std::string_view label, const std::string& key,
                                   const std::map<std::string, Address, std::less<>>& by_label, Problems& problems) {
    if (auto it = by_label.find(label); it != by_label.end()) return it->second;
    if (auto parsed = Address::parse(label)) return *parsed;
    problems.add(at, key, "\"" + std::string(label) + "\" is neither a label in [assets] nor a 0x address");
    return std::nullopt;
}

void read_valuations(const toml::node& node, const std::map<std::string, Address, std::less<>>& by_label,
                     StressScenarioFile& out, Problems& problems) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
        problems.add(&node, "valuation", "expected [valuation.<asset>] tables, found " + describe(node));
        return;
    }
    for (const auto& [label, value] : *table) {
        const std::string path = "valuation." + std::string(label.str());
        const auto asset = asset_named(&value, label.str(), path, by_label, problems);
        const toml::table* fields_table = value.as_table();
        if (fields_table == nullptr) {
            problems.add(&value, path, "expected a table with usd_price and decimals, found " + describe(value));
            continue;
        }
        Fields fields(*fields_table, path, problems);
        margin::stress::AssetValuation v;
        bool ok = asset.has_value();
        if (const toml::node* price = fields.require("usd_price")) {
            const auto p = read_number(*price, fields.key_path("usd_price"), problems);
            if (p && *p <= 0.0) problems.add(price, fields.key_path("usd_price"), "must be above 0");
            ok = ok && p && *p > 0.0;
            if (p) v.usd_price = *p;
        }
        if (const toml::node* decimals = fields.require("decimals")) {
            const auto d = read_u64_in(*decimals, fields.key_path("decimals"), 0, 77, problems);
            ok = ok && d.has_value();
            if (d) v.decimals = static_cast<unsigned>(*d);
        }
        if (const toml::node* impact = fields.get("impact_bps_per_million")) {
            const auto i = read_number(*impact, fields.key_path("impact_bps_per_million"), problems);
            if (i && *i < 0.0) problems.add(impact, fields.key_path("impact_bps_per_million"), "must be >= 0");
            ok = ok && i && *i >= 0.0;
            if (i) v.impact_bps_per_million = *i;
        }
        fields.reject_unknown();
        if (ok && asset) out.valuations[*asset] = v;
    }
}

// A TOML array of numbers, or nullopt after reporting.
std::optional<std::vector<double>> read_numbers(const toml::node& node, std::string_view key, Problems& problems) {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
        problems.add(&node, key, "expected an array of numbers, found " + describe(node));
        return std::nullopt;
    }
    std::vector<double> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto v = read_number((*list)[i], std::string(key) + "[" + std::to_string(i) + "]", problems);
        if (!v) return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

void read_covariance(const toml::node& node, const std::map<std::string, Address, std::less<>>& by_label,
                     StressScenarioFile& out, Problems& problems) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
        problems.add(&node, "covariance", "expected a table, found " + describe(node));
        return;
    }
    Fields fields(*table, "covariance", problems);
    margin::stress::CovarianceSpec spec;
    bool ok = true;
    if (const toml::node* assets = fields.require("assets")) {
        const toml::array* list = assets->as_array();
        if (list == nullptr) {
            problems.add(assets, "covariance.assets",
                         "expected an array of labels or addresses, found " + describe(*assets));
            ok = false;
        }
        for (std::size_t i = 0; list != nullptr && i < list->size(); ++i) {
            const std::string key = "covariance.assets[" + std::to_string(i) + "]";
            auto text = read_string((*list)[i], key, problems);
            auto asset = text ? asset_named(&(*list)[i], *text, key, by_label, problems) : std::nullopt;
            ok = ok && asset.has_value();
            if (asset) spec.assets.push_back(*asset);
        }
    } else {
        ok = false;
    }
    if (const toml::node* vols = fields.require("daily_vol_percent")) {
        auto v = read_numbers(*vols, "covariance.daily_vol_percent", problems);
        ok = ok && v.has_value();
        if (v)
            for (const double percent : *v) spec.daily_vol.push_back(percent / 100.0);
    } else {
        ok = false;
    }
    if (const toml::node* correlation = fields.require("correlation")) {
        const toml::array* rows = correlation->as_array();
        if (rows == nullptr) {
            problems.add(correlation, "covariance.correlation",
                         "expected an array of rows, found " + describe(*correlation));
            ok = false;
        }
        for (std::size_t i = 0; rows != nullptr && i < rows->size(); ++i) {
            auto row = read_numbers((*rows)[i], "covariance.correlation[" + std::to_string(i) + "]", problems);
            ok = ok && row.has_value();
            if (row) spec.correlation.insert(spec.correlation.end(), row->begin(), row->end());
        }
    } else {
        ok = false;
    }
    fields.reject_unknown();
    if (!ok) return;
    // Sizes, symmetry, the diagonal, and whether the correlations can be one.
    if (auto sampler = margin::stress::ReturnSampler::make(spec); !sampler) {
        problems.add(&node, "covariance", sampler.error().message);
        return;
    }
    out.covariance = std::move(spec);
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
    if (const toml::node* node = root.get("valuation")) read_valuations(*node, by_label, out, problems);
    if (const toml::node* node = root.get("cascade")) {
        if (const toml::table* cascade = node->as_table()) {
            Fields fields(*cascade, "cascade", problems);
            out.cascade_max_rounds = 10;
            if (const toml::node* rounds = fields.get("max_rounds"))
                if (auto n = read_u64_in(*rounds, fields.key_path("max_rounds"), 1, 100, problems))
                    out.cascade_max_rounds = static_cast<std::size_t>(*n);
            fields.reject_unknown();
        } else {
            problems.add(node, "cascade", "expected a table, found " + describe(*node));
        }
    }
    if (const toml::node* node = root.get("covariance")) read_covariance(*node, by_label, out, problems);
    if (const toml::node* node = root.get("monte_carlo")) {
        if (const toml::table* mc = node->as_table()) {
            Fields fields(*mc, "monte_carlo", problems);
            if (const toml::node* draws = fields.get("draws"))
                if (auto n = read_u64_in(*draws, fields.key_path("draws"), 1, 10'000'000, problems))
                    out.monte_carlo.draws = static_cast<std::size_t>(*n);
            if (const toml::node* seed = fields.get("seed"))
                if (auto n = read_u64_in(*seed, fields.key_path("seed"), 0, std::numeric_limits<std::int64_t>::max(),
                                         problems))
                    out.monte_carlo.seed = *n;
            fields.reject_unknown();
            if (!root.get("covariance")) problems.add(node, "monte_carlo", "needs a [covariance] section to draw from");
        } else {
            problems.add(node, "monte_carlo", "expected a table, found " + describe(*node));
        }
    }
    if (const toml::node* node = root.get("capital")) {
        if (const toml::table* capital = node->as_table()) {
            Fields fields(*capital, "capital", problems);
            if (const toml::node* bps = fields.get("flash_premium_bps"))
                if (auto n = read_u64_in(*bps, fields.key_path("flash_premium_bps"), 0, 10'000, problems)) {
                    out.capital.flash_premium_bps = static_cast<std::uint32_t>(*n);
                    out.capital_given = true;
                }
            fields.reject_unknown();
        } else {
            problems.add(node, "capital", "expected a table, found " + describe(*node));
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
    if (problems.empty() && out.scenarios.empty() && !out.grid && !out.covariance)
        problems.add_plain(nullptr, "no [[scenario]], no [grid] and no [covariance]: nothing to run");
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
