#pragma once
// The screening health of a lending account with up to 4 positions, in float:
//   health = sum(collateral amount x price x liquidation threshold)
//          / sum(debt amount x price)
// It decides which accounts the exact integer models look at, never whether
// one is liquidated (DESIGN.md "Numbers").
//
// A position is a 16-bit key = asset << 1 | is_debt and an amount in asset
// units (tokens, not wei). Two per-key factor tables make the loop
// branch-free: collateral keys carry price x threshold in the collateral table
// and 0 in the debt table; debt keys carry 0 and price. An empty slot is key 0
// with amount 0 and adds nothing.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace keeper::margin {

inline constexpr std::size_t screen_slots = 4;        // positions per account
inline constexpr std::uint16_t screen_max_assets = 1u << 15;

inline constexpr std::uint16_t screen_key(std::uint16_t asset, bool is_debt) {
    return static_cast<std::uint16_t>((asset << 1) | (is_debt ? 1u : 0u));
}

// Per-key factors, 2 x asset_count long (USD per asset unit).
struct ScreenFactors {
    std::vector<float> collateral_usd;  // price x liquidation threshold on collateral keys, 0 on debt keys
    std::vector<float> debt_usd;        // price on debt keys, 0 on collateral keys

    // At least one asset's keys exist so an empty slot (key 0) is always readable.
    explicit ScreenFactors(std::uint16_t asset_count)
        : collateral_usd(2u * (asset_count > 0 ? asset_count : 1u), 0.0f),
          debt_usd(2u * (asset_count > 0 ? asset_count : 1u), 0.0f) {}

    void set_asset(std::uint16_t asset, double price_usd, double liquidation_threshold) {
        collateral_usd[screen_key(asset, false)] = static_cast<float>(price_usd * liquidation_threshold);
        debt_usd[screen_key(asset, true)] = static_cast<float>(price_usd);
    }
};

// Added to the weighted collateral so that an account without debt divides a
// positive number by 0 and gets +inf (nothing to liquidate) instead of 0/0.
// A select on `debt > 0` would do the same but stops GCC vectorising the
// batch loop under the default -ftrapping-math; 1e-30 USD changes no real
// account's health.
inline constexpr float screen_no_debt_nudge_usd = 1e-30f;

// collateral / debt, +inf without debt.
inline float screen_health(const std::uint16_t* keys, const float* amounts, const float* collateral_usd,
                           const float* debt_usd) {
    float weighted = screen_no_debt_nudge_usd;
    float debt = 0.0f;
    for (std::size_t j = 0; j < screen_slots; ++j) {
        weighted += amounts[j] * collateral_usd[keys[j]];
        debt += amounts[j] * debt_usd[keys[j]];
    }
    return weighted / debt;
}

// Full pass over `count` accounts stored as 4 keys and 4 amounts each,
// contiguous (keys[4i..4i+3], amounts[4i..4i+3]); writes health_out[i].
void screen_health_batch(const std::uint16_t* keys, const float* amounts, std::size_t count,
                         const ScreenFactors& factors, float* health_out);

}  // namespace keeper::margin
