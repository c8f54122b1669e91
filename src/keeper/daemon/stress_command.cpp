// `margin-keeper stress`: the live book, synced exactly as `scan` syncs it,
// revalued under price scenarios by the exact models (issue #20). With
// --json, stdout carries only JSON lines (one per scenario); logs go to stderr.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>
#include <string_view>

#include <spdlog/spdlog.h>

#include "keeper/config/derivatives_book_file.hpp"
#include "keeper/config/stress_scenario_file.hpp"
#include "keeper/daemon/command_line.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/derivatives_html.hpp"
#include "keeper/daemon/derivatives_report.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/scan_pass.hpp"
#include "keeper/daemon/stress_html.hpp"
#include "keeper/daemon/stress_report.hpp"
#include "margin/stress_grid.hpp"

namespace keeper::app {
namespace {

void print_stress_help() {
    std::puts(
        "usage: margin-keeper stress --config FILE [--scenarios FILE] [--derivatives FILE] [--json]\n"
        "                            [--html OUT] [--seed N] [--draws N] [--rpc URL]...\n"
        "       margin-keeper stress --derivatives FILE [--json] [--html OUT]\n"
        "\n"
        "Syncs the configured protocols as `scan` does, then revalues every position\n"
        "with debt under price scenarios, in the contracts' own integer arithmetic:\n"
        "which accounts become liquidatable, the debt the largest liquidation repays,\n"
        "the collateral it seizes (bonus included), accounts left insolvent and the\n"
        "bad debt the contract writes off. Each position is judged alone against the\n"
        "latest block; with [cascade] in the scenario file, the seized collateral is\n"
        "sold with a linear price impact and the book revalued round by round. With\n"
        "[covariance], a seeded Monte-Carlo of one day's returns gives VaR and\n"
        "Expected Shortfall (95%, 99%) of bad debt and liquidation volume. Each\n"
        "scenario also costs the keeper's own capital to clear it: the debt to hold\n"
        "as own funds against the flash-loan premium, and which liquidations still\n"
        "pay after it. Needs no signer.\n"
        "\n"
        "  --scenarios FILE  named joint shocks in TOML ([assets] labels, [[scenario]]\n"
        "                    name + shocks = { WETH = \"-30%\" }, optional [grid]);\n"
        "                    default: every asset alone, -50%..+50% in steps of 5%\n"
        "                    [valuation.<asset>] usd_price, decimals, impact_bps_per_million;\n"
        "                    [cascade] max_rounds; [covariance] assets, daily_vol_percent,\n"
        "                    correlation; [monte_carlo] draws, seed; [capital]\n"
        "                    flash_premium_bps (default: the Aave pool's, else 5)\n"
        "  --derivatives FILE  a portfolio-margined book in TOML (as_of, [scan], [portfolio],\n"
        "                    [[offset]], [underlyings.<name>] spot + vol_percent, [[account]]\n"
        "                    name + cash with [[account.option]] and [[account.perp]]): per\n"
        "                    account the margin requirement isolated / cross / portfolio\n"
        "                    through the risk arrays, the worst scenario, Greeks, excess;\n"
        "                    needs no chain, so --config is optional with it\n"
        "  --json            one JSON object per scenario on stdout (and one for the\n"
        "                    Monte-Carlo run); logs on stderr\n"
        "                    (with --derivatives: one per account and one for the book)\n"
        "  --html OUT        also write the report as one self-contained HTML page with charts\n"
        "  --seed N          Monte-Carlo seed (default [monte_carlo] seed, else 1)\n"
        "  --draws N         Monte-Carlo draws (default [monte_carlo] draws, else 10000)\n"
        "  --rpc URL         node to use instead of [chain].rpc (repeat for failover)");
}

// The derivatives book and its report; context() points into this object.
struct DerivativesRun {
    std::string source;
    margin::derivatives::DerivativesBook book;
    margin::derivatives::DerivativesReport report;
    DerivativesContext context() const { return DerivativesContext{source, &book, &report}; }
};

Result<DerivativesRun> run_derivatives(const std::string& path) {
    auto book = config::load_derivatives_book(path);
    if (!book) return std::unexpected(book.error());
    DerivativesRun run{path, std::move(*book), {}};
    const auto started = std::chrono::steady_clock::now();
    auto report = margin::derivatives::evaluate_derivatives(run.book);
    if (!report) return fail(path + ": " + report.error().message);
    run.report = std::move(*report);
    spdlog::info(
        "stress: derivatives, {} accounts x {} positions ({} instruments) over {} scenarios in {} ms",
        run.report.accounts.size(), run.report.positions, run.report.instruments, run.report.scenarios.size(),
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
    return run;
}

void print_derivatives_json(const DerivativesContext& context) {
    for (const auto& account : context.report->accounts)
        std::printf("%s\n", derivatives_account_json(context, account).dump().c_str());
    std::printf("%s\n", derivatives_book_json(context).dump().c_str());
}

// `stress --derivatives FILE` without --config: no chain, no sync.
int print_derivatives_only(const CommandLine& line, const DerivativesRun& run) {
    const DerivativesContext context = run.context();
    if (line.json)
        print_derivatives_json(context);
    else
        std::fputs(derivatives_table(context, 20).c_str(), stdout);
    std::fflush(stdout);
    if (const auto& html_path = line.html) {
        std::ofstream out(*html_path, std::ios::binary | std::ios::trunc);
        out << derivatives_html_page(context);
        out.close();
        if (!out) {
            spdlog::error("stress: cannot write the HTML report to {}", *html_path);
            return 1;
        }
        spdlog::info("stress: HTML report written to {}", *html_path);
    }
    return 0;
}

// `--derivatives FILE` (or --derivatives=FILE) taken out of argv before
// parse_command_line sees the rest: one flag more in that function's chain
// of branches took clang-tidy's optional-access analysis of it from 30 s to
// over ten minutes.
struct DerivativesFlag {
    std::string path;  // "": not given
    std::vector<char*> rest;
    std::string error;
};

DerivativesFlag take_derivatives_flag(int argc, char** argv) {
    DerivativesFlag out;
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--derivatives" || arg.starts_with("--derivatives=")) {
            if (arg == "--derivatives" && i + 1 < argc) out.path = argv[++i];
            if (arg != "--derivatives") out.path = std::string(arg.substr(std::string_view("--derivatives=").size()));
            if (out.path.empty()) out.error = "--derivatives needs a value";
            continue;
        }
        out.rest.push_back(argv[i]);
    }
    return out;
}

// The pools' own FLASHLOAN_PREMIUM_TOTAL, read at sync; with several pools the
// dearest, so the capital section never understates the cost; `fallback`
// when no pool was read.
std::uint32_t pools_flash_premium(const margin::stress::StressBook& book, std::uint32_t fallback) {
    bool read = false;
    std::uint32_t bps = 0;
    for (const auto& pool : book.aave_pools) {
        if (const auto* premium = pool.flash_premium_bps ? &*pool.flash_premium_bps : nullptr) {
            bps = std::max<std::uint32_t>(bps, *premium);
            read = true;
        }
    }
    if (!read) return fallback;
    spdlog::info("stress: flash premium {} bps, the pool's FLASHLOAN_PREMIUM_TOTAL", bps);
    return bps;
}

}  // namespace

int stress_command(int argc, char** argv) {
    const DerivativesFlag derivatives_flag = take_derivatives_flag(argc, argv);
    if (!derivatives_flag.error.empty()) {
        std::fprintf(stderr, "margin-keeper stress: %s\n", derivatives_flag.error.c_str());
        return 2;
    }
    std::vector<char*> rest = derivatives_flag.rest;
    auto line = parse_command_line(static_cast<int>(rest.size()), rest.data(),
                                   {"--json", "--scenarios", "--html", "--seed", "--draws"});
    if (!line) {
        std::fprintf(stderr, "margin-keeper stress: %s\n", line.error().message.c_str());
        return 2;
    }
    if (line->help) {
        print_stress_help();
        return 0;
    }
    // The derivatives book before anything else: a bad file exits 2 before any
    // sync, and it needs no chain at all.
    // (A pointer, not an optional: this function is long, and clang-tidy's
    // optional-access analysis grows with every optional in it.)
    std::unique_ptr<const DerivativesRun> derivatives;
    if (!derivatives_flag.path.empty()) {
        auto run = run_derivatives(derivatives_flag.path);
        if (!run) {
            std::fprintf(stderr, "margin-keeper stress: %s\n", run.error().message.c_str());
            return 2;
        }
        derivatives = std::make_unique<const DerivativesRun>(std::move(*run));
    }
    if (!line->config_path && derivatives != nullptr) {
        if (line->scenarios || line->seed || line->draws) {
            std::fprintf(stderr,
                         "margin-keeper stress: --scenarios, --seed and --draws stress the lending book: they need "
                         "--config\n");
            return 2;
        }
        return print_derivatives_only(*line, *derivatives);
    }
    if (!line->config_path) {
        std::fprintf(stderr,
                     "margin-keeper stress: --config FILE (the lending book) or --derivatives FILE is required\n");
        return 2;
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
    if ((line->seed || line->draws) && !(file && file->covariance)) {
        std::fprintf(stderr, "margin-keeper stress: --seed and --draws need a [covariance] section in --scenarios\n");
        return 2;
    }
    // Synced exactly as `scan` is, plus Aave's flash premium unless the file sets one.
    const bool premium_given = file && file->capital_given;
    auto pass = scan_pass(*config, !premium_given);
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
        context.valuations = &file->valuations;
        context.capital = file->capital;
    }
    if (!premium_given)
        context.capital.flash_premium_bps = pools_flash_premium(book, context.capital.flash_premium_bps);
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
    // The file's optional parts as plain pointers, null when absent.
    const std::optional<std::size_t> cascade_rounds = file ? file->cascade_max_rounds : std::nullopt;
    const margin::stress::CovarianceSpec* covariance = file && file->covariance ? &*file->covariance : nullptr;
    margin::stress::CascadeSpec cascade;
    if (file) cascade.valuations = file->valuations;
    cascade.max_rounds = cascade_rounds.value_or(1);
    // The cascades reuse one prepared book (listing accounts: rounds know positions by name).
    std::vector<margin::stress::CascadeOutcome> cascades;
    if (cascade_rounds) {
        margin::stress::StressRunner runner(book);
        for (const auto& s : scenarios) cascades.push_back(margin::stress::run_cascade(runner, s, cascade));
    }
    std::optional<margin::stress::MonteCarloOutcome> monte_carlo;
    if (covariance != nullptr) {
        margin::stress::MonteCarloSpec spec = file ? file->monte_carlo : margin::stress::MonteCarloSpec{};
        spec.seed = line->seed.value_or(spec.seed);
        spec.draws = line->draws.value_or(spec.draws);
        const auto started = std::chrono::steady_clock::now();
        // Without a cascade no draw needs the accounts listed: cheaper.
        margin::stress::StressRunner runner(book, margin::stress::StressOptions{cascade.max_rounds > 1});
        auto mc = margin::stress::run_monte_carlo(runner, *covariance, cascade, spec);
        if (!mc) {
            spdlog::error("stress: {}", mc.error().message);
            return 2;
        }
        spdlog::info(
            "stress: Monte-Carlo, {} draws x {} positions ({} cascade rounds at most) in {} ms", spec.draws,
            book.positions(), cascade.max_rounds,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
        monte_carlo = std::move(*mc);
    }
    if (line->json) {
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            auto j = stress_scenario_json(context, scenarios[i], (*outcomes)[i]);
            if (i < cascades.size()) j["cascade"] = stress_cascade_json(context, cascades[i]);
            std::printf("%s\n", j.dump().c_str());
        }
        if (covariance != nullptr && monte_carlo)
            std::printf("%s\n",
                        stress_monte_carlo_json(context, *covariance, *monte_carlo, cascade.max_rounds).dump().c_str());
        if (derivatives != nullptr) print_derivatives_json(derivatives->context());
    } else {
        std::fputs(stress_table(context, scenarios, *outcomes, 10).c_str(), stdout);
        std::fputs(stress_capital_table(context, scenarios, *outcomes).c_str(), stdout);
        std::fputs(stress_cascade_table(context, scenarios, cascades).c_str(), stdout);
        if (covariance != nullptr && monte_carlo)
            std::fputs(stress_monte_carlo_table(context, *covariance, *monte_carlo).c_str(), stdout);
        if (derivatives != nullptr) std::fputs(("\n" + derivatives_table(derivatives->context(), 20)).c_str(), stdout);
    }
    std::fflush(stdout);
    if (const auto& html_path = line->html) {
        StressHtmlInput html;
        html.context = &context;
        html.scenarios = &scenarios;
        html.outcomes = &*outcomes;
        html.cascades = cascade_rounds ? &cascades : nullptr;
        html.valuations = &cascade.valuations;
        html.covariance = covariance;
        html.monte_carlo = monte_carlo ? &*monte_carlo : nullptr;
        DerivativesContext derivatives_context;
        if (derivatives != nullptr) {
            derivatives_context = derivatives->context();
            html.derivatives = &derivatives_context;
        }
        std::ofstream out(*html_path, std::ios::binary | std::ios::trunc);
        out << stress_html(html);
        out.close();
        if (!out) {
            spdlog::error("stress: cannot write the HTML report to {}", *html_path);
            return 1;
        }
        spdlog::info("stress: HTML report written to {}", *html_path);
    }
    return 0;
}

}  // namespace keeper::app
