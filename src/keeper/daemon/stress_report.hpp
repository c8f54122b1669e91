#pragma once
// `stress` output, pure: one JSON object per scenario (the fixed field names
// the README's "stress" section documents) and the terminal table.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "margin/stress_engine.hpp"

namespace keeper::app {

struct StressReportContext {
    std::uint64_t block = 0;
    const margin::stress::StressBook* book = nullptr;
    std::map<Address, std::string> labels;  // asset -> label, from the scenario file
    std::vector<std::string> unmodelled;    // deployments left out (no stress model)
};

nlohmann::json stress_scenario_json(const StressReportContext& context, const margin::stress::StressScenario& scenario,
                                    const margin::stress::ScenarioOutcome& outcome);

// Header line, one row per scenario, then the liquidatable accounts of each
// scenario that has any (at most `account_rows` per scenario).
std::string stress_table(const StressReportContext& context,
                         const std::vector<margin::stress::StressScenario>& scenarios,
                         const std::vector<margin::stress::ScenarioOutcome>& outcomes, std::size_t account_rows);

}  // namespace keeper::app
