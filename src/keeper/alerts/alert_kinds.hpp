#pragma once
// The operator alerts that are not about one account's health: what the
// keeper did (liquidation sent or failed) and what keeps it from working
// (signer balance, stale oracle, RPC down, a deep reorg). Each is a typed
// event turned into an Alert by a pure function: text for chat channels,
// details for the generic JSON and PagerDuty, a dedup key stable from
// trigger to resolve.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"
#include "keeper/alerts/alert.hpp"

namespace keeper::alerts {

struct LiquidationSent {
    std::string protocol;       // "morpho-blue", "aave-v3"
    std::string market;         // id hex, or "" for account-level protocols
    Address borrower;
    Bytes32 tx_hash;
    U256 repaid;                // debt-token units
    U256 expected_profit;       // loan-token units (morpho) or base-currency units (aave)
};

struct LiquidationFailed {
    std::string protocol;
    std::string market;
    Address borrower;
    std::optional<Bytes32> tx_hash;  // absent when it failed before broadcast
    std::string reason;              // "reverted", "simulation: ...": never a URL or key
};

struct SignerBalance {
    Address signer;
    std::string token;          // "ETH", or a token's symbol or address
    U256 balance;               // token units
    U256 minimum;               // token units: below this, alert
    unsigned decimals = 18;
};

struct OracleAge {
    std::string feed;           // a name or address the operator recognises
    std::uint64_t age_s = 0;
    std::uint64_t max_age_s = 0;  // older than this is stale
};

// An asset's exchange mid against its on-chain feed price ([exchange]).
struct ExchangeDeviation {
    std::string asset;                          // checksummed
    std::string symbol;                         // "ETHUSDT"
    std::string exchange;                       // "binance"
    std::string onchain_price, exchange_price;  // decimal text
    std::uint64_t bps = 0;                      // |on-chain - exchange| / exchange (saturated)
    std::uint32_t max_bps = 0;
};

struct RpcStatus {
    std::string url;            // the endpoint: shown only as net::redact_url(url)
    bool up = true;
    std::string error;          // the last failure; scrubbed of `url`'s secrets before use
};

struct Reorg {
    std::uint64_t depth = 0;           // blocks replaced
    std::uint64_t fork_block = 0;      // the last block both branches share
    std::uint64_t new_head = 0;
};

// New actions held back, and why. `cause` names the switch: "paused" (the
// operator's kill switch or the circuit breaker, which sets it), "budget".
struct ActionsPaused {
    std::string cause;
    std::string reason;  // in words: "paused by operator", "circuit breaker: 3 reverted ..."
};

// value / 10^decimals with `places` decimals, rounded down: (1234500000000000000, 18, 4) -> "1.2345".
std::string format_units(const U256& value, unsigned decimals, unsigned places);

Alert liquidation_sent_alert(const LiquidationSent& sent);
Alert liquidation_failed_alert(const LiquidationFailed& failed);
// Trigger while below minimum (event trigger), resolve once funded again.
Alert signer_balance_alert(const SignerBalance& balance, AlertEvent event);
Alert oracle_stale_alert(const OracleAge& age, AlertEvent event);
Alert exchange_deviation_alert(const ExchangeDeviation& deviation, AlertEvent event);
Alert rpc_down_alert(const RpcStatus& status, AlertEvent event);
// Trigger when actions stop, resolve when they may go again.
Alert actions_paused_alert(const ActionsPaused& paused, AlertEvent event);
// Only when depth > max_depth.
std::optional<Alert> reorg_alert(const Reorg& reorg, std::uint64_t max_depth);

// Edge detection for conditions: the first bad observation of a key
// triggers, the first good one after it resolves; repeats say nothing.
class ConditionLatch {
public:
    std::optional<AlertEvent> observe(const std::string& key, bool bad);
    bool active(const std::string& key) const { return active_.count(key) > 0; }

private:
    std::map<std::string, bool> active_;
};

}  // namespace keeper::alerts
