// A derivatives book judged isolated / cross / portfolio through the risk
// arrays (margin/derivatives_book.hpp). The worked books use options that
// expire within the grid's one-day step and have no vol: their value now is
// the intrinsic value and their value at the horizon the intrinsic value at
// the moved price, so every figure below is a hand calculation on the default
// grid (spot -15 %..+15 % in 1.5 % steps, vol -10/0/+10 points, one day).
#include <gtest/gtest.h>

#include <random>

#include "margin/derivatives_book.hpp"

using namespace keeper::margin;
using namespace keeper::margin::derivatives;

namespace derivatives_book_test {

constexpr double kOneDay = 1.0 / 365.0;

Position perp(std::size_t u, double size, double entry) {
    return Position{
        .kind = PositionKind::perp, .underlying = u, .quantity = size, .entry_price = entry, .label = "perp"};
}

Position expiring(std::size_t u, OptionType type, double strike, double quantity) {
    return Position{.kind = PositionKind::option,
                    .underlying = u,
                    .quantity = quantity,
                    .option_type = type,
                    .strike = strike,
                    .years_to_expiry = kOneDay,
                    .label = "option"};
}

// X at 100 and Y at 10, neither with vol; X and Y offset at 70 %.
DerivativesBook two_underlyings() {
    DerivativesBook book;
    book.underlyings = {Underlying{.name = "X", .spot = 100.0}, Underlying{.name = "Y", .spot = 10.0}};
    book.offsets = {BookOffset{.a = 0, .b = 1, .credit_fraction = 0.70}};
    return book;
}

const AccountReport& only(const DerivativesReport& r) { return r.accounts.at(0); }

TEST(DerivativesBook, ShortStraddleNetsItsLegsWithinTheUnderlying) {
    // Short 1 call and 1 put at 100, X at 100, cash 50.
    //   call alone: worst at +15 %: pays 115 - 100 = 15      -> 15
    //   put alone:  worst at -15 %: pays 100 - 85 = 15       -> 15
    //   isolated = 15 + 15 = 30
    //   together: at -15 % the put loses 15, the call nothing; at +15 % the
    //   reverse: worst 15 = cross = portfolio (one underlying: no offset)
    //   equity = 50 (both legs worth 0 now): excess 20 / 35 / 35
    DerivativesBook book = two_underlyings();
    book.accounts = {
        Account{.name = "straddle",
                .cash_usd = 50.0,
                .positions = {expiring(0, OptionType::call, 100, -1), expiring(0, OptionType::put, 100, -1)}}};
    const auto report = evaluate_derivatives(book).value();
    const AccountReport& a = only(report);
    EXPECT_NEAR(a.requirement_usd.isolated, 30.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.cross, 15.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.portfolio, 15.0, 1e-9);
    EXPECT_NEAR(a.equity_usd, 50.0, 1e-12);
    EXPECT_NEAR(a.excess_usd.isolated, 20.0, 1e-9);
    EXPECT_NEAR(a.excess_usd.portfolio, 35.0, 1e-9);
    // Worst scenario: the first of the tied ones, X -15 % (vol -10 points).
    ASSERT_EQ(a.underlyings.size(), 1u);
    EXPECT_EQ(a.underlyings[0].worst_scenario, 0u);
    EXPECT_NEAR(scenario_move(book, report.scenarios, 0, a.underlyings[0].worst_scenario), -0.15, 1e-12);
    EXPECT_EQ(report.instruments, 2u);
}

TEST(DerivativesBook, CoveredCallIsMarginedOnTheFallOnly) {
    // Long 1 X perp bought at 90 (X now 100), short 1 call at 105, cash 10.
    //   perp alone: -15 % loses 15                     -> 15
    //   call alone: +15 % pays 115 - 105 = 10          -> 10
    //   isolated = 25
    //   together: -15 % loses 15 (the call is worthless); +15 % gains
    //   15 - 10 = 5: worst 15 = cross = portfolio
    //   equity = 10 + 1 x (100 - 90) - 0 = 20: excess -5 / 5 / 5
    //   delta: the perp's 1, the out-of-the-money call's 0: 100 USD
    DerivativesBook book = two_underlyings();
    book.accounts = {Account{.name = "covered call",
                             .cash_usd = 10.0,
                             .positions = {perp(0, 1, 90), expiring(0, OptionType::call, 105, -1)}}};
    const auto report = evaluate_derivatives(book).value();
    const AccountReport& a = only(report);
    EXPECT_NEAR(a.requirement_usd.isolated, 25.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.cross, 15.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.portfolio, 15.0, 1e-9);
    EXPECT_NEAR(a.equity_usd, 20.0, 1e-12);
    EXPECT_NEAR(a.excess_usd.isolated, -5.0, 1e-9);
    EXPECT_NEAR(a.excess_usd.cross, 5.0, 1e-9);
    EXPECT_NEAR(a.greeks.delta_usd, 100.0, 1e-12);
    EXPECT_EQ(report.accounts_in_deficit[0], 1u);
    EXPECT_EQ(report.accounts_in_deficit[2], 0u);
    EXPECT_NEAR(report.deficit_usd.isolated, 5.0, 1e-9);
}

TEST(DerivativesBook, PerpHedgedAcrossUnderlyingsGetsTheOffsetCredit) {
    // Long 1 X perp at 100, short 10 Y perps at 10, cash 20.
    //   X alone: -15 % loses 15; Y alone: +15 % loses 10 x 1.5 = 15
    //   isolated = cross = 30 (one position per underlying)
    //   portfolio: X is worst falling, Y rising: the 70 % X/Y row credits
    //   0.70 x min(15, 15) = 10.5: 30 - 10.5 = 19.5
    //   equity 20: excess -10 / -10 / 0.5
    DerivativesBook book = two_underlyings();
    book.accounts = {Account{.name = "hedged", .cash_usd = 20.0, .positions = {perp(0, 1, 100), perp(1, -10, 10)}}};
    const auto report = evaluate_derivatives(book).value();
    const AccountReport& a = only(report);
    EXPECT_NEAR(a.requirement_usd.isolated, 30.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.cross, 30.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.portfolio, 19.5, 1e-9);
    EXPECT_NEAR(a.portfolio.offset_credit_usd, 10.5, 1e-9);
    EXPECT_NEAR(a.excess_usd.cross, -10.0, 1e-9);
    EXPECT_NEAR(a.excess_usd.portfolio, 0.5, 1e-9);
    // Worst scenarios: X at -15 % (index 0), Y at +15 % (index 20, the last spot step).
    ASSERT_EQ(a.underlyings.size(), 2u);
    EXPECT_EQ(a.underlyings[0].worst_scenario, 0u);
    EXPECT_EQ(a.underlyings[1].worst_scenario, 20u);
    // delta_usd = 1 x 100 - 10 x 10 = 0: hedged in dollars.
    EXPECT_NEAR(a.greeks.delta_usd, 0.0, 1e-12);
}

TEST(DerivativesBook, CoveredCallWithCrossHedgeIsStrictlyOrdered) {
    // The covered call of above plus short 10 Y perps at 10:
    //   isolated = 15 (X perp) + 10 (call) + 15 (Y perp) = 40
    //   cross    = 15 (X: perp and call net) + 15 (Y) = 30
    //   portfolio = 30 - 0.70 x 15 = 19.5
    DerivativesBook book = two_underlyings();
    book.accounts = {Account{.name = "all three",
                             .cash_usd = 0.0,
                             .positions = {perp(0, 1, 100), expiring(0, OptionType::call, 105, -1), perp(1, -10, 10)}}};
    const DerivativesReport report = evaluate_derivatives(book).value();
    const AccountReport& a = only(report);
    EXPECT_NEAR(a.requirement_usd.isolated, 40.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.cross, 30.0, 1e-9);
    EXPECT_NEAR(a.requirement_usd.portfolio, 19.5, 1e-9);
}

TEST(DerivativesBook, BookTotalsAndPnlCurve) {
    // Two accounts: the straddle (cash 50) and the hedged perps (cash 20).
    // Totals: isolated 30 + 30 = 60, cross 15 + 30 = 45, portfolio 15 + 19.5 = 34.5.
    // The book's X P&L at +15 %: the short call pays 15, the long perp gains
    // 15: 0. At -15 %: the put pays 15, the perp loses 15: -30.
    DerivativesBook book = two_underlyings();
    book.accounts = {
        Account{.name = "straddle",
                .cash_usd = 50.0,
                .positions = {expiring(0, OptionType::call, 100, -1), expiring(0, OptionType::put, 100, -1)}},
        Account{.name = "hedged", .cash_usd = 20.0, .positions = {perp(0, 1, 100), perp(1, -10, 10)}}};
    const auto report = evaluate_derivatives(book).value();
    EXPECT_NEAR(report.requirement_usd.isolated, 60.0, 1e-9);
    EXPECT_NEAR(report.requirement_usd.cross, 45.0, 1e-9);
    EXPECT_NEAR(report.requirement_usd.portfolio, 34.5, 1e-9);
    EXPECT_NEAR(report.equity_usd, 70.0, 1e-12);
    EXPECT_EQ(report.positions, 4u);
    ASSERT_EQ(report.underlyings.size(), 2u);
    const auto& x = report.underlyings[0].pnl;
    ASSERT_EQ(x.size(), 63u);
    EXPECT_NEAR(x[0].spot_move_fraction, -0.15, 1e-12);
    EXPECT_NEAR(x[0].pnl_usd, -30.0, 1e-9);
    EXPECT_NEAR(x[20].pnl_usd, 0.0, 1e-9);
    // Y: short 10 at 10: +15 % loses 15.
    EXPECT_NEAR(report.underlyings[1].pnl[20].pnl_usd, -15.0, 1e-9);
}

TEST(DerivativesBook, ScanRangeOfAnUnderlyingScalesItsMoves) {
    // Y scanned over +-30 % instead of the grid's 15 %: short 10 at 10 loses 30.
    DerivativesBook book = two_underlyings();
    book.underlyings[1].scan_range_fraction = 0.30;
    book.accounts = {Account{.name = "short Y", .cash_usd = 0.0, .positions = {perp(1, -10, 10)}}};
    const auto report = evaluate_derivatives(book).value();
    EXPECT_NEAR(only(report).requirement_usd.portfolio, 30.0, 1e-9);
    EXPECT_NEAR(scenario_move(book, report.scenarios, 1, 20), 0.30, 1e-12);
}

TEST(DerivativesBook, GreeksAreBlackScholesTimesQuantity) {
    // Short 2 calls at 100 on X at 100, vol 50 %, 3 months, rate 0.
    DerivativesBook book;
    book.underlyings = {Underlying{.name = "X", .spot = 100.0, .vol = 0.5}};
    Position call = expiring(0, OptionType::call, 100, -2);
    call.years_to_expiry = 0.25;
    book.accounts = {Account{.name = "short calls", .cash_usd = 100.0, .positions = {call}}};
    const DerivativesReport report = evaluate_derivatives(book).value();
    const AccountReport& a = only(report);
    const OptionValuation bs = black_scholes(OptionType::call, BlackScholesInputs{100, 100, 0, 0.5, 0.25, 0});
    // ATM, r = 0: price = S (N(d1) - N(-d1)) with d1 = 0.125: about 9.95.
    EXPECT_NEAR(bs.price, 9.947, 1e-3);
    ASSERT_EQ(a.underlyings.size(), 1u);
    EXPECT_NEAR(a.underlyings[0].delta, -2 * bs.delta, 1e-12);
    EXPECT_NEAR(a.underlyings[0].gamma, -2 * bs.gamma, 1e-12);
    EXPECT_NEAR(a.greeks.vega_usd_per_vol_point, -2 * bs.vega / 100, 1e-12);
    EXPECT_NEAR(a.greeks.theta_usd_per_day, -2 * bs.theta / 365, 1e-12);
    EXPECT_NEAR(a.greeks.gamma_usd_per_pct, -2 * bs.gamma * 100 * 100 / 100, 1e-12);
    // Equity marks the short calls at the model: 100 - 2 x 9.947.
    EXPECT_NEAR(a.equity_usd, 100 - 2 * bs.price, 1e-9);
    // A venue mark replaces the model in equity, not in the scan.
    book.accounts[0].positions[0].mark = 12.0;
    const DerivativesReport remarked = evaluate_derivatives(book).value();
    const AccountReport& marked = only(remarked);
    EXPECT_NEAR(marked.equity_usd, 76.0, 1e-12);
    EXPECT_NEAR(marked.requirement_usd.portfolio, a.requirement_usd.portfolio, 1e-12);
}

TEST(DerivativesBook, PortfolioNeverAboveCrossNeverAboveIsolated) {
    // Random books with real Black-Scholes options, charges and an offset.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int round = 0; round < 50; ++round) {
        DerivativesBook book;
        book.underlyings = {Underlying{.name = "X", .spot = 100, .vol = 0.6},
                            Underlying{.name = "Y", .spot = 5, .vol = 0.9, .scan_range_fraction = 0.2}};
        book.offsets = {BookOffset{.a = 0, .b = 1, .credit_fraction = 0.5}};
        book.short_option_minimum_fraction = 0.01;
        book.gamma_extra_move_fraction = 0.05;
        book.vega_extra_vol_shift = 0.05;
        Account account{.name = "random", .cash_usd = 1000};
        for (int i = 0; i < 6; ++i) {
            const std::size_t u = unit(rng) < 0.5 ? 0 : 1;
            const double spot = book.underlyings[u].spot;
            const double quantity = std::round((unit(rng) - 0.5) * 20);
            if (unit(rng) < 0.3) {
                account.positions.push_back(perp(u, quantity, spot));
            } else {
                Position o = expiring(u, unit(rng) < 0.5 ? OptionType::call : OptionType::put,
                                      spot * (0.8 + 0.4 * unit(rng)), quantity);
                o.years_to_expiry = 0.02 + unit(rng);
                account.positions.push_back(o);
            }
        }
        book.accounts = {account};
        const DerivativesReport report = evaluate_derivatives(book).value();
        const AccountReport& a = only(report);
        EXPECT_LE(a.requirement_usd.portfolio, a.requirement_usd.cross + 1e-9) << "round " << round;
        EXPECT_LE(a.requirement_usd.cross, a.requirement_usd.isolated + 1e-9) << "round " << round;
        EXPECT_GE(a.requirement_usd.portfolio, 0.0);
    }
}

TEST(DerivativesBook, RefusesWhatTheEngineRefuses) {
    DerivativesBook book = two_underlyings();
    book.underlyings[0].spot = 0.0;
    book.accounts = {Account{.name = "a", .positions = {perp(0, 1, 100)}}};
    const auto zero_spot = evaluate_derivatives(book);
    ASSERT_FALSE(zero_spot.has_value());
    EXPECT_NE(zero_spot.error().message.find("a: perp"), std::string::npos) << zero_spot.error().message;
    book = two_underlyings();
    book.offsets[0].credit_fraction = 1.5;
    EXPECT_FALSE(evaluate_derivatives(book).has_value());
    book = two_underlyings();
    book.underlyings[1].scan_range_fraction = 1.0;  // a 100 % fall: a zero price
    book.accounts = {Account{.name = "a", .positions = {perp(1, 1, 10)}}};
    EXPECT_FALSE(evaluate_derivatives(book).has_value());
}

}  // namespace derivatives_book_test
