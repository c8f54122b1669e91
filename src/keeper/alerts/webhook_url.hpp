#pragma once
// Webhook URLs carry their secret in the URL itself: Slack and Discord put
// the token in the path, others in the query or in user:password@. Only the
// scheme and host may appear in logs and errors.
#include <string>
#include <string_view>

namespace keeper::alerts {

// "https://hooks.slack.com/services/T0/B0/XyZ" -> "https://hooks.slack.com/<redacted>";
// a URL without a path stays as it is; text that is not scheme://host... at
// all becomes "<invalid webhook url>".
std::string redact_webhook_url(std::string_view url);

// `message` with every secret part of `url` (the whole URL, its path, query
// and user info, and each longer piece of them) replaced by "<redacted>".
std::string scrub_webhook_secrets(std::string message, std::string_view url);

// True for "http://host..." and "https://host..." with a non-empty host.
bool is_http_url(std::string_view url);

}  // namespace keeper::alerts
