#include "keeper/daemon/budget_file.hpp"

#include "keeper/daemon/state_file.hpp"

#include <fstream>
#include <sstream>

namespace keeper::app {

std::filesystem::path budget_file(const std::filesystem::path& state_dir) { return state_dir / "budget.json"; }

nlohmann::json budget_to_json(const DaySpending& spent) {
    nlohmann::json capital = nlohmann::json::object();
    for (const auto& [token, units] : spent.capital) capital[token.checksummed()] = units.to_dec();
    return {{"day", spent.day}, {"gas_wei", spent.gas_wei.to_dec()}, {"capital", std::move(capital)}};
}

Result<DaySpending> budget_from_json(const nlohmann::json& doc) {
    if (!doc.is_object()) return fail("not a JSON object");
    DaySpending out;
    const auto day = doc.find("day");
    if (day == doc.end() || !day->is_number_integer())
        return fail("'day': expected an integer (days since 1970-01-01 UTC)");
    out.day = day->get<std::int64_t>();
    const auto gas = doc.find("gas_wei");
    if (gas == doc.end() || !gas->is_string()) return fail("'gas_wei': expected a decimal string");
    auto gas_wei = U256::from_dec(gas->get<std::string>());
    if (!gas_wei) return fail("'gas_wei': " + gas_wei.error().message);
    out.gas_wei = *gas_wei;
    const auto capital = doc.find("capital");
    if (capital == doc.end()) return out;
    if (!capital->is_object()) return fail("'capital': expected an object of token -> decimal string");
    for (const auto& [token_text, units_json] : capital->items()) {
        auto token = Address::parse(token_text);
        if (!token) return fail("'capital': " + token_text + ": " + token.error().message);
        if (!units_json.is_string()) return fail("'capital' of " + token_text + ": expected a decimal string");
        auto units = U256::from_dec(units_json.get<std::string>());
        if (!units) return fail("'capital' of " + token_text + ": " + units.error().message);
        out.capital[*token] = *units;
    }
    return out;
}

Result<void> write_budget(const std::filesystem::path& state_dir, const DaySpending& spent) {
    return write_state_file(state_dir, budget_file(state_dir).filename().string(), budget_to_json(spent).dump() + "\n");
}

Result<std::optional<DaySpending>> read_budget(const std::filesystem::path& state_dir) {
    const auto path = budget_file(state_dir);
    std::ifstream in(path);
    if (!in) return std::optional<DaySpending>();
    std::ostringstream text;
    text << in.rdbuf();
    const auto doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return fail(path.string() + ": not JSON");
    auto spent = budget_from_json(doc);
    if (!spent) return fail(path.string() + ": " + spent.error().message);
    return std::optional<DaySpending>(std::move(*spent));
}

}  // namespace keeper::app
