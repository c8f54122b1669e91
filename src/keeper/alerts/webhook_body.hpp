#pragma once
// The JSON an alert is posted as, per receiving service.
#include <cstddef>
#include <nlohmann/json.hpp>

#include "keeper/alerts/alert.hpp"

namespace keeper::alerts {

enum class WebhookFormat { generic, slack, discord };

// Discord rejects message content longer than this.
inline constexpr std::size_t discord_content_limit = 2000;

// generic: {"source":"margin-keeper","severity":"liquidatable","protocol":..,"market":..,
//           "account":"0x..EIP-55","health":"0.9731","health_wad":"973100000000000000",
//           "liquidatable":true,"text":".."} plus "folded_accounts":N for a summary.
// slack:   {"text":".."} with &, < and > escaped as Slack requires.
// discord: {"content":".."} cut to at most 2000 bytes at a UTF-8 character
//          boundary, ending in "..." when cut (bytes bound characters and
//          UTF-16 units alike, whichever Discord counts).
nlohmann::json webhook_body(const Alert& alert, WebhookFormat format);

}  // namespace keeper::alerts
