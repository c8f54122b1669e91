// The one URL redaction (net/url_redaction.hpp): what a log may show of an
// RPC, websocket or webhook URL, and what is scrubbed from free text that
// quotes one (libcurl errors, anvil's output).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/url_redaction.hpp"

namespace keeper::net {
namespace url_redaction_test {

TEST(RedactUrl, KeepsSchemeHostAndPortAndMarksWhatItLeftOut) {
    const std::pair<const char*, const char*> rows[] = {
        // user:password@
        {"http://user:pass@127.0.0.1:8545/", "http://127.0.0.1:8545/<redacted>"},
        {"https://user:p%40ss@node.example", "https://node.example/<redacted>"},
        {"https://token@node.example:443", "https://node.example:443/<redacted>"},
        {"https://a@b@node.example/x", "https://node.example/<redacted>"},
        // an API key as a path segment (Infura, Alchemy, QuickNode)
        {"https://eth-mainnet.g.alchemy.com/v2/SECRETKEY", "https://eth-mainnet.g.alchemy.com/<redacted>"},
        {"https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef", "https://mainnet.infura.io/<redacted>"},
        // a key in the query, or a fragment
        {"https://rpc.example.com?apikey=SECRETKEY", "https://rpc.example.com/<redacted>"},
        {"https://rpc.example.com/?apikey=SECRETKEY", "https://rpc.example.com/<redacted>"},
        {"wss://node.example:8546?token=abc", "wss://node.example:8546/<redacted>"},
        {"http://node.example#frag", "http://node.example/<redacted>"},
        // nothing secret: shown as given, without a trailing "/"
        {"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
        {"http://127.0.0.1:8545/", "http://127.0.0.1:8545"},
        {"HTTPS://Node.Example", "HTTPS://Node.Example"},
        {"ws://localhost", "ws://localhost"},
        // websockets, IPv6 literals
        {"ws://user:secret@node:8546/rpc?key=k#frag", "ws://node:8546/<redacted>"},
        {"wss://mainnet.infura.io/ws/v3/0123abcd", "wss://mainnet.infura.io/<redacted>"},
        {"ws://[::1]:8546", "ws://[::1]:8546"},
        {"http://[2001:db8::1]/v2/SECRETKEY", "http://[2001:db8::1]/<redacted>"},
        {"http://u:p@[::ffff:127.0.0.1]:8545", "http://[::ffff:127.0.0.1]:8545/<redacted>"},
    };
    for (const auto& [url, shown] : rows) EXPECT_EQ(redact_url(url), shown) << url;
}

TEST(RedactUrl, NeverEchoesWhatIsNotAUrl) {
    for (const char* text : {
             "",
             "not a url",
             "127.0.0.1:8545/v2/SECRETKEY",        // no scheme
             "eth-mainnet.g.alchemy.com/v2/SECRETKEY",
             "://host/SECRETKEY",                  // empty scheme
             "1http://host",                       // a scheme starts with a letter
             "http://",                            // no host
             "http:///SECRETKEY",
             "http://user:SECRETKEY@/path",
             "http://:8545",
             "http://host:",                       // empty port
             "http://host:85a5",
             "http://host:123456",
             "http://ho st/x",                     // characters no host has
             "http://host\n.example",
             "http://user:SECRET/KEY@host/path",   // a password with a raw '/' must not leak as a "host"
             "http://[::1/x",                      // unterminated IPv6 literal
             "http://[::1]x:1",
             "http://[]:1",
             "http://[SECRETKEY]",
         }) {
        EXPECT_EQ(redact_url(text), "<invalid url>") << text;
    }
}

TEST(ScrubUrls, ReplacesTheUrlAndEachSecretPieceInFreeText) {
    const std::string url = "http://user:secret@127.0.0.1:8545/v2/SECRETKEY?apikey=SECRETKEY";
    // As libcurl and anvil (reqwest) quote URLs: whole, without user info,
    // path alone, a key alone, credentials alone.
    const std::string message = "POST " + url + " failed; error sending request for url "
                                "(http://127.0.0.1:8545/v2/SECRETKEY?apikey=SECRETKEY); key SECRETKEY; "
                                "auth user:secret; password secret";
    const std::string scrubbed = scrub_url(message, url);
    EXPECT_EQ(scrubbed.find("SECRETKEY"), std::string::npos) << scrubbed;
    EXPECT_EQ(scrubbed.find("secret"), std::string::npos) << scrubbed;
    EXPECT_EQ(scrubbed,
              "POST http://127.0.0.1:8545/<redacted> failed; error sending request for url "
              "(http://127.0.0.1:8545<redacted>); key <redacted>; auth <redacted>; password <redacted>");
}

TEST(ScrubUrls, ShortPathPiecesAreNotSecretsAndStayReadable) {
    const std::string url = "https://rpc.example.com/v2/api";
    EXPECT_EQ(scrub_url("v2 api of https://rpc.example.com/v2/api", url),
              "v2 api of https://rpc.example.com/<redacted>");
}

TEST(ScrubUrls, EveryUrlOfTheListAndGarbageToo) {
    const std::vector<std::string> urls = {"https://a.example/v3/FIRSTSECRETKEY", "wss://b.example/ws/SECONDSECRETKEY",
                                           "c.example/THIRDSECRETKEY", ""};
    const std::string scrubbed =
        scrub_urls("FIRSTSECRETKEY, SECONDSECRETKEY and THIRDSECRETKEY; c.example/THIRDSECRETKEY", urls);
    EXPECT_EQ(scrubbed, "<redacted>, <redacted> and <redacted>; <invalid url>");
}

TEST(ScrubUrls, AUrlWithoutSecretsLeavesTheTextAsItWas) {
    const std::string text = "http://127.0.0.1:8545: connect: Connection refused";
    EXPECT_EQ(scrub_url(text, "http://127.0.0.1:8545"), text);
    EXPECT_EQ(scrub_url(text, "http://127.0.0.1:8545/"), text);
}

TEST(ShownArgument, ACommandLineArgumentThatIsAUrlIsRedacted) {
    EXPECT_EQ(shown_argument("--rpc-url"), "--rpc-url");
    EXPECT_EQ(shown_argument("scna"), "scna");
    EXPECT_EQ(shown_argument("https://user:secret@node.example/v2/SECRETKEY"), "https://node.example/<redacted>");
    EXPECT_EQ(shown_argument("node.example/x://SECRETKEY"), "<invalid url>");
}

}  // namespace url_redaction_test
}  // namespace keeper::net
