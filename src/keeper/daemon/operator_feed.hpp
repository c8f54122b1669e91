#pragma once
// What the daemon's rounds did, told to operators: KeeperMetrics (positions,
// actions, signer balance, realised profit, pause), /readyz (signer balance,
// pause), OperatorAlerts (accounts at risk, liquidations sent and failed,
// signer balance low, deep reorgs, actions paused) and the action guard the
// executor asks before each new action (the pause file, the daily budget,
// the circuit breaker). The engine and the adapters count nothing: this
// reads the round's TickReport, the Keeper's positions and the executor's
// ActionEvents, and does the counting here.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keeper/alerts/operator_alerts.hpp"
#include "keeper/config/keeper_config.hpp"
#include "keeper/daemon/action_guard.hpp"
#include "keeper/daemon/keeper.hpp"
#include "keeper/metrics/health.hpp"
#include "keeper/metrics/keeper_metrics.hpp"

namespace keeper::app {

// Positions with debt and liquidatable ones, per protocol kind (summed over
// its deployments), in the order first seen.
struct ProtocolCounts {
    std::string protocol;
    std::size_t tracked = 0;
    std::size_t liquidatable = 0;
};
std::vector<ProtocolCounts> count_positions(const std::vector<ProtocolPositions>& positions);

// Every position as the alert policy sees it.
std::vector<alerts::AccountHealth> account_healths(const std::vector<ProtocolPositions>& positions);
// Protocol kinds read in full this round (every deployment of the kind
// followed and read, no market or position left out): an account of theirs
// that is absent has no debt left, and its alert incident resolves.
std::vector<std::string> fully_read_protocols(const std::vector<ProtocolPositions>& positions,
                                              const std::vector<std::string>& failed_keys);

// value / 10^decimals as a double: what "whole tokens" metrics show.
double whole_tokens(const U256& value, unsigned decimals);

// One price feed's age, for keeper_oracle_age_seconds and oracle_stale alerts.
struct FeedAge {
    std::string feed;
    std::chrono::seconds age{0};
    // The feed's own limit (heartbeat + staleness margin): the alert's
    // threshold when [alerts] oracle_max_age_s is not set.
    std::optional<std::chrono::seconds> max_age;
};

// The round's [[feeds]] with a price, as the age metric and alert see them:
// named "<asset> feed <aggregator as configured>".
std::vector<FeedAge> feed_ages(std::span<const FeedStatus> feeds);

class OperatorFeed {
public:
    using Now = std::function<SystemClock::time_point()>;
    struct Sinks {
        metrics::KeeperMetrics* metrics = nullptr;  // null without [metrics]
        metrics::HealthState* health = nullptr;
        alerts::OperatorAlerts* alerts = nullptr;
    };

    OperatorFeed(const config::KeeperConfig& config, std::filesystem::path state_dir, Sinks sinks, Now now);

    // Hooks the keeper's executor (ActionEvents in, the guard out); the
    // keeper must outlive the feed's use.
    void attach(Keeper& keeper);
    // Before each round: the pause file, read every time (a `pause` stops
    // the very next round's actions); logged, metric, /readyz and alert on change.
    void before_round();
    // After a good round: positions, accounts at risk, reorgs, signer balances.
    void after_round(const TickReport& report);
    // The price feeds' ages (after_round passes the round's [[feeds]]): the
    // age metric and oracle_stale trigger/resolve, beyond [alerts]
    // oracle_max_age_s or, without it, beyond each feed's heartbeat + margin.
    void oracle_ages(std::span<const FeedAge> feeds);

    std::optional<std::string> paused() const { return paused_; }

    // What attach() wires to the executor; public for tests.
    void on_action(const ActionEvent& event);
    std::optional<Hold> gate(const PlannedSpend& spend);

private:
    void set_paused(std::optional<std::string> reason);
    void signer_balances();
    // Decimals of `token` (read once; 18 when the token does not say).
    unsigned decimals(const Address& token);
    void add_profit(const Address& token, const U256& amount, bool gain);

    config::KeeperConfig config_;
    std::filesystem::path state_dir_;
    Sinks sinks_;
    Now now_;
    Keeper* keeper_ = nullptr;
    DailyBudget budget_;
    CircuitBreaker breaker_;
    std::optional<std::string> paused_;
    std::optional<std::string> budget_hold_;  // the first budget hold of a UTC day: its actions_paused alert
    std::int64_t budget_hold_day_ = 0;
    std::map<Address, unsigned> decimals_;
};

}  // namespace keeper::app
