#pragma once
// Vault health exactly as Cauldron._level computes it (vault-v2 0.18.5):
//
//   level = inkValue - art * accrual * ratio        (int256, wmul each step)
//
// where inkValue is the spot oracle's get(ilkId, baseId, ink), ratio is the
// spot oracle's 6-decimal ratio scaled to 18 (ratio * 1e12), and accrual
// (only from maturity on) is rate / rateAtMaturity, at least 1e18. A vault
// is under-collateralised, and the Witch may auction it, when level < 0.
// Also the oracle the devnet uses: ChainlinkMultiOracle._peek. Pure: core only.
#include <optional>

#include "core/result.hpp"
#include "core/u256.hpp"
#include "protocols/yield_v2/yield_types.hpp"

namespace keeper::yield_v2 {

// int256 as sign and magnitude (level() is an int256 on chain).
struct Level {
    bool negative = false;
    U256 magnitude;
    friend bool operator==(const Level&, const Level&) = default;
};

// One direction of a ChainlinkMultiOracle source: sources[baseId][quoteId].
struct ChainlinkSource {
    U256 answer;                    // latestRoundData().answer, > 0
    std::uint8_t base_decimals = 0;
    std::uint8_t quote_decimals = 0;
    bool inverse = false;           // the reverse direction of a setSource pair
};

// ChainlinkMultiOracle._peek's amountQuote:
//   inverse: amountBase * 10^quoteDecimals / answer
//   else:    amountBase * answer / 10^baseDecimals
// An error where the contract reverts (answer 0, overflow).
Result<U256> chainlink_quote(const ChainlinkSource& source, const U256& amount_base);

// Cauldron._accrual from the rate oracle's accumulator now and the one
// recorded at maturity: rate.wdiv(rate_at_maturity), at least 1e18; a series
// whose rate at maturity is not recorded yet (0) accrues 1e18.
Result<U256> accrual_wad(const U256& rate_now, const U256& rate_at_maturity);

// What level() needs besides the oracle's answer.
struct LevelInputs {
    U256 ink_value;            // spot oracle get(ilkId, baseId, ink): base units
    U256 art;                  // vault debt in fyToken units
    std::uint32_t ratio_1e6 = 0;
    // From maturity on (block.timestamp >= maturity): accrual_wad(); before: nullopt.
    std::optional<U256> accrual_wad;
};

// Cauldron._level; an error where the contract reverts (overflow, a value
// that does not fit int256).
Result<Level> cauldron_level(const LevelInputs& inputs);

// The Witch's test: auction() needs level < 0, cancel() needs level >= 0.
inline bool undercollateralised(const Level& level) { return level.negative && !level.magnitude.is_zero(); }

// debt in base units for `art` (Cauldron.debtToBase): art before maturity,
// art.wmul(accrual) after.
Result<U256> debt_to_base(const U256& art, const std::optional<U256>& accrual_wad);
// art for `base` units (Cauldron.debtFromBase): base before maturity,
// base.wdivup(accrual) after.
Result<U256> debt_from_base(const U256& base, const std::optional<U256>& accrual_wad);

}  // namespace keeper::yield_v2
