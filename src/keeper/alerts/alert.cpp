#include "keeper/alerts/alert.hpp"

#include <algorithm>

namespace keeper::alerts {

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::warning:
            return "warning";
        case Severity::liquidatable:
            return "liquidatable";
    }
    return "unknown";
}

std::string_view kind_name(AlertKind kind) {
    switch (kind) {
        case AlertKind::underwater: return "underwater";
        case AlertKind::near_liquidation: return "near_liquidation";
        case AlertKind::liquidation_sent: return "liquidation_sent";
        case AlertKind::liquidation_failed: return "liquidation_failed";
        case AlertKind::signer_balance_low: return "signer_balance_low";
        case AlertKind::oracle_stale: return "oracle_stale";
        case AlertKind::rpc_down: return "rpc_down";
        case AlertKind::reorg_deep: return "reorg_deep";
        case AlertKind::actions_paused:
            return "actions_paused";
        case AlertKind::exchange_deviation:
            return "exchange_deviation";
    }
    return "unknown";
}

std::string_view event_name(AlertEvent event) { return event == AlertEvent::resolve ? "resolve" : "trigger"; }

std::string_view urgency_name(Urgency urgency) {
    switch (urgency) {
        case Urgency::critical: return "critical";
        case Urgency::error: return "error";
        case Urgency::warning: return "warning";
        case Urgency::info: return "info";
    }
    return "info";
}

AlertKind kind_of(const Alert& alert) {
    if (alert.kind) return *alert.kind;
    return alert.severity == Severity::liquidatable ? AlertKind::underwater : AlertKind::near_liquidation;
}

std::string dedup_key_of(const Alert& alert) {
    if (!alert.dedup_key.empty()) return alert.dedup_key;
    std::string key = "margin-keeper/" + std::string(kind_name(kind_of(alert))) + "/" + alert.account.protocol + "/";
    if (!alert.account.market.empty()) key += alert.account.market + "/";
    return key + alert.account.account.checksummed();
}

// The keeper cannot act without funds or a node: those page at once. An
// underwater account is work the keeper is doing; it pages only as an error.
Urgency urgency_of(const Alert& alert) {
    switch (kind_of(alert)) {
        case AlertKind::signer_balance_low:
        case AlertKind::rpc_down: return Urgency::critical;
        case AlertKind::underwater:
        case AlertKind::liquidation_failed:
        case AlertKind::oracle_stale:
        case AlertKind::actions_paused:
            return Urgency::error;
        case AlertKind::near_liquidation:
        case AlertKind::exchange_deviation:
        case AlertKind::reorg_deep: return Urgency::warning;
        case AlertKind::liquidation_sent: return Urgency::info;
    }
    return Urgency::info;
}

std::string format_health(const U256& health_wad, int decimals) {
    if (health_wad == U256::max()) return "inf";
    constexpr unsigned wad_digits = 18;
    const auto places = static_cast<unsigned>(std::clamp(decimals, 0, static_cast<int>(wad_digits)));
    const U256 one = U256::pow10(wad_digits);
    std::string out = (health_wad / one).to_dec();
    if (places == 0) return out;
    // Dropping the low digits of the fraction is rounding down: an account at
    // 0.99999 must never read as "1.0000".
    std::string fraction = ((health_wad % one) / U256::pow10(wad_digits - places)).to_dec();
    out += '.';
    out.append(places - fraction.size(), '0');
    out += fraction;
    return out;
}

std::string alert_text(Severity severity, const AccountHealth& account, const U256& warning_health_wad) {
    std::string text = severity == Severity::liquidatable ? "LIQUIDATABLE " : "WARNING ";
    text += account.protocol;
    if (!account.market.empty()) text += " market " + account.market;
    text += " account " + account.account.checksummed() + ": health " + format_health(account.health_wad);
    if (severity == Severity::warning) text += " (warning below " + format_health(warning_health_wad) + ")";
    return text;
}

}  // namespace keeper::alerts
