#pragma once
// The stress engine: the book revalued under each scenario in the contracts'
// own integer arithmetic (the same morpho:: and aave:: functions `scan` and
// the keeper's decisions use), so what it predicts for a price equals what
// the chain does at that price, to the wei. Pure: no I/O, no clock.
//
// Per scenario and position:
//   liquidatable  Morpho !_isHealthy at the shocked oracle price; Aave health
//                 factor < 1 with every reserve's price shocked
//   liquidation   the largest one call can do: Morpho max_liquidation (all
//                 shares, else all collateral); Aave one liquidationCall with
//                 debtToCover = max on the account's largest debt against its
//                 largest collateral (by shocked base value, estimated in
//                 doubles: the choice, not the amounts), close factor applied
//   insolvent     collateral worth less than the debt at the shocked prices
//   bad debt      what the contract itself writes off in that liquidation:
//                 Morpho's bad-debt realisation, Aave v3.3+ deficits
//
// Positions are judged one by one against the block's state: one liquidation
// does not move another's price (the cascade is a later part of issue #20).
//
// Speed: a double screen with a conservative margin decides the positions
// far from their threshold; only those near it, and every liquidatable one,
// run the exact model. The screen never decides an outcome that the exact
// model could decide differently.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "margin/stress_book.hpp"

namespace keeper::margin::stress {

struct AssetAmount {
    Address asset;
    U256 amount;
    friend bool operator==(const AssetAmount&, const AssetAmount&) = default;
};

// One position liquidatable under a scenario, with its largest liquidation.
struct StressedPosition {
    std::string protocol;  // "morpho-blue@0x…" / "aave-v3@0x…"
    std::string kind;      // "morpho-blue" / "aave-v3"
    std::string where;     // market id / pool, 0x hex
    Address account;
    U256 health_wad;  // under the scenario (Morpho max_borrow / borrowed; Aave health factor)
    bool insolvent = false;
    Address debt_asset;
    U256 debt_repaid;  // debt-asset units the liquidator pays
    Address collateral_asset;
    U256 collateral_seized;             // collateral units to the liquidator, bonus included
    std::vector<AssetAmount> bad_debt;  // written off by the contract in that liquidation
    std::string error;                  // non-empty: the liquidation would revert (the reason); amounts 0
};

struct AssetTotals {
    Address asset;
    U256 debt_repaid;
    U256 collateral_seized;
    U256 bad_debt;
    friend bool operator==(const AssetTotals&, const AssetTotals&) = default;
};

struct ScenarioOutcome {
    std::string name;
    std::size_t positions = 0;  // judged
    std::size_t liquidatable = 0;
    std::size_t insolvent = 0;
    std::vector<AssetTotals> totals;         // by asset, sorted, only assets with a non-zero amount
    std::vector<StressedPosition> accounts;  // liquidatable ones, when StressOptions::list_accounts
};

struct StressOptions {
    bool list_accounts = true;  // false: counts and totals only (the benchmark, huge books)
};

// The book prepared once (each position's screening values, Aave accounts
// grouped by the reserves they use) and revalued under one scenario at a time:
// what the cascade's rounds and the Monte-Carlo draws reuse. An outcome is
// memoised per part and distinct price move; forget() drops the memo (a
// Monte-Carlo run's draws are nearly all distinct). The book must outlive it.
class StressRunner {
public:
    explicit StressRunner(const StressBook& book, const StressOptions& options = {});
    ~StressRunner();
    StressRunner(const StressRunner&) = delete;
    StressRunner& operator=(const StressRunner&) = delete;
    StressRunner(StressRunner&&) noexcept;
    StressRunner& operator=(StressRunner&&) noexcept;

    // `scenario` must pass validate_scenario.
    ScenarioOutcome run(const StressScenario& scenario);
    void forget();
    const StressBook& book() const { return *book_; }
    bool lists_accounts() const { return options_.list_accounts; }

private:
    struct Parts;
    const StressBook* book_;
    StressOptions options_;
    std::unique_ptr<Parts> parts_;
};

// Scenario names and shocks are checked (moves in [kMinMoveBps,
// kMaxMoveBps], an asset at most once per scenario); an error names the
// scenario. An error inside one position's model (an overflow on absurd
// numbers) is that position's `error`, not the run's.
Result<std::vector<ScenarioOutcome>> run_stress(const StressBook& book, std::span<const StressScenario> scenarios,
                                                const StressOptions& options = {});

// A price moved by `move_bps`: price x (10000 + move) / 10000, rounded down.
U256 shocked_price(const U256& price, std::int32_t move_bps);
// A Morpho oracle price (loan per collateral x 1e36) when the collateral moves
// by `collateral_bps` and the loan token by `loan_bps`:
// price x (10000 + collateral) / (10000 + loan), rounded down.
U256 shocked_morpho_price(const U256& price_1e36, std::int32_t collateral_bps, std::int32_t loan_bps);

Result<void> validate_scenario(const StressScenario& scenario);

}  // namespace keeper::margin::stress
