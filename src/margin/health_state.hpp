#pragma once
// Health states shared by every margin model, and the distance to liquidation
// expressed as the price move of one asset that would trigger it.
//
// Health is a dimensionless ratio with 1.0 at the liquidation threshold:
//   lending:  sum(collateral value x liquidation threshold) / debt value
//   margin:   equity / maintenance requirement
// Values here are doubles: they rank and warn; the exact integer models decide
// (DESIGN.md "Numbers").
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

namespace keeper::margin {

enum class HealthState : std::uint8_t {
    healthy,       // health >= 1 + warning_distance
    warning,       // 1 <= health < 1 + warning_distance
    liquidatable,  // health < 1, collateral still covers the debt
    insolvent,     // bad debt: collateral (or equity) cannot cover what is owed
};

std::string_view to_string(HealthState state);

struct HealthThresholds {
    // Relative distance above 1.0 inside which an account is watched closely:
    // 0.05 warns from health 1.05 down to 1.0.
    double warning_distance = 0.05;
};

// Lending: health = weighted collateral / debt; insolvent when the unweighted
// collateral market value is below the debt value. Zero debt is healthy.
HealthState lending_health_state(double weighted_collateral_value, double collateral_value,
                                 double debt_value, HealthThresholds thresholds = {});

// Margin accounts (perps, portfolio margin): insolvent when equity < 0,
// liquidatable when equity < maintenance. Zero maintenance with equity >= 0 is healthy.
HealthState margin_health_state(double equity, double maintenance, HealthThresholds thresholds = {});

// equity / maintenance, +inf when nothing is required.
double margin_health(double equity, double maintenance);

// Single collateral asset priced in the debt's unit: health scales linearly
// with its price, so the fractional drop d with health * (1 - d) = 1 is
// d = 1 - 1/health. 0 when already at or below 1; nullopt for health <= 0.
std::optional<double> lending_price_drop_to_liquidation(double health);

// Lending account where one asset moves by fraction m (price x (1 + m)) and
// everything else stays: the closed-form m at which health reaches 1.
//   (Wo + Wa(1+m)) / (Do + Da(1+m)) = 1  =>  m = (Do - Wo) / (Wa - Da) - 1
// Wo/Do: weighted collateral and debt value of the other assets; Wa/Da: the
// moving asset's weighted collateral and debt value. nullopt when no price of
// the asset (m > -1) reaches the threshold.
std::optional<double> lending_move_to_liquidation(double weighted_collateral_other, double debt_other,
                                                  double weighted_collateral_asset, double debt_asset);

// General case: the smallest |m| in the given direction (sign of
// max_move_fraction, e.g. -0.99 for drops, +10.0 for rises) with health(m) < 1,
// found by scanning then bisecting; health must be continuous in m. nullopt
// when no move up to max_move_fraction triggers liquidation. 0 when already
// below 1.
template <class HealthAtMove>
std::optional<double> solve_move_to_liquidation(HealthAtMove health_at_move, double max_move_fraction,
                                                double tolerance = 1e-9) {
    if (health_at_move(0.0) < 1.0) {
        return 0.0;
    }
    // Coarse scan first so a non-monotone health is not bisected across two roots.
    constexpr int scan_steps = 64;
    double safe = 0.0;
    double unsafe = 0.0;
    bool found = false;
    for (int i = 1; i <= scan_steps; ++i) {
        const double m = max_move_fraction * static_cast<double>(i) / scan_steps;
        if (health_at_move(m) < 1.0) {
            unsafe = m;
            found = true;
            break;
        }
        safe = m;
    }
    if (!found) {
        return std::nullopt;
    }
    while (std::fabs(unsafe - safe) > tolerance) {
        const double mid = 0.5 * (safe + unsafe);
        (health_at_move(mid) < 1.0 ? unsafe : safe) = mid;
    }
    return unsafe;
}

}  // namespace keeper::margin
