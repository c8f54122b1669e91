#include <gtest/gtest.h>

#include "core/address.hpp"
#include "core/keccak.hpp"

using keeper::Address;

// EIP-55's own examples.
TEST(Address, FormatsEip55Examples) {
    for (const char* text : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                             "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
        auto parsed = Address::parse(text);
        ASSERT_TRUE(parsed.has_value()) << text;
        EXPECT_EQ(parsed->checksummed(), text);
    }
}

TEST(Address, AcceptsSingleCaseAndRejectsBadChecksum) {
    EXPECT_TRUE(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").has_value());
    EXPECT_TRUE(Address::parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").has_value());
    auto bad = Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().message, "address: bad EIP-55 checksum: expected 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    EXPECT_FALSE(Address::parse("0x1234").has_value());
    EXPECT_FALSE(Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg").has_value());
}

TEST(Keccak, KnownAnswers) {
    EXPECT_EQ(keeper::keccak256(std::string_view("")).hex(),
              "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    EXPECT_EQ(keeper::keccak256(std::string_view("abc")).hex(),
              "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    EXPECT_EQ(keeper::hex::encode(keeper::selector("baz(uint32,bool)")), "0xcdcd77c0");
    EXPECT_EQ(keeper::event_topic("Transfer(address,address,uint256)").hex(),
              "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}
