// margin-keeper: the command-line entry point.
#include <cstdio>

#include <spdlog/spdlog.h>
#include <cstring>
#include <string_view>

#include "core/address.hpp"
#include "core/keccak.hpp"
#include "core/u256.hpp"
#include "keeper/chain_info_command.hpp"
#include "keeper/core_dumps.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/logging/log_setup.hpp"
#include "net/url_redaction.hpp"

namespace {

void print_usage() {
    std::puts("margin-keeper " KEEPER_VERSION
              " - keeper daemon for on-chain margin and lending protocols\n"
              "\n"
              "usage: margin-keeper <command> [options]\n"
              "\n"
              "commands:\n"
              "  run --config FILE [--dry-run] [--fork | --fork-url URL] [--once]\n"
              "               the daemon: follow the protocols, liquidate what pays\n"
              "  scan --config FILE [--json]\n"
              "               one pass: every position with debt, riskiest first, as of the latest block\n"
              "  stress --config FILE [--scenarios FILE] [--json]\n"
              "               the book under price shocks: liquidatable, repaid, seized, bad debt\n"
              "  pause --config FILE [--reason TEXT]   stop new actions at once (the running daemon's next round)\n"
              "  resume --config FILE                  let them go again\n"
              "  demo         local chain + real Morpho Blue + a falling oracle: watch the keeper liquidate\n"
              "  self-check   verify the cryptographic primitives against known answers\n"
              "  chain-info --rpc URL   chain id and head block of a node, through our JSON-RPC client\n"
              "  --version    print the version\n"
              "  --help       this text\n"
              "\n"
              "logging (any command): --log-format text|json  --log-level LEVEL[,MODULE=LEVEL...]\n"
              "  levels: trace debug info warn error critical off; modules: keeper (the daemon), alerts, ...\n"
              "  or in keeper.toml: [log] format = \"json\", level = \"info,alerts=debug\"");
}

// Known answers that a broken build (wrong Keccak padding, a bad link) fails.
int self_check() {
    using namespace keeper;
    int failures = 0;
    auto check = [&](const char* what, bool ok) {
        std::printf("  %-40s %s\n", what, ok ? "ok" : "FAILED");
        if (!ok) ++failures;
    };
    check("keccak256(\"\")", keccak256(std::string_view("")).hex() ==
                                  "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    check("selector transfer(address,uint256)", hex::encode(selector("transfer(address,uint256)")) == "0xa9059cbb");
    auto addr = Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    check("EIP-55 checksum", addr.has_value() && addr->checksummed() == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    auto big = mul_div_up(U256::max(), U256(3), U256(4));
    check("mul_div_up 512-bit intermediate", big.has_value());
    check("core dumps disabled", keeper::cli::core_dumps_disabled());
    std::printf("self-check: %s\n", failures == 0 ? "all passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    // Before anything can hold a key: a core file would carry it in clear.
    const auto hardened = keeper::cli::disable_core_dumps();
    // Logs go to stderr so that stdout carries only a command's output
    // (scan --json is parsed by scripts).
    // --log-format text|json and --log-level [default,]module=level,... may
    // follow any command: taken out of argv here, before it parses its own.
    if (auto logging = keeper::log::take_log_flags(argc, argv, 2); !logging) {
        std::fprintf(stderr, "margin-keeper: %s\n", logging.error().message.c_str());
        return 2;
    }
    if (!hardened) spdlog::warn("core dumps could not be disabled: {}", hardened.error().message);
    const std::string_view cmd = argc > 1 ? argv[1] : "--help";
    if (cmd == "--version" || cmd == "version") {
        std::puts("margin-keeper " KEEPER_VERSION);
        return 0;
    }
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        print_usage();
        return 0;
    }
    if (cmd == "self-check") return self_check();
    if (cmd == "run") return keeper::app::run_command(argc - 2, argv + 2);
    if (cmd == "scan") return keeper::app::scan_command(argc - 2, argv + 2);
    if (cmd == "stress") return keeper::app::stress_command(argc - 2, argv + 2);
    if (cmd == "pause") return keeper::app::pause_command(argc - 2, argv + 2);
    if (cmd == "resume") return keeper::app::resume_command(argc - 2, argv + 2);
    if (cmd == "demo") return keeper::app::demo_command(argc - 2, argv + 2);
    if (cmd == "chain-info") return keeper::cli::chain_info(argc - 2, argv + 2);
    std::fprintf(stderr, "margin-keeper: unknown command '%s' (try --help)\n",
                 keeper::net::shown_argument(argv[1]).c_str());
    return 2;
}
