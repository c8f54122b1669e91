// Decimal text to exact scaled integers: what the operator wrote, to the unit.
#include <gtest/gtest.h>

#include "keeper/config/decimal_units.hpp"

using keeper::U256;
using keeper::config::parse_scaled_decimal;
using keeper::config::shortest_fixed_text;

TEST(ParseScaledDecimal, ScalesWholeAndFractionalParts) {
    EXPECT_EQ(parse_scaled_decimal("1.05", 18).value(), U256(1'050'000'000'000'000'000ULL));
    EXPECT_EQ(parse_scaled_decimal("0.5", 9).value(), U256(500'000'000));
    EXPECT_EQ(parse_scaled_decimal("7", 9).value(), U256(7'000'000'000ULL));
    EXPECT_EQ(parse_scaled_decimal("0.000000001", 9).value(), U256(1));
    EXPECT_EQ(parse_scaled_decimal("2.5000000000000", 9).value(), U256(2'500'000'000ULL));  // zeros past the scale
    EXPECT_EQ(parse_scaled_decimal("12", 0).value(), U256(12));
}

TEST(ParseScaledDecimal, RejectsWhatIsNotAPlainNonNegativeDecimal) {
    for (const char* text : {"", ".5", "5.", "-1", "+1", "1e9", "1.2.3", "0x10", " 1", "1,5"})
        EXPECT_FALSE(parse_scaled_decimal(text, 9).has_value()) << '"' << text << '"';
    EXPECT_EQ(parse_scaled_decimal("0.0000000001", 9).error().message, "decimal: more than 9 decimal places");
}

TEST(ParseScaledDecimal, RejectsValuesAboveTwoToThe256) {
    // 2^256 - 1 is 1.157...e77: 1e60 scaled by 1e18 does not fit.
    EXPECT_EQ(parse_scaled_decimal("1" + std::string(60, '0'), 18).error().message, "decimal: value too large");
    EXPECT_TRUE(parse_scaled_decimal("1" + std::string(58, '0'), 18).has_value());
}

TEST(ShortestFixedText, GivesBackTheDecimalTheAuthorTyped) {
    EXPECT_EQ(shortest_fixed_text(0.1), "0.1");
    EXPECT_EQ(shortest_fixed_text(1.05), "1.05");
    EXPECT_EQ(shortest_fixed_text(22.5), "22.5");
    EXPECT_EQ(shortest_fixed_text(3e20), "300000000000000000000");
}
