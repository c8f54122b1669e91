#pragma once
// European option prices and Greeks.
//   Black-Scholes (1973, with continuous dividend/borrow yield q): options on spot.
//   Black-76: options on a forward, future or perpetual whose price F is the
//   underlying; discounted at r (crypto venues settling in the perp often use r = 0).
//
// Units: prices in quote currency per one unit of underlying; rate, yield and
// vol are annual decimals (0.05 = 5 %); years_to_expiry in years (ACT/365 is
// the caller's choice). Greeks:
//   delta  d price / d underlying
//   gamma  d2 price / d underlying2
//   vega   d price / d vol, per 1.00 of vol (divide by 100 for "per vol point")
//   theta  d price / d calendar time, per year (negative = decays; /365 per day)
// At or past expiry, or with zero vol, the price is the (discounted) intrinsic
// value and gamma, vega, theta are 0.
#include <cstdint>

namespace keeper::margin {

enum class OptionType : std::uint8_t { call, put };

struct OptionValuation {
    double price = 0.0;
    double delta = 0.0;
    double gamma = 0.0;
    double vega = 0.0;
    double theta = 0.0;
};

struct BlackScholesInputs {
    double spot = 0.0;
    double strike = 0.0;
    double rate = 0.0;
    double vol = 0.0;
    double years_to_expiry = 0.0;
    double dividend_yield = 0.0;
};

struct Black76Inputs {
    double forward = 0.0;
    double strike = 0.0;
    double rate = 0.0;
    double vol = 0.0;
    double years_to_expiry = 0.0;
};

OptionValuation black_scholes(OptionType type, const BlackScholesInputs& in);
OptionValuation black76(OptionType type, const Black76Inputs& in);

// Price only: the hot path of risk-array building.
double black_scholes_price(OptionType type, const BlackScholesInputs& in);
double black76_price(OptionType type, const Black76Inputs& in);

double normal_cdf(double x);
double normal_pdf(double x);

}  // namespace keeper::margin
