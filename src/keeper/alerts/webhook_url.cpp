#include "keeper/alerts/webhook_url.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "net/url_redaction.hpp"

namespace keeper::alerts {

bool is_http_url(std::string_view url) {
    std::string head(url.substr(0, 8));
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool http = head.starts_with("http://") || head.starts_with("https://");
    // redact_url accepts exactly the URLs with a scheme and a valid host.
    return http && net::redact_url(url) != "<invalid url>";
}

}  // namespace keeper::alerts
