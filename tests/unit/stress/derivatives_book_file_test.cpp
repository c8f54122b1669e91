// `stress --derivatives FILE`: a portfolio-margined book in TOML, and the
// errors an operator gets for a bad file (file, line, key, what was expected).
#include <gtest/gtest.h>

#include "keeper/config/derivatives_book_file.hpp"

namespace keeper::config {
namespace derivatives_book_file_test {

using margin::derivatives::PositionKind;

std::string error_of(std::string_view text) {
    auto parsed = parse_derivatives_book(text, "d.toml");
    return parsed ? std::string("(parsed)") : parsed.error().message;
}

constexpr const char* kBook = R"(as_of = 2026-12-07

[scan]
max_move_percent = 20
spot_steps = 9
vol_shifts_points = [-5, 0, 5]
time_step_days = 2

[portfolio]
short_option_minimum_percent = 1.5

[[offset]]
underlyings = ["BTC", "ETH"]
credit_percent = 70

[underlyings.BTC]
spot = 60000
vol_percent = 55
scan_range_percent = 10

[underlyings.ETH]
spot = 3000
vol_percent = 70
rate_percent = 4

[[account]]
name = "mm-1"
cash = 250000

[[account.option]]
underlying = "BTC"
type = "call"
strike = 65000
expiry = 2027-03-07
quantity = -10
mark = 2450.5

[[account.option]]
underlying = "ETH"
type = "put"
strike = 2800
expiry_years = 0.5
quantity = 4
vol_percent = 80

[[account.perp]]
underlying = "BTC"
size = 2.5
entry_price = 58000

[[account]]
name = "empty"
)";

TEST(DerivativesBookFile, ReadsUnderlyingsAccountsPositionsAndTheGrid) {
    const auto parsed = parse_derivatives_book(kBook, "d.toml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    const auto& book = *parsed;
    // [underlyings] in name order: BTC, ETH.
    ASSERT_EQ(book.underlyings.size(), 2u);
    EXPECT_EQ(book.underlyings[0].name, "BTC");
    EXPECT_DOUBLE_EQ(book.underlyings[0].spot, 60000);
    EXPECT_DOUBLE_EQ(book.underlyings[0].vol, 0.55);
    EXPECT_DOUBLE_EQ(book.underlyings[0].scan_range_fraction.value_or(0), 0.10);
    EXPECT_DOUBLE_EQ(book.underlyings[1].rate, 0.04);
    EXPECT_FALSE(book.underlyings[1].scan_range_fraction.has_value());
    EXPECT_DOUBLE_EQ(book.grid.max_spot_move_fraction, 0.20);
    EXPECT_EQ(book.grid.spot_steps, 9u);
    ASSERT_EQ(book.grid.vol_shifts_abs.size(), 3u);
    EXPECT_DOUBLE_EQ(book.grid.vol_shifts_abs[0], -0.05);
    EXPECT_DOUBLE_EQ(book.grid.time_step_years, 2.0 / 365);
    EXPECT_DOUBLE_EQ(book.short_option_minimum_fraction, 0.015);
    ASSERT_EQ(book.offsets.size(), 1u);
    EXPECT_EQ(book.offsets[0].a, 0u);
    EXPECT_EQ(book.offsets[0].b, 1u);
    EXPECT_DOUBLE_EQ(book.offsets[0].credit_fraction, 0.70);
    ASSERT_EQ(book.accounts.size(), 2u);
    const auto& mm = book.accounts[0];
    EXPECT_EQ(mm.name, "mm-1");
    EXPECT_DOUBLE_EQ(mm.cash_usd, 250000);
    ASSERT_EQ(mm.positions.size(), 3u);
    // 2026-12-07 to 2027-03-07: 24 + 31 + 28 + 7 = 90 days, ACT/365.
    EXPECT_DOUBLE_EQ(mm.positions[0].years_to_expiry, 90.0 / 365);
    EXPECT_DOUBLE_EQ(mm.positions[0].quantity, -10);
    EXPECT_DOUBLE_EQ(mm.positions[0].mark.value_or(0), 2450.5);
    EXPECT_EQ(mm.positions[0].label, "BTC 65000 C 2027-03-07");
    EXPECT_EQ(mm.positions[1].option_type, margin::OptionType::put);
    EXPECT_DOUBLE_EQ(mm.positions[1].vol.value_or(0), 0.80);
    EXPECT_EQ(mm.positions[1].label, "ETH 2800 P 0.5y");
    EXPECT_EQ(mm.positions[2].kind, PositionKind::perp);
    EXPECT_DOUBLE_EQ(mm.positions[2].quantity, 2.5);
    EXPECT_DOUBLE_EQ(mm.positions[2].entry_price, 58000);
    EXPECT_TRUE(book.accounts[1].positions.empty());
}

TEST(DerivativesBookFile, EveryProblemNamesLineAndKey) {
    const std::string errors = error_of(R"([underlyings.BTC]
spot = -1
vol_percent = 50
[[account]]
name = "a"
[[account.option]]
underlying = "SOL"
type = "straddle"
strike = 100
expiry = 2027-01-01
quantity = 1
colour = "red"
[[account.perp]]
underlying = "BTC"
size = "big"
entry_price = 10
)");
    EXPECT_NE(errors.find("d.toml:2: underlyings.BTC.spot: must be above 0"), std::string::npos) << errors;
    EXPECT_NE(errors.find("d.toml:7: account[0].option[0].underlying: \"SOL\" is not in [underlyings]"),
              std::string::npos)
        << errors;
    EXPECT_NE(errors.find("d.toml:8: account[0].option[0].type: expected \"call\" or \"put\""), std::string::npos)
        << errors;
    EXPECT_NE(errors.find("d.toml:10: account[0].option[0].expiry: a date expiry needs as_of"), std::string::npos)
        << errors;
    EXPECT_NE(errors.find("d.toml:12: unknown key 'account[0].option[0].colour'"), std::string::npos) << errors;
    EXPECT_NE(errors.find("d.toml:15: account[0].perp[0].size: expected a number"), std::string::npos) << errors;
}

TEST(DerivativesBookFile, RefusesExpiredOptionsTwoExpiriesAndBadOffsets) {
    const std::string errors = error_of(R"(as_of = 2026-12-07
[underlyings.BTC]
spot = 1
vol_percent = 50
[[offset]]
underlyings = ["BTC", "BTC"]
credit_percent = 170
[[account]]
name = "a"
[[account.option]]
underlying = "BTC"
type = "put"
strike = 1
expiry = 2026-12-07
quantity = 1
[[account.option]]
underlying = "BTC"
type = "put"
strike = 1
expiry = 2026-12-31
expiry_years = 0.1
quantity = 1
[[account]]
name = "a"
)");
    EXPECT_NE(errors.find("d.toml:6: offset[0].underlyings: an offset pairs two different underlyings"),
              std::string::npos)
        << errors;
    EXPECT_NE(errors.find("d.toml:7: offset[0].credit_percent: must be at least 0 and at most 100"), std::string::npos)
        << errors;
    EXPECT_NE(errors.find("d.toml:14: account[0].option[0].expiry: expired: not after as_of"), std::string::npos)
        << errors;
    EXPECT_NE(errors.find("account[0].option[1].expiry: give exactly one of expiry (a date) and expiry_years"),
              std::string::npos)
        << errors;
    EXPECT_NE(errors.find("d.toml:24: account[1].name: \"a\" names two accounts"), std::string::npos) << errors;
}

TEST(DerivativesBookFile, NeedsUnderlyingsAndAccountsAndReportsSyntaxWithALine) {
    EXPECT_NE(error_of("").find("d.toml: underlyings: required key missing"), std::string::npos) << error_of("");
    EXPECT_NE(error_of("").find("d.toml: account: required key missing"), std::string::npos);
    EXPECT_NE(error_of("[scan\n").find("d.toml:1:"), std::string::npos) << error_of("[scan\n");
    EXPECT_NE(error_of("[scan]\nmax_move_percent = 120\n").find("scan.max_move_percent: must be above 0"),
              std::string::npos);
    const auto missing = load_derivatives_book("/nonexistent/d.toml");
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().message.find("/nonexistent/d.toml: cannot read"), std::string::npos);
}

}  // namespace derivatives_book_file_test
}  // namespace keeper::config
