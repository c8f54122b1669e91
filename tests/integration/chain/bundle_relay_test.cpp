// A bundle posted to a relay: a loopback HTTP server in the test stands in for
// the relay, records what arrived and answers like Flashbots does.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "chain/bundle.hpp"
#include "chain/transaction.hpp"
#include "core/hex.hpp"
#include "support/anvil_process.hpp"
#include "support/recording_http_server.hpp"

namespace keeper::chain {
namespace bundle_relay_test {

using keeper::testing::dev_accounts;
using keeper::testing::RecordingHttpServer;

constexpr std::string_view kBundleHash = "0x2228f5d8954ce31dc1601a8ba264dbd401bf1428388ce88238932815c5d6f23f";

Bytes signed_transfer(const PrivateKey& key, std::uint64_t nonce) {
    DynamicFeeTransaction tx;
    tx.chain_id = ChainId{1};
    tx.nonce = Nonce{nonce};
    tx.max_priority_fee_per_gas_wei = U256::pow10(9);
    tx.max_fee_per_gas_wei = U256::pow10(11);
    tx.gas_limit = GasLimit{21'000};
    tx.to = dev_accounts()[5].address();
    tx.value_wei = U256(1);
    return encode_raw(sign(tx, key));
}

TEST(BundleRelay, PostsTheSignedBodyWithTheFlashbotsHeader) {
    auto relay = RecordingHttpServer::start(R"({"jsonrpc":"2.0","id":1,"result":{"bundleHash":")" +
                                            std::string(kBundleHash) + R"("}})");
    ASSERT_TRUE(relay.has_value()) << relay.error().message;
    const auto funds_key = PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value();
    const auto auth_key = PrivateKey::from_hex(dev_accounts()[9].private_key_hex).value();

    Bundle bundle;
    bundle.transactions = {signed_transfer(funds_key, 0), signed_transfer(funds_key, 1)};
    bundle.block_number = 19'000'001;
    bundle.max_timestamp = 1'700'000'120;
    BundleSender sender((*relay)->url(), auth_key);
    auto hash = sender.send(bundle);
    ASSERT_TRUE(hash.has_value()) << hash.error().message;
    EXPECT_EQ(hash->hex(), kBundleHash);

    const auto requests = (*relay)->requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.header("content-type"), "application/json");
    // The header signs exactly the bytes that arrived, by the auth key (not the funds key).
    const auto header = r.header("X-Flashbots-Signature");
    ASSERT_TRUE(header.has_value());
    auto signer = verify_flashbots_signature(*header, r.body);
    ASSERT_TRUE(signer.has_value()) << signer.error().message;
    EXPECT_EQ(*signer, dev_accounts()[9].address());
    EXPECT_EQ(header->substr(0, header->find(':')), dev_accounts()[9].address_hex);

    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["jsonrpc"], "2.0");
    EXPECT_EQ(body["method"], "eth_sendBundle");
    EXPECT_EQ(body["id"], 1);
    const auto& params = body["params"][0];
    EXPECT_EQ(params["blockNumber"], "0x121eac1");
    EXPECT_EQ(params["maxTimestamp"], 1'700'000'120);
    EXPECT_FALSE(params.contains("minTimestamp"));
    EXPECT_FALSE(params.contains("revertingTxHashes"));
    ASSERT_EQ(params["txs"].size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(params["txs"][i], hex::encode(bundle.transactions[i]));
        auto decoded = decode_raw(*hex::decode(params["txs"][i].get<std::string>()));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(recover_sender(*decoded).value(), dev_accounts()[0].address());
    }
}

TEST(BundleRelay, ARelayRefusalIsAnRpcErrorAndAnHttpErrorIsTransport) {
    auto refusing = RecordingHttpServer::start(
        R"({"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"error in signature check 0xabc"}})");
    ASSERT_TRUE(refusing.has_value()) << refusing.error().message;
    const auto auth_key = PrivateKey::from_hex(dev_accounts()[9].private_key_hex).value();
    Bundle bundle;
    bundle.transactions = {*hex::decode("0x02")};
    bundle.block_number = 1;
    BundleSender sender((*refusing)->url(), auth_key);
    auto refused = sender.send(bundle);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().kind, RpcError::Kind::rpc);
    EXPECT_EQ(refused.error().code, -32600);

    auto down = RecordingHttpServer::start("rate limited", 429);
    ASSERT_TRUE(down.has_value()) << down.error().message;
    BundleSender sender2((*down)->url(), auth_key);
    auto limited = sender2.send(bundle);
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().kind, RpcError::Kind::transport);
    EXPECT_NE(limited.error().message.find("429"), std::string::npos) << limited.error().message;
}

}  // namespace bundle_relay_test
}  // namespace keeper::chain
