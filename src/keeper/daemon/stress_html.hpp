#pragma once
// `stress --html OUT`: the report as one self-contained HTML page (inline CSS
// and SVG, no script, no external resource), pure:
//   #debt-vs-shock      debt the liquidations repay vs each asset's move (the ladder)
//   #bad-debt-vs-shock  bad debt vs each asset's move
//   #cascade-rounds     the largest cascade's volume per round
//   #var-histogram      Monte-Carlo liquidation volume and bad debt per draw, VaR 95/99 marked
//   #scenarios          every scenario's figures as a table
//   then, with --derivatives, derivatives_html.hpp's sections
// Amounts are in USD where every asset involved has a [valuation], else the
// charts fall back to counts of positions and say so on the axis.
#include <string>
#include <vector>

#include "keeper/daemon/derivatives_report.hpp"
#include "keeper/daemon/stress_report.hpp"

namespace keeper::app {

struct StressHtmlInput {
    const StressReportContext* context = nullptr;
    const std::vector<margin::stress::StressScenario>* scenarios = nullptr;
    const std::vector<margin::stress::ScenarioOutcome>* outcomes = nullptr;  // parallel to scenarios
    const std::vector<margin::stress::CascadeOutcome>* cascades = nullptr;   // parallel, or null: no [cascade]
    const margin::stress::Valuations* valuations = nullptr;
    const margin::stress::CovarianceSpec* covariance = nullptr;
    const margin::stress::MonteCarloOutcome* monte_carlo = nullptr;  // null: no [covariance]
    const DerivativesContext* derivatives = nullptr;                 // null: no --derivatives
};

std::string stress_html(const StressHtmlInput& input);

}  // namespace keeper::app
