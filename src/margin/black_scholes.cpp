#include "margin/black_scholes.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace keeper::margin {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }

namespace {

// Generalised Black-Scholes: underlying S with carry b (b = r - q for spot,
// b = 0 for Black-76 where S is the forward), discounting at r. One body so
// both models share their edge cases.
OptionValuation generalised(OptionType type, double s, double k, double r, double b, double vol, double t,
                            bool greeks) {
    OptionValuation v;
    const double carry = std::exp((b - r) * t);   // e^{-qT} for spot, e^{-rT} for futures
    const double discount = std::exp(-r * t);
    const bool call = type == OptionType::call;
    if (t <= 0.0 || vol <= 0.0 || s <= 0.0 || k <= 0.0) {
        // Deterministic forward: S e^{bT} against K.
        const double fwd_s = s * carry;
        const double fwd_k = k * discount;
        const double intrinsic = call ? fwd_s - fwd_k : fwd_k - fwd_s;
        v.price = std::max(intrinsic, 0.0);
        if (greeks && intrinsic > 0.0) {
            v.delta = call ? carry : -carry;
        }
        return v;
    }
    const double sqrt_t = std::sqrt(t);
    const double vol_sqrt_t = vol * sqrt_t;
    const double d1 = (std::log(s / k) + (b + 0.5 * vol * vol) * t) / vol_sqrt_t;
    const double d2 = d1 - vol_sqrt_t;
    if (call) {
        v.price = s * carry * normal_cdf(d1) - k * discount * normal_cdf(d2);
    } else {
        v.price = k * discount * normal_cdf(-d2) - s * carry * normal_cdf(-d1);
    }
    if (!greeks) {
        return v;
    }
    const double pdf_d1 = normal_pdf(d1);
    v.delta = call ? carry * normal_cdf(d1) : carry * (normal_cdf(d1) - 1.0);
    v.gamma = carry * pdf_d1 / (s * vol_sqrt_t);
    v.vega = s * carry * pdf_d1 * sqrt_t;
    // Theta as d/dt of calendar time (= -d/dT).
    const double decay = -s * carry * pdf_d1 * vol / (2.0 * sqrt_t);
    if (call) {
        v.theta = decay - (b - r) * s * carry * normal_cdf(d1) - r * k * discount * normal_cdf(d2);
    } else {
        v.theta = decay + (b - r) * s * carry * normal_cdf(-d1) + r * k * discount * normal_cdf(-d2);
    }
    return v;
}

}  // namespace

OptionValuation black_scholes(OptionType type, const BlackScholesInputs& in) {
    return generalised(type, in.spot, in.strike, in.rate, in.rate - in.dividend_yield, in.vol, in.years_to_expiry,
                       true);
}

OptionValuation black76(OptionType type, const Black76Inputs& in) {
    return generalised(type, in.forward, in.strike, in.rate, 0.0, in.vol, in.years_to_expiry, true);
}

double black_scholes_price(OptionType type, const BlackScholesInputs& in) {
    return generalised(type, in.spot, in.strike, in.rate, in.rate - in.dividend_yield, in.vol, in.years_to_expiry,
                       false)
        .price;
}

double black76_price(OptionType type, const Black76Inputs& in) {
    return generalised(type, in.forward, in.strike, in.rate, 0.0, in.vol, in.years_to_expiry, false).price;
}

}  // namespace keeper::margin
