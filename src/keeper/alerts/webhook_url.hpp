#pragma once
// Webhook URLs carry their secret in the URL itself: Slack and Discord put
// the token in the path, others in the query or in user:password@. Logs and
// errors show them through net::redact_url and net::scrub_url, like every URL.
#include <string_view>

namespace keeper::alerts {

// True for "http://host..." and "https://host..." with a valid host.
bool is_http_url(std::string_view url);

}  // namespace keeper::alerts
