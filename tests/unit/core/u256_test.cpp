#include <gtest/gtest.h>

#include "core/u256.hpp"

using keeper::U256;

TEST(U256, ParsesAndPrintsDecimalAndHex) {
    EXPECT_EQ(U256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639935").value(),
              U256::max());
    EXPECT_EQ(U256::max().to_hex(), "0x" + std::string(64, 'f'));
    EXPECT_EQ(U256(0).to_hex(), "0x0");
    EXPECT_EQ(U256::from_hex("0x1bc16d674ec80000").value(), U256(2000000000000000000ULL));
    EXPECT_EQ(U256(2000000000000000000ULL).to_dec(), "2000000000000000000");
}

TEST(U256, RejectsMalformedText) {
    EXPECT_FALSE(U256::from_dec("").has_value());
    EXPECT_FALSE(U256::from_dec("-1").has_value());
    EXPECT_FALSE(U256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639936").has_value());
    EXPECT_EQ(U256::from_dec("12a").error().message, "uint256: invalid decimal digit at position 2");
    EXPECT_FALSE(U256::from_hex("0x").has_value());
    EXPECT_FALSE(U256::from_hex("0x1" + std::string(64, '0')).has_value());
    EXPECT_TRUE(U256::from_hex("0x000" + std::string(64, 'f')).has_value());
    EXPECT_EQ(U256::from_hex("0xzz").error().message, "uint256: invalid hex digit at position 2");
}

TEST(U256, WrapsLikeTheEvmAndChecksLikeSolidity) {
    EXPECT_EQ(U256(0) - U256(1), U256::max());
    EXPECT_EQ(U256::max() + U256(1), U256(0));
    EXPECT_FALSE(keeper::checked_add(U256::max(), U256(1)).has_value());
    EXPECT_FALSE(keeper::checked_sub(U256(1), U256(2)).has_value());
    EXPECT_FALSE(keeper::checked_mul(U256(1) << 128, U256(1) << 128).has_value());
    EXPECT_EQ(keeper::checked_mul(U256(1) << 127, U256(2)).value(), U256(1) << 128);
}

TEST(U256, MulDivKeepsA512BitIntermediateAndRoundsAsAsked) {
    // (2^256-1) * 3 / 4 overflows 256 bits in the product but not in the quotient.
    const U256 big = U256::max();
    EXPECT_EQ(keeper::mul_div_down(big, 3, 4).value(), (big / 4) * 3 + (big % 4) * 3 / 4);
    EXPECT_EQ(keeper::mul_div_down(U256(10), 1, 3).value(), U256(3));
    EXPECT_EQ(keeper::mul_div_up(U256(10), 1, 3).value(), U256(4));
    EXPECT_EQ(keeper::mul_div_up(U256(9), 1, 3).value(), U256(3));
    EXPECT_FALSE(keeper::mul_div_down(big, big, 1).has_value());
    EXPECT_FALSE(keeper::mul_div_down(1, 1, 0).has_value());
    EXPECT_EQ(keeper::div_up(U256(7), U256(2)), U256(4));
}

TEST(U256, BigEndianRoundTrip) {
    const U256 v = U256::from_hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20").value();
    const auto be = v.to_be();
    EXPECT_EQ(be[0], 0x01);
    EXPECT_EQ(be[31], 0x20);
    EXPECT_EQ(U256::from_be(be), v);
    const std::uint8_t short_be[] = {0x01, 0x00};
    EXPECT_EQ(U256::from_be(short_be), U256(256));
    EXPECT_EQ(v.bit_width(), 249u);
    EXPECT_EQ(U256(0).bit_width(), 0u);
}
