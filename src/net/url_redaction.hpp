#pragma once
// The one way a URL is shown: in logs, errors, metrics labels, the command
// line of a child process, anything a person or another program may read.
// Node and webhook URLs carry their secrets in the URL itself: credentials in
// user:password@, API keys in the path (".../v2/<key>", Slack and Discord
// tokens) or the query ("?apikey=..."). Only scheme, host and port are shown.
#include <span>
#include <string>
#include <string_view>

namespace keeper::net {

// The marker that stands for what was left out.
inline constexpr std::string_view redacted_marker = "<redacted>";

// "scheme://host[:port]", plus "/<redacted>" when the URL had anything else
// (user info, a path other than "/", a query or a fragment):
//   "https://eth-mainnet.g.alchemy.com/v2/KEY" -> "https://eth-mainnet.g.alchemy.com/<redacted>"
//   "http://user:pw@127.0.0.1:8545"             -> "http://127.0.0.1:8545/<redacted>"
//   "ws://[::1]:8546/"                          -> "ws://[::1]:8546"
// Text that is not scheme://host[:port]... (no scheme, no host, a host or
// port with characters a host cannot have) becomes "<invalid url>", never
// an echo of the input, which may be a key pasted in the wrong place.
std::string redact_url(std::string_view url);

// `message` (free text: a libcurl error, a child's output) with each of
// `urls` replaced by its redact_url() form, and each secret piece of it
// replaced by "<redacted>" wherever it occurs on its own: the user info, the
// password, the path+query+fragment, and every path, query or user-info
// piece long enough to be a key (8 characters; a password: 4). Short pieces
// ("v2", "rpc") are not secrets, and scrubbing them would garble the text.
std::string scrub_urls(std::string message, std::span<const std::string> urls);
std::string scrub_url(std::string message, std::string_view url);

// A command-line argument as an error message may quote it: redact_url of
// anything with a "://" in it (a URL given without its flag), else as is.
std::string shown_argument(std::string_view argument);

}  // namespace keeper::net
