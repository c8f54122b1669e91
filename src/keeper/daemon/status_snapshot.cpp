#include "keeper/daemon/status_snapshot.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "keeper/daemon/operations.hpp"
#include "protocols/health_text.hpp"

namespace keeper::app {
namespace {

const U256 kWad = U256::pow10(18);

metrics::AccountStatus account_status(const ProtocolPositions& protocol, const protocols::PositionRow& row) {
    metrics::AccountStatus out;
    out.protocol = row.protocol;
    out.key = protocol.key;
    out.where = row.where;
    out.account = row.account.checksummed();
    out.health = protocols::wad_to_decimal(row.health_wad);
    out.health_wad = row.health_wad.to_dec();
    out.liquidatable = row.liquidatable;
    out.distance_to_liquidation = protocols::wad_to_decimal(distance_to_liquidation_wad(row.health_wad));
    return out;
}

std::string action_state(const protocols::ActionRecord& record) {
    if (record.dry_run) return "simulated";
    if (!record.success) return "sent";
    return *record.success ? "mined" : "reverted";
}

metrics::ActionStatus action_status(const protocols::ActionRecord& record) {
    metrics::ActionStatus out;
    out.protocol = record.protocol;
    out.kind = std::string(protocols::to_string(record.kind));
    out.work_key = record.work_key;
    out.account = record.prediction.account.checksummed();
    out.status = action_state(record);
    if (record.tx_hash) out.tx_hash = record.tx_hash->hex();
    out.block = record.block;
    out.simulation = record.simulation;
    out.predicted_profit = record.predicted_profit.to_dec();
    out.profit_unit = record.profit_unit;
    return out;
}

metrics::InFlightStatus in_flight_status(const SentWork& work) {
    metrics::InFlightStatus out;
    out.journal_id = work.journal_id;
    out.work_key = work.work_key;
    if (work.action) {
        out.protocol = work.action->protocol;
        out.kind = work.action->kind;
        out.account = work.action->account.checksummed();
    } else {
        // Approvals (and entries journaled before actions were typed) carry
        // no action: their work key names them ("approve:<token>:<spender>").
        out.kind = work.work_key.substr(0, work.work_key.find(':'));
    }
    out.nonce = work.tx.nonce.value;
    out.attempts = work.tx.attempts.size();
    if (!work.tx.attempts.empty()) {
        out.tx_hash = work.tx.attempts.back().hash.hex();
        out.sent_at_block = work.tx.attempts.back().sent_at_block;
    }
    return out;
}

}  // namespace

U256 distance_to_liquidation_wad(const U256& health_wad) {
    if (health_wad <= kWad) return U256();
    // (h - 1) / h, exact to the wei: mul_div keeps the 512-bit product.
    return mul_div_down(health_wad - kWad, kWad, health_wad).value_or(U256());
}

metrics::KeeperStatus build_status(const StatusInputs& in) {
    metrics::KeeperStatus out;
    out.generated_at = in.now_unix;
    out.chain_id = in.chain_id;
    out.mode = in.mode;
    out.head_block = in.head_block;
    out.head_timestamp = in.head_timestamp;
    out.head_lag_seconds = in.now_unix > in.head_timestamp ? in.now_unix - in.head_timestamp : 0;
    out.head_lag_blocks = in.newest_head_seen > in.head_block ? in.newest_head_seen - in.head_block : 0;

    struct Ranked {
        const ProtocolPositions* protocol;
        const protocols::PositionRow* row;
    };
    std::vector<Ranked> ranked;
    std::size_t accounts_total = 0;  // rows left out of a snapshot count too
    for (const auto& protocol : in.positions) {
        metrics::ProtocolStatus p;
        p.protocol = protocol.protocol;
        p.key = protocol.key;
        if (protocol.snapshot) {
            p.block = protocol.snapshot->block;
            p.positions = protocol.snapshot->position_count();
            accounts_total += p.positions;
            p.liquidatable = static_cast<std::size_t>(std::ranges::count_if(
                protocol.snapshot->rows, [](const protocols::PositionRow& r) { return r.liquidatable; }));
            p.read_errors = protocol.snapshot->read_errors.size();
            for (const auto& row : protocol.snapshot->rows) ranked.push_back({&protocol, &row});
        }
        out.protocols.push_back(std::move(p));
    }
    for (const auto& key : in.failed_protocols) {
        metrics::ProtocolStatus p;
        p.protocol = key.substr(0, key.find('@'));
        p.key = key;
        p.ok = false;
        out.protocols.push_back(std::move(p));
    }

    out.accounts_total = accounts_total;
    std::ranges::stable_sort(ranked,
                             [](const Ranked& a, const Ranked& b) { return a.row->health_wad < b.row->health_wad; });
    if (ranked.size() > in.max_accounts) ranked.resize(in.max_accounts);
    for (const auto& r : ranked) out.accounts.push_back(account_status(*r.protocol, *r.row));

    for (const auto& work : in.in_flight) out.in_flight.push_back(in_flight_status(work));
    for (auto it = in.records.rbegin(); it != in.records.rend() && out.recent_actions.size() < in.max_recent_actions;
         ++it)
        out.recent_actions.push_back(action_status(*it));
    out.oracles = in.oracles;
    out.paused = in.paused;
    return out;
}

std::vector<metrics::OracleFeedStatus> oracle_statuses(std::span<const FeedStatus> feeds) {
    std::vector<metrics::OracleFeedStatus> out;
    for (const auto& f : feeds)
        if (f.updated_at_s) out.push_back({f.name(), *f.updated_at_s, f.age_s});
    return out;
}

std::vector<std::string> halted_assets(std::span<const FeedStatus> feeds) {
    std::vector<std::string> out;
    for (const auto& f : feeds)
        if (f.halted) out.push_back(f.asset.checksummed());
    return out;
}

void publish_round_status(DaemonOperations& operations, const Keeper& keeper, const TickReport& report,
                          std::string mode, metrics::PausedStatus paused) {
    metrics::StatusBoard* board = operations.status_board();
    if (board == nullptr) return;
    const auto records = keeper.records();
    const auto in_flight = keeper.in_flight_work();
    StatusInputs in;
    in.now_unix = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    in.chain_id = keeper.chain_id();
    in.mode = std::move(mode);
    in.head_block = report.head;
    in.head_timestamp = report.head_timestamp;
    in.newest_head_seen = operations.newest_head_seen();
    in.positions = keeper.positions();
    in.failed_protocols = report.failed_protocols;
    in.records = records;
    in.in_flight = in_flight;
    in.paused = std::move(paused);
    in.oracles = oracle_statuses(report.feeds);
    in.paused.assets = halted_assets(report.feeds);
    board->publish(std::make_shared<const metrics::KeeperStatus>(build_status(in)));
}

}  // namespace keeper::app
