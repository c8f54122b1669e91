#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>

#include "chain/private_key.hpp"
#include "chain/signer.hpp"

using keeper::chain::PrivateKey;

namespace private_key_test {

template <class T>
concept Streamable = requires(std::ostream& os, const T& v) { os << v; };

constexpr const char* kKeyHex = "4646464646464646464646464646464646464646464646464646464646464646";

// Compile-time: no way to stream or copy a key.
static_assert(!Streamable<PrivateKey>, "a PrivateKey must not be streamable");
static_assert(!std::is_copy_constructible_v<PrivateKey>);
static_assert(!std::is_copy_assignable_v<PrivateKey>);
static_assert(std::is_nothrow_move_constructible_v<PrivateKey>);

TEST(PrivateKey, RedactedFormsNeverContainTheSecret) {
    auto key = PrivateKey::from_hex(std::string("0x") + kKeyHex);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(PrivateKey::redacted(), "PrivateKey(<redacted>)");
    std::ostringstream printed;
    PrintTo(*key, &printed);  // what GoogleTest shows in failure messages
    EXPECT_EQ(printed.str(), "PrivateKey(<redacted>)");
    EXPECT_EQ(printed.str().find("4646"), std::string::npos);
    EXPECT_EQ(testing::PrintToString(*key), "PrivateKey(<redacted>)");
}

TEST(PrivateKey, ParsesHexWithOrWithoutPrefix) {
    auto a = PrivateKey::from_hex(kKeyHex);
    auto b = PrivateKey::from_hex(std::string("0x") + kKeyHex);
    ASSERT_TRUE(a.has_value());
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(a->secret_bytes(), b->secret_bytes());
    EXPECT_EQ(a->secret_bytes()[0], 0x46);
}

TEST(PrivateKey, RejectsOutOfRangeAndMalformedWithoutEchoingInput) {
    struct Case {
        std::string text;
        std::string error;
    };
    const Case cases[] = {
        {std::string(64, '0'), "private key: zero is not a valid key"},
        // n itself, and n + 1: not below the group order.
        {"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
         "private key: not below the secp256k1 group order"},
        {"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142",
         "private key: not below the secp256k1 group order"},
        {std::string(64, 'f'), "private key: not below the secp256k1 group order"},
        {"0x1234", "private key: expected 64 hex digits, found 4"},
        {std::string("0x") + std::string(63, '4') + "g", "private key: invalid hex digit at position 65"},
        {std::string(10, 'z') + std::string(54, '4'), "private key: invalid hex digit at position 0"},
    };
    for (const auto& c : cases) {
        auto key = PrivateKey::from_hex(c.text);
        ASSERT_FALSE(key.has_value()) << c.text;
        EXPECT_EQ(key.error().message, c.error) << c.text;
    }
    // n - 1 is the largest valid key.
    EXPECT_TRUE(PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140").has_value());
    EXPECT_TRUE(PrivateKey::from_hex(std::string(63, '0') + "1").has_value());
}

TEST(PrivateKey, MoveLeavesTheSourceWiped) {
    auto parsed = PrivateKey::from_hex(kKeyHex);
    ASSERT_TRUE(parsed.has_value());
    PrivateKey moved = std::move(*parsed);
    EXPECT_EQ(moved.secret_bytes()[31], 0x46);
    for (auto b : parsed->secret_bytes()) EXPECT_EQ(b, 0);  // NOLINT(bugprone-use-after-move): checking the wipe
}

}  // namespace private_key_test
