// [[feeds]]: the Chainlink feeds that gate actions per asset, read strictly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {
namespace feeds_config_test {

using ::testing::HasSubstr;
using testing::kMinimal;
using testing::kMinimalProtocol;

Address addr(std::string_view text) { return Address::parse(text).value(); }

// WETH priced by Chainlink's ETH / USD proxy, checked against a second feed.
const std::string kWethFeed = R"([[feeds]]
asset = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
aggregator = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"
heartbeat_s = 3600
staleness_margin_s = 120
second_aggregator = "0x00000000000000000000000000000000000000f2"
max_deviation_bps = 150
)";

TEST(FeedsConfig, EveryKeyIsRead) {
    auto config = parse_config(kMinimal + kWethFeed, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    ASSERT_EQ(config->feeds.size(), 1u);
    const FeedSettings& feed = config->feeds[0];
    EXPECT_EQ(feed.asset, addr("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"));
    EXPECT_EQ(feed.aggregator, addr("0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"));
    EXPECT_EQ(feed.heartbeat_s, 3600u);
    EXPECT_EQ(feed.staleness_margin_s, 120u);
    EXPECT_EQ(feed.second_aggregator, addr("0x00000000000000000000000000000000000000f2"));
    EXPECT_EQ(feed.max_deviation_bps, 150u);
}

TEST(FeedsConfig, HeartbeatAndMarginDefaultTo3600And60WithoutASecondSource) {
    auto config = parse_config(kMinimal + R"([[feeds]]
asset = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
aggregator = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"
[[feeds]]
asset = "0x2260fac5e5542a773aa44fbcfedf7c193bc2c599"
aggregator = "0xf4030086522a5beea4988f8ca5b36dbc97bee88c"
heartbeat_s = 86400
)",
                               "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    ASSERT_EQ(config->feeds.size(), 2u);
    EXPECT_EQ(config->feeds[0].heartbeat_s, 3600u);
    EXPECT_EQ(config->feeds[0].staleness_margin_s, 60u);
    EXPECT_EQ(config->feeds[0].second_aggregator, std::nullopt);
    EXPECT_EQ(config->feeds[0].max_deviation_bps, std::nullopt);
    EXPECT_EQ(config->feeds[1].heartbeat_s, 86400u);
}

TEST(FeedsConfig, NoFeedsWithoutTheSection) {
    auto config = parse_config(kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_TRUE(config->feeds.empty());
}

TEST(FeedsConfig, UnknownKeysAndBadAddressesNameTheKeyAndLine) {
    // Line 6 is the [[feeds]] header (kMinimal has five lines).
    auto config = parse_config(kMinimal + R"([[feeds]]
asset = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc"
aggregator = "ETH / USD"
heartbeat = 3600
)",
                               "keeper.toml");
    ASSERT_FALSE(config.has_value());
    const std::string& message = config.error().message;
    EXPECT_THAT(message, HasSubstr("keeper.toml:7: feeds[0].asset: expected a 0x-prefixed 20-byte hex address"));
    EXPECT_THAT(message, HasSubstr("keeper.toml:8: feeds[0].aggregator: expected a 0x-prefixed 20-byte hex address"));
    EXPECT_THAT(message, HasSubstr("keeper.toml:9: unknown key 'feeds[0].heartbeat'"));
}

TEST(FeedsConfig, MissingKeysAndOutOfRangeNumbersAreErrors) {
    auto config = parse_config(kMinimal + R"([[feeds]]
heartbeat_s = 0
staleness_margin_s = -5
)",
                               "keeper.toml");
    ASSERT_FALSE(config.has_value());
    const std::string& message = config.error().message;
    EXPECT_THAT(message, HasSubstr("feeds[0].asset"));
    EXPECT_THAT(message, HasSubstr("feeds[0].aggregator"));
    EXPECT_THAT(message, HasSubstr("feeds[0].heartbeat_s: expected an integer from 1 to 604800, got 0"));
    EXPECT_THAT(message, HasSubstr("feeds[0].staleness_margin_s: expected an integer from 0 to 86400, got -5"));
}

TEST(FeedsConfig, ASecondSourceNeedsADeviationLimitAndTheOtherWayRound) {
    const std::string head = R"([[feeds]]
asset = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
aggregator = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"
)";
    auto no_bps = parse_config(kMinimal + head + "second_aggregator = \"0x00000000000000000000000000000000000000f2\"\n",
                               "keeper.toml");
    ASSERT_FALSE(no_bps.has_value());
    EXPECT_THAT(no_bps.error().message, HasSubstr("feeds[0].second_aggregator: requires max_deviation_bps"));

    auto no_second = parse_config(kMinimal + head + "max_deviation_bps = 100\n", "keeper.toml");
    ASSERT_FALSE(no_second.has_value());
    EXPECT_THAT(no_second.error().message, HasSubstr("feeds[0].max_deviation_bps: requires second_aggregator"));

    auto itself = parse_config(kMinimal + head +
                                   "second_aggregator = \"0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419\"\n"
                                   "max_deviation_bps = 100\n",
                               "keeper.toml");
    ASSERT_FALSE(itself.has_value());
    EXPECT_THAT(itself.error().message, HasSubstr("is the same feed as aggregator"));
}

TEST(FeedsConfig, OneAssetHasOneFeed) {
    auto config = parse_config(kMinimal + R"([[feeds]]
asset = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
aggregator = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"
[[feeds]]
asset = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
aggregator = "0x00000000000000000000000000000000000000f2"
)",
                               "keeper.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_THAT(config.error().message, HasSubstr("feeds[1].asset: asset already has a feed"));
}

TEST(FeedsConfig, ASingleTableInsteadOfAnArrayIsAnError) {
    auto config = parse_config(kMinimal + "[feeds]\nasset = \"0x00\"\n", "keeper.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_THAT(config.error().message, HasSubstr("feeds: expected [[feeds]] tables, got a table"));
}

// config/keeper.toml documents [[feeds]] commented out: uncommented (with an
// address for the "0x..." placeholder) it parses to what its comments say.
TEST(FeedsConfig, TheCommentedExampleTableParsesOnceUncommented) {
    std::ifstream file(testing::repo_root() / "config" / "keeper.toml");
    ASSERT_TRUE(file.good());
    std::string table;
    bool inside = false;
    for (std::string line; std::getline(file, line);) {
        if (line == "# [[feeds]]") inside = true;
        if (!inside) continue;
        if (line.empty()) break;
        const std::string body = line.substr(line.starts_with("# ") ? 2 : 0);
        if (body.starts_with("[[") || body.find(" = ") != std::string::npos) table += body + "\n";
    }
    const auto placeholder = table.find("\"0x...\"");
    ASSERT_NE(placeholder, std::string::npos) << table;
    table.replace(placeholder, 7, "\"0x00000000000000000000000000000000000000f2\"");
    auto config = parse_config(kMinimal + table, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message << "\n" << table;
    ASSERT_EQ(config->feeds.size(), 1u);
    const FeedSettings& feed = config->feeds[0];
    EXPECT_EQ(feed.asset, addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"));
    EXPECT_EQ(feed.aggregator, addr("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"));
    EXPECT_EQ(feed.heartbeat_s, 3600u);
    EXPECT_EQ(feed.staleness_margin_s, 60u);
    EXPECT_EQ(feed.max_deviation_bps, 200u);
}

TEST(FeedsConfig, PendingTransmissionsIsOffByDefaultAndNeedsAWebsocket) {
    auto plain = parse_config(kMinimal + kWethFeed, "keeper.toml");
    ASSERT_TRUE(plain.has_value()) << plain.error().message;
    EXPECT_FALSE(plain->feeds[0].pending_transmissions);

    const std::string with_ws = "[chain]\nrpc = \"http://127.0.0.1:8545\"\nws = \"ws://127.0.0.1:8545\"\n";
    auto on = parse_config(with_ws + kMinimalProtocol + kWethFeed + "pending_transmissions = true\n", "keeper.toml");
    ASSERT_TRUE(on.has_value()) << on.error().message;
    EXPECT_TRUE(on->feeds[0].pending_transmissions);

    auto without_ws = parse_config(kMinimal + kWethFeed + "pending_transmissions = true\n", "keeper.toml");
    ASSERT_FALSE(without_ws.has_value());
    EXPECT_THAT(without_ws.error().message,
                HasSubstr("feeds[0].pending_transmissions: requires [chain] ws (pending transactions come by "
                          "eth_subscribe)"));

    auto not_bool = parse_config(with_ws + kMinimalProtocol + kWethFeed + "pending_transmissions = 1\n", "keeper.toml");
    ASSERT_FALSE(not_bool.has_value());
    EXPECT_THAT(not_bool.error().message, HasSubstr("feeds[0].pending_transmissions"));
}

// A Pyth price feed: ETH / USD's id in the Pyth contract, checked against a
// Chainlink feed of the same asset.
const std::string kPythFeed = R"([[feeds]]
asset = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
pyth = "0x4305fb66699c3b2702d4d05cf36551390a4c69c6"
pyth_price_id = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"
heartbeat_s = 60
second_aggregator = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"
max_deviation_bps = 100
)";

TEST(FeedsConfig, APythFeedIsAContractAndAPriceIdInsteadOfAnAggregator) {
    auto config = parse_config(kMinimal + kPythFeed, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    ASSERT_EQ(config->feeds.size(), 1u);
    const FeedSettings& feed = config->feeds[0];
    ASSERT_TRUE(feed.pyth.has_value());
    const PythFeedSettings pyth = feed.pyth.value_or(PythFeedSettings{});
    EXPECT_EQ(pyth.contract, addr("0x4305fb66699c3b2702d4d05cf36551390a4c69c6"));
    EXPECT_EQ(pyth.price_id,
              Bytes32::from_hex("0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace").value());
    EXPECT_TRUE(feed.aggregator.is_zero());
    EXPECT_EQ(feed.heartbeat_s, 60u);
    EXPECT_EQ(feed.second_aggregator, addr("0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"));
    EXPECT_EQ(feed.max_deviation_bps, 100u);

    // A Chainlink feed has no Pyth part.
    auto chainlink = parse_config(kMinimal + kWethFeed, "keeper.toml");
    ASSERT_TRUE(chainlink.has_value()) << chainlink.error().message;
    EXPECT_FALSE(chainlink->feeds[0].pyth.has_value());
}

TEST(FeedsConfig, APythFeedNeedsBothKeysAndIsNeverAlsoAnAggregator) {
    const std::string asset = "[[feeds]]\nasset = \"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\"\n";
    const std::string pyth = "pyth = \"0x4305fb66699c3b2702d4d05cf36551390a4c69c6\"\n";
    const std::string id = "pyth_price_id = \"0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace\"\n";

    auto no_id = parse_config(kMinimal + asset + pyth, "keeper.toml");
    ASSERT_FALSE(no_id.has_value());
    EXPECT_THAT(no_id.error().message, HasSubstr("feeds[0].pyth: requires pyth_price_id"));

    auto no_contract = parse_config(kMinimal + asset + id, "keeper.toml");
    ASSERT_FALSE(no_contract.has_value());
    EXPECT_THAT(no_contract.error().message, HasSubstr("feeds[0].pyth_price_id: requires pyth"));

    auto both = parse_config(
        kMinimal + asset + pyth + id + "aggregator = \"0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419\"\n", "keeper.toml");
    ASSERT_FALSE(both.has_value());
    EXPECT_THAT(both.error().message, HasSubstr("feeds[0].pyth: is given with aggregator"));

    auto neither = parse_config(kMinimal + asset, "keeper.toml");
    ASSERT_FALSE(neither.has_value());
    EXPECT_THAT(neither.error().message,
                HasSubstr("feeds[0].aggregator: required key missing (a Chainlink feed; or pyth and pyth_price_id"));

    auto short_id = parse_config(kMinimal + asset + pyth + "pyth_price_id = \"0xff61491a\"\n", "keeper.toml");
    ASSERT_FALSE(short_id.has_value());
    EXPECT_THAT(short_id.error().message, HasSubstr("feeds[0].pyth_price_id"));

    const std::string with_ws = "[chain]\nrpc = \"http://127.0.0.1:8545\"\nws = \"ws://127.0.0.1:8545\"\n";
    auto pending = parse_config(with_ws + kMinimalProtocol + asset + pyth + id + "pending_transmissions = true\n",
                                "keeper.toml");
    ASSERT_FALSE(pending.has_value());
    EXPECT_THAT(pending.error().message,
                HasSubstr("feeds[0].pending_transmissions: applies to Chainlink OCR2 aggregators only"));
}

// config/keeper.toml's commented Pyth example parses once uncommented.
TEST(FeedsConfig, TheCommentedPythExampleParsesOnceUncommented) {
    std::ifstream file(testing::repo_root() / "config" / "keeper.toml");
    ASSERT_TRUE(file.good());
    std::string table;
    bool inside = false;
    for (std::string line; std::getline(file, line);) {
        if (line == "# [[feeds]]                        # a Pyth price feed") inside = true;
        if (!inside) continue;
        if (line.empty()) break;
        std::string body = line.substr(line.starts_with("# ") ? 2 : 0);
        if (body.starts_with("[[")) body = "[[feeds]]";
        if (body.starts_with("[[") || body.find(" = ") != std::string::npos) table += body + "\n";
    }
    auto config = parse_config(kMinimal + table, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message << "\n" << table;
    ASSERT_EQ(config->feeds.size(), 1u);
    ASSERT_TRUE(config->feeds[0].pyth.has_value());
    EXPECT_EQ(config->feeds[0].pyth.value_or(PythFeedSettings{}).price_id,
              Bytes32::from_hex("0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace").value());
}

// [exchange] with a [[feeds]] exchange_symbol: Binance's ticker of the asset,
// for alerts only.
TEST(ExchangeConfig, ASectionAndASymbolPerFeedAreRead) {
    auto config = parse_config(kMinimal + kWethFeed + R"(exchange_symbol = "ethusdt"
[exchange]
kind = "binance"
url = "wss://stream.binance.com:9443/ws"
max_deviation_bps = 150
max_age_s = 30
)",
                               "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->feeds[0].exchange_symbol, "ETHUSDT") << "Binance sends symbols upper case";
    ASSERT_TRUE(config->exchange.has_value());
    const ExchangeSettings exchange = config->exchange.value_or(ExchangeSettings{});
    EXPECT_EQ(exchange.kind, "binance");
    EXPECT_EQ(exchange.url, "wss://stream.binance.com:9443/ws");
    EXPECT_EQ(exchange.max_deviation_bps, 150u);
    EXPECT_EQ(exchange.max_age_s, 30u);

    auto plain = parse_config(kMinimal + kWethFeed, "keeper.toml");
    ASSERT_TRUE(plain.has_value()) << plain.error().message;
    EXPECT_FALSE(plain->exchange.has_value());
    EXPECT_EQ(plain->feeds[0].exchange_symbol, std::nullopt);
}

TEST(ExchangeConfig, HalfConfiguredOrUnknownIsAnErrorNamingTheKey) {
    const std::string section =
        "[exchange]\nkind = \"binance\"\nurl = \"wss://stream.binance.com:9443/ws\"\n"
        "max_deviation_bps = 100\n";
    auto no_symbol = parse_config(kMinimal + kWethFeed + section, "keeper.toml");
    ASSERT_FALSE(no_symbol.has_value());
    EXPECT_THAT(no_symbol.error().message, HasSubstr("exchange: no [[feeds]] table names an exchange_symbol"));

    auto no_section = parse_config(kMinimal + kWethFeed + "exchange_symbol = \"ETHUSDT\"\n", "keeper.toml");
    ASSERT_FALSE(no_section.has_value());
    EXPECT_THAT(no_section.error().message, HasSubstr("feeds[0].exchange_symbol: requires an [exchange] section"));

    auto bad = parse_config(kMinimal + kWethFeed + "exchange_symbol = \"ETH/USDT\"\n" +
                                "[exchange]\nkind = \"coinbase\"\nurl = \"https://api.binance.com\"\nwindow = 5\n",
                            "keeper.toml");
    ASSERT_FALSE(bad.has_value());
    const std::string& message = bad.error().message;
    EXPECT_THAT(message, HasSubstr("feeds[0].exchange_symbol: expected the exchange's symbol"));
    EXPECT_THAT(message, HasSubstr("exchange.kind: expected \"binance\""));
    EXPECT_THAT(message, HasSubstr("exchange.url"));
    EXPECT_THAT(message, HasSubstr("exchange.max_deviation_bps"));
    EXPECT_THAT(message, HasSubstr("unknown key 'exchange.window'"));
}

}  // namespace feeds_config_test
}  // namespace keeper::config
