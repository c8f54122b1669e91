// JsonRpcClient against replayed node answers: request shape, typed decoding,
// and errors that name the method and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "chain/rpc_client.hpp"
#include "fake_transport.hpp"

namespace keeper::chain {
namespace rpc_client_test {

using nlohmann::json;
using testing::FakeTransport;
using testing::FakeTransportLog;
using Kind = RpcError::Kind;

std::string vector_file(const std::string& name) {
    std::ifstream in(std::string(KEEPER_VECTORS_DIR) + "/rpc/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class RpcClientTest : public ::testing::Test {
protected:
    std::shared_ptr<FakeTransportLog> log = std::make_shared<FakeTransportLog>();
    JsonRpcClient client{std::make_unique<FakeTransport>(log)};

    void answer(std::string body) { log->answers.emplace_back(std::move(body)); }
    json sent(std::size_t i) const { return json::parse(log->requests.at(i)); }
};

Address addr(std::string_view text) { return Address::parse(text).value(); }

TEST_F(RpcClientTest, ChainIdDecodesTheQuantity) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x7a69"})");
    auto id = client.chain_id();
    ASSERT_TRUE(id.has_value()) << id.error().message;
    EXPECT_EQ(*id, 31337u);
    EXPECT_EQ(sent(0)["method"], "eth_chainId");
    EXPECT_EQ(sent(0)["params"], json::array());
}

TEST_F(RpcClientTest, IdsIncreasePerCall) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x1"})");
    answer(R"({"jsonrpc":"2.0","id":2,"result":"0x2"})");
    EXPECT_EQ(client.block_number().value(), 1u);
    EXPECT_EQ(client.block_number().value(), 2u);
    EXPECT_EQ(sent(1)["id"], 2);
}

TEST_F(RpcClientTest, ReplayedAnswerForAnEarlierIdIsRejected) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x1"})");
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x1"})");  // stale: the second call has id 2
    ASSERT_TRUE(client.block_number().has_value());
    auto second = client.block_number();
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().kind, Kind::malformed);
    EXPECT_EQ(second.error().message, "eth_blockNumber: wrong id: expected 2, got 1");
}

TEST_F(RpcClientTest, BalanceOfTenThousandEther) {
    // 10000 ether = 10^22 wei = 0x21e19e0c9bab2400000.
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x21e19e0c9bab2400000"})");
    auto balance = client.get_balance(addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    ASSERT_TRUE(balance.has_value()) << balance.error().message;
    EXPECT_EQ(*balance, U256::pow10(22));
    EXPECT_EQ(sent(0)["params"], json::array({"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "latest"}));
}

TEST_F(RpcClientTest, NonceAtPendingAndAtANumberedBlock) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x5"})");
    answer(R"({"jsonrpc":"2.0","id":2,"result":"0x4"})");
    const Address a = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    EXPECT_EQ(client.get_transaction_count(a, BlockId::pending()).value(), 5u);
    EXPECT_EQ(client.get_transaction_count(a, BlockId::number(436)).value(), 4u);
    EXPECT_EQ(sent(0)["params"][1], "pending");
    EXPECT_EQ(sent(1)["params"][1], "0x1b4");
}

TEST_F(RpcClientTest, QuantityWithoutPrefixNamesTheField) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"7a69"})");
    auto id = client.chain_id();
    ASSERT_FALSE(id.has_value());
    EXPECT_EQ(id.error().kind, Kind::malformed);
    EXPECT_EQ(id.error().message, "eth_chainId: 'result': not 0x-prefixed hex: \"7a69\"");
}

TEST_F(RpcClientTest, QuantityTooWideFor64Bits) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x10000000000000000"})");
    auto n = client.block_number();
    ASSERT_FALSE(n.has_value());
    EXPECT_NE(n.error().message.find("does not fit 64 bits"), std::string::npos);
}

TEST_F(RpcClientTest, TransportFailureIsKindTransportNamingTheMethod) {
    log->answers.emplace_back(fail("http http://127.0.0.1:1: connect: Connection refused"));
    auto n = client.block_number();
    ASSERT_FALSE(n.has_value());
    EXPECT_EQ(n.error().kind, Kind::transport);
    EXPECT_EQ(n.error().message, "eth_blockNumber: http http://127.0.0.1:1: connect: Connection refused");
}

TEST_F(RpcClientTest, RevertKeepsTheRevertData) {
    answer(R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: custom error 0xdeadbeef","data":"0xdeadbeef"}})");
    CallRequest call;
    call.to = addr("0x1000000000000000000000000000000000000001");
    call.data = {0x12, 0x34};
    auto r = client.eth_call(call);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::rpc);
    EXPECT_EQ(r.error().data, "0xdeadbeef");
    const json params = sent(0)["params"];
    EXPECT_EQ(params[0]["to"], "0x1000000000000000000000000000000000000001");
    EXPECT_EQ(params[0]["data"], "0x1234");
    EXPECT_EQ(params[0]["input"], "0x1234");
    EXPECT_EQ(params[1], "latest");
    // The plain Error view a Result<T> caller sees.
    const Error plain = r.error();
    EXPECT_EQ(plain.message, "eth_call: error 3: execution reverted: custom error 0xdeadbeef");
}

TEST_F(RpcClientTest, EthCallReturnsBytes) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x000000000000000000000000000000000000000000000000000000000000002a"})");
    auto r = client.eth_call(CallRequest{});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->size(), 32u);
    EXPECT_EQ(r->back(), 42);
}

TEST_F(RpcClientTest, UnknownReceiptIsNullopt) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":null})");
    auto r = client.get_transaction_receipt(Bytes32{});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_FALSE(r->has_value());
}

TEST_F(RpcClientTest, ReceiptWithALogFromAnvil) {
    answer(vector_file("receipt_with_log.json"));
    auto r = client.get_transaction_receipt(Bytes32{});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_TRUE(r->has_value());
    const Receipt& receipt = **r;
    EXPECT_TRUE(receipt.success);
    EXPECT_EQ(receipt.block_number, 1u);
    EXPECT_EQ(receipt.from, addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    ASSERT_TRUE(receipt.to.has_value());
    EXPECT_EQ(*receipt.to, addr("0x1000000000000000000000000000000000000002"));
    EXPECT_FALSE(receipt.contract_address.has_value());
    EXPECT_EQ(receipt.gas_used, U256(0x560b));            // 22027 gas
    EXPECT_EQ(receipt.effective_gas_price, U256(1000000001));  // base fee 1 gwei + 1 wei tip
    EXPECT_EQ(receipt.transaction_hash.hex(), "0x3389766b97bfcf29d32d71cce56eb13d4ec7e9da580476dfc8364510722f8c7f");
    ASSERT_EQ(receipt.logs.size(), 1u);
    const Log& log0 = receipt.logs[0];
    EXPECT_EQ(log0.address, addr("0x1000000000000000000000000000000000000002"));
    ASSERT_EQ(log0.topics.size(), 1u);
    EXPECT_EQ(log0.topics[0].hex(), "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    ASSERT_EQ(log0.data.size(), 32u);
    EXPECT_EQ(log0.data.back(), 42);
    EXPECT_EQ(log0.log_index, std::optional<std::uint64_t>(0));
    EXPECT_FALSE(log0.removed);
}

TEST_F(RpcClientTest, MalformedReceiptFieldIsNamed) {
    std::string body = vector_file("receipt_with_log.json");
    const std::string good = R"("gasUsed":"0x560b")";
    body.replace(body.find(good), good.size(), R"("gasUsed":"0xzz")");
    answer(body);
    auto r = client.get_transaction_receipt(Bytes32{});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::malformed);
    EXPECT_NE(r.error().message.find("eth_getTransactionReceipt: receipt: 'gasUsed': bad quantity"), std::string::npos)
        << r.error().message;
}

TEST_F(RpcClientTest, ReceiptLogFieldErrorsNameTheLog) {
    std::string body = vector_file("receipt_with_log.json");
    const std::string topic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    body.replace(body.find(topic), topic.size(), "0xddf2");
    answer(body);
    auto r = client.get_transaction_receipt(Bytes32{});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("receipt: logs[0]: 'topics[0]'"), std::string::npos) << r.error().message;
}

TEST_F(RpcClientTest, ReceiptStatusMustBeZeroOrOne) {
    std::string body = vector_file("receipt_with_log.json");
    const std::string good = R"("status":"0x1")";
    body.replace(body.find(good), good.size(), R"("status":"0x2")");
    answer(body);
    auto r = client.get_transaction_receipt(Bytes32{});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("'status'"), std::string::npos);
}

TEST_F(RpcClientTest, BlockHeaderFromAnvil) {
    answer(vector_file("block_latest.json"));
    auto r = client.get_block_header(BlockId::latest());
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_TRUE(r->has_value());
    const BlockHeader& h = **r;
    EXPECT_EQ(h.number, 1u);
    EXPECT_EQ(h.hash.hex(), "0x7a4ff66a15101caee56c3896e2ab07c0133e972f19ab952bf1923f4240344545");
    EXPECT_EQ(h.parent_hash.hex(), "0xd7822b8331a43f054d5edf216370278235ccb3efb04722a66a8876714441d0eb");
    EXPECT_EQ(h.timestamp, 0x6b063937u);
    EXPECT_EQ(h.base_fee_per_gas, std::optional<U256>(U256(1000000000)));
    EXPECT_EQ(sent(0)["params"], json::array({"latest", false}));
}

TEST_F(RpcClientTest, PreLondonBlockHasNoBaseFee) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":{"number":"0x10","hash":"0x7a4ff66a15101caee56c3896e2ab07c0133e972f19ab952bf1923f4240344545","parentHash":"0xd7822b8331a43f054d5edf216370278235ccb3efb04722a66a8876714441d0eb","timestamp":"0x5"}})");
    auto r = client.get_block_header(BlockId::number(16));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_TRUE(r->has_value());
    EXPECT_FALSE((*r)->base_fee_per_gas.has_value());
    EXPECT_EQ(sent(0)["params"][0], "0x10");
}

TEST_F(RpcClientTest, FutureBlockIsNullopt) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":null})");
    auto r = client.get_block_header(BlockId::number(4096));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_FALSE(r->has_value());
}

TEST_F(RpcClientTest, BlockMissingHashNamesIt) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":{"number":"0x10","parentHash":"0xd7822b8331a43f054d5edf216370278235ccb3efb04722a66a8876714441d0eb","timestamp":"0x5"}})");
    auto r = client.get_block_header(BlockId::latest());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "eth_getBlockByNumber: block: 'hash': missing");
}

TEST_F(RpcClientTest, SendRawTransactionReturnsTheHash) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0xce09985d94caad02fc26f64a68a95d3ae7ec58fa0ef5208c672d4f42052488dc"})");
    const Bytes raw{0x02, 0xf8, 0x01};
    auto r = client.send_raw_transaction(raw);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->hex(), "0xce09985d94caad02fc26f64a68a95d3ae7ec58fa0ef5208c672d4f42052488dc");
    EXPECT_EQ(sent(0)["params"], json::array({"0x02f801"}));
}

TEST_F(RpcClientTest, FeesAndGas) {
    answer(R"({"jsonrpc":"2.0","id":1,"result":"0x3b9aca00"})");
    answer(R"({"jsonrpc":"2.0","id":2,"result":"0x77359400"})");
    answer(R"({"jsonrpc":"2.0","id":3,"result":"0x5208"})");
    EXPECT_EQ(client.max_priority_fee_per_gas().value(), U256(1000000000));
    EXPECT_EQ(client.gas_price().value(), U256(2000000000));
    CallRequest transfer;
    transfer.from = addr("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    transfer.to = addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    transfer.value = U256::pow10(18);
    EXPECT_EQ(client.estimate_gas(transfer).value(), 21000u);
    EXPECT_EQ(sent(2)["params"][0]["value"], "0xde0b6b3a7640000");
    EXPECT_EQ(sent(2)["params"][0]["from"], "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
}

TEST_F(RpcClientTest, BatchSendsOneArrayAndMatchesAnswers) {
    answer(R"([{"jsonrpc":"2.0","id":2,"result":"0x1"},{"jsonrpc":"2.0","id":1,"result":"0x7a69"}])");
    auto r = client.batch({RpcCall{"eth_chainId", json::array()}, RpcCall{"eth_blockNumber", json::array()}});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].value(), "0x7a69");
    EXPECT_EQ((*r)[1].value(), "0x1");
    const json request = sent(0);
    ASSERT_TRUE(request.is_array());
    EXPECT_EQ(request[0]["method"], "eth_chainId");
    EXPECT_EQ(request[1]["id"], 2);
}

TEST_F(RpcClientTest, BatchEntryErrorNamesItsMethod) {
    answer(R"([{"jsonrpc":"2.0","id":1,"result":"0x7a69"}])");
    auto r = client.batch({RpcCall{"eth_chainId", json::array()}, RpcCall{"eth_blockNumber", json::array()}});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_FALSE((*r)[1].has_value());
    EXPECT_EQ((*r)[1].error().message, "eth_blockNumber: no response for id 2");
}

TEST_F(RpcClientTest, EmptyBatchSendsNothing) {
    auto r = client.batch({});
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->empty());
    EXPECT_TRUE(log->requests.empty());
}

}  // namespace rpc_client_test
}  // namespace keeper::chain
