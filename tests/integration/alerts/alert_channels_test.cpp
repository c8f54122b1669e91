// Every channel against a local recording server: the exact body each
// service's API expects arrives at the path it expects, PagerDuty's trigger
// and resolve share one dedup key, and neither the Telegram bot token nor the
// PagerDuty routing key ever appears in an error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keeper/alerts/alert_channels.hpp"
#include "keeper/alerts/alert_kinds.hpp"
#include "keeper/alerts/channels_from_config.hpp"
#include "support/recording_http_server.hpp"

namespace keeper::alerts {
namespace alert_channels_test {

using keeper::testing::RecordingHttpServer;
using namespace std::chrono_literals;

const Address signer = Address::parse("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").value();
const SignerBalance low{signer, "ETH", U256(50'000'000'000'000'000ULL), U256(100'000'000'000'000'000ULL), 18};
const std::string low_text = "SIGNER BALANCE LOW 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359: 0.0500 ETH (minimum 0.1000 ETH)";
const std::string dedup = "margin-keeper/signer_balance_low/0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359/ETH";

std::unique_ptr<RecordingHttpServer> server(std::string answer = "ok", int status = 200) {
    auto started = RecordingHttpServer::start(std::move(answer), status);
    EXPECT_TRUE(started.has_value()) << started.error().message;
    return std::move(*started);
}

struct RecordedRequestView {
    std::string target;
    std::string body = "null";
};

Result<void> post(const ChannelSpec& channel, const Alert& alert) {
    WebhookSender sender(channel.url, channel.body, webhook_http_options(), channel.secrets);
    return sender.post(alert);
}

TEST(AlertChannels, SlackAndDiscordGetTheTextAtTheirWebhookPath) {
    auto hook = server();
    ASSERT_TRUE(post(webhook_channel(hook->url() + "services/T/B/slacksecret", WebhookFormat::slack),
                     signer_balance_alert(low, AlertEvent::trigger)));
    ASSERT_TRUE(post(webhook_channel(hook->url() + "api/webhooks/1/discordsecret", WebhookFormat::discord),
                     signer_balance_alert(low, AlertEvent::trigger)));
    const auto requests = hook->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].target, "/services/T/B/slacksecret");
    EXPECT_EQ(nlohmann::json::parse(requests[0].body), (nlohmann::json{{"text", low_text}}));
    EXPECT_EQ(requests[1].target, "/api/webhooks/1/discordsecret");
    EXPECT_EQ(nlohmann::json::parse(requests[1].body), (nlohmann::json{{"content", low_text}}));
}

TEST(AlertChannels, TelegramPostsSendMessageWithTheBotTokenInThePath) {
    auto api = server(R"({"ok":true})");
    const ChannelSpec channel = telegram_channel(api->url(), "123456:ABCtokenSECRET", "-1001234567890");
    ASSERT_TRUE(post(channel, signer_balance_alert(low, AlertEvent::trigger)));
    const auto requests = api->requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/bot123456:ABCtokenSECRET/sendMessage");
    EXPECT_EQ(requests[0].header("Content-Type"), std::optional<std::string>("application/json"));
    EXPECT_EQ(nlohmann::json::parse(requests[0].body),
              (nlohmann::json{{"chat_id", -1001234567890LL}, {"text", low_text}, {"disable_web_page_preview", true}}));
}

TEST(AlertChannels, TelegramErrorsNeverQuoteTheToken) {
    // Telegram's 401 body; a proxy could echo the path too.
    auto api = server(R"({"ok":false,"error_code":401,"description":"Unauthorized /bot123456:ABCtokenSECRET"})", 401);
    auto posted = post(telegram_channel(api->url(), "123456:ABCtokenSECRET", "@ops"), signer_balance_alert(low, AlertEvent::trigger));
    ASSERT_FALSE(posted.has_value());
    EXPECT_NE(posted.error().message.find("HTTP status 401"), std::string::npos) << posted.error().message;
    EXPECT_EQ(posted.error().message.find("ABCtokenSECRET"), std::string::npos) << posted.error().message;
}

TEST(AlertChannels, PagerDutyTriggersThenResolvesTheSameIncident) {
    auto events = server(R"({"status":"success","message":"Event processed","dedup_key":"x"})", 202);
    const ChannelSpec channel = pagerduty_channel(events->url() + "v2/enqueue", "R0UT1NGKEY0123456789012345678901");
    ASSERT_TRUE(post(channel, signer_balance_alert(low, AlertEvent::trigger)));
    SignerBalance funded = low;
    funded.balance = U256(1'000'000'000'000'000'000ULL);
    ASSERT_TRUE(post(channel, signer_balance_alert(funded, AlertEvent::resolve)));

    const auto requests = events->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].target, "/v2/enqueue");
    const nlohmann::json trigger = {
        {"routing_key", "R0UT1NGKEY0123456789012345678901"},
        {"event_action", "trigger"},
        {"dedup_key", dedup},
        {"payload",
         {{"summary", low_text},
          {"source", "margin-keeper"},
          {"severity", "critical"},
          {"class", "signer_balance_low"},
          {"custom_details",
           {{"signer", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"},
            {"token", "ETH"},
            {"balance", "50000000000000000"},
            {"minimum", "100000000000000000"}}}}},
    };
    EXPECT_EQ(nlohmann::json::parse(requests[0].body), trigger);
    EXPECT_EQ(nlohmann::json::parse(requests[1].body),
              (nlohmann::json{{"routing_key", "R0UT1NGKEY0123456789012345678901"},
                              {"event_action", "resolve"},
                              {"dedup_key", dedup}}));
}

TEST(AlertChannels, PagerDutyErrorsNeverQuoteTheRoutingKey) {
    auto events = server(R"({"status":"invalid event","errors":["routing_key R0UT1NGKEY is unknown"]})", 400);
    auto posted = post(pagerduty_channel(events->url(), "R0UT1NGKEY"), signer_balance_alert(low, AlertEvent::trigger));
    ASSERT_FALSE(posted.has_value());
    EXPECT_NE(posted.error().message.find("HTTP status 400"), std::string::npos) << posted.error().message;
    EXPECT_EQ(posted.error().message.find("R0UT1NGKEY"), std::string::npos) << posted.error().message;
}

TEST(AlertChannels, EveryConfiguredChannelGetsEachAlert) {
    // One server per channel: the recording server serves one keep-alive connection at a time.
    auto generic = server(), slack = server(), discord = server(), telegram = server(), pagerduty = server();
    config::AlertSettings settings;
    settings.webhook_url = generic->url() + "generic";
    settings.slack_webhook_url = slack->url() + "slack";
    settings.discord_webhook_url = discord->url() + "discord";
    settings.telegram_bot_token_env = "TG_TOKEN";
    settings.telegram_chat_id = "42";
    settings.telegram_api_url = telegram->url() + "tg";
    settings.pagerduty_routing_key_env = "PD_KEY";
    settings.pagerduty_url = pagerduty->url() + "pd";
    const config::Getenv env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "TG_TOKEN") return "9:tok";
        if (name == "PD_KEY") return "pdkey";
        return std::nullopt;
    };
    auto specs = channels_from_config(settings, env);
    ASSERT_TRUE(specs.has_value()) << specs.error().message;
    AlertChannels channels(std::move(*specs), DispatcherOptions{}, {});
    EXPECT_EQ(channels.names(), (std::vector<std::string>{"webhook", "slack", "discord", "telegram", "pagerduty"}));
    const Alert reorg = reorg_alert({4, 100, 105}, 2).value();
    channels.enqueue(reorg);
    channels.stop();
    EXPECT_EQ(channels.counts().sent, 5u);
    auto only = [](const std::unique_ptr<RecordingHttpServer>& s) {
        const auto requests = s->requests();
        EXPECT_EQ(requests.size(), 1u);
        return requests.empty() ? RecordedRequestView{} : RecordedRequestView{requests[0].target, requests[0].body};
    };
    const auto g = only(generic), sl = only(slack), d = only(discord), t = only(telegram), p = only(pagerduty);
    EXPECT_EQ(g.target, "/generic");
    EXPECT_EQ(nlohmann::json::parse(g.body), webhook_body(reorg, WebhookFormat::generic));
    EXPECT_EQ(sl.target, "/slack");
    EXPECT_EQ(nlohmann::json::parse(sl.body), (nlohmann::json{{"text", reorg.text}}));
    EXPECT_EQ(d.target, "/discord");
    EXPECT_EQ(nlohmann::json::parse(d.body), (nlohmann::json{{"content", reorg.text}}));
    EXPECT_EQ(t.target, "/tg/bot9:tok/sendMessage");
    EXPECT_EQ(nlohmann::json::parse(t.body),
              (nlohmann::json{{"chat_id", 42}, {"text", reorg.text}, {"disable_web_page_preview", true}}));
    EXPECT_EQ(p.target, "/pd");
    EXPECT_EQ(nlohmann::json::parse(p.body).at("dedup_key"), "margin-keeper/reorg_deep/100/105");
    EXPECT_EQ(nlohmann::json::parse(p.body).at("routing_key"), "pdkey");
}

TEST(AlertChannels, AMissingSecretVariableIsAnErrorNamingIt) {
    config::AlertSettings settings;
    settings.pagerduty_routing_key_env = "PD_KEY";
    auto specs = channels_from_config(settings, [](const std::string&) { return std::optional<std::string>(); });
    ASSERT_FALSE(specs.has_value());
    EXPECT_EQ(specs.error().message, "alerts.pagerduty_routing_key_env: environment variable PD_KEY is not set");
}

}  // namespace alert_channels_test
}  // namespace keeper::alerts
