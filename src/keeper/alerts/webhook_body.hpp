#pragma once
// The JSON an alert is posted as, per receiving service.
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keeper/alerts/alert.hpp"

namespace keeper::alerts {

enum class WebhookFormat { generic, slack, discord };

// Discord rejects message content longer than this.
inline constexpr std::size_t discord_content_limit = 2000;
// Telegram's sendMessage takes at most 4096 characters of text.
inline constexpr std::size_t telegram_text_limit = 4096;
// PagerDuty's payload.summary is cut at 1024 characters.
inline constexpr std::size_t pagerduty_summary_limit = 1024;

// generic, account alerts (kinds underwater and near_liquidation):
//          {"source":"margin-keeper","kind":"underwater","severity":"liquidatable","protocol":..,"market":..,
//           "account":"0x..EIP-55","health":"0.9731","health_wad":"973100000000000000",
//           "liquidatable":true,"text":".."} plus "folded_accounts":N for a summary.
// generic, every other kind:
//          {"source":"margin-keeper","kind":"rpc_down","event":"trigger"|"resolve",
//           "severity":"critical"|"error"|"warning"|"info","dedup_key":"margin-keeper/rpc_down/..",
//           "text":"..","details":{..the kind's fields, amounts as integer strings..}}
// slack:   {"text":".."} with &, < and > escaped as Slack requires.
// discord: {"content":".."} cut to at most 2000 bytes at a UTF-8 character
//          boundary, ending in "..." when cut (bytes bound characters and
//          UTF-16 units alike, whichever Discord counts).
nlohmann::json webhook_body(const Alert& alert, WebhookFormat format);

// Telegram bot API sendMessage: {"chat_id":..,"text":..,"disable_web_page_preview":true},
// plain text (no parse_mode, so nothing needs escaping), cut like Discord's
// at 4096 bytes. chat_id goes as a JSON integer when it is one ("-1001234"),
// else as the string given ("@channel").
nlohmann::json telegram_body(const Alert& alert, std::string_view chat_id);

// PagerDuty Events API v2. trigger:
//   {"routing_key":..,"event_action":"trigger","dedup_key":dedup_key_of(alert),
//    "payload":{"summary":text cut at 1024,"source":"margin-keeper","severity":urgency,
//               "class":kind,"custom_details":{..}}}
// resolve: {"routing_key":..,"event_action":"resolve","dedup_key":..}.
nlohmann::json pagerduty_body(const Alert& alert, std::string_view routing_key);

// The kind's fields as an object (for an account alert: protocol, market,
// account, health, health_wad, liquidatable).
nlohmann::json alert_details(const Alert& alert);

}  // namespace keeper::alerts
