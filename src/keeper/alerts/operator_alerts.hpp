#pragma once
// The one place the daemon reports to operators: a typed entry point per
// alert kind, deciding what is worth a message (AlertPolicy for accounts,
// ConditionLatch for conditions that start and end, thresholds from
// [alerts]) and handing each alert to a sink (AlertChannels::enqueue in the
// daemon, a vector in tests). No I/O of its own. Thread-safe: the transport
// layer may report RPC status from another thread than the round's.
//
// Who calls what (the round loop is the lead's):
//   accounts()            round loop, after judging positions   -> underwater, near_liquidation
//   liquidation_sent()    action executor, after broadcast       -> liquidation_sent
//   liquidation_failed()  action executor, on revert or refusal  -> liquidation_failed
//   signer_balance()      round loop, after reading the signer   -> signer_balance_low (trigger/resolve)
//   oracle_age()          round loop, per feed read              -> oracle_stale (trigger/resolve)
//   exchange_price()      round loop, per [exchange] comparison  -> exchange_deviation (trigger/resolve)
//   rpc_status()          transport layer (per endpoint outcome)  -> rpc_down (trigger/resolve)
//   reorg()               block tracker, on a reorg              -> reorg_deep
//   actions_paused()      round loop: kill switch, breaker, budget -> actions_paused (trigger/resolve)
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "core/u256.hpp"
#include "keeper/alerts/alert_kinds.hpp"
#include "keeper/alerts/alert_policy.hpp"

namespace keeper::alerts {

struct AlertThresholds {
    U256 warning_health_wad = U256(1'050'000'000'000'000'000ULL);
    std::chrono::seconds min_interval{300};
    unsigned max_per_minute = 30;
    std::uint64_t reorg_depth = 2;  // alert on reorgs deeper than this
    // RPC down only after this many failures in a row on one endpoint: one
    // timeout is the transport's business (retry, failover), not a page.
    unsigned rpc_failures_before_down = 3;
};

class OperatorAlerts {
public:
    using Sink = std::function<void(Alert)>;

    OperatorAlerts(AlertThresholds thresholds, Sink sink);

    // `covered_protocols`: read in full this round; their accounts absent
    // from `accounts` have no debt left (AlertPolicy resolves their incidents).
    void accounts(std::span<const AccountHealth> accounts, AlertPolicy::Clock::time_point now,
                  std::span<const std::string> covered_protocols = {});
    void liquidation_sent(const LiquidationSent& sent);
    void liquidation_failed(const LiquidationFailed& failed);
    void signer_balance(const SignerBalance& balance);  // alerts when balance < minimum; resolves when back
    void oracle_age(const OracleAge& age);              // alerts when age_s > max_age_s; resolves when fresh
    // alerts when bps > max_bps; resolves when back within
    void exchange_price(const ExchangeDeviation& deviation);
    void rpc_status(const RpcStatus& status);           // down after N failures in a row; resolves at the first success
    void reorg(const Reorg& reorg);
    // `paused` true while actions are held back for `cause`: triggers once, resolves once.
    void actions_paused(const ActionsPaused& paused, bool active);

    std::uint64_t raised() const;  // alerts handed to the sink

private:
    void emit(Alert alert);

    AlertThresholds thresholds_;
    Sink sink_;
    mutable std::mutex mutex_;
    AlertPolicy policy_;
    ConditionLatch latch_;
    std::map<std::string, unsigned> rpc_failures_;
    std::uint64_t raised_ = 0;
};

}  // namespace keeper::alerts
