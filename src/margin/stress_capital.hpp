#pragma once
// The keeper's own capital needed to clear a scenario (issue #20, item 1):
// with its own funds it must hold, per debt asset, every amount the
// scenario's liquidations repay; with a flash loan it borrows that amount
// and pays only the flash premium, each liquidation's loan on its own:
//
//   premium = (debt_repaid x premium_bps + 5000) / 10000
//
// Aave v3's `amount.percentMul(FLASHLOAN_PREMIUM_TOTAL)` (PercentageMath:
// basis points, half up). A liquidation is profitable after the premium when
//
//   seized collateral in USD - (debt repaid + premium) in USD > 0
//
// at the scenario's prices; it is judged only when both assets have a
// [valuation] (else `unvalued`). Gas is not counted: that is the keeper's
// strategy's own figure. Liquidations that would revert are left out.
#include <cstdint>
#include <optional>
#include <vector>

#include "margin/stress_cascade.hpp"
#include "margin/stress_engine.hpp"

namespace keeper::margin::stress {

struct CapitalSpec {
    std::uint32_t flash_premium_bps = 5;  // without a file's or a pool's: Aave v3's common 0.05 %
};

struct AssetCapital {
    Address asset;
    U256 own_funds;      // the debt repaid in the scenario, summed: what a keeper must hold
    U256 flash_premium;  // summed per liquidation: what it pays with flash loans instead
    std::optional<double> own_funds_usd;
    std::optional<double> flash_premium_usd;
};

struct LiquidationCapital {
    U256 flash_premium;                // in the debt asset
    std::optional<double> profit_usd;  // after the premium; nullopt: an asset without [valuation]
};

struct ScenarioCapital {
    std::vector<AssetCapital> assets;          // debt assets, in address order
    std::vector<LiquidationCapital> accounts;  // parallel to the outcome's accounts
    double own_funds_usd = 0.0;                // over the valued assets
    double flash_premium_usd = 0.0;
    std::vector<Address> unvalued;                               // debt assets with amounts but no [valuation]
    std::size_t profitable = 0, unprofitable = 0, unjudged = 0;  // liquidations (unjudged: no valuation)
};

// A liquidation's flash premium: Aave's percentMul, half up.
U256 flash_premium(const U256& amount, std::uint32_t premium_bps);

ScenarioCapital capital_needed(const StressScenario& scenario, const ScenarioOutcome& outcome,
                               const Valuations& valuations, const CapitalSpec& spec);

}  // namespace keeper::margin::stress
