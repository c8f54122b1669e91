// `margin-keeper stress`: the live book, synced exactly as `scan` syncs it,
// revalued under price scenarios by the exact models (issue #20). With
// --json, stdout carries only JSON lines (one per scenario); logs go to stderr.
#include <cstdio>

#include <spdlog/spdlog.h>

#include "keeper/config/stress_scenario_file.hpp"
#include "keeper/daemon/command_line.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/scan_pass.hpp"
#include "keeper/daemon/stress_report.hpp"
#include "margin/stress_grid.hpp"

namespace keeper::app {
namespace {

void print_stress_help() {
    std::puts(
        "usage: margin-keeper stress --config FILE [--scenarios FILE] [--json] [--rpc URL]...\n"
        "\n"
        "Syncs the configured protocols as `scan` does, then revalues every position\n"
        "with debt under price scenarios, in the contracts' own integer arithmetic:\n"
        "which accounts become liquidatable, the debt the largest liquidation repays,\n"
        "the collateral it seizes (bonus included), accounts left insolvent and the\n"
        "bad debt the contract writes off. Each position is judged alone against the\n"
        "latest block (no cascade). Needs no signer.\n"
        "\n"
        "  --scenarios FILE  named joint shocks in TOML ([assets] labels, [[scenario]]\n"
        "                    name + shocks = { WETH = \"-30%\" }, optional [grid]);\n"
        "                    default: every asset alone, -50%..+50% in steps of 5%\n"
        "  --json            one JSON object per scenario on stdout; logs on stderr\n"
        "  --rpc URL         node to use instead of [chain].rpc (repeat for failover)");
}

}  // namespace

int stress_command(int argc, char** argv) {
    auto line = parse_command_line(argc, argv, {"--json", "--scenarios"});
    if (!line) {
        std::fprintf(stderr, "margin-keeper stress: %s\n", line.error().message.c_str());
        return 2;
    }
    if (line->help) {
        print_stress_help();
        return 0;
    }
    auto config = load_effective_config(*line);
    if (!config) {
        std::fprintf(stderr, "margin-keeper stress: %s\n", config.error().message.c_str());
        return 2;
    }
    // The scenario file before any syncing: a typo costs no node time.
    std::optional<config::StressScenarioFile> file;
    if (line->scenarios) {
        auto loaded = config::load_stress_scenarios(*line->scenarios);
        if (!loaded) {
            std::fprintf(stderr, "margin-keeper stress: %s\n", loaded.error().message.c_str());
            return 2;
        }
        file = std::move(*loaded);
    }
    auto pass = scan_pass(*config);  // synced exactly as `scan` is
    if (!pass) {
        spdlog::error("stress: {}", pass.error().message);
        return 1;
    }
    const TickReport& report = pass->report;
    margin::stress::StressBook book;
    StressReportContext context;
    context.block = report.head;
    context.book = &book;
    for (const auto& protocol : pass->keeper->positions()) {
        if (!protocol.snapshot->add_to_stress_book(book, protocol.key)) {
            spdlog::warn("stress: {} has no stress model yet; its positions are left out", protocol.key);
            context.unmodelled.push_back(protocol.key);
        }
    }
    std::vector<margin::stress::StressScenario> scenarios;
    if (file) {
        context.labels = file->labels;
        scenarios = file->scenarios;
    }
    if (!file || file->grid) {
        const auto assets = book.assets();
        auto grid = margin::stress::default_grid(assets, context.labels,
                                                 file && file->grid ? *file->grid : margin::stress::StressGridSpec{});
        if (!grid) {
            spdlog::error("stress: {}", grid.error().message);
            return 2;
        }
        scenarios.insert(scenarios.end(), grid->begin(), grid->end());
    }
    auto outcomes = margin::stress::run_stress(book, scenarios);
    if (!outcomes) {
        spdlog::error("stress: {}", outcomes.error().message);
        return 2;
    }
    if (line->json) {
        for (std::size_t i = 0; i < scenarios.size(); ++i)
            std::printf("%s\n", stress_scenario_json(context, scenarios[i], (*outcomes)[i]).dump().c_str());
    } else {
        std::fputs(stress_table(context, scenarios, *outcomes, 10).c_str(), stdout);
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace keeper::app
