#pragma once
// Today's spending against the [safety] daily budget, kept in the state
// directory (`budget.json`) so a restart does not hand the keeper a fresh
// budget mid-day. Written whole after every sent action (temporary file +
// rename); read once at start. A file of another UTC day is simply no
// spending today (DailyBudget starts a new day from zero).
//
//   {"day": 20429, "gas_wei": "8000000000000000",
//    "capital": {"0x5FbDB2315678afecb367f032d93F642f64180aa3": "95000000000000000000"}}
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "keeper/daemon/action_guard.hpp"

namespace keeper::app {

std::filesystem::path budget_file(const std::filesystem::path& state_dir);

nlohmann::json budget_to_json(const DaySpending& spent);
// Amounts are decimal strings (they overflow JSON numbers); anything else is an error naming the field.
Result<DaySpending> budget_from_json(const nlohmann::json& doc);

Result<void> write_budget(const std::filesystem::path& state_dir, const DaySpending& spent);
// nullopt: no file (nothing spent since the state directory was made).
Result<std::optional<DaySpending>> read_budget(const std::filesystem::path& state_dir);

}  // namespace keeper::app
