#include "margin/stress_capital.hpp"

#include <map>

#include "core/fixed_point.hpp"

namespace keeper::margin::stress {

U256 flash_premium(const U256& amount, std::uint32_t premium_bps) {
    // Only an amount near 2^256 / 10^4 overflows, where Aave would revert: no
    // flash loan at any premium, so the premium is the largest there is.
    return aave::percent_mul(amount, U256(premium_bps)).value_or(U256::max());
}

ScenarioCapital capital_needed(const StressScenario& scenario, const ScenarioOutcome& outcome,
                               const Valuations& valuations, const CapitalSpec& spec) {
    ScenarioCapital out;
    std::map<Address, AssetCapital> by_asset;
    const auto usd = [&](const Address& asset, const U256& amount) -> std::optional<double> {
        const auto it = valuations.find(asset);
        if (it == valuations.end()) return std::nullopt;
        return usd_value(amount, it->second, scenario.move_bps_of(asset));
    };
    for (const StressedPosition& a : outcome.accounts) {
        LiquidationCapital l;
        if (!a.error.empty()) {
            out.accounts.push_back(l);
            continue;
        }
        l.flash_premium = flash_premium(a.debt_repaid, spec.flash_premium_bps);
        AssetCapital& c = by_asset[a.debt_asset];
        c.asset = a.debt_asset;
        c.own_funds += a.debt_repaid;
        c.flash_premium += l.flash_premium;
        const auto seized = usd(a.collateral_asset, a.collateral_seized);
        const auto paid = usd(a.debt_asset, a.debt_repaid + l.flash_premium);
        if (seized && paid) {
            const double profit = *seized - *paid;
            l.profit_usd = profit;
            ++(profit > 0.0 ? out.profitable : out.unprofitable);
        } else {
            ++out.unjudged;
        }
        out.accounts.push_back(l);
    }
    for (auto& [asset, c] : by_asset) {
        c.own_funds_usd = usd(asset, c.own_funds);
        c.flash_premium_usd = usd(asset, c.flash_premium);
        if (c.own_funds_usd && c.flash_premium_usd) {
            out.own_funds_usd += *c.own_funds_usd;
            out.flash_premium_usd += *c.flash_premium_usd;
        } else if (!c.own_funds.is_zero()) {
            out.unvalued.push_back(asset);
        }
        out.assets.push_back(c);
    }
    return out;
}

}  // namespace keeper::margin::stress
