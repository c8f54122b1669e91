#include "keeper/alerts/webhook_url.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace keeper::alerts {
namespace {

constexpr std::string_view redacted = "<redacted>";
// Path and query pieces at least this long are scrubbed one by one too, in
// case an error quotes a token on its own. Shorter ones ("api", "v1") are
// not secrets, and scrubbing them would garble the message.
constexpr std::size_t min_secret_piece = 8;

struct UrlParts {
    std::string_view scheme;    // "https"
    std::string_view userinfo;  // "user:pass" or empty
    std::string_view host;      // "hooks.slack.com:443"
    std::string_view rest;      // "/services/..." (path, query, fragment) or empty
};

std::optional<UrlParts> split(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
    UrlParts parts;
    parts.scheme = url.substr(0, scheme_end);
    std::string_view after = url.substr(scheme_end + 3);
    const std::size_t authority_end = std::min(after.find_first_of("/?#"), after.size());
    std::string_view authority = after.substr(0, authority_end);
    parts.rest = after.substr(authority_end);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        parts.userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
    }
    parts.host = authority;
    if (parts.host.empty()) return std::nullopt;
    return parts;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

}  // namespace

std::string redact_webhook_url(std::string_view url) {
    const auto parts = split(url);
    if (!parts) return "<invalid webhook url>";
    std::string out = std::string(parts->scheme) + "://" + std::string(parts->host);
    if (parts->rest.empty() || parts->rest == "/") return out + std::string(parts->rest);
    return out + "/" + std::string(redacted);
}

std::string scrub_webhook_secrets(std::string message, std::string_view url) {
    const auto parts = split(url);
    if (!parts) {
        replace_all(message, url, redacted);
        return message;
    }
    // Longest first, so a shorter secret never breaks up a longer match.
    replace_all(message, url, redact_webhook_url(url));
    std::vector<std::string_view> secrets;
    if (parts->rest.size() > 1) secrets.push_back(parts->rest);
    if (parts->rest.size() > 1 && parts->rest.front() == '/') secrets.push_back(parts->rest.substr(1));
    secrets.push_back(parts->userinfo);
    for (std::string_view joined : {parts->rest, parts->userinfo}) {
        while (!joined.empty()) {
            const std::size_t end = std::min(joined.find_first_of("/?&=#:;@"), joined.size());
            if (end >= min_secret_piece) secrets.push_back(joined.substr(0, end));
            joined.remove_prefix(std::min(end + 1, joined.size()));
        }
    }
    std::stable_sort(secrets.begin(), secrets.end(),
                     [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
    for (std::string_view secret : secrets) replace_all(message, secret, redacted);
    return message;
}

bool is_http_url(std::string_view url) {
    const auto parts = split(url);
    if (!parts) return false;
    std::string scheme(parts->scheme);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return scheme == "http" || scheme == "https";
}

}  // namespace keeper::alerts
