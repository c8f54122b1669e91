// read_markets against a scripted node answering JSON-RPC batches: which
// calls go in which batch, at which block, and how one market's failure stays
// that market's.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_reader.hpp"
#include "chain/transport.hpp"
#include "core/hex.hpp"

namespace keeper::chain::morpho_blue {
namespace morpho_reader_test {

using nlohmann::json;
using morpho::MarketId;
using morpho::MarketParams;
using morpho::MarketState;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }
std::string word_hex(const U256& v) { return hex::encode(v.to_be(), false); }

const Address kMorpho = addr("0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");
const Address kIrm = addr("0x870aC11D48B15DB9a138Cf899d20F13F79Ba00BC");

// One eth_call's answer: return data, or a JSON-RPC error object (a revert).
struct Reply {
    std::optional<std::string> data_hex;
    std::string error_message;
};

// A node answering every batch element from `answer(to, calldata)`, recording
// each batch it received.
class ScriptedNode final : public Transport {
public:
    using Answer = std::function<Reply(const Address& to, const std::string& data_hex)>;
    struct Seen {
        std::vector<std::vector<json>> batches;
    };

    ScriptedNode(Answer answer, std::shared_ptr<Seen> seen) : answer_(std::move(answer)), seen_(std::move(seen)) {}

    Result<std::string> send(const std::string& request) override {
        const json calls = json::parse(request);
        if (!calls.is_array()) return fail("scripted node: expected a batch");
        seen_->batches.emplace_back(calls.begin(), calls.end());
        json out = json::array();
        for (const json& call : calls) {
            const Reply reply =
                answer_(addr(call["params"][0]["to"].get<std::string>().c_str()),
                        call["params"][0]["data"].get<std::string>());
            json response{{"jsonrpc", "2.0"}, {"id", call["id"]}};
            if (reply.data_hex)
                response["result"] = *reply.data_hex;
            else
                response["error"] = json{{"code", 3}, {"message", reply.error_message}, {"data", "0x"}};
            out.push_back(response);
        }
        return out.dump();
    }

private:
    Answer answer_;
    std::shared_ptr<Seen> seen_;
};

MarketParams market_params(const char* oracle, const Address& irm, const char* lltv) {
    return MarketParams{addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
                        addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"), addr(oracle), irm, n(lltv)};
}

MarketState market_10k() {
    MarketState m;
    m.total_supply_assets = n("20000000000");
    m.total_supply_shares = n("20000000000000000");
    m.total_borrow_assets = n("10000000000");
    m.total_borrow_shares = n("10000000000000000");
    m.last_update = 1'700'000'000;
    return m;
}

std::string market_return(const MarketState& m) {
    return "0x" + word_hex(m.total_supply_assets) + word_hex(m.total_supply_shares) + word_hex(m.total_borrow_assets) +
           word_hex(m.total_borrow_shares) + word_hex(U256(m.last_update)) + word_hex(m.fee_wad);
}

class MorphoReaderTest : public ::testing::Test {
protected:
    // Three markets: A with an IRM, B without (irm = 0), C whose oracle reverts.
    const MarketParams a = market_params("0x00000000000000000000000000000000000000a1", kIrm, "860000000000000000");
    const MarketParams b = market_params("0x00000000000000000000000000000000000000b1", Address{}, "915000000000000000");
    const MarketParams c = market_params("0x00000000000000000000000000000000000000c1", kIrm, "945000000000000000");
    std::vector<std::pair<MarketId, MarketParams>> markets{
        {morpho::market_id(a), a}, {morpho::market_id(b), b}, {morpho::market_id(c), c}};
    std::shared_ptr<ScriptedNode::Seen> seen = std::make_shared<ScriptedNode::Seen>();

    // 2000 USDC per WETH (2e27) from A's oracle, 1500 (1.5e27) from B's; C's reverts.
    // The IRM answers 158548959 per second (~0.5% a year) to A's exact calldata.
    Reply answer(const Address& to, const std::string& data) const {
        if (to == kMorpho) return {market_return(market_10k()), ""};
        if (to == a.oracle) return {"0x" + word_hex(n("2000000000000000000000000000")), ""};
        if (to == b.oracle) return {"0x" + word_hex(n("1500000000000000000000000000")), ""};
        if (to == c.oracle) return {std::nullopt, "execution reverted: stale price"};
        if (to == kIrm && data == hex::encode(encode_borrow_rate_view(a, market_10k())))
            return {"0x" + word_hex(U256(158548959)), ""};
        return {std::nullopt, "unexpected call to " + to.hex()};
    }

    JsonRpcClient client() {
        return JsonRpcClient(std::make_unique<ScriptedNode>(
            [this](const Address& to, const std::string& data) { return answer(to, data); }, seen));
    }
};

TEST_F(MorphoReaderTest, ReadsEachMarketInTwoBatchesAtOneBlock) {
    auto rpc = client();
    auto readings = read_markets(rpc, kMorpho, markets, 0x1234);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(readings->size(), 3u);

    const auto& ra = (*readings)[0];
    ASSERT_TRUE(ra.has_value()) << ra.error().message;
    EXPECT_EQ(ra->state, market_10k());
    EXPECT_EQ(ra->price_1e36, n("2000000000000000000000000000"));
    EXPECT_EQ(ra->borrow_rate_wad, U256(158548959));

    const auto& rb = (*readings)[1];
    ASSERT_TRUE(rb.has_value()) << rb.error().message;
    EXPECT_EQ(rb->price_1e36, n("1500000000000000000000000000"));
    EXPECT_EQ(rb->borrow_rate_wad, U256(0));  // no IRM, no call

    const auto& rc = (*readings)[2];
    ASSERT_FALSE(rc.has_value());
    // Named market and call, then the node's own words (method, id, code, message).
    const std::string& why = rc.error().message;
    EXPECT_EQ(why.rfind("market " + markets[2].first.hex() + ": oracle price(): ", 0), 0u) << why;
    EXPECT_NE(why.find("execution reverted: stale price"), std::string::npos) << why;

    // Batch 1: market(id) and price() per market (6 calls); batch 2: one
    // borrowRateView (B has no IRM, C already failed). All at block 0x1234.
    ASSERT_EQ(seen->batches.size(), 2u);
    EXPECT_EQ(seen->batches[0].size(), 6u);
    EXPECT_EQ(seen->batches[1].size(), 1u);
    for (const auto& batch : seen->batches)
        for (const json& call : batch) {
            EXPECT_EQ(call["method"], "eth_call");
            EXPECT_EQ(call["params"][1], "0x1234");
        }
    EXPECT_EQ(seen->batches[0][0]["params"][0]["data"], hex::encode(encode_market(markets[0].first)));
    EXPECT_EQ(seen->batches[0][1]["params"][0]["to"], a.oracle.hex());
    EXPECT_EQ(seen->batches[1][0]["params"][0]["to"], kIrm.hex());
}

TEST_F(MorphoReaderTest, SplitsLargeReadsIntoBatchesOfTheConfiguredSize) {
    auto rpc = client();
    auto readings = read_markets(rpc, kMorpho, markets, 7, ReadOptions{4});
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(seen->batches.size(), 3u);  // 6 calls as 4 + 2, then the rate
    EXPECT_EQ(seen->batches[0].size(), 4u);
    EXPECT_EQ(seen->batches[1].size(), 2u);
    EXPECT_TRUE((*readings)[0].has_value());
    EXPECT_TRUE((*readings)[1].has_value());
    EXPECT_FALSE((*readings)[2].has_value());
}

TEST_F(MorphoReaderTest, AMarketNeverCreatedOrAFailingIrmIsThatMarketsError) {
    auto rpc = JsonRpcClient(std::make_unique<ScriptedNode>(
        [this](const Address& to, const std::string& data) -> Reply {
            // Morpho answers zeros for B's id (never created); the IRM reverts.
            if (to == kMorpho && data == hex::encode(encode_market(markets[1].first)))
                return {market_return(MarketState{}), ""};
            if (to == kIrm) return {std::nullopt, "execution reverted"};
            return answer(to, data);
        },
        seen));
    auto readings = read_markets(rpc, kMorpho, markets, 1);
    ASSERT_TRUE(readings.has_value());
    ASSERT_FALSE((*readings)[0].has_value());
    EXPECT_NE((*readings)[0].error().message.find("irm borrowRateView(): "), std::string::npos);
    EXPECT_NE((*readings)[0].error().message.find("execution reverted"), std::string::npos);
    ASSERT_FALSE((*readings)[1].has_value());
    EXPECT_NE((*readings)[1].error().message.find("not created"), std::string::npos);
}

TEST_F(MorphoReaderTest, NoMarketsMeansNoRequest) {
    auto rpc = client();
    auto readings = read_markets(rpc, kMorpho, {}, 1);
    ASSERT_TRUE(readings.has_value());
    EXPECT_TRUE(readings->empty());
    EXPECT_TRUE(seen->batches.empty());
}

class DeadTransport final : public Transport {
public:
    Result<std::string> send(const std::string&) override { return fail("connect: connection refused"); }
};

TEST(MorphoReader, ATransportFailureFailsTheWholeRead) {
    JsonRpcClient rpc(std::make_unique<DeadTransport>());
    const MarketParams p{};
    const std::vector<std::pair<MarketId, MarketParams>> one{{morpho::market_id(p), p}};
    auto readings = read_markets(rpc, kMorpho, one, 1);
    ASSERT_FALSE(readings.has_value());
    EXPECT_EQ(readings.error().kind, RpcError::Kind::transport);
    EXPECT_NE(readings.error().message.find("connection refused"), std::string::npos);
}

}  // namespace morpho_reader_test
}  // namespace keeper::chain::morpho_blue
