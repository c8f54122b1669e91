#include "net/url_redaction.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace keeper::net {
namespace {

// Pieces of a path, query or user name at least this long are scrubbed one by
// one too, in case a message quotes a key on its own; a password from 4.
constexpr std::size_t min_secret_piece = 8;
constexpr std::size_t min_secret_password = 4;

struct UrlParts {
    std::string_view scheme;    // "https"
    std::string_view userinfo;  // "user:pass", empty when there is no '@'
    bool has_userinfo = false;
    std::string_view host_port; // "node.example:8545", "[::1]:8546"
    std::string_view rest;      // path, query and fragment: "/v2/KEY?x=1", or empty
};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool valid_scheme(std::string_view s) {
    if (s.empty() || !is_alpha(s.front())) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; });
}

bool valid_port(std::string_view p) {
    return !p.empty() && p.size() <= 5 && std::all_of(p.begin(), p.end(), is_digit);
}

// A registered name or IPv4 address, or an IPv6 literal in brackets, then an
// optional ":port". Anything else is not shown: it may be a secret that a
// password with an unescaped '/' or '#' pushed out of the user info.
bool valid_host_port(std::string_view hp) {
    std::string_view port;
    bool has_port = false;
    if (!hp.empty() && hp.front() == '[') {
        const auto close = hp.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        const std::string_view v6 = hp.substr(1, close - 1);
        if (!std::all_of(v6.begin(), v6.end(), [](char c) { return is_hex(c) || c == ':' || c == '.'; })) return false;
        const std::string_view after = hp.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return false;
            port = after.substr(1);
            has_port = true;
        }
    } else {
        std::string_view host = hp;
        if (const auto colon = hp.rfind(':'); colon != std::string_view::npos) {
            host = hp.substr(0, colon);
            port = hp.substr(colon + 1);
            has_port = true;
        }
        if (host.empty()) return false;
        const auto host_char = [](char c) {
            return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
        };
        if (!std::all_of(host.begin(), host.end(), host_char)) return false;
    }
    return !has_port || valid_port(port);
}

std::optional<UrlParts> split(std::string_view url) {
    const std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || !valid_scheme(url.substr(0, scheme_end))) return std::nullopt;
    UrlParts parts;
    parts.scheme = url.substr(0, scheme_end);
    const std::string_view after = url.substr(scheme_end + 3);
    const std::size_t authority_end = std::min(after.find_first_of("/?#"), after.size());
    std::string_view authority = after.substr(0, authority_end);
    parts.rest = after.substr(authority_end);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        parts.userinfo = authority.substr(0, at);
        parts.has_userinfo = true;
        authority = authority.substr(at + 1);
    }
    if (!valid_host_port(authority)) return std::nullopt;
    parts.host_port = authority;
    return parts;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

// `joined` cut at every delimiter, the pieces at least `min_size` long.
void add_pieces(std::vector<std::string_view>& out, std::string_view joined, std::string_view delimiters,
                std::size_t min_size) {
    while (!joined.empty()) {
        const std::size_t end = std::min(joined.find_first_of(delimiters), joined.size());
        if (end >= min_size) out.push_back(joined.substr(0, end));
        joined.remove_prefix(std::min(end + 1, joined.size()));
    }
}

std::vector<std::string_view> secret_pieces(std::string_view url) {
    std::vector<std::string_view> secrets;
    const auto parts = split(url);
    if (!parts) {
        // Not a URL we understand: every longer piece of it may be a key.
        add_pieces(secrets, url, "/?&=#;:@", min_secret_piece);
        return secrets;
    }
    if (parts->has_userinfo) {
        secrets.push_back(parts->userinfo);
        const std::size_t colon = parts->userinfo.find(':');
        if (colon != std::string_view::npos && parts->userinfo.size() - colon - 1 >= min_secret_password)
            secrets.push_back(parts->userinfo.substr(colon + 1));
        add_pieces(secrets, parts->userinfo, ":", min_secret_piece);
    }
    if (parts->rest.size() > 1) {
        secrets.push_back(parts->rest);
        if (parts->rest.front() == '/') secrets.push_back(parts->rest.substr(1));
        add_pieces(secrets, parts->rest, "/?&=#;", min_secret_piece);
    }
    return secrets;
}

}  // namespace

std::string redact_url(std::string_view url) {
    const auto parts = split(url);
    if (!parts) return "<invalid url>";
    std::string out = std::string(parts->scheme) + "://" + std::string(parts->host_port);
    if (parts->has_userinfo || (!parts->rest.empty() && parts->rest != "/")) out += "/" + std::string(redacted_marker);
    return out;
}

std::string scrub_urls(std::string message, std::span<const std::string> urls) {
    // Whole URLs first (they become their redacted form, which names the
    // host), then the secret pieces of all of them, longest first, so a
    // shorter secret never breaks up a longer match.
    for (const std::string& url : urls)
        if (!url.empty()) replace_all(message, url, redact_url(url));
    std::vector<std::string_view> secrets;
    for (const std::string& url : urls) {
        const auto pieces = secret_pieces(url);
        secrets.insert(secrets.end(), pieces.begin(), pieces.end());
    }
    std::stable_sort(secrets.begin(), secrets.end(),
                     [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
    for (std::string_view secret : secrets) replace_all(message, secret, redacted_marker);
    return message;
}

std::string scrub_url(std::string message, std::string_view url) {
    const std::string one[] = {std::string(url)};
    return scrub_urls(std::move(message), one);
}

std::string shown_argument(std::string_view argument) {
    if (argument.find("://") != std::string_view::npos) return redact_url(argument);
    return std::string(argument);
}

}  // namespace keeper::net
