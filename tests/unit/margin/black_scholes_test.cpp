#include <gtest/gtest.h>

#include <cmath>

#include "margin/black_scholes.hpp"

using namespace keeper::margin;

TEST(BlackScholes, TextbookAtTheMoneyExample) {
    // S = 100, K = 100, r = 5 %, sigma = 20 %, T = 1 (Hull; every BS table).
    const BlackScholesInputs in{.spot = 100, .strike = 100, .rate = 0.05, .vol = 0.20, .years_to_expiry = 1};
    const OptionValuation call = black_scholes(OptionType::call, in);
    const OptionValuation put = black_scholes(OptionType::put, in);
    EXPECT_NEAR(call.price, 10.4506, 5e-5);
    EXPECT_NEAR(put.price, 5.5735, 5e-5);
    EXPECT_NEAR(call.delta, 0.636831, 1e-6);
    EXPECT_NEAR(put.delta, -0.363169, 1e-6);
    EXPECT_NEAR(call.gamma, 0.0187620, 1e-7);
    EXPECT_DOUBLE_EQ(call.gamma, put.gamma);
    EXPECT_NEAR(call.vega, 37.5240, 1e-4);  // per 1.00 vol: 0.375 per vol point
    EXPECT_NEAR(call.theta, -6.41403, 1e-5);  // per year: -0.0176 per day
    EXPECT_NEAR(put.theta, -1.65788, 1e-5);
    // Put-call parity: C - P = S - K e^{-rT} = 4.877058.
    EXPECT_NEAR(call.price - put.price, 100 - 100 * std::exp(-0.05), 1e-12);
    EXPECT_DOUBLE_EQ(black_scholes_price(OptionType::call, in), call.price);
}

TEST(BlackScholes, HullExample) {
    // Hull, Options Futures and Other Derivatives: S = 42, K = 40, r = 10 %,
    // sigma = 20 %, T = 0.5 -> c = 4.76, p = 0.81.
    const BlackScholesInputs in{.spot = 42, .strike = 40, .rate = 0.10, .vol = 0.20, .years_to_expiry = 0.5};
    EXPECT_NEAR(black_scholes(OptionType::call, in).price, 4.7594, 5e-5);
    EXPECT_NEAR(black_scholes(OptionType::put, in).price, 0.8086, 5e-5);
}

TEST(BlackScholes, GreeksMatchFiniteDifferences) {
    const BlackScholesInputs in{.spot = 100, .strike = 110, .rate = 0.03, .vol = 0.6, .years_to_expiry = 0.25,
                                .dividend_yield = 0.01};
    for (const OptionType type : {OptionType::call, OptionType::put}) {
        const OptionValuation v = black_scholes(type, in);
        auto price = [&](BlackScholesInputs x) { return black_scholes_price(type, x); };
        const double h = 1e-3;
        BlackScholesInputs up = in, down = in;
        up.spot += h;
        down.spot -= h;
        EXPECT_NEAR(v.delta, (price(up) - price(down)) / (2 * h), 1e-6);
        EXPECT_NEAR(v.gamma, (price(up) - 2 * v.price + price(down)) / (h * h), 1e-4);
        up = in;
        down = in;
        up.vol += h;
        down.vol -= h;
        EXPECT_NEAR(v.vega, (price(up) - price(down)) / (2 * h), 1e-5);
        up = in;
        down = in;
        up.years_to_expiry += h;
        down.years_to_expiry -= h;
        EXPECT_NEAR(v.theta, -(price(up) - price(down)) / (2 * h), 1e-4);
    }
}

TEST(Black76, HullFuturesOptionExample) {
    // Hull: F = 20, K = 20, r = 9 %, sigma = 25 %, T = 4 months -> put 1.12.
    const Black76Inputs in{.forward = 20, .strike = 20, .rate = 0.09, .vol = 0.25, .years_to_expiry = 4.0 / 12.0};
    EXPECT_NEAR(black76(OptionType::put, in).price, 1.1166, 5e-5);
    // At the money forward, call = put.
    EXPECT_NEAR(black76(OptionType::call, in).price, black76(OptionType::put, in).price, 1e-12);
}

TEST(Black76, HaugExample) {
    // Haug, The Complete Guide to Option Pricing Formulas: F = 19, K = 19,
    // T = 0.75, r = 10 %, sigma = 28 % -> 1.7011 for both call and put.
    const Black76Inputs in{.forward = 19, .strike = 19, .rate = 0.10, .vol = 0.28, .years_to_expiry = 0.75};
    EXPECT_NEAR(black76(OptionType::call, in).price, 1.7011, 5e-5);
    EXPECT_NEAR(black76(OptionType::call, in).delta, 0.508636, 1e-6);  // e^{-rT} N(d1)
    EXPECT_NEAR(black76_price(OptionType::put, in), 1.7011, 5e-5);
}

TEST(BlackScholes, ExpiredOrZeroVolIsIntrinsic) {
    const BlackScholesInputs expired{.spot = 120, .strike = 100, .rate = 0.05, .vol = 0.2, .years_to_expiry = 0};
    EXPECT_DOUBLE_EQ(black_scholes(OptionType::call, expired).price, 20);
    EXPECT_DOUBLE_EQ(black_scholes(OptionType::call, expired).delta, 1);
    EXPECT_DOUBLE_EQ(black_scholes(OptionType::put, expired).price, 0);
    EXPECT_DOUBLE_EQ(black_scholes(OptionType::put, expired).delta, 0);
    // Zero vol, one year: the forward 100 e^{0.05} against K = 100 -> C = 100 - 100 e^{-0.05}.
    const BlackScholesInputs flat{.spot = 100, .strike = 100, .rate = 0.05, .vol = 0, .years_to_expiry = 1};
    EXPECT_NEAR(black_scholes(OptionType::call, flat).price, 100 - 100 * std::exp(-0.05), 1e-12);
    EXPECT_EQ(black_scholes(OptionType::call, flat).gamma, 0);
}

TEST(NormalDistribution, KnownValues) {
    EXPECT_DOUBLE_EQ(normal_cdf(0), 0.5);
    EXPECT_NEAR(normal_cdf(1.96), 0.9750021, 1e-7);
    EXPECT_NEAR(normal_cdf(-1), 0.1586553, 1e-7);
    EXPECT_NEAR(normal_pdf(0), 0.3989423, 1e-7);
}
