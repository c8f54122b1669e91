// The Aave V3 reader against a scripted node answering JSON-RPC batches:
// which calls go in which batch, at which block, how answers land in the
// readings, and which answers are refused with an error naming the asset or
// user. The pool lists WETH (reserve id 0) and USDC (id 2: the reserve with
// id 1 was dropped, so list positions and ids differ).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_reader.hpp"
#include "chain/transport.hpp"
#include "core/hex.hpp"

namespace keeper::chain::aave_v3 {
namespace aave_reader_test {

using nlohmann::json;

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
Address addr(const char* hex) { return Address::parse(hex).value(); }
std::string word_hex(const U256& v) { return hex::encode(v.to_be(), false); }
std::string word_hex(const Address& a) { return std::string(24, '0') + hex::encode(a.bytes, false); }
std::string call_hex(const Bytes& calldata) { return hex::encode(calldata); }

const Address kProvider = addr("0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e");
const Address kPool = addr("0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
const Address kOracle = addr("0x54586bE62E3c3580375aE3723C145253060Ca0C2");
const Address kWeth = addr("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
const Address kUsdc = addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
const Address kAlice = addr("0x00000000000000000000000000000000000a11ce");
const Address kBob = addr("0x0000000000000000000000000000000000000b0b");
const Address kCarol = addr("0x00000000000000000000000000000000000ca201");
const Address kEthUsdFeed = addr("0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419");

struct Reply {
    std::optional<std::string> data_hex;
    std::string error_message;
};
Reply ok(std::string hex_data) { return {std::move(hex_data), ""}; }
Reply reverts(std::string why) { return {std::nullopt, std::move(why)}; }

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
            const Reply reply = answer_(addr(call["params"][0]["to"].get<std::string>().c_str()),
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

ReserveDataReading reserve(std::uint16_t id, const char* a_token, const char* stable, const char* variable,
                           const char* liquidity_index) {
    ReserveDataReading r;
    r.configuration = n("7237005577332262213973186563042994240829374041602535252466099000494570602496");
    r.liquidity_index_ray = n(liquidity_index);
    r.variable_borrow_index_ray = n("1050000000000000000000000000");
    r.last_update_timestamp = 1'700'000'000;
    r.id = id;
    r.a_token = addr(a_token);
    r.stable_debt_token = addr(stable);
    r.variable_debt_token = addr(variable);
    r.interest_rate_strategy = addr("0x76884cAFeCf1f7d4146DA6C4053B18B76bf6ED14");
    return r;
}

// getReserveData's 15 words for `r`.
std::string reserve_return(const ReserveDataReading& r) {
    return "0x" + word_hex(r.configuration) + word_hex(r.liquidity_index_ray) + word_hex(r.current_liquidity_rate_ray) +
           word_hex(r.variable_borrow_index_ray) + word_hex(r.current_variable_borrow_rate_ray) +
           word_hex(r.current_stable_borrow_rate_ray) + word_hex(U256(r.last_update_timestamp)) +
           word_hex(U256(r.id)) + word_hex(r.a_token) + word_hex(r.stable_debt_token) +
           word_hex(r.variable_debt_token) + word_hex(r.interest_rate_strategy) + word_hex(r.accrued_to_treasury) +
           word_hex(r.unbacked) + word_hex(r.isolation_mode_total_debt);
}

std::string array_return(const std::vector<std::string>& words) {
    std::string out = "0x" + word_hex(U256(32)) + word_hex(U256(words.size()));
    for (const auto& w : words) out += w;
    return out;
}

std::string emode_return(std::uint16_t ltv, std::uint16_t lt, std::uint16_t bonus, const Address& source,
                         const std::string& label) {
    std::string text = hex::encode(Bytes(label.begin(), label.end()), false);
    text.resize((label.size() + 31) / 32 * 64, '0');
    return "0x" + word_hex(U256(32)) + word_hex(U256(ltv)) + word_hex(U256(lt)) + word_hex(U256(bonus)) +
           word_hex(source) + word_hex(U256(160)) + word_hex(U256(label.size())) + text;
}

class AaveReaderTest : public ::testing::Test {
protected:
    ReserveDataReading weth = reserve(0, "0x4d5F47FA6A74757f35C14fD3a6Ef8E3C9BC514E8",
                                      "0x102633152313C81cD80419b6EcF66d14Ad68949A",
                                      "0xeA51d7853EEFb32b6ee06b1C12E6dcCA88Be0fFE", "1012345678901234567890123456");
    ReserveDataReading usdc = reserve(2, "0x98C23E9d8f34FEFb1B7BD6a91B7FF122F4e16F5c",
                                      "0xB0fe3D292f4bd50De902Ba5bDF120Ad66E9d7a39",
                                      "0x72E95b8931767C79bA4EeE721354d6E99a61D004", "1040000000000000000000000000");
    std::shared_ptr<ScriptedNode::Seen> seen = std::make_shared<ScriptedNode::Seen>();
    std::map<std::pair<Address, std::string>, Reply> script;

    void on(const Address& to, const Bytes& calldata, Reply reply) {
        script[{to, call_hex(calldata)}] = std::move(reply);
    }

    void SetUp() override {
        on(kProvider, encode_get_pool(), ok("0x" + word_hex(kPool)));
        on(kProvider, encode_get_price_oracle(), ok("0x" + word_hex(kOracle)));
        on(kPool, encode_pool_revision(), ok("0x" + word_hex(U256(1))));
        on(kPool, encode_get_reserves_list(), ok(array_return({word_hex(kWeth), word_hex(kUsdc)})));
        script_reserve(kWeth, weth, "1012345700000000000000000000", "1050000100000000000000000000");
        script_reserve(kUsdc, usdc, "1040000200000000000000000000", "1060000300000000000000000000");
        // $2,000.00 and $1.00 in 1e8 base units.
        const Address both[] = {kWeth, kUsdc};
        on(kOracle, encode_get_assets_prices(both),
           ok(array_return({word_hex(n("200000000000")), word_hex(n("100000000"))})));
        on(kPool, encode_get_emode_category_data(1),
           ok(emode_return(9000, 9300, 10100, kEthUsdFeed, "ETH correlated")));
        on(kPool, encode_get_emode_category_data(2), ok(emode_return(9700, 9750, 10100, Address{}, "Stablecoins")));
        on(kOracle, encode_get_asset_price(kEthUsdFeed), ok("0x" + word_hex(n("200100000000"))));
    }

    void script_reserve(const Address& asset, const ReserveDataReading& r, const char* income, const char* debt) {
        on(kPool, encode_get_reserve_data(asset), ok(reserve_return(r)));
        on(kPool, encode_get_reserve_normalized_income(asset), ok("0x" + word_hex(n(income))));
        on(kPool, encode_get_reserve_normalized_variable_debt(asset), ok("0x" + word_hex(n(debt))));
    }

    // Alice: WETH collateral (id 0, bit 1) and USDC borrowed (id 2, bit 4): 0b10010; eMode 1.
    void script_alice() {
        on(kPool, encode_get_user_configuration(kAlice), ok("0x" + word_hex(U256(0x12))));
        on(kPool, encode_get_user_emode(kAlice), ok("0x" + word_hex(U256(1))));
        on(weth.a_token, encode_scaled_balance_of(kAlice), ok("0x" + word_hex(n("1500000000000000000"))));
        on(weth.variable_debt_token, encode_scaled_balance_of(kAlice), ok("0x" + word_hex(U256(0))));
        on(weth.stable_debt_token, encode_balance_of(kAlice), ok("0x" + word_hex(U256(0))));
        on(usdc.a_token, encode_scaled_balance_of(kAlice), ok("0x" + word_hex(U256(0))));
        on(usdc.variable_debt_token, encode_scaled_balance_of(kAlice), ok("0x" + word_hex(n("1903846153"))));
        on(usdc.stable_debt_token, encode_balance_of(kAlice), ok("0x" + word_hex(n("100000000"))));
    }

    JsonRpcClient client() {
        return JsonRpcClient(std::make_unique<ScriptedNode>(
            [this](const Address& to, const std::string& data) {
                auto it = script.find({to, data});
                return it == script.end() ? reverts("unexpected call to " + to.hex() + " " + data) : it->second;
            },
            seen));
    }

    void expect_all_at_block(const char* block_hex) const {
        for (const auto& batch : seen->batches)
            for (const auto& call : batch) {
                EXPECT_EQ(call["method"], "eth_call");
                EXPECT_EQ(call["params"][1], block_hex);
            }
    }

    std::vector<ReserveReading> reserves() {
        auto rpc = client();
        auto r = read_reserves(rpc, kPool, kOracle, 0x1234);
        EXPECT_TRUE(r.has_value()) << r.error().message;
        seen->batches.clear();
        return r.value_or(std::vector<ReserveReading>{});
    }
};

TEST_F(AaveReaderTest, PoolAddressesAndRevision) {
    auto rpc = client();
    auto addresses = read_pool_addresses(rpc, kProvider, 0x1234);
    ASSERT_TRUE(addresses.has_value()) << addresses.error().message;
    EXPECT_EQ(addresses->pool, kPool);
    EXPECT_EQ(addresses->oracle, kOracle);
    ASSERT_EQ(seen->batches.size(), 1u);
    EXPECT_EQ(seen->batches[0].size(), 2u);

    auto revision = read_pool_revision(rpc, kPool, 0x1234);
    ASSERT_TRUE(revision.has_value()) << revision.error().message;
    EXPECT_EQ(*revision, 1u);
    expect_all_at_block("0x1234");

    on(kProvider, encode_get_price_oracle(), ok("0x" + word_hex(Address{})));
    auto unset = read_pool_addresses(rpc, kProvider, 0x1234);
    ASSERT_FALSE(unset.has_value());
    EXPECT_EQ(unset.error().message, "aave read_pool_addresses " + kProvider.checksummed() +
                                         ": getPriceOracle(): the zero address");
}

TEST_F(AaveReaderTest, ReservesInListOrderWithIdsPricesAndNormalizedIndexes) {
    auto rpc = client();
    auto readings = read_reserves(rpc, kPool, kOracle, 0x1234);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(readings->size(), 2u);

    const ReserveReading& w = (*readings)[0];
    EXPECT_EQ(w.asset, kWeth);
    EXPECT_EQ(w.data, weth);
    EXPECT_EQ(w.price, n("200000000000"));
    EXPECT_FALSE(w.normalized_income_ray.has_value());  // not asked for
    const ReserveReading& u = (*readings)[1];
    EXPECT_EQ(u.asset, kUsdc);
    EXPECT_EQ(u.data, usdc);
    EXPECT_EQ(u.price, n("100000000"));

    // getReservesList alone, then getReserveData per reserve + getAssetsPrices: 3.
    ASSERT_EQ(seen->batches.size(), 2u);
    EXPECT_EQ(seen->batches[0].size(), 1u);
    EXPECT_EQ(seen->batches[1].size(), 3u);
    expect_all_at_block("0x1234");
}

TEST_F(AaveReaderTest, ReservesWithThePoolsNormalizedIndexesWhenAsked) {
    auto rpc = client();
    ReadOptions options;
    options.normalized_indexes = true;
    auto readings = read_reserves(rpc, kPool, kOracle, 0x1234, options);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(readings->size(), 2u);
    EXPECT_EQ((*readings)[0].data, weth);
    EXPECT_EQ((*readings)[0].normalized_income_ray, n("1012345700000000000000000000"));
    EXPECT_EQ((*readings)[0].normalized_variable_debt_ray, n("1050000100000000000000000000"));
    EXPECT_EQ((*readings)[1].data, usdc);
    EXPECT_EQ((*readings)[1].price, n("100000000"));
    EXPECT_EQ((*readings)[1].normalized_income_ray, n("1040000200000000000000000000"));
    EXPECT_EQ((*readings)[1].normalized_variable_debt_ray, n("1060000300000000000000000000"));
    // 3 calls per reserve + getAssetsPrices: 7.
    ASSERT_EQ(seen->batches.size(), 2u);
    EXPECT_EQ(seen->batches[1].size(), 7u);
    expect_all_at_block("0x1234");
}

TEST_F(AaveReaderTest, ReservesSplitAtMaxCallsPerBatchGiveTheSameReadings) {
    auto rpc = client();
    ReadOptions options;
    options.normalized_indexes = true;
    auto whole = read_reserves(rpc, kPool, kOracle, 0x1234, options);
    seen->batches.clear();
    options.max_calls_per_batch = 3;
    auto split = read_reserves(rpc, kPool, kOracle, 0x1234, options);
    ASSERT_TRUE(whole.has_value() && split.has_value());
    ASSERT_EQ(split->size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ((*split)[i].data, (*whole)[i].data);
        EXPECT_EQ((*split)[i].price, (*whole)[i].price);
        EXPECT_EQ((*split)[i].normalized_income_ray, (*whole)[i].normalized_income_ray);
    }
    ASSERT_EQ(seen->batches.size(), 4u);  // 1, then 7 as 3 + 3 + 1
    EXPECT_EQ(seen->batches[1].size(), 3u);
    EXPECT_EQ(seen->batches[2].size(), 3u);
    EXPECT_EQ(seen->batches[3].size(), 1u);
    expect_all_at_block("0x1234");
}

TEST_F(AaveReaderTest, ReserveFailuresNameTheAssetAndTheCall) {
    const std::string usdc_name = "aave read_reserves: reserve " + kUsdc.checksummed();
    {
        on(kPool, encode_get_reserve_normalized_variable_debt(kUsdc), reverts("execution reverted"));
        auto rpc = client();
        ReadOptions options;
        options.normalized_indexes = true;
        auto r = read_reserves(rpc, kPool, kOracle, 7, options);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message.rfind(usdc_name + ": getReserveNormalizedVariableDebt(): ", 0), 0u)
            << r.error().message;
        EXPECT_NE(r.error().message.find("execution reverted"), std::string::npos);
        script_reserve(kUsdc, usdc, "1040000200000000000000000000", "1060000300000000000000000000");
    }
    {
        // An asset the pool does not know answers all zeros.
        on(kPool, encode_get_reserve_data(kUsdc), ok(reserve_return(ReserveDataReading{})));
        auto rpc = client();
        auto r = read_reserves(rpc, kPool, kOracle, 7);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message, usdc_name + ": getReserveData(): no aToken (not a reserve)");
    }
    {
        ReserveDataReading twin = usdc;
        twin.id = 0;  // WETH's
        on(kPool, encode_get_reserve_data(kUsdc), ok(reserve_return(twin)));
        auto rpc = client();
        auto r = read_reserves(rpc, kPool, kOracle, 7);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message,
                  usdc_name + ": getReserveData(): id 0 is also reserve " + kWeth.checksummed() + "'s");
        on(kPool, encode_get_reserve_data(kUsdc), ok(reserve_return(usdc)));
    }
    {
        const Address both[] = {kWeth, kUsdc};
        on(kOracle, encode_get_assets_prices(both), ok(array_return({word_hex(n("200000000000"))})));
        auto rpc = client();
        auto r = read_reserves(rpc, kPool, kOracle, 7);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message, "aave read_reserves: getAssetsPrices(): uint256[]: length 1, expected 2");
    }
}

TEST_F(AaveReaderTest, EModeCategoriesWithTheirPriceSourcePrice) {
    auto rpc = client();
    const std::uint8_t ids[] = {1, 2};
    auto categories = read_emode_categories(rpc, kPool, kOracle, ids, 0x99);
    ASSERT_TRUE(categories.has_value()) << categories.error().message;
    ASSERT_EQ(categories->size(), 2u);
    EXPECT_EQ((*categories)[0].id, 1u);
    EXPECT_EQ((*categories)[0].category,
              (EModeCategoryReading{9000, 9300, 10100, kEthUsdFeed, "ETH correlated"}));
    EXPECT_EQ((*categories)[0].price_source_price, n("200100000000"));
    EXPECT_EQ((*categories)[1].id, 2u);
    EXPECT_EQ((*categories)[1].category.label, "Stablecoins");
    EXPECT_EQ((*categories)[1].price_source_price, U256(0));  // no price source, no call
    ASSERT_EQ(seen->batches.size(), 2u);
    EXPECT_EQ(seen->batches[0].size(), 2u);
    EXPECT_EQ(seen->batches[1].size(), 1u);
    expect_all_at_block("0x99");
}

TEST_F(AaveReaderTest, UsersWithTheBalancesOfEveryFlaggedReserve) {
    const auto rs = reserves();
    ASSERT_EQ(rs.size(), 2u);
    script_alice();
    on(kPool, encode_get_user_configuration(kBob), ok("0x" + word_hex(U256(0))));
    on(kPool, encode_get_user_emode(kBob), ok("0x" + word_hex(U256(0))));

    auto rpc = client();
    const Address users[] = {kAlice, kBob};
    auto readings = read_users(rpc, kPool, rs, users, 0x1234);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    ASSERT_EQ(readings->size(), 2u);

    const UserReading& a = (*readings)[0];
    EXPECT_EQ(a.user, kAlice);
    EXPECT_EQ(a.configuration, U256(0x12));
    EXPECT_EQ(a.emode_category, 1u);
    ASSERT_EQ(a.balances.size(), 2u);
    EXPECT_EQ(a.balances[0].reserve_id, 0u);
    EXPECT_EQ(a.balances[0].scaled_a_token, n("1500000000000000000"));
    EXPECT_EQ(a.balances[0].scaled_variable_debt, U256(0));
    EXPECT_EQ(a.balances[1].reserve_id, 2u);
    EXPECT_EQ(a.balances[1].scaled_a_token, U256(0));
    EXPECT_EQ(a.balances[1].scaled_variable_debt, n("1903846153"));
    EXPECT_EQ(a.balances[1].stable_debt, n("100000000"));

    const UserReading& b = (*readings)[1];
    EXPECT_EQ(b.user, kBob);
    EXPECT_TRUE(b.balances.empty());

    // Batch 1: configuration + eMode for both users (4); batch 2: three token calls per flagged reserve of alice's (6).
    ASSERT_EQ(seen->batches.size(), 2u);
    EXPECT_EQ(seen->batches[0].size(), 4u);
    EXPECT_EQ(seen->batches[1].size(), 6u);
    expect_all_at_block("0x1234");

    // Split at 4 calls: 4 | 4 + 2, same readings.
    seen->batches.clear();
    ReadOptions four;
    four.max_calls_per_batch = 4;
    auto split = read_users(rpc, kPool, rs, users, 0x1234, four);
    ASSERT_TRUE(split.has_value()) << split.error().message;
    EXPECT_EQ((*split)[0].balances[1].stable_debt, n("100000000"));
    ASSERT_EQ(seen->batches.size(), 3u);
}

TEST_F(AaveReaderTest, AReserveWithoutAStableDebtTokenReadsNoStableDebt) {
    auto rs = reserves();
    ASSERT_EQ(rs.size(), 2u);
    rs[1].data.stable_debt_token = Address{};
    script_alice();
    auto rpc = client();
    const Address users[] = {kAlice};
    auto readings = read_users(rpc, kPool, rs, users, 5);
    ASSERT_TRUE(readings.has_value()) << readings.error().message;
    EXPECT_EQ((*readings)[0].balances[1].stable_debt, U256(0));
    ASSERT_EQ(seen->batches.size(), 2u);
    EXPECT_EQ(seen->batches[1].size(), 5u);
}

TEST_F(AaveReaderTest, UserFailuresNameTheUser) {
    const auto rs = reserves();
    ASSERT_EQ(rs.size(), 2u);
    script_alice();
    const Address users[] = {kAlice, kCarol};
    const std::string carol = "aave read_users: user " + kCarol.checksummed();
    {
        // Carol borrows reserve id 1 (bit 2), which is not among the reserves read.
        on(kPool, encode_get_user_configuration(kCarol), ok("0x" + word_hex(U256(0x4))));
        on(kPool, encode_get_user_emode(kCarol), ok("0x" + word_hex(U256(0))));
        auto rpc = client();
        auto r = read_users(rpc, kPool, rs, users, 5);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message,
                  carol + ": getUserConfiguration() flags reserve id 1, which is not among the 2 reserves read");
    }
    {
        on(kPool, encode_get_user_configuration(kCarol), ok("0x" + word_hex(U256(0))));
        on(kPool, encode_get_user_emode(kCarol), ok("0x" + word_hex(U256(256))));
        auto rpc = client();
        auto r = read_users(rpc, kPool, rs, users, 5);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message, carol + ": getUserEMode(): category 256 exceeds 255");
    }
    {
        on(kPool, encode_get_user_emode(kCarol), ok("0x" + word_hex(U256(0))));
        on(usdc.variable_debt_token, encode_scaled_balance_of(kAlice), ok("0x01"));
        auto rpc = client();
        auto r = read_users(rpc, kPool, rs, users, 5);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().message, "aave read_users: user " + kAlice.checksummed() +
                                         ": reserve id 2: variableDebtToken scaledBalanceOf(): uint256: expected 32 "
                                         "bytes of return data, found 1");
    }
}

TEST_F(AaveReaderTest, ATransportFailureFailsTheRead) {
    class Down final : public Transport {
    public:
        Result<std::string> send(const std::string&) override { return fail("connection refused"); }
    };
    JsonRpcClient rpc(std::make_unique<Down>());
    auto r = read_reserves(rpc, kPool, kOracle, 1);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message.rfind("aave read_reserves: ", 0), 0u) << r.error().message;
    EXPECT_NE(r.error().message.find("connection refused"), std::string::npos) << r.error().message;
}

}  // namespace aave_reader_test
}  // namespace keeper::chain::aave_v3
