// The daemon's small pure pieces: the health text scan --json prints, URL
// redaction for logs, the command line, and the evaluation of a book.
#include <gtest/gtest.h>

#include "keeper/daemon/command_line.hpp"
#include "protocols/health_text.hpp"
#include "protocols/morpho_blue/morpho_evaluation.hpp"
#include "keeper/daemon/rpc_stack.hpp"

namespace keeper::app {
namespace daemon_helpers_test {

using protocols::wad_to_decimal;
using protocols::morpho_blue::accrue_market;
using protocols::morpho_blue::evaluate_positions;
using protocols::morpho_blue::MarketAtBlock;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }

TEST(WadToDecimal, PrintsTheExactRatioWithoutTrailingZeros) {
    EXPECT_EQ(wad_to_decimal(dec("973100000000000000")), "0.9731");
    EXPECT_EQ(wad_to_decimal(dec("1000000000000000000")), "1.0");
    EXPECT_EQ(wad_to_decimal(dec("999999999999999999")), "0.999999999999999999");
    EXPECT_EQ(wad_to_decimal(dec("12500000000000000000")), "12.5");
    EXPECT_EQ(wad_to_decimal(U256()), "0.0");
    EXPECT_EQ(wad_to_decimal(U256::max()), "inf");
}

// The daemon shows RPC URLs through the one redaction (net/url_redaction.hpp,
// tested in full in tests/unit/net): scheme, host and port, and a marker.
TEST(RedactUrl, KeepsSchemeHostAndPortOnly) {
    EXPECT_EQ(redact_url("https://eth-mainnet.g.alchemy.com/v2/SECRETKEY"),
              "https://eth-mainnet.g.alchemy.com/<redacted>");
    EXPECT_EQ(redact_url("http://user:pass@127.0.0.1:8545/"), "http://127.0.0.1:8545/<redacted>");
    EXPECT_EQ(redact_url("wss://node.example:8546?token=abc"), "wss://node.example:8546/<redacted>");
    EXPECT_EQ(redact_url("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
    EXPECT_EQ(redact_url("not a url"), "<invalid url>");
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> out;
    for (auto& a : args) out.push_back(a.data());
    return out;
}

TEST(CommandLine, ParsesOverridesAndModeFlags) {
    std::vector<std::string> args{"--config", "k.toml", "--rpc", "http://a", "--rpc=http://b", "--dry-run",
                                  "--state-dir", "/var/lib/x", "--private-key-env", "KEY", "--once"};
    auto argv = argv_of(args);
    auto line = parse_command_line(static_cast<int>(argv.size()), argv.data(), {"--dry-run", "--once"});
    ASSERT_TRUE(line) << line.error().message;
    EXPECT_EQ(line->config_path, "k.toml");
    EXPECT_EQ(line->overrides.rpc, (std::vector<std::string>{"http://a", "http://b"}));
    EXPECT_TRUE(line->dry_run);
    EXPECT_TRUE(line->once);
    EXPECT_EQ(line->overrides.state_dir, std::filesystem::path("/var/lib/x"));
    EXPECT_EQ(line->overrides.private_key_env, "KEY");
}

TEST(CommandLine, RefusesFlagsTheCommandDoesNotTakeAndMissingValues) {
    std::vector<std::string> scan_with_dry_run{"--config", "k.toml", "--dry-run"};
    auto argv = argv_of(scan_with_dry_run);
    auto line = parse_command_line(static_cast<int>(argv.size()), argv.data(), {"--json"});
    ASSERT_FALSE(line);
    EXPECT_NE(line.error().message.find("'--dry-run'"), std::string::npos);

    std::vector<std::string> dangling{"--config"};
    argv = argv_of(dangling);
    line = parse_command_line(static_cast<int>(argv.size()), argv.data(), {});
    ASSERT_FALSE(line);
    EXPECT_EQ(line.error().message, "--config needs a value");

    std::vector<std::string> bad_limit{"--limit", "ten"};
    argv = argv_of(bad_limit);
    line = parse_command_line(static_cast<int>(argv.size()), argv.data(), {"--limit"});
    ASSERT_FALSE(line);
}

TEST(CommandLine, AnUnknownArgumentIsNamedWithoutItsSecrets) {
    // A misspelt flag with its value, and a URL without its flag.
    for (const std::string arg : {"--rpc-url=http://user:hunter2@node.example/v2/SECRETKEY",
                                  "http://user:hunter2@node.example/v2/SECRETKEY"}) {
        std::vector<std::string> args{"--config", "k.toml", arg};
        auto argv = argv_of(args);
        auto line = parse_command_line(static_cast<int>(argv.size()), argv.data(), {});
        ASSERT_FALSE(line) << arg;
        const std::string& message = line.error().message;
        EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
        EXPECT_EQ(message.find("SECRETKEY"), std::string::npos) << message;
    }
    std::vector<std::string> misspelt{"--rpc-url=http://user:hunter2@node.example/v2/SECRETKEY"};
    auto argv = argv_of(misspelt);
    EXPECT_EQ(parse_command_line(1, argv.data(), {}).error().message, "unknown option '--rpc-url' (try --help)");
    std::vector<std::string> bare{"http://user:hunter2@node.example/v2/SECRETKEY"};
    argv = argv_of(bare);
    EXPECT_EQ(parse_command_line(1, argv.data(), {}).error().message,
              "unknown option 'http://node.example/<redacted>' (try --help)");
}

// Two borrowers in one market at price 1.0 (1e36), LLTV 0.86, no interest
// (last_update = now): 1,000 collateral against 850 and 870 of debt. The
// first is healthy (max borrow 860 >= 850), the second is not (860 < 870).
TEST(EvaluatePositions, JudgesEveryBorrowerAsIsHealthyAndSortsRiskiestFirst) {
    const morpho::MarketParams params{Address(), Address(), Address(), Address(), dec("860000000000000000")};
    const morpho::MarketId id = morpho::market_id(params);
    morpho::MorphoBook book;
    book.restore_market(id, params);
    const U256 e18 = U256::pow10(18), e6 = U256::pow10(6);
    Address healthy, risky, lender;
    healthy.bytes[19] = 1;
    risky.bytes[19] = 2;
    lender.bytes[19] = 3;
    book.restore_position(id, healthy, {U256(), U256(850) * e18 * e6, U256(1000) * e18});
    book.restore_position(id, risky, {U256(), U256(870) * e18 * e6, U256(1000) * e18});
    book.restore_position(id, lender, {U256(5000) * e18 * e6, U256(), U256()});  // no debt: not listed

    morpho::MarketState state;
    state.total_supply_assets = U256(5000) * e18;
    state.total_supply_shares = U256(5000) * e18 * e6;
    state.total_borrow_assets = U256(1720) * e18;
    state.total_borrow_shares = U256(1720) * e18 * e6;
    state.last_update = 1'700'000'000;
    const chain::morpho_blue::MarketReading reading{state, U256::pow10(36), U256()};
    auto market = accrue_market(id, params, reading, 1'700'000'000);
    ASSERT_TRUE(market) << market.error().message;
    const std::vector<MarketAtBlock> markets{*market};

    const auto rows = evaluate_positions(book, markets);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].account, risky);
    EXPECT_TRUE(rows[0].liquidatable);
    EXPECT_EQ(rows[0].health.max_borrow, U256(860) * e18);
    EXPECT_EQ(wad_to_decimal(rows[0].health_wad), "0.988505747126436781");  // 860 / 870
    EXPECT_EQ(rows[1].account, healthy);
    EXPECT_FALSE(rows[1].liquidatable);
    EXPECT_EQ(wad_to_decimal(rows[1].health_wad), "1.011764705882352941");  // 860 / 850
}

}  // namespace daemon_helpers_test
}  // namespace keeper::app
