// Health text and the three webhook bodies, as exact JSON.
#include <gtest/gtest.h>

#include <string>

#include "keeper/alerts/webhook_body.hpp"

namespace keeper::alerts {
namespace webhook_body_test {

struct HealthRow {
    const char* health_wad;
    int decimals;
    const char* text;
};

TEST(FormatHealth, RoundsDownToTheAskedDecimalsAndSaysInfForNoDebt) {
    const HealthRow rows[] = {
        {"973100000000000000", 4, "0.9731"},
        {"1000000000000000000", 4, "1.0000"},
        {"999999999999999999", 4, "0.9999"},  // down, never up to the threshold
        {"1050000000000000000", 4, "1.0500"},
        {"1000000000000000", 4, "0.0010"},
        {"0", 4, "0.0000"},
        {"12345678900000000000", 2, "12.34"},
        {"1999999999999999999", 0, "1"},
        {"1234567890123456789", 18, "1.234567890123456789"},
        {"1234567890123456789", 30, "1.234567890123456789"},  // clamped to the wad's 18
    };
    for (const HealthRow& row : rows)
        EXPECT_EQ(format_health(U256::from_dec(row.health_wad).value(), row.decimals), row.text) << row.health_wad;
    EXPECT_EQ(format_health(U256::max()), "inf");
}

Alert liquidatable_alert() {
    AccountHealth account{"morpho-blue", "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc",
                          Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").value(),
                          U256(973'100'000'000'000'000ULL), true};
    return Alert{Severity::liquidatable, account,
                 "LIQUIDATABLE morpho-blue market 0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc "
                 "account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: health 0.9731"};
}

TEST(WebhookBody, GenericCarriesEveryFieldWithAmountsAsStrings) {
    const auto expected = nlohmann::json::parse(R"({
        "source": "margin-keeper",
        "kind": "underwater",
        "event": "trigger",
        "dedup_key": "margin-keeper/underwater/morpho-blue/0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc/0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "severity": "liquidatable",
        "protocol": "morpho-blue",
        "market": "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc",
        "account": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "health": "0.9731",
        "health_wad": "973100000000000000",
        "liquidatable": true,
        "text": "LIQUIDATABLE morpho-blue market 0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: health 0.9731"
    })");
    EXPECT_EQ(webhook_body(liquidatable_alert(), WebhookFormat::generic), expected);
}

TEST(WebhookBody, GenericWarningWithoutMarketOrDebt) {
    AccountHealth account{"aave-v3", "", Address::parse("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").value(),
                          U256::max(), false};
    const auto body = webhook_body(Alert{Severity::warning, account, "x"}, WebhookFormat::generic);
    EXPECT_EQ(body.at("kind"), "near_liquidation");
    EXPECT_EQ(body.at("severity"), "warning");
    EXPECT_EQ(body.at("market"), "");
    EXPECT_EQ(body.at("account"), "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    EXPECT_EQ(body.at("health"), "inf");
    EXPECT_EQ(body.at("health_wad"), U256::max().to_dec());
    EXPECT_EQ(body.at("liquidatable"), false);
    EXPECT_FALSE(body.contains("folded_accounts"));
}

TEST(WebhookBody, GenericSummarySaysHowManyItFolds) {
    Alert summary = liquidatable_alert();
    summary.text = "and 37 more accounts ...";
    summary.folded_accounts = 37;
    const auto body = webhook_body(summary, WebhookFormat::generic);
    EXPECT_EQ(body.at("folded_accounts"), 37);
    EXPECT_EQ(body.at("text"), "and 37 more accounts ...");
}

TEST(WebhookBody, SlackIsTextOnly) {
    const auto expected = nlohmann::json::parse(
        R"({"text": "LIQUIDATABLE morpho-blue market 0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: health 0.9731"})");
    EXPECT_EQ(webhook_body(liquidatable_alert(), WebhookFormat::slack), expected);
}

TEST(WebhookBody, SlackEscapesItsControlCharacters) {
    Alert alert = liquidatable_alert();
    alert.text = "a <b> & c";
    EXPECT_EQ(webhook_body(alert, WebhookFormat::slack), nlohmann::json::parse(R"({"text": "a &lt;b&gt; &amp; c"})"));
}

TEST(WebhookBody, DiscordIsContentOnly) {
    const auto expected = nlohmann::json::parse(
        R"({"content": "LIQUIDATABLE morpho-blue market 0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: health 0.9731"})");
    EXPECT_EQ(webhook_body(liquidatable_alert(), WebhookFormat::discord), expected);
}

TEST(WebhookBody, DiscordContentIsCutTo2000BytesAndMarked) {
    Alert alert = liquidatable_alert();
    alert.text = std::string(2000, 'x');
    EXPECT_EQ(webhook_body(alert, WebhookFormat::discord).at("content"), std::string(2000, 'x'));  // fits exactly
    alert.text = std::string(2500, 'x');
    EXPECT_EQ(webhook_body(alert, WebhookFormat::discord).at("content"), std::string(1997, 'x') + "...");
}

TEST(WebhookBody, DiscordCutNeverSplitsAUtf8Character) {
    Alert alert = liquidatable_alert();
    // 1996 ASCII bytes then euro signs (3 bytes each): byte 1997 is the middle of a euro sign.
    std::string text(1996, 'x');
    for (int i = 0; i < 10; ++i) text += "\xE2\x82\xAC";
    alert.text = text;
    const std::string content = webhook_body(alert, WebhookFormat::discord).at("content");
    EXPECT_EQ(content, std::string(1996, 'x') + "...");
    // A strict dump throws on broken UTF-8; the cut one dumps fine.
    EXPECT_NO_THROW((void)webhook_body(alert, WebhookFormat::discord).dump());
}

}  // namespace webhook_body_test
}  // namespace keeper::alerts
