#include "protocols/aave_v3/aave_v3_decide.hpp"
#include "protocols/health_text.hpp"

namespace keeper::protocols::aave_v3 {

// DESIGN.md's aave-v3 fields equal getUserAccountData's, to the wei.
nlohmann::json AaveSnapshot::scan_json(std::size_t row) const {
    const AaveAccountHealth& a = accounts.at(row);
    return {{"protocol", "aave-v3"},
            {"pool", pool.checksummed()},
            {"account", a.account.checksummed()},
            {"collateral_base", a.data.total_collateral_base.to_dec()},
            {"debt_base", a.data.total_debt_base.to_dec()},
            {"health_factor_wad", a.data.health_factor_wad.to_dec()},
            {"health", wad_to_decimal(a.data.health_factor_wad)},
            {"liquidatable", a.liquidatable},
            {"emode", a.input.emode_category_id},
            {"avg_liquidation_threshold_bps", a.data.avg_liquidation_threshold_bps.to_dec()},
            {"block", block}};
}

}  // namespace keeper::protocols::aave_v3
