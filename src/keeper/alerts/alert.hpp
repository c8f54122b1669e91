#pragma once
// One operator alert: an account that is liquidatable or close to it, with a
// line of text a human reads in a chat channel.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/address.hpp"
#include "core/u256.hpp"

namespace keeper::alerts {

// Account alerts (AlertPolicy): liquidatable or close to it.
enum class Severity { warning, liquidatable };

// Every kind of operator alert, as the "kind" field and the PagerDuty class
// name it. underwater and near_liquidation come from AlertPolicy (accounts);
// the others from the typed constructors in alert_kinds.hpp.
enum class AlertKind {
    underwater,        // an account the contract would liquidate now ("liquidatable" severity)
    near_liquidation,  // below [alerts] warning_health ("warning" severity)
    liquidation_sent,
    liquidation_failed,
    signer_balance_low,
    oracle_stale,
    rpc_down,
    reorg_deep,
    actions_paused,      // new actions held back: the kill switch, the circuit breaker or the daily budget
    exchange_deviation,  // an exchange's price far from the asset's on-chain feed ([exchange]; alert only)
};
std::string_view kind_name(AlertKind kind);  // "underwater", "near_liquidation", ...

// A condition starts (trigger) or ends (resolve). Only PagerDuty acts on
// resolve (it closes the incident with the same dedup key); chat channels
// show the resolve text.
enum class AlertEvent { trigger, resolve };
std::string_view event_name(AlertEvent event);  // "trigger", "resolve"

// How loud, in PagerDuty's words: "critical", "error", "warning", "info".
enum class Urgency { critical, error, warning, info };
std::string_view urgency_name(Urgency urgency);

std::string_view severity_name(Severity severity);  // "warning", "liquidatable"

struct AccountHealth {
    std::string protocol;      // "morpho-blue"
    std::string market;        // market id hex (may be empty for account-level protocols)
    Address account;
    U256 health_wad;           // 1e18 = the liquidation threshold; U256::max() = no debt
    bool liquidatable = false; // the contract's own rule (may differ from health < 1 by rounding: trust this flag)
};

struct Alert {
    Severity severity;
    AccountHealth account;
    // One line for humans:
    // "LIQUIDATABLE morpho-blue market 0x12..ab account 0xAb..: health 0.9731".
    std::string text;
    // 0 for an alert about `account` alone. N > 0 for the summary of N alerts
    // the rate limit held back; `account` and `severity` are then the worst of them.
    std::uint64_t folded_accounts = 0;

    // Set by the constructors of alert_kinds.hpp; unset for account alerts,
    // whose kind follows `severity` (kind_of()).
    std::optional<AlertKind> kind = {};
    AlertEvent event = AlertEvent::trigger;
    // The condition's identity, stable from trigger to resolve: PagerDuty's
    // dedup_key. Empty for account alerts: dedup_key_of() derives it.
    std::string dedup_key = {};
    // Extra fields of the generic body and PagerDuty's custom_details, in order.
    std::vector<std::pair<std::string, std::string>> details = {};
};

AlertKind kind_of(const Alert& alert);
// "margin-keeper/<kind>/<subject>": for an account alert the subject is
// "<protocol>/<market>/<account>", so a warning and the later liquidatable
// alert of one account are two incidents, and each reminder is the same one.
std::string dedup_key_of(const Alert& alert);
Urgency urgency_of(const Alert& alert);

// health_wad as a decimal rounded down to `decimals` (0..18) places:
// 973100000000000000 -> "0.9731", 1e18 -> "1.0000", U256::max() -> "inf".
std::string format_health(const U256& health_wad, int decimals = 4);

// The one-line text of an alert about one account. `warning_health_wad` is
// quoted in warnings so the reader knows the line that was crossed.
std::string alert_text(Severity severity, const AccountHealth& account, const U256& warning_health_wad);

}  // namespace keeper::alerts
