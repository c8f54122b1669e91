// keeper.toml: what a valid file means and what an invalid one says.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_test_support.hpp"
#include "core/fixed_point.hpp"
#include "keeper/config/keeper_config.hpp"
#include "protocols/aave_v3/aave_v3_config.hpp"
#include "protocols/morpho_blue/morpho_blue_config.hpp"
#include "protocols/yield_v2/yield_config.hpp"

using namespace keeper;
using namespace keeper::config;
using keeper::config::testing::kMinimal;
using keeper::config::testing::kMinimalChain;

namespace {

// Each [[protocols]] table is parsed by its protocol into its own settings type.
const protocols::morpho_blue::MorphoBlueConfig& morpho_of(const ProtocolSettings& settings) {
    return dynamic_cast<const protocols::morpho_blue::MorphoBlueConfig&>(*settings);
}
const protocols::aave_v3::AaveV3Config& aave_of(const ProtocolSettings& settings) {
    return dynamic_cast<const protocols::aave_v3::AaveV3Config&>(*settings);
}

}  // namespace
using keeper::config::testing::kMinimalProtocol;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

Address address(std::string_view text) { return Address::parse(text).value(); }

std::string error_of(const std::string& toml) {
    auto parsed = parse_config(toml, "keeper.toml");
    EXPECT_FALSE(parsed.has_value()) << "expected an error for:\n" << toml;
    return parsed.has_value() ? std::string() : parsed.error().message;
}

}  // namespace

TEST(ExampleConfig, TheShippedExampleParsesWithTheValuesItDocuments) {
    const auto path = keeper::config::testing::repo_root() / "config" / "keeper.toml";
    auto config = load_config(path);
    ASSERT_TRUE(config.has_value()) << config.error().message;

    EXPECT_EQ(config->source, path.string());
    EXPECT_EQ(config->state_dir, std::filesystem::path("/var/lib/margin-keeper"));
    EXPECT_EQ(config->chain.rpc, std::vector<std::string>{"http://127.0.0.1:8545"});
    EXPECT_EQ(config->chain.ws, "ws://127.0.0.1:8546");
    EXPECT_EQ(config->chain.poll_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(config->chain.chain_id, 1u);
    EXPECT_EQ(config->signer.private_key_env, "KEEPER_PRIVATE_KEY");
    EXPECT_TRUE(config->signer.configured());

    ASSERT_EQ(config->protocols.size(), 2u);
    const auto& morpho = morpho_of(config->protocols[0]);
    EXPECT_EQ(morpho.address.checksummed(), "0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");
    EXPECT_EQ(morpho.start_block(), 18883124u);
    EXPECT_TRUE(morpho.markets.empty());
    const auto& aave = aave_of(config->protocols[1]);
    EXPECT_EQ(aave.pool_addresses_provider.checksummed(), "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e");
    EXPECT_EQ(aave.start_block(), 16291127u);
    EXPECT_EQ(aave.flash_liquidator, std::nullopt);
    EXPECT_FALSE(aave.receive_a_token);
    EXPECT_EQ(aave.native_token, address("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"));
    EXPECT_EQ(aave.min_profit_base, U256(0));
    EXPECT_EQ(aave.max_debt_spend_base, std::nullopt);

    EXPECT_TRUE(config->strategy.configured);
    EXPECT_EQ(config->strategy.min_profit, U256(0));
    EXPECT_EQ(config->strategy.max_gas_price_wei, U256(200'000'000'000ULL));
    EXPECT_EQ(config->strategy.max_loan_spend, std::nullopt);
    EXPECT_EQ(config->strategy.gas_margin_percent, 20u);
    EXPECT_EQ(config->strategy.confirmations, 3u);
    EXPECT_EQ(config->strategy.replace_after_blocks, 3u);
    ASSERT_EQ(config->strategy.native_price_1e36.size(), 2u);
    // 3000 USDC (6 decimals) per ETH: 3000e6 / 1e18 * 1e36 = 3e27.
    EXPECT_EQ(config->strategy.native_price_1e36.at(address("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")),
              U256(3000) * U256::pow10(24));
    EXPECT_EQ(config->strategy.native_price_1e36.at(address("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2")),
              U256::pow10(36));

    EXPECT_EQ(config->alerts.webhook_url, std::nullopt);
    EXPECT_EQ(config->alerts.format, WebhookFormat::generic);
    EXPECT_EQ(config->alerts.warning_health_wad, U256(1'050'000'000'000'000'000ULL));
    EXPECT_EQ(config->alerts.min_interval, std::chrono::seconds(300));
    EXPECT_EQ(config->alerts.max_per_minute, 30u);
}

// The example's yield-v2 table is commented out (no confirmed mainnet Witch of
// vault-v2 0.18.x): uncommented, with a Witch filled in, it must parse with
// the values its comments document, so the documentation cannot drift from
// the keys protocols/yield_v2/yield_config.cpp reads.
TEST(ExampleConfig, TheCommentedYieldTableParsesOnceUncommented) {
    std::ifstream file(keeper::config::testing::repo_root() / "config" / "keeper.toml");
    ASSERT_TRUE(file.good());
    std::string table;
    bool inside = false;
    for (std::string line; std::getline(file, line);) {
        if (line == "# [[protocols]]") inside = true;
        if (!inside) continue;
        if (line.empty()) break;
        // Setting lines are "# key = value"; prose lines start "# " then a capital or a word without " = ".
        const std::string body = line.substr(line.starts_with("# ") ? 2 : 0);
        if (body.starts_with("[[") || body.find(" = ") != std::string::npos) table += body + "\n";
    }
    ASSERT_THAT(table, HasSubstr("kind = \"yield-v2\""));
    const std::string witch = "0x00000000000000000000000000000000000000a1";
    const auto placeholder = table.find("\"0x...\"");
    ASSERT_NE(placeholder, std::string::npos) << table;
    table.replace(placeholder, 7, "\"" + witch + "\"");

    auto config = parse_config(kMinimalChain + table, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message << "\n" << table;
    ASSERT_EQ(config->protocols.size(), 1u);
    const auto& yield = dynamic_cast<const yield_v2::YieldConfig&>(*config->protocols[0]);
    EXPECT_EQ(yield.cauldron.checksummed(), "0xc88191F8cb8e6D4a668B047c1C8503432c3Ca867");
    EXPECT_EQ(yield.witch, address(witch));
    EXPECT_EQ(yield.start_block(), 0u);
    EXPECT_EQ(yield.min_profit_base, U256(0));
    EXPECT_EQ(yield.bid_gas_cost_base, U256(5'000'000));
    EXPECT_EQ(yield.block_interval_s, 12u);
    EXPECT_EQ(yield.rival_gas_cost_base, U256(5'000'000));
    EXPECT_EQ(yield.rival_min_profit_base, U256(0));
}

TEST(LoadConfig, AnUnreadableFileIsAnErrorNamingThePath) {
    auto config = load_config("/nonexistent/margin-keeper/keeper.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_THAT(config.error().message, HasSubstr("'/nonexistent/margin-keeper/keeper.toml'"));
}

TEST(ParseConfig, WithoutStrategyOrAlertsTheDefaultsApply) {
    auto config = parse_config(kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;

    EXPECT_EQ(config->source, "keeper.toml");
    EXPECT_EQ(config->state_dir, std::nullopt);
    EXPECT_EQ(config->chain.rpc, std::vector<std::string>{"http://127.0.0.1:8545"});  // a single string
    EXPECT_EQ(config->chain.ws, std::nullopt);
    EXPECT_EQ(config->chain.poll_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(config->chain.chain_id, std::nullopt);
    EXPECT_FALSE(config->signer.configured());  // [signer] is optional: scan never signs

    ASSERT_EQ(config->protocols.size(), 1u);
    const auto& morpho = morpho_of(config->protocols[0]);
    EXPECT_EQ(morpho.address, address("0xbbbbbbbbbb9cc5e90e3b3af64bdaf62c37eeffcb"));
    EXPECT_EQ(morpho.start_block(), 0u);
    EXPECT_TRUE(morpho.markets.empty());

    const StrategySettings& strategy = config->strategy;
    EXPECT_FALSE(strategy.configured);
    EXPECT_EQ(strategy.min_profit, U256(0));
    EXPECT_EQ(strategy.max_gas_price_wei, std::nullopt);
    EXPECT_EQ(strategy.max_loan_spend, std::nullopt);
    EXPECT_EQ(strategy.gas_margin_percent, 20u);
    EXPECT_TRUE(strategy.native_price_1e36.empty());
    EXPECT_EQ(strategy.confirmations, 3u);
    EXPECT_EQ(strategy.replace_after_blocks, 3u);

    const AlertSettings& alerts = config->alerts;
    EXPECT_EQ(alerts.webhook_url, std::nullopt);
    EXPECT_EQ(alerts.format, WebhookFormat::generic);
    EXPECT_EQ(alerts.warning_health_wad, U256(1'050'000'000'000'000'000ULL));
    EXPECT_EQ(alerts.min_interval, std::chrono::seconds(300));
    EXPECT_EQ(alerts.max_per_minute, 30u);
}

TEST(ParseConfig, AnEmptyStrategySectionCountsAsConfigured) {
    auto config = parse_config(kMinimal + "[strategy]\n", "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_TRUE(config->strategy.configured);
    EXPECT_EQ(config->strategy.gas_margin_percent, 20u);
}

TEST(ParseConfig, ReadsEveryKeyOfEverySection) {
    const std::string toml = R"(state_dir = "state"
[chain]
rpc = ["https://a.example/v3/k", "http://b.example:8545"]
ws = "wss://a.example/ws"
poll_interval_ms = 1000
chain_id = 31337
[signer]
keystore = "/etc/keeper/keystore.json"
password_file = "/etc/keeper/password"
[[protocols]]
kind = "morpho-blue"
address = "0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb"
start_block = 18883124
markets = ["0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc"]
[[protocols]]
kind = "aave-v3"
pool_addresses_provider = "0x2f39d218133afab8f2b819b1066c7e434ad94e9e"
start_block = 16291127
flash_liquidator = "0x00000000000000000000000000000000000000f1"
receive_a_token = false
native_token = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
min_profit_base = 500000000
max_debt_spend_base = "10000000000000"
[strategy]
min_profit = "100000000000000000000"
max_gas_price_gwei = 0.1
max_loan_spend = 5000000000
gas_margin_percent = 35
confirmations = 2
replace_after_blocks = 5
native_price_1e36 = { "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48" = 3000000000000000000 }
[alerts]
webhook_url = "https://hooks.slack.com/services/T/B/X"
format = "slack"
warning_health = 1.2
min_interval_s = 60
max_per_minute = 5
)";
    auto config = parse_config(toml, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->state_dir, std::filesystem::path("state"));
    EXPECT_EQ(config->chain.rpc, (std::vector<std::string>{"https://a.example/v3/k", "http://b.example:8545"}));
    EXPECT_EQ(config->chain.ws, "wss://a.example/ws");
    EXPECT_EQ(config->chain.poll_interval, std::chrono::milliseconds(1000));
    EXPECT_EQ(config->chain.chain_id, 31337u);
    EXPECT_EQ(config->signer.keystore, std::filesystem::path("/etc/keeper/keystore.json"));
    EXPECT_EQ(config->signer.password_file, std::filesystem::path("/etc/keeper/password"));
    EXPECT_EQ(config->signer.private_key_env, std::nullopt);

    const auto& morpho = morpho_of(config->protocols.at(0));
    ASSERT_EQ(morpho.markets.size(), 1u);
    EXPECT_EQ(morpho.markets[0].hex(), "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc");
    const auto& aave = aave_of(config->protocols.at(1));
    EXPECT_EQ(aave.pool_addresses_provider, address("0x2f39d218133afab8f2b819b1066c7e434ad94e9e"));
    EXPECT_EQ(aave.start_block(), 16291127u);
    EXPECT_EQ(aave.flash_liquidator, address("0x00000000000000000000000000000000000000f1"));
    EXPECT_FALSE(aave.receive_a_token);
    EXPECT_EQ(aave.native_token, address("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"));
    EXPECT_EQ(aave.min_profit_base, U256(500'000'000));  // $5 with an 8-decimal USD oracle
    EXPECT_EQ(aave.max_debt_spend_base, U256(10'000'000'000'000ULL));  // $100k

    EXPECT_EQ(config->strategy.min_profit, U256::pow10(20));  // 100e18 needs the string form
    EXPECT_EQ(config->strategy.max_gas_price_wei, U256(100'000'000));  // 0.1 gwei exactly, not 0.1000000000000000055
    EXPECT_EQ(config->strategy.max_loan_spend, U256(5'000'000'000ULL));
    EXPECT_EQ(config->strategy.gas_margin_percent, 35u);
    EXPECT_EQ(config->strategy.confirmations, 2u);
    EXPECT_EQ(config->strategy.replace_after_blocks, 5u);
    EXPECT_EQ(config->strategy.native_price_1e36.at(address("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")),
              U256(3'000'000'000'000'000'000ULL));

    EXPECT_EQ(config->alerts.webhook_url, "https://hooks.slack.com/services/T/B/X");
    EXPECT_EQ(config->alerts.format, WebhookFormat::slack);
    EXPECT_EQ(config->alerts.warning_health_wad, U256(1'200'000'000'000'000'000ULL));
    EXPECT_EQ(config->alerts.min_interval, std::chrono::seconds(60));
    EXPECT_EQ(config->alerts.max_per_minute, 5u);
}

TEST(ParseConfig, AmountsAboveTwoToTheSixtyThreeComeAsDecimalStrings) {
    const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    auto config = parse_config(kMinimal + "[strategy]\nmin_profit = \"" + max + "\"\n", "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->strategy.min_profit, U256::max());

    EXPECT_THAT(error_of(kMinimal + "[strategy]\nmin_profit = \"" + max + "6\"\n"),
                HasSubstr("strategy.min_profit: value above 2^256 - 1"));
}

TEST(ParseConfig, GasPriceInGweiBecomesExactWei) {
    struct Case {
        std::string value;
        U256 wei;
    };
    const Case cases[] = {
        {"30", U256(30'000'000'000ULL)},
        {"1.5", U256(1'500'000'000ULL)},
        {"\"0.000000001\"", U256(1)},
        {"2.25e1", U256(22'500'000'000ULL)},  // a TOML float in exponent form
    };
    for (const auto& c : cases) {
        auto config = parse_config(kMinimal + "[strategy]\nmax_gas_price_gwei = " + c.value + "\n", "keeper.toml");
        ASSERT_TRUE(config.has_value()) << c.value << ": " << config.error().message;
        EXPECT_EQ(config->strategy.max_gas_price_wei, c.wei) << c.value;
    }
}

TEST(ParseConfig, WarningHealthAcceptsDecimalStringsFloatsAndIntegers) {
    const std::pair<std::string, U256> cases[] = {
        {"\"1.05\"", U256(1'050'000'000'000'000'000ULL)},
        {"1.1", U256(1'100'000'000'000'000'000ULL)},
        {"2", U256(2'000'000'000'000'000'000ULL)},
        {"\"1.000000000000000001\"", U256(1'000'000'000'000'000'001ULL)},
    };
    for (const auto& [value, wad] : cases) {
        auto config = parse_config(kMinimal + "[alerts]\nwarning_health = " + value + "\n", "keeper.toml");
        ASSERT_TRUE(config.has_value()) << value << ": " << config.error().message;
        EXPECT_EQ(config->alerts.warning_health_wad, wad) << value;
    }
}

TEST(ParseConfig, MixedCaseAndLowercaseSpellingsOfOneTokenAreOneKey) {
    auto config = parse_config(kMinimal + R"([strategy.native_price_1e36]
"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" = "1"
"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48" = "2"
)",
                               "keeper.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_THAT(config.error().message,
                HasSubstr("strategy.native_price_1e36.0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48: token listed twice"));
}
