#include "keeper/daemon/operator_feed.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include <spdlog/spdlog.h>

#include "keeper/daemon/liquidator_support.hpp"
#include "keeper/daemon/budget_file.hpp"
#include "keeper/daemon/pause_switch.hpp"

namespace keeper::app {
namespace {

constexpr const char* kNative = "ETH";

metrics::ActionOutcome metric_outcome(ActionEvent::Outcome outcome) {
    switch (outcome) {
        case ActionEvent::Outcome::sent:
            return metrics::ActionOutcome::sent;
        case ActionEvent::Outcome::confirmed:
            return metrics::ActionOutcome::confirmed;
        case ActionEvent::Outcome::reverted:
            return metrics::ActionOutcome::reverted;
        case ActionEvent::Outcome::declined:
            return metrics::ActionOutcome::declined;
    }
    return metrics::ActionOutcome::declined;
}

// Morpho's market id, Yield's vault id; empty where the account is the position (Aave).
std::string market_of(const protocols::Prediction& p) { return p.position_id.is_zero() ? "" : p.position_id.hex(); }

}  // namespace

std::vector<ProtocolCounts> count_positions(const std::vector<ProtocolPositions>& positions) {
    std::vector<ProtocolCounts> out;
    for (const auto& p : positions) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const ProtocolCounts& c) { return c.protocol == p.protocol; });
        if (it == out.end()) it = out.insert(out.end(), ProtocolCounts{p.protocol, 0, 0});
        if (!p.snapshot) continue;
        it->tracked += p.snapshot->position_count();
        for (const auto& row : p.snapshot->rows) it->liquidatable += row.liquidatable ? 1 : 0;
    }
    return out;
}

std::vector<alerts::AccountHealth> account_healths(const std::vector<ProtocolPositions>& positions) {
    std::vector<alerts::AccountHealth> out;
    for (const auto& p : positions) {
        if (!p.snapshot) continue;
        for (const auto& row : p.snapshot->rows)
            out.push_back({row.protocol, row.where, row.account, row.health_wad, row.liquidatable});
    }
    return out;
}

std::vector<std::string> fully_read_protocols(const std::vector<ProtocolPositions>& positions,
                                              const std::vector<std::string>& failed_keys) {
    std::set<std::string> full, partial;
    for (const auto& p : positions) {
        const bool whole = p.snapshot && p.snapshot->read_errors.empty() && p.snapshot->position_errors.empty();
        (whole ? full : partial).insert(p.protocol);
    }
    for (const auto& key : failed_keys) partial.insert(key.substr(0, key.find('@')));
    std::vector<std::string> out;
    for (const auto& kind : full)
        if (!partial.contains(kind)) out.push_back(kind);
    return out;
}

double whole_tokens(const U256& value, unsigned decimals) {
    const U256 one = U256::pow10(decimals);
    return (value / one).to_double() + (value % one).to_double() / std::pow(10.0, static_cast<double>(decimals));
}

namespace {
// Today's spending as the last run left it (budget.json): a restart mid-day
// keeps counting against the same budget.
DaySpending saved_spending(const std::filesystem::path& state_dir) {
    auto saved = read_budget(state_dir);
    if (!saved) {
        spdlog::warn("daily budget: {} (counting from zero)", saved.error().message);
        return {};
    }
    return saved->value_or(DaySpending{});
}
}  // namespace

OperatorFeed::OperatorFeed(const config::KeeperConfig& config, std::filesystem::path state_dir, Sinks sinks, Now now)
    : config_(config),
      state_dir_(std::move(state_dir)),
      sinks_(sinks),
      now_(std::move(now)),
      budget_(SpendLimits{config.safety.daily_gas_budget_wei, config.safety.daily_capital_budget},
              saved_spending(state_dir_)),
      breaker_(BreakerLimits{config.safety.breaker_reverts, config.safety.breaker_window}) {
    if (sinks_.metrics) sinks_.metrics->actions_paused(false);
}

void OperatorFeed::attach(Keeper& keeper) {
    keeper_ = &keeper;
    ActionExecutor* executor = keeper.executor();
    if (executor == nullptr) return;
    executor->set_events([this](const ActionEvent& event) { on_action(event); });
    executor->set_gate([this](const PlannedSpend& spend) { return gate(spend); });
}

void OperatorFeed::set_paused(std::optional<std::string> reason) {
    if (reason == paused_) return;
    const std::optional<std::string> before = std::exchange(paused_, std::move(reason));
    if (paused_)
        spdlog::warn(
            "actions PAUSED: {} (no new liquidation is sent; work in flight is still followed; "
            "`margin-keeper resume` lifts it)",
            *paused_);
    else
        spdlog::info("actions resumed (the pause file {} is gone; was: {})", pause_file(state_dir_).string(),
                     before.value_or(""));
    if (sinks_.metrics) sinks_.metrics->actions_paused(paused_.has_value());
    if (sinks_.health) sinks_.health->actions_paused(paused_);
    if (sinks_.alerts)
        sinks_.alerts->actions_paused({"paused", paused_ ? *paused_ : before.value_or("")}, paused_.has_value());
}

void OperatorFeed::before_round() { set_paused(read_pause(state_dir_)); }

std::optional<Hold> OperatorFeed::gate(const PlannedSpend& spend) {
    const auto day = utc_day(now_());
    auto hold = hold_action(paused_, budget_, spend, day);
    if (hold && hold->label == "budget" && !budget_hold_) {
        budget_hold_ = hold->text;
        budget_hold_day_ = day;
        spdlog::warn("daily budget reached: {}; new actions wait for 00:00 UTC", hold->text);
        if (sinks_.alerts) sinks_.alerts->actions_paused({"budget", hold->text}, true);
    }
    return hold;
}

void OperatorFeed::on_action(const ActionEvent& event) {
    if (sinks_.metrics) sinks_.metrics->action(event.protocol, metric_outcome(event.outcome), event.reason);
    const auto& record = event.record;
    const auto& p = record.prediction;
    switch (event.outcome) {
        case ActionEvent::Outcome::declined:
            return;
        case ActionEvent::Outcome::sent:
            budget_.record(event.spend, utc_day(now_()));
            if (budget_.limits().any()) {
                if (auto saved = write_budget(state_dir_, budget_.spent(utc_day(now_()))); !saved)
                    spdlog::error("daily budget: {} (a restart today would count from zero)", saved.error().message);
            }
            if (sinks_.alerts && record.tx_hash)
                sinks_.alerts->liquidation_sent(
                    {event.protocol, market_of(p), p.account, *record.tx_hash, p.debt_in, record.predicted_profit});
            return;
        case ActionEvent::Outcome::confirmed:
            if (record.realised_collateral_gain) add_profit(p.collateral_token, *record.realised_collateral_gain, true);
            if (record.realised_debt_spent) add_profit(p.debt_token, *record.realised_debt_spent, false);
            if (record.realised_debt_gain) add_profit(p.debt_token, *record.realised_debt_gain, true);
            break;
        case ActionEvent::Outcome::reverted: {
            const std::string reason = "reverted in block " + std::to_string(record.block.value_or(0));
            if (sinks_.alerts)
                sinks_.alerts->liquidation_failed({event.protocol, market_of(p), p.account, record.tx_hash, reason});
            const auto now = now_();
            if (breaker_.reverted(now)) {
                const std::string why = "circuit breaker: " + std::to_string(breaker_.limits().max_reverts) +
                                        " reverted transactions within " +
                                        std::to_string(breaker_.limits().window.count()) + " s";
                // The file, so a restart stays paused until an operator resumes.
                if (auto written = write_pause(state_dir_, why); !written)
                    spdlog::error("circuit breaker: {} (paused in memory only)", written.error().message);
                set_paused(why);
            }
            break;
        }
    }
    if (sinks_.metrics && !event.gas_cost_wei.is_zero())
        sinks_.metrics->realised_profit(kNative, -whole_tokens(event.gas_cost_wei, 18));
}

void OperatorFeed::add_profit(const Address& token, const U256& amount, bool gain) {
    if (!sinks_.metrics) return;
    const double whole = whole_tokens(amount, decimals(token));
    sinks_.metrics->realised_profit(token.checksummed(), gain ? whole : -whole);
}

unsigned OperatorFeed::decimals(const Address& token) {
    if (const auto known = decimals_.find(token); known != decimals_.end()) return known->second;
    if (keeper_ == nullptr) return 18;
    // decimals(): 0x313ce567
    auto read = read_erc20(keeper_->client(), Bytes{0x31, 0x3c, 0xe5, 0x67}, token, chain::BlockId::latest());
    if (!read || *read > U256(77)) return 18;  // not cached: asked again next time
    const auto value = static_cast<unsigned>(read->to_double());
    decimals_[token] = value;
    return value;
}

void OperatorFeed::signer_balances() {
    if (keeper_ == nullptr || keeper_->executor() == nullptr) return;
    const Address& signer = keeper_->keeper_address();
    if (auto wei = keeper_->client().get_balance(signer); wei) {
        if (sinks_.metrics) sinks_.metrics->signer_balance(kNative, whole_tokens(*wei, 18));
        if (sinks_.health) sinks_.health->signer_balance(*wei);
        if (sinks_.alerts && config_.alerts.min_signer_balance_wei)
            sinks_.alerts->signer_balance({signer, kNative, *wei, *config_.alerts.min_signer_balance_wei, 18});
    }
    if (!sinks_.metrics) return;
    for (const auto& [token, balance] : keeper_->executor()->balances_read())
        sinks_.metrics->signer_balance(token.checksummed(), whole_tokens(balance, decimals(token)));
}

void OperatorFeed::after_round(const TickReport& report) {
    if (keeper_ == nullptr) return;
    const auto now = now_();
    if (sinks_.metrics) {
        for (const auto& c : count_positions(keeper_->positions()))
            sinks_.metrics->positions(c.protocol, c.tracked, c.liquidatable);
        for (const auto& p : keeper_->positions())
            if (p.snapshot)
                sinks_.metrics->exact_evaluations(p.protocol, p.snapshot->work.exact_evaluations,
                                                  p.snapshot->work.missed_by_screen);
    }
    if (sinks_.alerts) {
        const auto accounts = account_healths(keeper_->positions());
        sinks_.alerts->accounts(accounts, now, fully_read_protocols(keeper_->positions(), report.failed_protocols));
        if (report.reorged_blocks > 0)
            sinks_.alerts->reorg({report.reorged_blocks, report.reorg_fork_block, report.head});
    }
    // A budget hold lasts its UTC day: the next day's first round resolves it.
    if (budget_hold_ && utc_day(now) != budget_hold_day_) {
        spdlog::info("a new UTC day: the daily budget is fresh");
        if (sinks_.alerts) sinks_.alerts->actions_paused({"budget", *budget_hold_}, false);
        budget_hold_.reset();
    }
    signer_balances();
    const auto ages = feed_ages(report.feeds);
    oracle_ages(ages);
    if (sinks_.alerts)
        for (const auto& deviation : report.exchange) sinks_.alerts->exchange_price(deviation);
}

std::vector<FeedAge> feed_ages(std::span<const FeedStatus> feeds) {
    std::vector<FeedAge> out;
    for (const auto& f : feeds) {
        if (!f.updated_at_s) continue;  // no price yet: nothing to age (the halt is logged)
        out.push_back(FeedAge{f.name(), std::chrono::seconds(static_cast<std::int64_t>(f.age_s)),
                              std::chrono::seconds(static_cast<std::int64_t>(f.max_age_s))});
    }
    return out;
}

void OperatorFeed::oracle_ages(std::span<const FeedAge> feeds) {
    for (const auto& f : feeds) {
        if (sinks_.metrics) sinks_.metrics->oracle_age(f.feed, f.age);
        const auto max_age = config_.alerts.oracle_max_age ? config_.alerts.oracle_max_age : f.max_age;
        if (sinks_.alerts && max_age)
            sinks_.alerts->oracle_age({f.feed, static_cast<std::uint64_t>(std::max<std::int64_t>(0, f.age.count())),
                                       static_cast<std::uint64_t>(max_age->count())});
    }
}

}  // namespace keeper::app
