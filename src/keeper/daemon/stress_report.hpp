#pragma once
// `stress` output, pure: one JSON object per scenario (the fixed field names
// the README's "stress" section documents) and the terminal table.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "margin/stress_capital.hpp"
#include "margin/stress_cascade.hpp"
#include "margin/stress_engine.hpp"
#include "margin/stress_monte_carlo.hpp"

namespace keeper::app {

struct StressReportContext {
    std::uint64_t block = 0;
    const margin::stress::StressBook* book = nullptr;
    std::map<Address, std::string> labels;  // asset -> label, from the scenario file
    std::vector<std::string> unmodelled;    // deployments left out (no stress model)
    const margin::stress::Valuations* valuations = nullptr;  // [valuation]: USD figures of the capital needed
    margin::stress::CapitalSpec capital;                     // [capital]: the flash premium
};

// The asset's label from the scenario file, else its address's first 10 characters.
std::string label_of(const StressReportContext& context, const Address& asset);

nlohmann::json stress_scenario_json(const StressReportContext& context, const margin::stress::StressScenario& scenario,
                                    const margin::stress::ScenarioOutcome& outcome);

// The `cascade` object of a scenario's line (README "stress": rounds[] with
// moves, impact, liquidated, volume_usd, ...).
nlohmann::json stress_cascade_json(const StressReportContext& context, const margin::stress::CascadeOutcome& cascade);

// The Monte-Carlo line: {"kind":"monte_carlo", seed, draws, covariance[],
// bad_debt_usd / liquidation_volume_usd / liquidated {mean, var_95, es_95,
// var_99, es_99}, ...}.
nlohmann::json stress_monte_carlo_json(const StressReportContext& context,
                                       const margin::stress::CovarianceSpec& covariance,
                                       const margin::stress::MonteCarloOutcome& outcome, std::size_t cascade_rounds);

// The terminal's cascade section: per cascading scenario (one that liquidates
// anything), its rounds. `cascades` runs parallel to `scenarios`.
std::string stress_cascade_table(const StressReportContext& context,
                                 const std::vector<margin::stress::StressScenario>& scenarios,
                                 const std::vector<margin::stress::CascadeOutcome>& cascades);
std::string stress_monte_carlo_table(const StressReportContext& context,
                                     const margin::stress::CovarianceSpec& covariance,
                                     const margin::stress::MonteCarloOutcome& outcome);

// The `capital` object of a scenario's line: own funds vs flash loans per
// debt asset, and how many liquidations pay after the premium.
nlohmann::json stress_capital_json(const StressReportContext& context, const margin::stress::ScenarioCapital& capital);
// The terminal's capital section: one line per scenario that liquidates anything.
std::string stress_capital_table(const StressReportContext& context,
                                 const std::vector<margin::stress::StressScenario>& scenarios,
                                 const std::vector<margin::stress::ScenarioOutcome>& outcomes);

// Header line, one row per scenario, then the liquidatable accounts of each
// scenario that has any (at most `account_rows` per scenario).
std::string stress_table(const StressReportContext& context,
                         const std::vector<margin::stress::StressScenario>& scenarios,
                         const std::vector<margin::stress::ScenarioOutcome>& outcomes, std::size_t account_rows);

}  // namespace keeper::app
