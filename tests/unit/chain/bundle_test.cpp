// eth_sendBundle requests and their X-Flashbots-Signature header. The known
// answers were computed independently with foundry's cast (keccak,
// hash-message of the keccak text, wallet sign over that text as bytes).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "chain/bundle.hpp"
#include "chain/signer.hpp"
#include "core/hex.hpp"
#include "core/keccak.hpp"

namespace keeper::chain {
namespace bundle_test {

// anvil's dev account 1, used here only as a searcher identity key.
constexpr std::string_view kAuthKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
constexpr std::string_view kAuthAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

Bundle example_bundle() {
    Bundle b;
    b.transactions = {*hex::decode("0x02abcdef"), *hex::decode("0xf86c01")};
    b.block_number = 0x10ab3c;
    b.min_timestamp = 1700000000;
    b.max_timestamp = 1700000120;
    b.reverting_transaction_hashes = {Bytes32::from_hex("0x" + std::string(64, '1')).value()};
    return b;
}

constexpr std::string_view kExampleBody =
    R"({"id":1,"jsonrpc":"2.0","method":"eth_sendBundle","params":[{"blockNumber":"0x10ab3c",)"
    R"("maxTimestamp":1700000120,"minTimestamp":1700000000,"revertingTxHashes":)"
    R"(["0x1111111111111111111111111111111111111111111111111111111111111111"],"txs":["0x02abcdef","0xf86c01"]}]})";

TEST(Bundle, RequestTextIsTheFlashbotsShape) {
    EXPECT_EQ(send_bundle_body(example_bundle(), 1), kExampleBody);
}

TEST(Bundle, OptionalFieldsAreOmittedWhenUnset) {
    Bundle b;
    b.transactions = {*hex::decode("0x02")};
    b.block_number = 1;
    const auto params = bundle_params(b);
    EXPECT_EQ(params, nlohmann::json::parse(R"({"txs":["0x02"],"blockNumber":"0x1"})"));
    const auto request = nlohmann::json::parse(send_bundle_body(b, 7));
    EXPECT_EQ(request["method"], "eth_sendBundle");
    EXPECT_EQ(request["id"], 7);
    ASSERT_TRUE(request["params"].is_array());
    ASSERT_EQ(request["params"].size(), 1u);
    EXPECT_EQ(request["params"][0], params);
}

TEST(Bundle, PersonalMessageHashMatchesEip191KnownAnswers) {
    EXPECT_EQ(personal_message_hash("hello world").hex(),
              "0xd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68");
    EXPECT_EQ(personal_message_hash("").hex(), "0x5f35dce98ba4fba25530a026ed80b2cecdaa31091ba4958b99b52ea1d068adad");
}

TEST(Bundle, SignatureHeaderKnownAnswer) {
    const auto key = PrivateKey::from_hex(kAuthKey).value();
    // What is signed: the text "0x" + hex(keccak256(body)), EIP-191 prefixed.
    EXPECT_EQ(keccak256(kExampleBody).hex(), "0xbad4df6a8e0d33b230584d85192f59b703a7020fcc7817394cd24bdf37be713f");
    EXPECT_EQ(personal_message_hash(keccak256(kExampleBody).hex()).hex(),
              "0x06b24a3f61ff1b80f09db5f6b1fe58dcd2e65d354ea09962c911e335a3183626");
    EXPECT_EQ(flashbots_signature(kExampleBody, key),
              std::string(kAuthAddress) +
                  ":0x13335b2d42c8d1554e0362bb9dd0e7a353dc30c17ce6a678451d6f20bab63375"
                  "4d6ae1a875e76f3ad4604166c33ce35b04c95543580404da99e1d66ccf9792741c");
}

TEST(Bundle, SignatureRecoversToTheSignerAndVIs27Or28) {
    const auto key = PrivateKey::from_hex(kAuthKey).value();
    for (std::uint64_t block = 1; block <= 8; ++block) {  // both y parities show up
        Bundle b = example_bundle();
        b.block_number = block;
        const std::string body = send_bundle_body(b, block);
        const std::string header = flashbots_signature(body, key);
        const auto v = hex::decode(header.substr(header.size() - 2)).value().at(0);
        EXPECT_TRUE(v == 27 || v == 28) << header;
        auto who = verify_flashbots_signature(header, body);
        ASSERT_TRUE(who.has_value()) << who.error().message;
        EXPECT_EQ(who->checksummed(), kAuthAddress);
    }
}

TEST(Bundle, VerificationRejectsTamperedBodiesAndMalformedHeaders) {
    const auto key = PrivateKey::from_hex(kAuthKey).value();
    const std::string body(kExampleBody);
    const std::string header = flashbots_signature(body, key);
    std::string tampered = body;
    tampered[tampered.find("0x10ab3c")+7] = 'd';  // another block
    EXPECT_FALSE(verify_flashbots_signature(header, tampered).has_value());
    // Another address claiming the signature.
    EXPECT_FALSE(verify_flashbots_signature("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" + header.substr(header.find(':')), body)
                     .has_value());
    const struct {
        std::string header;
        std::string_view why;
    } malformed[] = {
        {header.substr(0, header.find(':')), "no colon"},
        {header.substr(0, header.size() - 2), "64 bytes"},
        {header.substr(0, header.size() - 2) + "1d", "v = 29"},
        {"0x1234:" + header.substr(header.find(':') + 1), "short address"},
    };
    for (const auto& m : malformed) EXPECT_FALSE(verify_flashbots_signature(m.header, body).has_value()) << m.why;
}

TEST(Bundle, RsvHexIs65BytesWithVOffsetBy27) {
    Signature sig;
    sig.r.bytes.fill(0xaa);
    sig.s.bytes.fill(0xbb);
    sig.y_parity = 1;
    EXPECT_EQ(signature_hex_rsv(sig), "0x" + std::string(64, 'a') + std::string(64, 'b') + "1c");
}

}  // namespace bundle_test
}  // namespace keeper::chain
