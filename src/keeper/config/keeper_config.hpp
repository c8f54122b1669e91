#pragma once
// keeper.toml as typed settings. Parsing is strict: an unknown key anywhere is
// an error naming its full dotted path, and a wrong value names the key and
// what was expected, so a typo cannot silently fall back to a default. Every
// problem in a file is reported at once, one per line.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "keeper/logging/log_levels.hpp"
#include "protocols/protocol_config.hpp"

namespace keeper::config {

struct ChainSettings {
    std::vector<std::string> rpc;               // non-empty; each http:// or https://; failover in order
    std::optional<std::string> ws;              // ws:// or wss://
    std::chrono::milliseconds poll_interval{250};  // key poll_interval_ms
    std::optional<std::uint64_t> chain_id;      // checked against eth_chainId by the daemon
};

struct SignerSettings {
    std::optional<std::string> private_key_env;  // name of an env variable holding 0x-hex key
    std::optional<std::filesystem::path> keystore;
    std::optional<std::filesystem::path> password_file;  // required with keystore
    bool configured() const { return private_key_env.has_value() || keystore.has_value(); }
};

// A [[protocols]] table, parsed by its protocol (protocols/<name>/, found
// by `kind` in protocols/registry): protocols::morpho_blue::MorphoBlueConfig,
// protocols::aave_v3::AaveV3Config, ...
using ProtocolSettings = std::shared_ptr<const protocols::ProtocolConfig>;

struct StrategySettings {
    U256 min_profit;                             // key min_profit: loan-token units, default 0
    std::optional<U256> max_gas_price_wei;       // key max_gas_price_gwei (may be fractional) -> wei
    std::optional<U256> max_loan_spend;          // loan-token units per liquidation
    unsigned gas_margin_percent = 20;            // added to eth_estimateGas (Morpho accrues interest in the same call)
    // "0x<loan token>" = "<decimal>": loan-token units per wei of the native
    // token, scaled 1e36, to price gas in the loan token.
    std::map<Address, U256> native_price_1e36;
    // Blocks (head included) before a receipt is final; until then a reorg
    // can take it back and the work stays open. 3 is safe on L1 mainnet.
    std::uint64_t confirmations = 3;
    std::uint64_t replace_after_blocks = 3;
    bool configured = false;                     // true when a [strategy] section was present
};

enum class WebhookFormat { generic, slack, discord };

struct AlertSettings {
    std::optional<std::string> webhook_url;        // http(s)://
    WebhookFormat format = WebhookFormat::generic;  // key format = "generic" | "slack" | "discord"
    U256 warning_health_wad = U256(1'050'000'000'000'000'000ULL);  // key warning_health, > 1
    std::chrono::seconds min_interval{300};        // key min_interval_s: per-account re-alert interval
    unsigned max_per_minute = 30;

    // More channels, any number at once (each alert goes to every one):
    std::optional<std::string> slack_webhook_url;    // key slack_webhook_url, http(s)://
    std::optional<std::string> discord_webhook_url;  // key discord_webhook_url, http(s)://
    // Telegram: both keys or neither. The bot token is read from the
    // environment variable named by telegram_bot_token_env, never from the file.
    std::optional<std::string> telegram_bot_token_env;
    std::optional<std::string> telegram_chat_id;     // "-1001234567890" or "@channel" (a TOML integer is accepted)
    std::string telegram_api_url = "https://api.telegram.org";  // key telegram_api_url
    // PagerDuty Events v2: the integration's routing key from the variable
    // named by pagerduty_routing_key_env.
    std::optional<std::string> pagerduty_routing_key_env;
    std::string pagerduty_url = "https://events.pagerduty.com/v2/enqueue";  // key pagerduty_url

    // Thresholds of the alert kinds the round loop raises:
    std::uint64_t reorg_depth = 2;                    // key reorg_depth: alert on reorgs deeper than this
    // key oracle_max_age_s: older feeds alert (default: each [[feeds]] heartbeat + margin)
    std::optional<std::chrono::seconds> oracle_max_age;
    std::optional<U256> min_signer_balance_wei;       // key min_signer_balance (native token, decimal): default off
    unsigned rpc_failures_before_down = 3;            // key rpc_failures_before_down

    bool any_channel() const {
        return webhook_url || slack_webhook_url || discord_webhook_url || telegram_bot_token_env ||
               pagerduty_routing_key_env;
    }
};

// [log]: the command line's --log-format / --log-level win over these.
struct LogSettings {
    std::optional<log::LogFormat> format;  // key format = "text" | "json"
    std::optional<log::LogLevels> levels;  // key level = "info" | "warn,alerts=debug,..."
};

// [metrics]: absent = no listener. One port serves /metrics, /healthz, /readyz.
struct MetricsSettings {
    std::optional<std::string> listen;             // key listen = "127.0.0.1:9464" ("[::1]:9464"; port 0 = any)
    std::chrono::seconds ready_max_head_age{60};   // key ready_max_head_age_s: /readyz wants a head this fresh
    std::chrono::seconds live_max_round_gap{120};  // key live_max_round_gap_s: /healthz wants a round this recent
};

// [safety]: what stops new actions besides `margin-keeper pause`. Absent = no
// budget and no breaker.
struct SafetySettings {
    std::optional<U256> daily_gas_budget_wei;      // key daily_gas_budget (native token, decimal): gas limit x max fee per UTC day
    std::map<Address, U256> daily_capital_budget;  // [safety.daily_capital_budget] "0x<token>" = token units per UTC day
    unsigned breaker_reverts = 0;                  // key breaker_reverts: pause after this many reverted transactions (0 = off)
    std::chrono::seconds breaker_window{600};      // key breaker_window_s: ... within this many seconds
};

// A [[feeds]] table: the Chainlink feed that prices `asset` for the
// protocols' oracles. Actions on positions holding the asset (as collateral
// or debt) stop while the feed is stale, has no price, or deviates from its
// second source (oracles/feed_sanity.hpp).
// A Pyth price feed: one id within a Pyth contract (pull oracle).
struct PythFeedSettings {
    Address contract;  // key pyth: the Pyth contract (IPyth) that stores the prices
    Bytes32 price_id;  // key pyth_price_id: the price feed id (ETH / USD: 0xff61491a...0ace)
};

struct FeedSettings {
    Address asset;  // key asset: the token the feed prices
    // key aggregator: the aggregator or its EAC proxy; the keeper asks a proxy
    // for aggregator() at start, since only the aggregator emits the logs.
    // Zero for a Pyth feed (exactly one of aggregator and pyth is given).
    Address aggregator;
    std::optional<PythFeedSettings> pyth;            // keys pyth + pyth_price_id instead of aggregator
    std::uint64_t heartbeat_s = 3600;                // key heartbeat_s: the feed updates at least this often
    std::uint64_t staleness_margin_s = 60;           // key staleness_margin_s: slack on top of the heartbeat
    // key second_aggregator: a reference Chainlink feed of the same asset (for a
    // Chainlink or a Pyth primary feed)
    std::optional<Address> second_aggregator;
    std::optional<std::uint32_t> max_deviation_bps;  // key max_deviation_bps: required with second_aggregator
    // key pending_transmissions (default false; needs [chain] ws): watch the
    // node's pending transactions for OCR2 transmit calls to this feed's
    // aggregator and liquidate at the report's median in the same block.
    // Chainlink feeds only.
    bool pending_transmissions = false;
    // key exchange_symbol (needs [exchange]): the asset's ticker on the
    // exchange ("ETHUSDT", upper-cased here), whose mid price is compared with
    // this feed's for alerts only, never to judge a liquidation.
    std::optional<std::string> exchange_symbol;
};

// [exchange]: one exchange's public websocket ticker, for alerts only.
struct ExchangeSettings {
    std::string kind = "binance";         // key kind: "binance" (<symbol>@bookTicker), the only one so far
    std::string url;                      // key url: ws(s):// raw-stream endpoint ("wss://stream.binance.com:9443/ws")
    std::uint32_t max_deviation_bps = 0;  // key max_deviation_bps: warn beyond this from the on-chain feed
    std::uint64_t max_age_s = 60;  // key max_age_s: exchange prices older than this (machine clock) are not compared
};

// [engine]: how the daemon judges positions between events (README "How a
// round works"). `scan` ignores it: it always judges every position exactly.
struct EngineSettings {
    // key audit_every_blocks: every position judged exactly at least this
    // often (in blocks); between audits only the positions the float screen
    // flags or an event names. 0 = every head (the keeper before issue #18).
    std::uint64_t audit_every_blocks = 100;
};

struct KeeperConfig {
    std::string source;  // file name used in messages
    std::optional<std::filesystem::path> state_dir;
    ChainSettings chain;
    SignerSettings signer;
    std::vector<ProtocolSettings> protocols;  // at least one
    StrategySettings strategy;
    AlertSettings alerts;
    LogSettings log;
    MetricsSettings metrics;
    SafetySettings safety;
    std::vector<FeedSettings> feeds;  // [[feeds]]: optional, one per asset
    EngineSettings engine;
    std::optional<ExchangeSettings> exchange;  // [exchange]: optional
};

// Errors read "<source>[:<line>]: <dotted key>: <what was expected>, got <value>";
// syntax errors carry toml++'s description with line and column.
Result<KeeperConfig> parse_config(std::string_view toml_text, std::string_view source_name);
// Reads the file (an unreadable file is an error naming the path) and parses it
// with the file name as the source in messages.
Result<KeeperConfig> load_config(const std::filesystem::path& file);

struct CliOverrides {
    std::vector<std::string> rpc;  // replaces chain.rpc when non-empty
    std::optional<std::string> private_key_env;
    std::optional<std::filesystem::path> keystore, password_file;
    std::optional<std::filesystem::path> state_dir;
};

// A signer given on the command line replaces the file's choice (a
// --private-key-env drops the file's keystore and the other way round); the
// result is validated again, so --keystore without any password file fails.
Result<void> apply_overrides(KeeperConfig& config, const CliOverrides& overrides);

using Getenv = std::function<std::optional<std::string>(const std::string&)>;

// state_dir, else $STATE_DIRECTORY (systemd's StateDirectory=, first entry if
// ':'-separated), else "./margin-keeper-state".
std::filesystem::path effective_state_dir(const KeeperConfig& config, const Getenv& getenv);

// The process environment, for the functions above outside tests.
std::optional<std::string> process_getenv(const std::string& name);

std::string_view to_string(WebhookFormat format);

}  // namespace keeper::config
