#include "keeper/alerts/alert_kinds.hpp"

#include <algorithm>

#include "net/url_redaction.hpp"

namespace keeper::alerts {
namespace {

std::string where(const std::string& protocol, const std::string& market, const Address& borrower) {
    std::string text = protocol;
    if (!market.empty()) text += " market " + market;
    return text + " account " + borrower.checksummed();
}

std::string subject(const std::string& protocol, const std::string& market, const Address& borrower) {
    std::string key = protocol + "/";
    if (!market.empty()) key += market + "/";
    return key + borrower.checksummed();
}

Alert make(AlertKind kind, AlertEvent event, std::string text, std::string subject_key,
           std::vector<std::pair<std::string, std::string>> details) {
    Alert alert{Severity::warning, AccountHealth{}, std::move(text)};
    alert.kind = kind;
    alert.event = event;
    alert.dedup_key = "margin-keeper/" + std::string(kind_name(kind)) + "/" + subject_key;
    alert.details = std::move(details);
    return alert;
}

}  // namespace

std::string format_units(const U256& value, unsigned decimals, unsigned places) {
    const U256 one = U256::pow10(decimals);
    std::string out = (value / one).to_dec();
    places = std::min(places, decimals);
    if (places == 0) return out;
    std::string fraction = ((value % one) / U256::pow10(decimals - places)).to_dec();
    out += '.';
    out.append(places - fraction.size(), '0');
    return out + fraction;
}

Alert liquidation_sent_alert(const LiquidationSent& sent) {
    return make(AlertKind::liquidation_sent, AlertEvent::trigger,
                "LIQUIDATION SENT " + where(sent.protocol, sent.market, sent.borrower) + ": tx " + sent.tx_hash.hex() +
                    ", repay " + sent.repaid.to_dec() + ", expected profit " + sent.expected_profit.to_dec(),
                sent.tx_hash.hex(),
                {{"protocol", sent.protocol},
                 {"market", sent.market},
                 {"account", sent.borrower.checksummed()},
                 {"tx_hash", sent.tx_hash.hex()},
                 {"repaid", sent.repaid.to_dec()},
                 {"expected_profit", sent.expected_profit.to_dec()}});
}

Alert liquidation_failed_alert(const LiquidationFailed& failed) {
    std::string text = "LIQUIDATION FAILED " + where(failed.protocol, failed.market, failed.borrower) + ": ";
    if (failed.tx_hash) text += "tx " + failed.tx_hash->hex() + ", ";
    text += failed.reason;
    return make(AlertKind::liquidation_failed, AlertEvent::trigger, std::move(text),
                subject(failed.protocol, failed.market, failed.borrower),
                {{"protocol", failed.protocol},
                 {"market", failed.market},
                 {"account", failed.borrower.checksummed()},
                 {"tx_hash", failed.tx_hash ? failed.tx_hash->hex() : ""},
                 {"reason", failed.reason}});
}

Alert signer_balance_alert(const SignerBalance& b, AlertEvent event) {
    const std::string balance = format_units(b.balance, b.decimals, 4) + " " + b.token;
    const std::string minimum = format_units(b.minimum, b.decimals, 4) + " " + b.token;
    std::string text = event == AlertEvent::trigger
                           ? "SIGNER BALANCE LOW " + b.signer.checksummed() + ": " + balance + " (minimum " + minimum + ")"
                           : "RESOLVED signer balance " + b.signer.checksummed() + ": " + balance + " (minimum " +
                                 minimum + ")";
    return make(AlertKind::signer_balance_low, event, std::move(text), b.signer.checksummed() + "/" + b.token,
                {{"signer", b.signer.checksummed()},
                 {"token", b.token},
                 {"balance", b.balance.to_dec()},
                 {"minimum", b.minimum.to_dec()}});
}

Alert oracle_stale_alert(const OracleAge& age, AlertEvent event) {
    std::string text = (event == AlertEvent::trigger ? "ORACLE STALE " : "RESOLVED oracle fresh again ") + age.feed +
                       ": last update " + std::to_string(age.age_s) + " s ago (limit " +
                       std::to_string(age.max_age_s) + " s)";
    return make(AlertKind::oracle_stale, event, std::move(text), age.feed,
                {{"feed", age.feed}, {"age_s", std::to_string(age.age_s)}, {"max_age_s", std::to_string(age.max_age_s)}});
}

Alert exchange_deviation_alert(const ExchangeDeviation& d, AlertEvent event) {
    std::string text = (event == AlertEvent::trigger ? "EXCHANGE PRICE DEVIATES "
                                                     : "RESOLVED exchange price in line ") +
                       d.asset + ": on-chain " + d.onchain_price + " vs " + d.exchange + " " + d.symbol + " " +
                       d.exchange_price + ", " + std::to_string(d.bps) + " bps (limit " + std::to_string(d.max_bps) +
                       " bps; alert only, liquidations are judged on chain)";
    return make(AlertKind::exchange_deviation, event, std::move(text), d.asset,
                {{"asset", d.asset},
                 {"symbol", d.symbol},
                 {"onchain_price", d.onchain_price},
                 {"exchange_price", d.exchange_price},
                 {"bps", std::to_string(d.bps)},
                 {"max_bps", std::to_string(d.max_bps)}});
}

Alert rpc_down_alert(const RpcStatus& status, AlertEvent event) {
    const std::string endpoint = net::redact_url(status.url);
    const std::string error = net::scrub_url(status.error, status.url);
    std::string text = event == AlertEvent::trigger ? "RPC DOWN " + endpoint + ": " + error
                                                    : "RESOLVED rpc answering again " + endpoint;
    return make(AlertKind::rpc_down, event, std::move(text), endpoint, {{"endpoint", endpoint}, {"error", error}});
}

Alert actions_paused_alert(const ActionsPaused& paused, AlertEvent event) {
    std::string text = (event == AlertEvent::trigger ? "ACTIONS PAUSED (" : "RESOLVED actions resumed (") +
                       paused.cause + "): " + paused.reason;
    return make(AlertKind::actions_paused, event, std::move(text), paused.cause,
                {{"cause", paused.cause}, {"reason", paused.reason}});
}

std::optional<Alert> reorg_alert(const Reorg& reorg, std::uint64_t max_depth) {
    if (reorg.depth <= max_depth) return std::nullopt;
    return make(AlertKind::reorg_deep, AlertEvent::trigger,
                "REORG of " + std::to_string(reorg.depth) + " blocks (more than " + std::to_string(max_depth) +
                    ") from block " + std::to_string(reorg.fork_block) + ", new head " +
                    std::to_string(reorg.new_head),
                std::to_string(reorg.fork_block) + "/" + std::to_string(reorg.new_head),
                {{"depth", std::to_string(reorg.depth)},
                 {"fork_block", std::to_string(reorg.fork_block)},
                 {"new_head", std::to_string(reorg.new_head)}});
}

std::optional<AlertEvent> ConditionLatch::observe(const std::string& key, bool bad) {
    const bool was = active_.count(key) > 0;
    if (bad == was) return std::nullopt;
    if (bad) {
        active_[key] = true;
        return AlertEvent::trigger;
    }
    active_.erase(key);
    return AlertEvent::resolve;
}

}  // namespace keeper::alerts
