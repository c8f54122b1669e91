#include <gtest/gtest.h>

#include <string>

#include "chain/transaction.hpp"
#include "core/hex.hpp"

using keeper::Address;
using keeper::Bytes;
using keeper::Bytes32;
using keeper::U256;
using namespace keeper::chain;

namespace transaction_test {

Bytes unhex(std::string_view h) { return keeper::hex::decode(h).value(); }
Address addr(std::string_view h) { return Address::from_hex(h).value(); }
Bytes32 b32(std::string_view h) { return Bytes32::from_hex(h).value(); }
PrivateKey key(std::string_view h) { return PrivateKey::from_hex(h).value(); }

// EIP-155's worked example.
LegacyTransaction eip155_example() {
    LegacyTransaction tx;
    tx.chain_id = ChainId{1};
    tx.nonce = Nonce{9};
    tx.gas_price_wei = U256(20'000'000'000);  // 20 gwei
    tx.gas_limit = GasLimit{21000};
    tx.to = addr("0x3535353535353535353535353535353535353535");
    tx.value_wei = U256::pow10(18);  // 1 ether
    return tx;
}

constexpr const char* kEip155Raw =
    "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe"
    "537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

TEST(Eip155, SigningDataHashAndSignedBytesMatchTheEip) {
    const Transaction tx = eip155_example();
    EXPECT_EQ(keeper::hex::encode(signing_payload(tx)),
              "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
    EXPECT_EQ(signing_hash(tx).hex(), "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    const SignedTransaction signed_tx =
        sign(tx, key("0x4646464646464646464646464646464646464646464646464646464646464646"));
    EXPECT_EQ(keeper::hex::encode(encode_raw(signed_tx)), kEip155Raw);
    EXPECT_EQ(type_of(signed_tx.tx), TxType::legacy);
}

TEST(Eip155, DecodesThePublishedBytesAndRecoversTheSender) {
    auto decoded = decode_raw(unhex(kEip155Raw));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    ASSERT_TRUE(std::holds_alternative<LegacyTransaction>(decoded->tx));
    EXPECT_EQ(std::get<LegacyTransaction>(decoded->tx), eip155_example());
    EXPECT_EQ(decoded->signature.y_parity, 0);  // v = 37 = 1 * 2 + 35 + 0
    EXPECT_EQ(U256::from_be(decoded->signature.r.view()).to_dec(),
              "18515461264373351373200002665853028612451056578545711640558177340181847433846");
    EXPECT_EQ(U256::from_be(decoded->signature.s.view()).to_dec(),
              "46948507304638947509940763649030358759909902576025900602547168820602576006531");
    auto sender = recover_sender(*decoded);
    ASSERT_TRUE(sender.has_value()) << sender.error().message;
    EXPECT_EQ(sender->checksummed(), "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    EXPECT_EQ(keeper::hex::encode(encode_raw(*decoded)), kEip155Raw);
}

// Mainnet transaction 0x0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0
// (setApprovalForAll), as used in reth's recover_signer_eip1559 test.
TEST(Eip1559, MainnetTransactionHashesAndRecovers) {
    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{1};
    tx.nonce = Nonce{0x42};
    tx.gas_limit = GasLimit{44386};
    tx.to = addr("0x6069a6c32cf691f5982febae4faf8a6f3ab2f0f6");
    tx.data = unhex(
        "a22cb4650000000000000000000000005eee75727d804a2b13038928d36f8b188945a57a0000000000000000000000000000000000000000"
        "000000000000000000000000");
    tx.max_fee_per_gas_wei = U256(0x4a817c800);          // 20 gwei
    tx.max_priority_fee_per_gas_wei = U256(0x3b9aca00);  // 1 gwei
    SignedTransaction signed_tx{tx, Signature{b32("0x840cfc572845f5786e702984c2a582528cad4b49b2a10b9db1be7fca90058565"),
                                              b32("0x25e7109ceb98168d95b09b18bbf6b685130e0562f233877d492b94eee0c5b6d1"),
                                              0}};
    EXPECT_EQ(transaction_hash(signed_tx).hex(), "0x0ec0b6a2df4d87424e5f6ad2a654e27aaeb7dac20ae9e8385cc09087ad532ee0");
    auto sender = recover_sender(signed_tx);
    ASSERT_TRUE(sender.has_value()) << sender.error().message;
    EXPECT_EQ(*sender, addr("0xdd6b8b3dc6b7ad97db52f08a275ff4483e024cea"));
    auto decoded = decode_raw(encode_raw(signed_tx));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(*decoded, signed_tx);
}

// ethereumjs packages/tx/test/testData/eip1559.ts, vector 0 (produced by Besu):
// signing with RFC 6979 nonces must reproduce the published bytes exactly.
TEST(Eip1559, SigningReproducesTheEthereumjsBesuVector) {
    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{4};
    tx.nonce = Nonce{819};
    tx.max_priority_fee_per_gas_wei = U256(75853);
    tx.max_fee_per_gas_wei = U256(121212);
    tx.gas_limit = GasLimit{35552};
    tx.to = addr("0x000000000000000000000000000000000000aaaa");
    tx.value_wei = U256(43203529);
    const SignedTransaction signed_tx =
        sign(tx, key("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63"));
    EXPECT_EQ(keeper::hex::encode(encode_raw(signed_tx)),
              "0x02f86e048203338301284d8301d97c828ae094000000000000000000000000000000000000aaaa8402933bc980c080a00f924cb6"
              "8412c8f1cfd74d9b581c71eeaf94fff6abdde3e5b02ca6b2931dcf47a07dd1c50027c3e31f8b565e25ce68a5072110f61fce5eee81"
              "b195dd51273c2f83");
}

// go-ethereum core/types/transaction_test.go: emptyEip2718Tx with the
// signature signedEip2718Tx is given; signing hash and MarshalBinary bytes.
TEST(Eip2930, GoEthereumVector) {
    AccessListTransaction tx;
    tx.chain_id = ChainId{1};
    tx.nonce = Nonce{3};
    tx.gas_price_wei = U256(1);
    tx.gas_limit = GasLimit{25000};
    tx.to = addr("0xb94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    tx.value_wei = U256(10);
    tx.data = unhex("5544");
    EXPECT_EQ(signing_hash(tx).hex(), "0x49b486f0ec0a60dfbbca2d30cb07c9e8ffb2a2ff41f29a1ab6737475f6ff69f3");
    SignedTransaction signed_tx{tx, Signature{b32("0xc9519f4f2b30335884581971573fadf60c6204f59a911df35ee8a540456b2660"),
                                              b32("0x32f1e8e2c5dd761f9e4f88f41c8310aeaba26a8bfcdacfedfa12ec3862d37521"),
                                              1}};
    const Bytes raw = encode_raw(signed_tx);
    EXPECT_EQ(keeper::hex::encode(raw),
              "0x01f8630103018261a894b94f5374fce5edbc8e2a8697c15331677e6ebf0b0a825544c001a0c9519f4f2b30335884581971573fad"
              "f60c6204f59a911df35ee8a540456b2660a032f1e8e2c5dd761f9e4f88f41c8310aeaba26a8bfcdacfedfa12ec3862d37521");
    auto decoded = decode_raw(raw);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(*decoded, signed_tx);
}

TEST(Transactions, RoundTripEveryTypeWithAccessListsAndCreation) {
    const PrivateKey signer = key("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    const Address expected_sender = address_of(signer);
    AccessList access_list{
        {addr("0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
         {b32("0x0000000000000000000000000000000000000000000000000000000000000003"),
          b32("0x00000000000000000000000000000000000000000000000000000000000000ff")}},
        {addr("0xcccccccccccccccccccccccccccccccccccccccc"), {}},
    };
    DynamicFeeTransaction type2;
    type2.chain_id = ChainId{31337};
    type2.nonce = Nonce{0};  // zero encodes as 0x80 and must decode back
    type2.max_priority_fee_per_gas_wei = U256(1'500'000'000);
    type2.max_fee_per_gas_wei = U256::from_dec("123456789012345678901234567890").value();  // > 2^64
    type2.gas_limit = GasLimit{1'000'000};
    type2.to = addr("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    type2.value_wei = U256(0);
    type2.data = Bytes(300, 0xab);  // long-form string
    type2.access_list = access_list;

    AccessListTransaction type1;
    type1.chain_id = ChainId{1};
    type1.nonce = Nonce{UINT64_MAX};
    type1.gas_price_wei = U256(7);
    type1.gas_limit = GasLimit{21000};
    type1.to = std::nullopt;  // contract creation
    type1.value_wei = U256::pow10(18);
    type1.data = unhex("6080604052");
    type1.access_list = access_list;

    LegacyTransaction legacy = eip155_example();
    legacy.chain_id = ChainId{UINT64_MAX / 2};  // v no longer fits 64 bits
    LegacyTransaction pre155 = eip155_example();
    pre155.chain_id = std::nullopt;

    for (const Transaction& tx : {Transaction(type2), Transaction(type1), Transaction(legacy), Transaction(pre155)}) {
        const SignedTransaction signed_tx = sign(tx, signer);
        const Bytes raw = encode_raw(signed_tx);
        auto decoded = decode_raw(raw);
        ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
        EXPECT_EQ(*decoded, signed_tx);
        auto sender = recover_sender(*decoded);
        ASSERT_TRUE(sender.has_value()) << sender.error().message;
        EXPECT_EQ(*sender, expected_sender);
        EXPECT_EQ(transaction_hash(*decoded), transaction_hash(signed_tx));
    }
}

TEST(Transactions, TamperedFieldsRecoverADifferentSender) {
    const PrivateKey signer = key("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{1};
    tx.gas_limit = GasLimit{21000};
    tx.to = addr("0x3535353535353535353535353535353535353535");
    SignedTransaction signed_tx = sign(tx, signer);
    std::get<DynamicFeeTransaction>(signed_tx.tx).value_wei = U256(1);
    // Either no key recovers (an error) or some other key does; never the signer.
    auto sender = recover_sender(signed_tx);
    if (sender) {
        EXPECT_NE(*sender, address_of(signer));
    }
}

TEST(Transactions, DecodeRejectsMalformedInputNamingFieldAndOffset) {
    struct Case {
        const char* name;
        std::string hex;
        const char* error;
    };
    const Case cases[] = {
        {"empty", "", "transaction: empty input"},
        {"unknown type", "0x03c0", "transaction: unsupported type 3 at offset 0"},
        {"rlp string", "0x80", "transaction: expected a list or a typed envelope, found an RLP string at offset 0"},
        {"typed without list", "0x0280", "transaction: expected a list after the type byte at offset 1"},
        {"typed trailing", "0x02c000", "transaction: 1 trailing bytes at offset 2"},
        {"typed empty list", "0x02c0", "transaction: chain_id: rlp: unexpected end of input, expected an item at offset 2"},
        // nonce 0x0009 with a leading zero.
        {"nonce leading zero", "0x02c401820009",
         "transaction: nonce: rlp: integer with a leading zero byte at offset 3"},
        // to of 2 bytes.
        {"short to", "0x02c8010203040582aaaa", "transaction: to: expected 0 or 20 bytes, found 2 at offset 7"},
        // y parity 2.
        {"y parity", "0x02cc0180808080808080c0020101",
         "transaction: y_parity: must be 0 or 1, found 2 at offset 11"},
        // An access-list storage key of 31 bytes.
        {"short storage key",
         "0x02f8430180808080808080f7f6940000000000000000000000000000000000000000e09f0000000000000000000000000000"
         "0000000000000000000000000000000000800101",
         "transaction: access_list: rlp: expected a string of 32 bytes, found 31 at offset 35"},
        // Extra field after s.
        {"extra field", "0x02cd0180808080808080c080010101",
         "transaction: fields: rlp: unexpected extra item in list at offset 14"},
        // Legacy with v = 29.
        {"legacy v", "0xc90980808080801d0101",
         "transaction: v: expected 27, 28 or at least 35, found 29 at offset 7"},
        {"legacy truncated", kEip155Raw, ""},
    };
    for (const auto& c : cases) {
        Bytes raw = unhex(c.hex);
        if (std::string(c.name) == "legacy truncated") {
            raw.pop_back();
            auto decoded = decode_raw(raw);
            ASSERT_FALSE(decoded.has_value());
            EXPECT_EQ(decoded.error().message, "transaction: rlp: list of 108 bytes runs past the end (107 left) at offset 0");
            continue;
        }
        auto decoded = decode_raw(raw);
        ASSERT_FALSE(decoded.has_value()) << c.name;
        EXPECT_EQ(decoded.error().message, c.error) << c.name;
    }
}

TEST(Transactions, RecoverRejectsHighS) {
    auto decoded = decode_raw(unhex(kEip155Raw)).value();
    // s' = n - s is the same signature's other half: valid ECDSA, rejected by EIP-2.
    const U256 n = U256::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").value();
    decoded.signature.s = Bytes32((n - U256::from_be(decoded.signature.s.view())).to_be());
    decoded.signature.y_parity ^= 1;
    EXPECT_EQ(recover_sender(decoded).error().message, "transaction: signature s above n/2 (EIP-2)");
    // The raw ecrecover accepts it and finds the same signer.
    EXPECT_EQ(recover_address(signing_hash(decoded.tx), decoded.signature).value().checksummed(),
              "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

}  // namespace transaction_test
