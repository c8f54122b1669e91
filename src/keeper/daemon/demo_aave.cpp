#include "keeper/daemon/demo_aave.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>

#include <spdlog/spdlog.h>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/daemon/shutdown_signal.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::app {
namespace {

constexpr const char* kAaveKeyEnv = "MARGIN_KEEPER_DEMO_AAVE_KEY";
constexpr std::size_t kLiquidatorAccount = 3;  // a dev account the Morpho act does not use

// 123456789012 base units (1e8 = $1) -> "$1,234.56"
std::string usd(const U256& base_1e8) {
    const U256 cents = base_1e8 / U256(1'000'000);
    std::string whole = (cents / U256(100)).to_dec();
    std::string frac = (cents % U256(100)).to_dec();
    if (frac.size() < 2) frac.insert(0, "0");
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
    return "$" + whole + "." + frac;
}

struct PriceStep {
    const char* label = "";
    std::size_t reserve = 0;
    std::uint64_t price_usd_cents = 0;
    std::size_t liquidatable_before = 0;
    std::size_t liquidated = 0;
    std::size_t exact = 0;
    U256 profit_base;
    std::size_t liquidatable_after = 0;
};

}  // namespace

Result<void> run_aave_demo(const std::string& rpc_url, std::size_t accounts, int first_step, bool verbose) {
    auto client = chain::make_http_client(rpc_url);
    const auto& dev = devnet::dev_accounts();
    auto owner = chain::PrivateKey::from_hex(dev[0].private_key_hex);
    if (!owner) return fail("dev key: " + owner.error().message);
    int line = first_step;

    auto market = devnet::deploy_aave_devnet(client, *owner);
    if (!market) return fail("deploying Aave V3: " + market.error().message);
    std::printf("\n%d. Aave V3 (@aave/core-v3 1.19.3 artifacts) deployed: PoolAddressesProvider %s, Pool %s\n"
                "   reserves WETH $2,000 (LT 82.5%%), WBTC $30,000 (LT 75%%), USDC $1 and DAI $1 (LT 80%%);\n"
                "   eMode 1 \"stablecoins\" (LT 95%%)\n",
                line++, market->contracts.addresses_provider.checksummed().c_str(),
                market->contracts.pool.checksummed().c_str());

    const auto specs = devnet::mixed_aave_borrowers(accounts);
    auto opened = devnet::open_aave_borrowers(client, *owner, *market, specs);
    if (!opened) return fail("opening Aave borrowers: " + opened.error().message);
    std::size_t in_emode = 0;
    for (const auto& s : specs) in_emode += s.emode_category == 1 ? 1 : 0;
    std::printf("%d. %zu accounts opened, 1-4 collaterals and 1-3 debts each, %zu in eMode, borrowed at\n"
                "   60%%-99%% of their LTV\n",
                line++, opened->size(), in_emode);

    const Address liquidator = dev[kLiquidatorAccount].address();
    for (const auto& reserve : market->reserves)
        if (auto minted = devnet::mint_aave_token(client, *owner, reserve.asset, liquidator,
                                                  U256(1'000'000'000) * U256::pow10(reserve.decimals));
            !minted)
            return fail("funding the Aave liquidator: " + minted.error().message);
    std::printf("%d. keeper account %s holds 1,000,000,000 of every reserve's token\n", line++,
                liquidator.checksummed().c_str());

    char dir_template[] = "/tmp/margin-keeper-demo-aave-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) return fail("cannot create a temporary directory");
    const std::filesystem::path dir = dir_template;
    ::setenv(kAaveKeyEnv, std::string(dev[kLiquidatorAccount].private_key_hex).c_str(), 1);
    const std::filesystem::path config_path = dir / "keeper.toml";
    {
        std::ofstream toml(config_path);
        toml << "state_dir = \"" << (dir / "state").string() << "\"\n\n[chain]\nrpc = [\"" << rpc_url
             << "\"]\npoll_interval_ms = 100\n\n[signer]\nprivate_key_env = \"" << kAaveKeyEnv
             << "\"\n\n[[protocols]]\nkind = \"aave-v3\"\npool_addresses_provider = \""
             << market->contracts.addresses_provider.checksummed() << "\"\nstart_block = " << market->deploy_block
             // The oracle's WETH price turns gas into dollars: profit is after gas.
             << "\nnative_token = \"" << market->reserves[devnet::kAaveWeth].asset.checksummed() << "\"\n";
    }
    auto config = config::load_config(config_path);
    if (!config) return fail("demo config: " + config.error().message);
    KeeperOptions options;
    options.mode = KeeperMode::live;
    options.interrupted = shutdown_requested;
    auto signer = chain::PrivateKey::from_hex(dev[kLiquidatorAccount].private_key_hex);
    if (!signer) return fail("dev key: " + signer.error().message);
    if (!verbose) spdlog::set_level(spdlog::level::warn);
    auto keeper = Keeper::open(*config, options, std::move(*signer));
    if (!keeper) return fail("starting the Aave keeper: " + keeper.error().message);
    std::printf("%d. keeper started with %s (live mode)\n\n", line++, config_path.string().c_str());

    // Time passes on the demo chain between rounds (anvil mines only when a
    // transaction arrives): the keeper's work reaches its confirmation depth.
    auto settle = [&]() { return tick_until_quiet(**keeper, 200, [&]() { (void)keeper::devnet::evm_mine(client); }); };
    if (auto first = settle(); !first) return std::unexpected(first.error());

    std::vector<PriceStep> steps;
    for (const auto& [label, reserve, cents] : {std::tuple{"WETH $1,800", devnet::kAaveWeth, 180'000},
                                                std::tuple{"WETH $1,650", devnet::kAaveWeth, 165'000},
                                                std::tuple{"WETH $1,500", devnet::kAaveWeth, 150'000},
                                                std::tuple{"DAI  $0.95", devnet::kAaveDai, 95},
                                                std::tuple{"DAI  $0.90", devnet::kAaveDai, 90}}) {
        PriceStep step;
        step.label = label;
        step.reserve = reserve;
        step.price_usd_cents = static_cast<std::uint64_t>(cents);
        steps.push_back(step);
    }
    for (auto& step : steps) {
        if (shutdown_requested()) break;
        const U256 price_1e8 = U256(step.price_usd_cents) * U256(1'000'000);
        if (auto set = devnet::set_aave_price(client, *owner, *market, step.reserve, price_1e8); !set)
            return fail("moving the Aave oracle: " + set.error().message);
        const std::size_t before = (*keeper)->records().size();
        auto seen = (*keeper)->tick();
        if (!seen) return std::unexpected(seen.error());
        step.liquidatable_before = seen->liquidatable;
        auto settled = settle();
        if (!settled) return std::unexpected(settled.error());
        step.liquidatable_after = settled->liquidatable;
        const auto records = (*keeper)->records();
        for (std::size_t i = before; i < records.size(); ++i) {
            const auto& r = records[i];
            if (!r.success || !*r.success) continue;
            ++step.liquidated;
            step.exact += r.settled.collateral_out && *r.settled.collateral_out == r.prediction.collateral_out ? 1 : 0;
            step.profit_base = step.profit_base + r.predicted_profit;
        }
        std::printf("%s: %zu account(s) below health 1; keeper liquidated %zu (predicted profit after gas %s)\n",
                    step.label, step.liquidatable_before, step.liquidated, usd(step.profit_base).c_str());
    }

    std::printf("\n%-12s %-14s %-11s %-22s %s\n", "price", "below 1", "liquidated", "profit after gas", "left below 1");
    std::size_t total = 0, exact = 0;
    U256 profit;
    for (const auto& s : steps) {
        std::printf("%-12s %-14zu %-11zu %-22s %zu\n", s.label, s.liquidatable_before, s.liquidated,
                    usd(s.profit_base).c_str(), s.liquidatable_after);
        total += s.liquidated;
        exact += s.exact;
        profit = profit + s.profit_base;
    }
    std::printf("%-12s %-14s %-11zu %-22s\n", "total", "", total, usd(profit).c_str());
    std::printf("\ncollateral seized equal to the engine's prediction, to the wei, in %zu of %zu Aave liquidations\n"
                "(read from each LiquidationCall event). An account left below 1 holds collateral worth less\n"
                "than one unit of its debt: bad debt the pool cannot liquidate (it would burn zero debt), so\n"
                "the keeper leaves it and says why.\n",
                exact, total);
    std::filesystem::remove_all(dir);
    return {};
}

}  // namespace keeper::app
