// JSON-RPC answer checks on literal bodies: what a node may send, what we accept.
#include <gtest/gtest.h>

#include <array>

#include "chain/rpc_response.hpp"

namespace keeper::chain {
namespace rpc_response_test {

using nlohmann::json;
using Kind = RpcError::Kind;

TEST(RpcRequest, CarriesVersionIdMethodAndParams) {
    const json request = make_request(RpcCall{"eth_getBalance", json::array({"0xab", "latest"})}, 7);
    EXPECT_EQ(request.dump(), R"({"id":7,"jsonrpc":"2.0","method":"eth_getBalance","params":["0xab","latest"]})");
}

TEST(RpcResponse, ResultIsReturned) {
    auto r = parse_response(R"({"jsonrpc":"2.0","id":3,"result":"0x7a69"})", 3);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(*r, "0x7a69");
}

TEST(RpcResponse, NullResultIsAResult) {
    // eth_getTransactionReceipt of an unknown hash answers null: not an error.
    auto r = parse_response(R"({"jsonrpc":"2.0","id":1,"result":null})", 1);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_TRUE(r->is_null());
}

TEST(RpcResponse, ErrorObjectKeepsCodeMessageAndData) {
    // anvil's answer to eth_call of code that reverts with 0xdeadbeef.
    auto r = parse_response(
        R"({"jsonrpc":"2.0","id":2,"error":{"code":3,"message":"execution reverted: custom error 0xdeadbeef","data":"0xdeadbeef"}})",
        2);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::rpc);
    EXPECT_EQ(r.error().code, 3);
    EXPECT_EQ(r.error().data, "0xdeadbeef");
    EXPECT_EQ(r.error().message, "error 3: execution reverted: custom error 0xdeadbeef");
}

TEST(RpcResponse, ErrorWithoutDataHasNullData) {
    auto r = parse_response(R"({"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"Method not found"}})", 7);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::rpc);
    EXPECT_EQ(r.error().code, -32601);
    EXPECT_TRUE(r.error().data.is_null());
}

TEST(RpcResponse, ParseErrorWithNullIdIsReportedAsTheNodesError) {
    auto r = parse_response(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}})", 5);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::rpc);
    EXPECT_EQ(r.error().code, -32600);
}

// A node's wording reaches logs, the journal and alerts through
// RpcError::message: it cannot forge log lines or flood them, and code and
// data (revert bytes) stay exact.
TEST(RpcResponse, ANodesErrorMessageIsBoundedAndPrintable) {
    json answer = {{"jsonrpc", "2.0"},
                   {"id", 4},
                   {"error",
                    {{"code", -32000},
                     {"message", "nonce too low\n2026-01-01 [info] fake line \x1b[31m" + std::string(5000, 'x')},
                     {"data", "0x08c379a0"}}}};
    auto r = parse_response(answer.dump(), 4);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::rpc);
    EXPECT_EQ(r.error().code, -32000);
    EXPECT_EQ(r.error().data, "0x08c379a0");
    const std::string& message = r.error().message;
    EXPECT_TRUE(message.starts_with("error -32000: nonce too low 2026-01-01 [info] fake line ?[31mxxx")) << message;
    EXPECT_TRUE(message.ends_with("xxx...")) << message;
    EXPECT_EQ(message.size(), std::string("error -32000: ").size() + 512);
    EXPECT_EQ(message.find('\n'), std::string::npos);
    EXPECT_EQ(message.find('\x1b'), std::string::npos);
}

TEST(RpcResponse, ABodyThatIsNotJsonIsQuotedPrintably) {
    auto r = parse_response("<html>\r\n\x1b]0;owned\x07" + std::string(1000, 'y'), 1);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::malformed);
    EXPECT_EQ(r.error().message, "response is not JSON: <html>  ?]0;owned?" + std::string(99, 'y') + "...");
}

struct MalformedCase {
    const char* name;
    const char* body;
    const char* message_part;
};

class MalformedResponse : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedResponse, IsRejectedSayingWhy) {
    auto r = parse_response(GetParam().body, 1);
    ASSERT_FALSE(r.has_value()) << GetParam().name;
    EXPECT_EQ(r.error().kind, Kind::malformed);
    EXPECT_NE(r.error().message.find(GetParam().message_part), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, MalformedResponse,
    ::testing::Values(
        MalformedCase{"truncated", R"({"jsonrpc":"2.0","id":1,"result":"0x7a)", "not JSON"},
        MalformedCase{"empty body", "", "not JSON"},
        MalformedCase{"html error page", "<html>502 Bad Gateway</html>", "not JSON"},
        MalformedCase{"array for a single call", R"([{"jsonrpc":"2.0","id":1,"result":"0x1"}])", "not an object"},
        MalformedCase{"wrong id", R"({"jsonrpc":"2.0","id":2,"result":"0x1"})", "wrong id: expected 1, got 2"},
        MalformedCase{"id as string", R"({"jsonrpc":"2.0","id":"1","result":"0x1"})", "'id'"},
        MalformedCase{"id missing", R"({"jsonrpc":"2.0","result":"0x1"})", "'id'"},
        MalformedCase{"negative id", R"({"jsonrpc":"2.0","id":-1,"result":"0x1"})", "'id'"},
        MalformedCase{"version 1.0", R"({"jsonrpc":"1.0","id":1,"result":"0x1"})", "'jsonrpc'"},
        MalformedCase{"version missing", R"({"id":1,"result":"0x1"})", "'jsonrpc'"},
        MalformedCase{"neither result nor error", R"({"jsonrpc":"2.0","id":1})", "neither"},
        MalformedCase{"both result and error",
                      R"({"jsonrpc":"2.0","id":1,"result":"0x1","error":{"code":1,"message":"x"}})", "both"},
        MalformedCase{"error code not integer", R"({"jsonrpc":"2.0","id":1,"error":{"code":"3","message":"x"}})",
                      "error.code"},
        MalformedCase{"error message missing", R"({"jsonrpc":"2.0","id":1,"error":{"code":3}})", "error.message"},
        MalformedCase{"error not an object", R"({"jsonrpc":"2.0","id":1,"error":"boom"})", "'error'"}),
    [](const auto& case_info) {
        std::string name = case_info.param.name;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        return name;
    });

TEST(RpcBatchResponse, OutOfOrderAnswersAreMatchedById) {
    const std::array<std::uint64_t, 3> ids{5, 6, 7};
    auto r = parse_batch_response(
        R"([{"jsonrpc":"2.0","id":7,"result":"0x3"},
            {"jsonrpc":"2.0","id":5,"result":"0x7a69"},
            {"jsonrpc":"2.0","id":6,"error":{"code":-32601,"message":"Method not found"}}])",
        ids);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->size(), 3u);
    ASSERT_TRUE((*r)[0].has_value());
    EXPECT_EQ(*(*r)[0], "0x7a69");
    ASSERT_FALSE((*r)[1].has_value());
    EXPECT_EQ((*r)[1].error().kind, Kind::rpc);
    EXPECT_EQ((*r)[1].error().code, -32601);
    ASSERT_TRUE((*r)[2].has_value());
    EXPECT_EQ(*(*r)[2], "0x3");
}

TEST(RpcBatchResponse, MissingIdIsAnErrorForThatEntryOnly) {
    const std::array<std::uint64_t, 2> ids{1, 2};
    auto r = parse_batch_response(R"([{"jsonrpc":"2.0","id":2,"result":"0x2"}])", ids);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_FALSE((*r)[0].has_value());
    EXPECT_EQ((*r)[0].error().kind, Kind::malformed);
    EXPECT_EQ((*r)[0].error().message, "no response for id 1");
    ASSERT_TRUE((*r)[1].has_value());
    EXPECT_EQ(*(*r)[1], "0x2");
}

TEST(RpcBatchResponse, UnknownIdFailsTheBatch) {
    const std::array<std::uint64_t, 1> ids{1};
    auto r = parse_batch_response(R"([{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"2.0","id":9,"result":"0x9"}])",
                                  ids);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::malformed);
    EXPECT_NE(r.error().message.find("unknown id 9"), std::string::npos);
}

TEST(RpcBatchResponse, RepeatedIdFailsTheBatch) {
    const std::array<std::uint64_t, 1> ids{1};
    auto r = parse_batch_response(R"([{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"2.0","id":1,"result":"0x1"}])",
                                  ids);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("repeated"), std::string::npos);
}

TEST(RpcBatchResponse, WholeBatchRejectionIsTheNodesError) {
    // anvil's answer to an empty batch `[]`.
    const std::array<std::uint64_t, 1> ids{1};
    auto r = parse_batch_response(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}})",
                                  ids);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::rpc);
    EXPECT_EQ(r.error().code, -32600);
}

TEST(RpcBatchResponse, TruncatedBatchIsMalformed) {
    const std::array<std::uint64_t, 2> ids{1, 2};
    auto r = parse_batch_response(R"([{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"2.0","id":2,"res)", ids);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, Kind::malformed);
}

TEST(RpcBatchResponse, BadEntryKeepsOthers) {
    const std::array<std::uint64_t, 2> ids{1, 2};
    auto r = parse_batch_response(R"([{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"1.0","id":2,"result":"0x2"}])",
                                  ids);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_TRUE((*r)[0].has_value());
    ASSERT_FALSE((*r)[1].has_value());
    EXPECT_EQ((*r)[1].error().message, "id 2: 'jsonrpc' is not \"2.0\"");
}

}  // namespace rpc_response_test
}  // namespace keeper::chain
