#include <gtest/gtest.h>

#include <random>

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
    EXPECT_FALSE(
        U256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639936").has_value());
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

// The 128- and 256-bit fast paths of /, checked_mul and mul_div against a
// 512-bit reference on operands of every width from 1 to 256 bits.
TEST(U256, FastPathsAgreeWithA512BitReferenceAtEveryWidth) {
    // Divisors below 2^64 take a limb-by-limb path, below 2^128 (with the
    // dividend) a 128-bit one: widths are drawn uniformly so each is hit.
    using Wide = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
        512, 512, boost::multiprecision::unsigned_magnitude, boost::multiprecision::unchecked, void>>;
    const Wide limit = Wide(1) << 256;
    std::mt19937_64 rng(256);
    auto random_of_width = [&](unsigned width) {
        U256 v;
        for (unsigned i = 0; i < 4; ++i) v = (v << 64) | U256(rng());
        return width == 0 ? U256() : (v >> (256 - width)) | (U256(1) << (width - 1));
    };
    for (int round = 0; round < 4000; ++round) {
        const U256 a = random_of_width(static_cast<unsigned>(rng() % 257));
        const U256 b = random_of_width(static_cast<unsigned>(rng() % 257));
        const U256 d = random_of_width(1 + static_cast<unsigned>(rng() % 256));
        const Wide product = Wide(a.rep()) * Wide(b.rep());
        const auto mul = keeper::checked_mul(a, b);
        ASSERT_EQ(mul.has_value(), product < limit) << a.to_hex() << " " << b.to_hex();
        if (mul) {
            EXPECT_EQ(Wide(mul->rep()), product);
        }
        const Wide down = product / Wide(d.rep());
        const Wide up = down + (product % Wide(d.rep()) != 0 ? 1 : 0);
        const auto q_down = keeper::mul_div_down(a, b, d);
        const auto q_up = keeper::mul_div_up(a, b, d);
        ASSERT_EQ(q_down.has_value(), down < limit);
        ASSERT_EQ(q_up.has_value(), up < limit);
        if (q_down) {
            EXPECT_EQ(Wide(q_down->rep()), down) << a.to_hex() << " " << b.to_hex() << " " << d.to_hex();
        }
        if (q_up) {
            EXPECT_EQ(Wide(q_up->rep()), up) << a.to_hex() << " " << b.to_hex() << " " << d.to_hex();
        }
        EXPECT_EQ(a / d, U256(U256::Rep(a.rep() / d.rep())));
        EXPECT_EQ(a % d, U256(U256::Rep(a.rep() % d.rep())));
    }
}

// Division by a two-limb divisor (65 to 128 bits) of every dividend width:
// the normalised long division, with divisors whose top limb is near all
// ones and dividends just below a multiple of the divisor.
TEST(U256, TwoLimbDivisorsDivideExactly) {
    using Wide = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
        512, 512, boost::multiprecision::unsigned_magnitude, boost::multiprecision::unchecked, void>>;
    std::mt19937_64 rng(128);
    auto random_of_width = [&](unsigned width) {
        U256 v;
        for (unsigned i = 0; i < 4; ++i) v = (v << 64) | U256(rng());
        return width == 0 ? U256() : (v >> (256 - width)) | (U256(1) << (width - 1));
    };
    for (int round = 0; round < 20000; ++round) {
        U256 d = random_of_width(65 + static_cast<unsigned>(rng() % 64));
        if (round % 7 == 0) d = d | (((U256(1) << 64) - U256(1)) << 64) >> (rng() % 8);  // top limb near all ones
        U256 a = random_of_width(static_cast<unsigned>(rng() % 257));
        if (round % 5 == 0 && a > d) a = a - a % d - U256(rng() % 3);  // just below a multiple
        ASSERT_EQ(a / d, U256(U256::Rep(Wide(a.rep()) / Wide(d.rep())))) << a.to_hex() << " / " << d.to_hex();
        ASSERT_EQ(a % d, U256(U256::Rep(Wide(a.rep()) % Wide(d.rep())))) << a.to_hex() << " % " << d.to_hex();
    }
    EXPECT_EQ(U256::max() / ((U256(1) << 64) | U256(1)),
              U256(U256::Rep(U256::max().rep() / ((U256(1) << 64) | U256(1)).rep())));
}
