#pragma once
// A small derivatives book for the report, HTML and Chromium tests: the
// worked accounts of tests/unit/margin/derivatives_book_test.cpp (options
// expiring within the one-day step, no vol: every figure a hand calculation)
// and one account of real Black-Scholes options.
//   X at 100, Y at 10, X/Y offset at 70 %, the default 63-scenario grid.
//   straddle      short 1 call + 1 put at 100, cash 50:   isolated 30, cross 15, portfolio 15
//   covered call  long 1 X perp at 90, short 1 call 105, cash 10: 25 / 15 / 15, equity 20
//   hedged        long 1 X perp at 100, short 10 Y at 10, cash 20: 30 / 30 / 19.5
//   long vol      long 5 calls at 110, 0.5 years, X vol 60 % (Black-Scholes), cash 100
#include <string>

#include "keeper/daemon/derivatives_html.hpp"
#include "keeper/daemon/derivatives_report.hpp"
#include "margin/derivatives_book.hpp"

namespace keeper::app::derivatives_report_fixture {

struct DerivativesFixture {
    margin::derivatives::DerivativesBook book;
    margin::derivatives::DerivativesReport report;

    DerivativesFixture() {
        using namespace margin::derivatives;
        const auto perp = [](std::size_t u, double size, double entry, const char* label) {
            return Position{
                .kind = PositionKind::perp, .underlying = u, .quantity = size, .entry_price = entry, .label = label};
        };
        const auto option = [](margin::OptionType type, double strike, double quantity, double years,
                               std::optional<double> vol, const char* label) {
            return Position{.kind = PositionKind::option,
                            .underlying = 0,
                            .quantity = quantity,
                            .option_type = type,
                            .strike = strike,
                            .years_to_expiry = years,
                            .vol = vol,
                            .label = label};
        };
        constexpr double day = 1.0 / 365.0;
        book.underlyings = {Underlying{.name = "X", .spot = 100.0}, Underlying{.name = "Y", .spot = 10.0}};
        book.offsets = {BookOffset{.a = 0, .b = 1, .credit_fraction = 0.70}};
        book.accounts = {
            Account{.name = "straddle",
                    .cash_usd = 50,
                    .positions = {option(margin::OptionType::call, 100, -1, day, std::nullopt, "X 100 C"),
                                  option(margin::OptionType::put, 100, -1, day, std::nullopt, "X 100 P")}},
            Account{.name = "covered call",
                    .cash_usd = 10,
                    .positions = {perp(0, 1, 90, "X perp"),
                                  option(margin::OptionType::call, 105, -1, day, std::nullopt, "X 105 C")}},
            Account{
                .name = "hedged", .cash_usd = 20, .positions = {perp(0, 1, 100, "X perp"), perp(1, -10, 10, "Y perp")}},
            Account{.name = "long vol",
                    .cash_usd = 100,
                    .positions = {option(margin::OptionType::call, 110, 5, 0.5, 0.6, "X 110 C")}}};
        report = evaluate_derivatives(book).value();
    }

    DerivativesContext context() const { return DerivativesContext{"book.toml", &book, &report}; }
    std::string page() const { return derivatives_html_page(context()); }
};

}  // namespace keeper::app::derivatives_report_fixture
