// `margin-keeper scan`: one pass over every tracked position as of the latest
// block, riskiest first. With --json, stdout carries only JSON lines (the
// interface operators' scripts parse, DESIGN.md); logs go to stderr.
#include <algorithm>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "keeper/daemon/command_line.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/scan_pass.hpp"
#include "protocols/health_text.hpp"

namespace keeper::app {
namespace {

void print_scan_help() {
    std::puts(
        "usage: margin-keeper scan --config FILE [--json] [--limit N] [--rpc URL]...\n"
        "\n"
        "One pass: syncs the configured protocols' events, reads every market at the\n"
        "latest block and prints every position with debt, riskiest first, with its\n"
        "health as the contract computes it in that block (1.0 is the threshold).\n"
        "Needs no signer.\n"
        "\n"
        "  --json        one JSON object per line on stdout; logs on stderr\n"
        "  --limit N     at most N rows\n"
        "  --rpc URL     node to use instead of [chain].rpc (repeat for failover)\n"
        "  --state-dir   ignored by scan (it keeps nothing)");
}

}  // namespace

int scan_command(int argc, char** argv) {
    auto line = parse_command_line(argc, argv, {"--json", "--limit"});
    if (!line) {
        std::fprintf(stderr, "margin-keeper scan: %s\n", line.error().message.c_str());
        return 2;
    }
    if (line->help) {
        print_scan_help();
        return 0;
    }
    auto config = load_effective_config(*line);
    if (!config) {
        std::fprintf(stderr, "margin-keeper scan: %s\n", config.error().message.c_str());
        return 2;
    }
    auto pass = scan_pass(*config);
    if (!pass) {
        spdlog::error("scan: {}", pass.error().message);
        return 1;
    }
    const TickReport& report = pass->report;
    // Rows of every protocol merged, riskiest first.
    struct Ranked {
        const protocols::Snapshot* snapshot;
        std::size_t index;
        const protocols::PositionRow* row;
    };
    std::vector<Ranked> ranked;
    for (const auto& protocol : pass->keeper->positions())
        for (std::size_t i = 0; i < protocol.snapshot->rows.size(); ++i)
            ranked.push_back({protocol.snapshot.get(), i, &protocol.snapshot->rows[i]});
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Ranked& a, const Ranked& b) { return a.row->health_wad < b.row->health_wad; });
    if (line->limit && ranked.size() > *line->limit) ranked.resize(*line->limit);

    if (line->json) {
        for (const Ranked& r : ranked) std::printf("%s\n", r.snapshot->scan_json(r.index).dump().c_str());
    } else {
        std::printf("block %llu: %zu positions with debt, %zu liquidatable\n",
                    static_cast<unsigned long long>(report.head), report.positions, report.liquidatable);
        std::printf("%-12s %-10s %-42s %-24s %-24s %s\n", "protocol", "market", "account", "collateral", "debt",
                    "health");
        for (const Ranked& r : ranked) {
            const protocols::PositionRow* row = r.row;
            std::printf("%-12s %-10s %-42s %-24s %-24s %s%s\n", row->protocol.c_str(), row->where.substr(0, 10).c_str(),
                        row->account.checksummed().c_str(), row->collateral_text.c_str(), row->debt_text.c_str(),
                        protocols::wad_to_decimal(row->health_wad).c_str(), row->liquidatable ? "  LIQUIDATABLE" : "");
        }
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace keeper::app
