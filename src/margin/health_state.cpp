#include "margin/health_state.hpp"

#include <limits>

namespace keeper::margin {

std::string_view to_string(HealthState state) {
    switch (state) {
        case HealthState::healthy: return "healthy";
        case HealthState::warning: return "warning";
        case HealthState::liquidatable: return "liquidatable";
        case HealthState::insolvent: return "insolvent";
    }
    return "unknown";
}

namespace {
HealthState state_from_health(double health, HealthThresholds thresholds) {
    if (health < 1.0) {
        return HealthState::liquidatable;
    }
    return health < 1.0 + thresholds.warning_distance ? HealthState::warning : HealthState::healthy;
}
}  // namespace

HealthState lending_health_state(double weighted_collateral_value, double collateral_value, double debt_value,
                                 HealthThresholds thresholds) {
    if (debt_value <= 0.0) {
        return HealthState::healthy;
    }
    if (collateral_value < debt_value) {
        return HealthState::insolvent;
    }
    return state_from_health(weighted_collateral_value / debt_value, thresholds);
}

double margin_health(double equity, double maintenance) {
    if (maintenance <= 0.0) {
        return equity >= 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
    }
    return equity / maintenance;
}

HealthState margin_health_state(double equity, double maintenance, HealthThresholds thresholds) {
    if (equity < 0.0) {
        return HealthState::insolvent;
    }
    return state_from_health(margin_health(equity, maintenance), thresholds);
}

std::optional<double> lending_price_drop_to_liquidation(double health) {
    if (!(health > 0.0)) {
        return std::nullopt;
    }
    return health <= 1.0 ? 0.0 : 1.0 - 1.0 / health;
}

std::optional<double> lending_move_to_liquidation(double weighted_collateral_other, double debt_other,
                                                  double weighted_collateral_asset, double debt_asset) {
    const double excess_other = weighted_collateral_other - debt_other;
    const double excess_asset = weighted_collateral_asset - debt_asset;
    if (excess_other + excess_asset < 0.0) {
        return 0.0;  // already below the threshold
    }
    if (excess_asset == 0.0) {
        return std::nullopt;  // the asset's price does not change the balance
    }
    const double m = -excess_other / excess_asset - 1.0;
    if (m <= -1.0) {
        return std::nullopt;  // would need a negative price
    }
    return m;
}

}  // namespace keeper::margin
