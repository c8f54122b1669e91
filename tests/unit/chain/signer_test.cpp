#include <gtest/gtest.h>

#include "chain/signer.hpp"
#include "core/keccak.hpp"

using keeper::Address;
using keeper::Bytes32;
using keeper::chain::PrivateKey;
using keeper::chain::Signature;

namespace signer_test {

Bytes32 b32(std::string_view hex) { return Bytes32::from_hex(hex).value(); }

// Well-known keys and their addresses: the EIP-155 example key, Hardhat/anvil
// account 0, and the Besu dev account used by the ethereumjs fixtures.
TEST(Signer, AddressOfKnownKeys) {
    struct Case {
        const char* key;
        const char* address;
    };
    const Case cases[] = {
        {"4646464646464646464646464646464646464646464646464646464646464646",
         "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"},
        {"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
         "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
        {"8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63",
         "0xFE3B557E8Fb62b89F4916B721be55cEb828dBd73"},
    };
    for (const auto& c : cases) {
        auto key = PrivateKey::from_hex(c.key);
        ASSERT_TRUE(key.has_value());
        EXPECT_EQ(keeper::chain::address_of(*key).checksummed(), c.address);
    }
}

// EIP-155's example: signing hash daf5a7... with key 0x46..46 gives
// v = 37 (y = 0), r = 0x28ef61..., s = 0x67cbe9... (RFC 6979 nonces).
TEST(Signer, SignsDeterministicallyAndRecovers) {
    auto key = PrivateKey::from_hex("4646464646464646464646464646464646464646464646464646464646464646").value();
    const Bytes32 hash = b32("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    const Signature sig = keeper::chain::sign_hash(hash, key);
    EXPECT_EQ(sig.r, b32("0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"));
    EXPECT_EQ(sig.s, b32("0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"));
    EXPECT_EQ(sig.y_parity, 0);
    EXPECT_TRUE(keeper::chain::is_low_s(sig.s));
    auto recovered = keeper::chain::recover_address(hash, sig);
    ASSERT_TRUE(recovered.has_value()) << recovered.error().message;
    EXPECT_EQ(*recovered, keeper::chain::address_of(key));
}

TEST(Signer, RecoveryRejectsInvalidSignatures) {
    const Bytes32 hash = keeper::keccak256(std::string_view("margin-keeper"));
    Signature zero_r{Bytes32{}, b32("0x01" + std::string(62, '0')), 0};
    EXPECT_EQ(keeper::chain::recover_address(hash, zero_r).error().message, "signature: r and s must be non-zero");
    Signature bad_parity{b32("0x01" + std::string(62, '0')), b32("0x01" + std::string(62, '0')), 2};
    EXPECT_EQ(keeper::chain::recover_address(hash, bad_parity).error().message,
              "signature: y parity must be 0 or 1, found 2");
    // r = n is not a valid scalar.
    Signature r_is_n{b32("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
                     b32("0x01" + std::string(62, '0')), 0};
    EXPECT_EQ(keeper::chain::recover_address(hash, r_is_n).error().message,
              "signature: r or s not below the secp256k1 group order");
}

TEST(Signer, LowSBoundaryIsHalfTheOrder) {
    EXPECT_TRUE(keeper::chain::is_low_s(b32("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")));
    EXPECT_FALSE(keeper::chain::is_low_s(b32("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1")));
}

}  // namespace signer_test
