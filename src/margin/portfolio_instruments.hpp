#pragma once
// What a portfolio-margined account can hold, and the market state each
// instrument is revalued from. All values are in quote currency (USD) per one
// contract; a contract is `contract_multiplier` units of the underlying.
#include <cstdint>

#include "margin/black_scholes.hpp"

namespace keeper::margin {

struct UnderlyingId {
    std::uint16_t value = 0;
    friend bool operator==(UnderlyingId, UnderlyingId) = default;
};

struct InstrumentId {
    std::uint32_t value = 0;
    friend bool operator==(InstrumentId, InstrumentId) = default;
};

enum class InstrumentKind : std::uint8_t {
    linear,          // spot, future or perpetual: value moves 1:1 with the underlying price
    spot_option,     // European option on spot, Black-Scholes
    futures_option,  // European option on a future/perp, Black-76 (underlying price = F)
};

struct InstrumentSpec {
    UnderlyingId underlying;
    InstrumentKind kind = InstrumentKind::linear;
    OptionType option_type = OptionType::call;  // options only
    double strike = 0.0;                        // options only
    double contract_multiplier = 1.0;
};

// Per price update. Time is an input (DESIGN.md rule 6): the caller turns the
// expiry timestamp and its clock into years_to_expiry.
struct InstrumentMarket {
    double underlying_price = 0.0;  // spot for spot options and linear, F for futures options
    double implied_vol = 0.0;       // options only
    double years_to_expiry = 0.0;   // options only
    double rate = 0.0;
    double dividend_yield = 0.0;    // spot options only
    // The underlying's scan range relative to the grid's: each scenario moves
    // this instrument's underlying by spot_move_scale x the grid's move (a
    // per-product price scan range, as SPAN sets one per product).
    double spot_move_scale = 1.0;
};

inline bool is_option(InstrumentKind kind) { return kind != InstrumentKind::linear; }

}  // namespace keeper::margin
