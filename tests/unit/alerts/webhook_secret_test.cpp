// Webhook paths are secrets (Slack and Discord tokens live there): errors and
// logs show scheme and host only. No network here: the URLs fail before any I/O.
#include <gtest/gtest.h>

#include <string>

#include "keeper/alerts/webhook_sender.hpp"
#include "keeper/alerts/webhook_url.hpp"
#include "net/url_redaction.hpp"

namespace keeper::alerts {
namespace webhook_secret_test {

constexpr const char* slack_url = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
constexpr const char* slack_token = "XXXXXXXXXXXXXXXXXXXXXXXX";

// Webhook URLs go through the one redaction every URL does (net/url_redaction.hpp).
TEST(WebhookUrl, RedactionKeepsSchemeAndHostOnly) {
    const std::pair<const char*, const char*> rows[] = {
        {slack_url, "https://hooks.slack.com/<redacted>"},
        {"https://discord.com/api/webhooks/123456789/abcDEF_secret", "https://discord.com/<redacted>"},
        {"https://alerts.example.com?token=s3cr3t", "https://alerts.example.com/<redacted>"},
        {"https://user:pa55word@alerts.example.com:8443/hook", "https://alerts.example.com:8443/<redacted>"},
        {"http://127.0.0.1:9000/", "http://127.0.0.1:9000"},
        {"http://127.0.0.1:9000", "http://127.0.0.1:9000"},
        {"hooks.slack.com/services/T0/B0/secret", "<invalid url>"},
        {"https:///only-a-path", "<invalid url>"},
    };
    for (const auto& [url, shown] : rows) EXPECT_EQ(net::redact_url(url), shown) << url;
}

TEST(WebhookUrl, ScrubRemovesTheUrlItsPathAndItsPieces) {
    const std::string message = std::string("could not POST ") + slack_url + " (path /services/T00000000/B00000000/" +
                                slack_token + ", token " + slack_token + ")";
    const std::string scrubbed = net::scrub_url(message, slack_url);
    EXPECT_EQ(scrubbed.find(slack_token), std::string::npos) << scrubbed;
    EXPECT_EQ(scrubbed.find("T00000000"), std::string::npos) << scrubbed;
    EXPECT_EQ(scrubbed,
              "could not POST https://hooks.slack.com/<redacted> (path <redacted>, token <redacted>)");
}

TEST(WebhookUrl, ScrubRemovesUserInfoAndQuery) {
    const std::string url = "https://bot:pa55word1234@alerts.example.com/hook?token=abcdefgh12345678";
    const std::string scrubbed =
        net::scrub_url("auth bot:pa55word1234 failed for token=abcdefgh12345678 and abcdefgh12345678", url);
    EXPECT_EQ(scrubbed.find("pa55word1234"), std::string::npos) << scrubbed;
    EXPECT_EQ(scrubbed.find("abcdefgh12345678"), std::string::npos) << scrubbed;
}

TEST(WebhookUrl, OnlyHttpAndHttpsWithAHost) {
    EXPECT_TRUE(is_http_url(slack_url));
    EXPECT_TRUE(is_http_url("HTTP://127.0.0.1:1/x"));
    EXPECT_FALSE(is_http_url("ftp://hooks.slack.com/services/T0/B0/secret"));
    EXPECT_FALSE(is_http_url("hooks.slack.com/services/T0/B0/secret"));
    EXPECT_FALSE(is_http_url(""));
}

Alert any_alert() {
    return Alert{Severity::warning, AccountHealth{"morpho-blue", "", Address{}, U256(1), false}, "WARNING test"};
}

TEST(WebhookSender, ABadUrlIsAnErrorThatDoesNotQuoteTheSecretPath) {
    WebhookSender ftp("ftp://hooks.example.com/services/T0/B0/the-secret-token", WebhookFormat::slack);
    auto r = ftp.post(any_alert());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "webhook ftp://hooks.example.com/<redacted>: url: expected http:// or https:// with a host");
    EXPECT_EQ(ftp.display_url(), "ftp://hooks.example.com/<redacted>");

    WebhookSender no_scheme("hooks.example.com/services/T0/B0/the-secret-token", WebhookFormat::discord);
    auto r2 = no_scheme.post(any_alert());
    ASSERT_FALSE(r2.has_value());
    EXPECT_EQ(r2.error().message.find("the-secret-token"), std::string::npos) << r2.error().message;
    EXPECT_EQ(r2.error().message.find("hooks.example.com/services"), std::string::npos) << r2.error().message;
}

}  // namespace webhook_secret_test
}  // namespace keeper::alerts
