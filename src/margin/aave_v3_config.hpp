#pragma once
// Aave V3 configuration bitmaps, decoded as ReserveConfiguration.sol and
// UserConfiguration.sol lay them out (one uint256 word each).
#include <array>
#include <cstdint>

#include "core/u256.hpp"

namespace keeper::aave {

// ReserveConfigurationMap.data. Bit positions (inclusive ranges):
//   0-15 LTV (bps), 16-31 liquidation threshold (bps), 32-47 liquidation bonus
//   (bps, 10000 + bonus), 48-55 decimals, 56 active, 57 frozen, 58 borrowing
//   enabled, 59 stable borrowing enabled (removed in v3.2), 60 paused,
//   61 borrowable in isolation, 62 siloed borrowing, 63 flash loans enabled,
//   64-79 reserve factor (bps), 80-115 borrow cap (whole tokens), 116-151
//   supply cap (whole tokens), 152-167 liquidation protocol fee (bps),
//   168-175 eMode category (ignored from v3.2, where eModes use bitmaps),
//   176-211 unbacked mint cap, 212-251 debt ceiling (2 decimals),
//   252 virtual accounting active (v3.1+).
struct ReserveConfig {
    std::uint16_t ltv_bps = 0;
    std::uint16_t liquidation_threshold_bps = 0;
    std::uint16_t liquidation_bonus_bps = 0;
    std::uint8_t decimals = 0;
    bool active = false;
    bool frozen = false;
    bool borrowing_enabled = false;
    bool stable_borrowing_enabled = false;
    bool paused = false;
    bool borrowable_in_isolation = false;
    bool siloed_borrowing = false;
    bool flash_loan_enabled = false;
    std::uint16_t reserve_factor_bps = 0;
    std::uint64_t borrow_cap = 0;  // whole tokens, 0 = none
    std::uint64_t supply_cap = 0;  // whole tokens, 0 = none
    std::uint16_t liquidation_protocol_fee_bps = 0;
    std::uint8_t emode_category = 0;
    std::uint64_t unbacked_mint_cap = 0;
    std::uint64_t debt_ceiling = 0;  // in units of 0.01 base currency
    bool virtual_accounting_active = false;

    static ReserveConfig decode(const U256& word);
    friend bool operator==(const ReserveConfig&, const ReserveConfig&) = default;
};

// UserConfigurationMap.data: for reserve id i, bit 2i = borrowing, bit 2i+1 =
// using as collateral.
class UserConfig {
public:
    UserConfig() = default;
    explicit UserConfig(const U256& word);

    bool is_borrowing(unsigned reserve_id) const;
    bool is_using_as_collateral(unsigned reserve_id) const;
    bool is_using_as_collateral_or_borrowing(unsigned reserve_id) const;
    bool empty() const { return word_.is_zero(); }
    const U256& word() const { return word_; }

    UserConfig with_borrowing(unsigned reserve_id, bool on) const;
    UserConfig with_collateral(unsigned reserve_id, bool on) const;

private:
    bool bit(unsigned index) const;

    U256 word_;
    // The word's 64-bit limbs, low first: every account's evaluation tests
    // up to 256 of these bits, and a 256-bit shift per test dominated it.
    std::array<std::uint64_t, 4> limbs_{};
};

inline constexpr unsigned kMaxReserves = 128;

}  // namespace keeper::aave
