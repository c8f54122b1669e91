// `margin-keeper demo`: the whole product on this machine. Starts anvil,
// deploys the real Morpho Blue (compiled from its published sources) with one
// market, opens a few hundred borrowers at varied health, then moves the
// oracle down in steps; after each step the keeper, running live against the
// chain exactly as `run` does, liquidates what became liquidatable. Then the
// same for Aave V3 on the same chain (demo_aave.hpp).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "chain/private_key.hpp"
#include "chain/signer.hpp"
#include "keeper/daemon/commands.hpp"
#include "keeper/daemon/demo_aave.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/shutdown_signal.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::app {
namespace {

constexpr const char* kMorphoKeyEnv = "MARGIN_KEEPER_DEMO_KEY";

U256 wad(std::string_view decimal_1e18) { return U256::from_dec(decimal_1e18).value(); }

// 1234567800000000000000 (18 decimals) -> "1,234.56"
std::string units(const U256& raw) {
    const U256 cents = raw / U256::pow10(16);
    std::string whole = (cents / U256(100)).to_dec();
    std::string frac = (cents % U256(100)).to_dec();
    if (frac.size() < 2) frac.insert(0, "0");
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
    return whole + "." + frac;
}

struct Step {
    const char* price_text = "";
    U256 price_1e36;
    std::size_t liquidatable_before = 0;
    std::size_t liquidated = 0;
    U256 seized, repaid, profit;
    std::size_t liquidatable_after = 0;
};

void print_help() {
    std::puts(
        "usage: margin-keeper demo [--borrowers N] [--aave-accounts N] [--verbose]\n"
        "\n"
        "Starts a local anvil, deploys Morpho Blue 1.0.0 from its npm sources (compiled\n"
        "with solc-js), opens N borrowers (default 300) at varied health, moves the\n"
        "oracle down in steps and lets the keeper liquidate, then prints a summary.\n"
        "Then deploys Aave V3 (@aave/core-v3 1.19.3 artifacts) on the same chain, opens\n"
        "N multi-asset accounts (--aave-accounts, default 150; 0 skips the Aave act),\n"
        "lowers WETH and DAI in steps and does the same.\n"
        "Needs what scripts/setup installs (.tools: anvil, solc-js, Morpho sources,\n"
        "Aave artifacts).");
}

Result<void> run_demo(std::size_t borrower_count, std::size_t aave_accounts, bool verbose) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // the story interleaves with log lines on a terminal
    std::printf("margin-keeper demo: a local chain, the real Morpho Blue, %zu borrowers, a falling oracle\n\n",
                borrower_count);
    devnet::AnvilOptions anvil_options;
    anvil_options.extra_args = {"--gas-limit", "100000000"};
    auto anvil = devnet::AnvilProcess::start(anvil_options);
    if (!anvil) return fail("starting anvil: " + anvil.error().message);
    std::printf("1. anvil is up at %s (pid %d)\n", anvil->url().c_str(), static_cast<int>(anvil->pid()));

    auto client = chain::make_http_client(anvil->url());
    const auto& accounts = devnet::dev_accounts();
    auto owner = chain::PrivateKey::from_hex(accounts[0].private_key_hex);
    if (!owner) return fail("dev key: " + owner.error().message);

    auto options = devnet::default_morpho_devnet_options();
    auto devnet = devnet::deploy_morpho_devnet(client, *owner, options);
    if (!devnet) return fail("deploying Morpho Blue: " + devnet.error().message);
    std::printf("2. Morpho Blue deployed at %s; market %s\n   (loan token %s, collateral token %s, LLTV 86%%, oracle price 1.00)\n",
                devnet->contracts.morpho.checksummed().c_str(), devnet->market_id.hex().c_str(),
                devnet->contracts.loan_token.checksummed().c_str(),
                devnet->contracts.collateral_token.checksummed().c_str());

    // Loan-to-value from 40% to 85% (all healthy at LLTV 86%), collateral 1,000 to 2,500.
    std::vector<devnet::BorrowerSpec> specs;
    for (std::size_t i = 0; i < borrower_count; ++i) {
        const U256 collateral = wad("1000000000000000000000") + U256(static_cast<std::uint64_t>(i % 7)) * wad("250000000000000000000");
        const std::uint64_t ltv_bp = 4000 + (borrower_count > 1 ? 4500 * i / (borrower_count - 1) : 0);
        specs.push_back({collateral, collateral * U256(ltv_bp) / U256(10000)});
    }
    auto borrowers = devnet::open_borrowers(client, *owner, *devnet, specs, 60);
    if (!borrowers) return fail("opening borrowers: " + borrowers.error().message);
    std::printf("3. %zu borrowers opened (loan-to-value 40%% to 85%%)\n", borrowers->size());

    const std::string liquidator_key = std::string(accounts[1].private_key_hex);
    const Address liquidator = accounts[1].address();
    if (auto minted = devnet::mint(client, *owner, devnet->contracts.loan_token, liquidator, wad("1000000000000000000000000"));
        !minted)
        return fail("funding the liquidator: " + minted.error().message);
    std::printf("4. keeper account %s holds 1,000,000 loan tokens\n\n", liquidator.checksummed().c_str());

    char dir_template[] = "/tmp/margin-keeper-demo-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) return fail("cannot create a temporary directory");
    const std::filesystem::path dir = dir_template;
    ::setenv(kMorphoKeyEnv, liquidator_key.c_str(), 1);
    const std::filesystem::path config_path = dir / "keeper.toml";
    {
        std::ofstream toml(config_path);
        toml << "state_dir = \"" << (dir / "state").string() << "\"\n\n[chain]\nrpc = [\"" << anvil->url()
             << "\"]\npoll_interval_ms = 100\n\n[signer]\nprivate_key_env = \"" << kMorphoKeyEnv
             << "\"\n\n[[protocols]]\nkind = \"morpho-blue\"\naddress = \"" << devnet->contracts.morpho.checksummed()
             << "\"\nstart_block = " << devnet->deploy_block << "\n"
             // 1 ETH = 3,000 loan tokens: gas is priced in the loan token and
             // the profit shown is after gas.
             << "\n[strategy.native_price_1e36]\n\"" << devnet->contracts.loan_token.checksummed()
             << "\" = \"3000" << std::string(36, '0') << "\"\n";
    }
    auto config = config::load_config(config_path);
    if (!config) return fail("demo config: " + config.error().message);
    if (!verbose) spdlog::set_level(spdlog::level::warn);
    KeeperOptions keeper_options;
    keeper_options.mode = KeeperMode::live;
    keeper_options.interrupted = shutdown_requested;
    auto signer = chain::PrivateKey::from_hex(liquidator_key);
    if (!signer) return fail("dev key: " + signer.error().message);
    auto keeper = Keeper::open(*config, keeper_options, std::move(*signer));
    if (!keeper) return fail("starting the keeper: " + keeper.error().message);
    std::printf("5. keeper started with %s (live mode, state in %s)\n\n", config_path.string().c_str(),
                (dir / "state").string().c_str());

    // Time passes on the demo chain between rounds (anvil mines only when a
    // transaction arrives): the keeper's work reaches its confirmation depth.
    auto settle = [&]() { return tick_until_quiet(**keeper, 200, [&]() { (void)keeper::devnet::evm_mine(client); }); };
    if (auto first = settle(); !first) return std::unexpected(first.error());

    std::vector<Step> steps;
    for (const char* p : {"0.97", "0.94", "0.91", "0.88", "0.85", "0.80"}) {
        Step step;
        step.price_text = p;
        // "0.97" -> 97 x 1e34 (the oracle's 1e36 scale at equal decimals)
        step.price_1e36 = U256::from_dec(std::string(p).substr(2)).value() * U256::pow10(34);
        steps.push_back(step);
    }
    for (auto& step : steps) {
        if (shutdown_requested()) break;
        if (auto set = devnet::set_oracle_price(client, *owner, *devnet, step.price_1e36); !set)
            return fail("moving the oracle: " + set.error().message);
        const std::size_t before = (*keeper)->records().size();
        // What became liquidatable, as scan sees it right after the move.
        auto seen = (*keeper)->tick();
        if (!seen) return std::unexpected(seen.error());
        step.liquidatable_before = seen->liquidatable;
        auto settled = settle();
        if (!settled) return std::unexpected(settled.error());
        step.liquidatable_after = settled->liquidatable;
        if (verbose)
            for (const auto& protocol : (*keeper)->positions())
                for (std::size_t i = 0; i < protocol.snapshot->rows.size(); ++i)
                    if (protocol.snapshot->rows[i].liquidatable)
                        spdlog::info("still liquidatable: {}", protocol.snapshot->scan_json(i).dump());
        const auto records = (*keeper)->records();
        for (std::size_t i = before; i < records.size(); ++i) {
            const auto& r = records[i];
            if (!r.success || !*r.success) continue;
            ++step.liquidated;
            step.seized = step.seized + r.settled.collateral_out.value_or(U256());
            step.repaid = step.repaid + r.settled.debt_in.value_or(U256());
            if (r.realised_collateral_gain && r.realised_debt_spent) {
                const U256 value = *r.realised_collateral_gain * step.price_1e36 / U256::pow10(36);
                if (value > *r.realised_debt_spent) step.profit = step.profit + (value - *r.realised_debt_spent);
            }
        }
        std::printf("oracle -> %s: %zu position(s) liquidatable; keeper liquidated %zu, seizing %s collateral for %s loan "
                    "tokens (profit %s)\n",
                    step.price_text, step.liquidatable_before, step.liquidated, units(step.seized).c_str(),
                    units(step.repaid).c_str(), units(step.profit).c_str());
    }

    std::printf("\n%-8s %-14s %-11s %-18s %-18s %-14s %s\n", "price", "liquidatable", "liquidated", "seized (coll.)",
                "repaid (loan)", "profit (loan)", "left liquidatable");
    std::size_t total = 0;
    U256 seized, repaid, profit;
    for (const auto& s : steps) {
        std::printf("%-8s %-14zu %-11zu %-18s %-18s %-14s %zu\n", s.price_text, s.liquidatable_before, s.liquidated,
                    units(s.seized).c_str(), units(s.repaid).c_str(), units(s.profit).c_str(), s.liquidatable_after);
        total += s.liquidated;
        seized = seized + s.seized;
        repaid = repaid + s.repaid;
        profit = profit + s.profit;
    }
    std::printf("%-8s %-14s %-11zu %-18s %-18s %-14s\n", "total", "", total, units(seized).c_str(),
                units(repaid).c_str(), units(profit).c_str());
    std::size_t exact = 0, mined = 0;
    for (const auto& r : (*keeper)->records()) {
        if (!r.success || !*r.success) continue;
        ++mined;
        exact += r.settled.collateral_out && *r.settled.collateral_out == r.prediction.collateral_out ? 1 : 0;
    }
    std::printf("\nseized collateral equal to the engine's prediction, to the wei, in %zu of %zu liquidations\n"
                "(prediction made before sending; actual read from each Liquidate event). Profit is the\n"
                "seized collateral at the oracle price minus the loan tokens paid, before gas.\n",
                exact, mined);
    std::filesystem::remove_all(dir);
    if (aave_accounts == 0 || shutdown_requested()) return {};
    return run_aave_demo(anvil->url(), aave_accounts, 6, verbose);
}

}  // namespace

int demo_command(int argc, char** argv) {
    std::size_t borrowers = 300;
    std::size_t aave_accounts = 150;
    bool verbose = false;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            print_help();
            return 0;
        }
        if (arg == "--verbose") {
            verbose = true;
        } else if (arg == "--borrowers" && i + 1 < argc) {
            borrowers = std::strtoull(argv[++i], nullptr, 10);
            if (borrowers == 0 || borrowers > 5000) {
                std::fprintf(stderr, "margin-keeper demo: --borrowers must be 1..5000\n");
                return 2;
            }
        } else if (arg == "--aave-accounts" && i + 1 < argc) {
            char* end = nullptr;
            aave_accounts = std::strtoull(argv[++i], &end, 10);
            if (end == nullptr || *end != '\0' || aave_accounts > 2000) {
                std::fprintf(stderr, "margin-keeper demo: --aave-accounts must be 0..2000\n");
                return 2;
            }
        } else {
            std::fprintf(stderr, "margin-keeper demo: unknown option '%s' (try --help)\n", arg.c_str());
            return 2;
        }
    }
    install_shutdown_handlers();
    auto done = run_demo(borrowers, aave_accounts, verbose);
    if (!done) {
        std::fprintf(stderr, "margin-keeper demo: %s\n", done.error().message.c_str());
        return 1;
    }
    return 0;
}

}  // namespace keeper::app
