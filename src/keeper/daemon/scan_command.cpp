// `margin-keeper scan`: one pass over every tracked position as of the latest
// block, riskiest first. With --json, stdout carries only JSON lines (the
// interface operators' scripts parse, DESIGN.md); logs go to stderr.
#include <cstdio>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "keeper/daemon/command_line.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/shutdown_signal.hpp"

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

nlohmann::json scan_row(const ProtocolPositions& protocol, const PositionHealth& p, std::uint64_t block) {
    return {{"protocol", protocol.protocol},
            {"market", p.market.hex()},
            {"account", p.account.checksummed()},
            {"collateral", p.position.collateral.to_dec()},
            {"debt", p.health.borrowed.to_dec()},
            {"health", wad_to_decimal(p.health_wad)},
            {"liquidatable", p.liquidatable},
            {"max_borrow", p.health.max_borrow.to_dec()},
            {"borrow_shares", p.position.borrow_shares.to_dec()},
            {"block", block}};
}

// DESIGN.md's aave-v3 fields equal getUserAccountData's, to the wei.
nlohmann::json aave_scan_row(const ProtocolPositions& protocol, const AaveAccountHealth& a, std::uint64_t block) {
    return {{"protocol", protocol.protocol},
            {"pool", protocol.pool.checksummed()},
            {"account", a.account.checksummed()},
            {"collateral_base", a.data.total_collateral_base.to_dec()},
            {"debt_base", a.data.total_debt_base.to_dec()},
            {"health_factor_wad", a.data.health_factor_wad.to_dec()},
            {"health", wad_to_decimal(a.data.health_factor_wad)},
            {"liquidatable", a.liquidatable},
            {"emode", a.input.emode_category_id},
            {"avg_liquidation_threshold_bps", a.data.avg_liquidation_threshold_bps.to_dec()},
            {"block", block}};
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
    install_shutdown_handlers();
    KeeperOptions options;
    options.mode = KeeperMode::scan;
    options.persist = false;
    options.interrupted = shutdown_requested;
    auto keeper = Keeper::open(*config, options, std::nullopt);
    if (!keeper) {
        spdlog::error("scan: {}", keeper.error().message);
        return 1;
    }
    auto report = (*keeper)->tick();
    if (!report) {
        spdlog::error("scan: {}", report.error().message);
        return 1;
    }
    // The daemon goes on without a protocol it cannot read; a scan that
    // lists every position cannot.
    if (!report->failed_protocols.empty()) {
        for (const auto& key : report->failed_protocols) spdlog::error("scan: {} could not be read", key);
        return 1;
    }
    // Rows of every protocol merged, riskiest first.
    struct Row {
        const ProtocolPositions* protocol;
        const PositionHealth* position;  // morpho-blue
        const AaveAccountHealth* aave;   // aave-v3
        U256 health_wad;
    };
    std::vector<Row> rows;
    for (const auto& protocol : (*keeper)->positions()) {
        for (const auto& p : protocol.positions) rows.push_back({&protocol, &p, nullptr, p.health_wad});
        for (const auto& a : protocol.aave_accounts)
            rows.push_back({&protocol, nullptr, &a, a.data.health_factor_wad});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.health_wad < b.health_wad; });
    if (line->limit && rows.size() > *line->limit) rows.resize(*line->limit);

    if (line->json) {
        for (const auto& row : rows) {
            const auto json = row.position != nullptr ? scan_row(*row.protocol, *row.position, report->head)
                                                      : aave_scan_row(*row.protocol, *row.aave, report->head);
            std::printf("%s\n", json.dump().c_str());
        }
    } else {
        std::printf("block %llu: %zu positions with debt, %zu liquidatable\n",
                    static_cast<unsigned long long>(report->head), report->positions, report->liquidatable);
        std::printf("%-12s %-10s %-42s %-24s %-24s %s\n", "protocol", "market", "account", "collateral", "debt",
                    "health");
        for (const auto& row : rows) {
            const bool aave = row.aave != nullptr;
            const std::string market = aave ? row.protocol->pool.hex().substr(0, 10) : row.position->market.hex().substr(0, 10);
            const Address& account = aave ? row.aave->account : row.position->account;
            const std::string collateral = aave ? row.aave->data.total_collateral_base.to_dec() + " base"
                                                : row.position->position.collateral.to_dec();
            const std::string debt =
                aave ? row.aave->data.total_debt_base.to_dec() + " base" : row.position->health.borrowed.to_dec();
            const bool liquidatable = aave ? row.aave->liquidatable : row.position->liquidatable;
            std::printf("%-12s %-10s %-42s %-24s %-24s %s%s\n", row.protocol->protocol.c_str(), market.c_str(),
                        account.checksummed().c_str(), collateral.c_str(), debt.c_str(),
                        wad_to_decimal(row.health_wad).c_str(), liquidatable ? "  LIQUIDATABLE" : "");
        }
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace keeper::app
