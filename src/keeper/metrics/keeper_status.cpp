#include "keeper/metrics/keeper_status.hpp"

namespace keeper::metrics {
namespace {

using nlohmann::json;

template <class T>
json optional_json(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

json protocol_json(const ProtocolStatus& p) {
    return {{"protocol", p.protocol},
            {"key", p.key},
            {"ok", p.ok},
            {"block", p.block},
            {"positions", p.positions},
            {"liquidatable", p.liquidatable},
            {"read_errors", p.read_errors}};
}

json account_json(const AccountStatus& a) {
    return {{"protocol", a.protocol},
            {"key", a.key},
            {"where", a.where},
            {"account", a.account},
            {"health", a.health},
            {"health_wad", a.health_wad},
            {"liquidatable", a.liquidatable},
            {"distance_to_liquidation", a.distance_to_liquidation}};
}

json in_flight_json(const InFlightStatus& t) {
    return {{"journal_id", t.journal_id},
            {"work_key", t.work_key},
            {"protocol", t.protocol},
            {"kind", t.kind},
            {"account", t.account},
            {"nonce", t.nonce},
            {"tx_hash", t.tx_hash},
            {"attempts", t.attempts},
            {"sent_at_block", t.sent_at_block}};
}

json action_json(const ActionStatus& a) {
    return {{"protocol", a.protocol},
            {"kind", a.kind},
            {"work_key", a.work_key},
            {"account", a.account},
            {"status", a.status},
            {"tx_hash", optional_json(a.tx_hash)},
            {"block", optional_json(a.block)},
            {"simulation", a.simulation},
            {"predicted_profit", a.predicted_profit},
            {"profit_unit", a.profit_unit}};
}

json oracle_json(const OracleFeedStatus& o) {
    return {{"feed", o.feed}, {"updated_at", o.updated_at}, {"age_seconds", o.age_seconds}};
}

template <class T, class F>
json array_of(const std::vector<T>& items, F&& one) {
    json out = json::array();
    for (const auto& item : items) out.push_back(one(item));
    return out;
}

}  // namespace

json to_json(const KeeperStatus& s) {
    return {{"generated_at", s.generated_at},
            {"chain_id", s.chain_id},
            {"mode", s.mode},
            {"head",
             {{"block", s.head_block},
              {"timestamp", s.head_timestamp},
              {"lag_seconds", s.head_lag_seconds},
              {"lag_blocks", s.head_lag_blocks}}},
            {"protocols", array_of(s.protocols, protocol_json)},
            {"accounts_total", s.accounts_total},
            {"accounts", array_of(s.accounts, account_json)},
            {"in_flight", array_of(s.in_flight, in_flight_json)},
            {"recent_actions", array_of(s.recent_actions, action_json)},
            {"oracles", array_of(s.oracles, oracle_json)},
            {"paused", {{"actions", s.paused.actions}, {"reason", s.paused.reason}, {"assets", s.paused.assets}}}};
}

void StatusBoard::publish(std::shared_ptr<const KeeperStatus> status) {
    std::lock_guard lock(mutex_);
    latest_ = std::move(status);
}

std::shared_ptr<const KeeperStatus> StatusBoard::latest() const {
    std::lock_guard lock(mutex_);
    return latest_;
}

}  // namespace keeper::metrics
