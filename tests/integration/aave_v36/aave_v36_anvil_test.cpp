// Aave v3.6 (POOL_REVISION 10, npm @aave-dao/aave-v3-origin 3.6.0 compiled
// by solc-js 0.8.27) deployed on anvil, against the exact model with
// PoolRules::V3_6: getUserAccountData of a crowd of borrowers to the wei after
// a month of interest, and each liquidation's predicted amounts against the
// LiquidationCall and DeficitCreated events the pool emits (both close-factor
// branches, the 2000-base and 1000-base leftover rules, a deficit).
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "chain/aave/aave_reader.hpp"
#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_words.hpp"
#include "core/keccak.hpp"
#include "protocols/aave_v3/aave_evaluation.hpp"
#include "keeper/devnet/aave_borrower_mix.hpp"
#include "keeper/devnet/aave_v36_devnet.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "margin/aave_v3.hpp"
#include "support/anvil_process.hpp"

namespace keeper {
namespace aave_v36_anvil_test {

namespace av = chain::aave_v3;
using aave::PoolRules;
enum Reserve : std::size_t { WETH = 0, WBTC = 1, USDC = 2, DAI = 3 };

U256 n(const char* dec) { return U256::from_dec(dec).value(); }
U256 dollars(std::uint64_t usd) { return U256(usd) * U256::pow10(8); }

struct Head {
    std::uint64_t number = 0, timestamp = 0;
};

class AaveV36OnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = testing::AnvilProcess::start({});
        ASSERT_TRUE(started) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[0].private_key_hex).value());
        liquidator_key_.emplace(chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex).value());
        auto deployed = devnet::deploy_aave_v36_devnet(*client_, *owner_);
        ASSERT_TRUE(deployed) << deployed.error().message;
        devnet_ = *deployed;
    }

    Bytes call(const Address& to, std::string_view signature, const std::vector<abi::Value>& args = {}) {
        auto out = devnet::view_call(*client_, to, signature, args);
        EXPECT_TRUE(out) << (out ? "" : out.error().message);
        return out.value_or(Bytes{});
    }
    Head head() {
        auto block = client_->call("eth_getBlockByNumber", nlohmann::json::array({"latest", false}));
        EXPECT_TRUE(block);
        if (!block) return {};
        return Head{U256::from_hex((*block)["number"].get<std::string>())->low64(),
                    U256::from_hex((*block)["timestamp"].get<std::string>())->low64()};
    }
    void set_price(Reserve r, const U256& price) { ASSERT_TRUE(devnet::set_aave_price(*client_, *owner_, devnet_, r, price)); }

    // The accounts as the daemon reads them at `block`, indexes grown to `timestamp`.
    std::map<Address, aave::UserAccount> accounts(const std::vector<Address>& users, std::uint64_t block,
                                                  std::uint64_t timestamp) {
        std::map<Address, aave::UserAccount> out;
        auto reserves = av::read_reserves(*client_, devnet_.contracts.pool, devnet_.contracts.oracle, block);
        EXPECT_TRUE(reserves) << (reserves ? "" : reserves.error().message);
        if (!reserves) return out;
        std::vector<protocols::aave_v3::AaveReserveAtBlock> at;
        for (const auto& r : *reserves) {
            auto grown = protocols::aave_v3::reserve_at_block(r, timestamp, PoolRules::V3_6);
            EXPECT_TRUE(grown) << (grown ? "" : grown.error().message);
            if (grown) at.push_back(*grown);
        }
        auto readings = av::read_users(*client_, devnet_.contracts.pool, *reserves, users, block);
        EXPECT_TRUE(readings) << (readings ? "" : readings.error().message);
        if (!readings) return out;
        std::vector<std::uint8_t> ids;
        for (const auto& r : *readings)
            if (r.emode_category != 0 && std::find(ids.begin(), ids.end(), r.emode_category) == ids.end())
                ids.push_back(r.emode_category);
        std::map<std::uint8_t, aave::EModeCategory> emodes;
        av::ReadOptions options;
        options.liquid_emodes = true;
        auto categories =
            av::read_emode_categories(*client_, devnet_.contracts.pool, devnet_.contracts.oracle, ids, block, options);
        EXPECT_TRUE(categories) << (categories ? "" : categories.error().message);
        for (const auto& c : categories.value_or(std::vector<av::EModeReading>{})) {
            aave::EModeCategory e;
            e.ltv_bps = c.category.ltv_bps;
            e.liquidation_threshold_bps = c.category.liquidation_threshold_bps;
            e.liquidation_bonus_bps = c.category.liquidation_bonus_bps;
            e.collateral_bitmap = c.collateral_bitmap;
            e.ltvzero_bitmap = c.ltvzero_bitmap;
            emodes[c.id] = e;
        }
        for (const auto& r : *readings) {
            auto account = protocols::aave_v3::account_at_block(r, at, emodes);
            EXPECT_TRUE(account) << (account ? "" : account.error().message);
            if (account) out[r.user] = *account;
        }
        return out;
    }

    av::UserAccountDataReading pool_account_data(const Address& user, std::uint64_t block) {
        auto answer = client_->eth_call(chain::CallRequest{std::nullopt, devnet_.contracts.pool,
                                                           av::encode_get_user_account_data(user), std::nullopt,
                                                           std::nullopt},
                                        chain::BlockId::number(block));
        EXPECT_TRUE(answer) << (answer ? "" : answer.error().message);
        return av::decode_user_account_data(answer.value_or(Bytes{})).value_or(av::UserAccountDataReading{});
    }

    void fund_liquidator() {
        const Address liquidator = chain::address_of(*liquidator_key_);
        for (const auto& reserve : devnet_.reserves) {
            ASSERT_TRUE(devnet::mint_aave_token(*client_, *owner_, reserve.asset, liquidator,
                                                U256(1'000'000'000) * U256::pow10(reserve.decimals)));
            ASSERT_TRUE(devnet::transact_call(*client_, *liquidator_key_, reserve.asset, "approve(address,uint256)",
                                              {devnet_.contracts.pool, U256::max()}));
        }
    }

    struct Outcome {
        aave::LiquidationQuote quote;
        av::LiquidationCallEvent event;
        std::vector<aave::Deficit> deficits;  // from the DeficitCreated events, in log order
    };
    // Quotes the liquidation for the next block (timestamp pinned 12 s on),
    // sends it and decodes what the pool emitted.
    std::optional<Outcome> liquidate(const Address& user, Reserve collateral, Reserve debt, const U256& debt_to_cover) {
        const Head now = head();
        const std::uint64_t next = now.timestamp + 12;
        auto account = accounts({user}, now.number, next).at(user);
        auto quote = aave::quote_liquidation(PoolRules::V3_6, account,
                                             aave::LiquidationCall{unsigned(collateral), unsigned(debt), debt_to_cover});
        EXPECT_TRUE(quote) << (quote ? "" : quote.error().message);
        if (!quote) return std::nullopt;
        EXPECT_TRUE(client_->call("evm_setNextBlockTimestamp", nlohmann::json::array({next})));
        auto receipt = devnet::send_and_wait(
            *client_, *liquidator_key_, devnet_.contracts.pool,
            av::encode_liquidation_call(devnet_.reserves[collateral].asset, devnet_.reserves[debt].asset, user,
                                        debt_to_cover, false),
            3'000'000);
        EXPECT_TRUE(receipt && receipt->success) << (receipt ? "reverted" : receipt.error().message);
        if (!receipt || !receipt->success) return std::nullopt;
        Outcome out{*quote, {}, {}};
        static const Bytes32 deficit_topic = event_topic("DeficitCreated(address,address,uint256)");
        for (const auto& log : receipt->logs) {
            if (log.address != devnet_.contracts.pool) continue;
            if (!log.topics.empty() && log.topics[0] == deficit_topic && log.topics.size() == 3) {
                const Address asset = Address::from_word(log.topics[2]);
                for (std::size_t i = 0; i < devnet_.reserves.size(); ++i)
                    if (devnet_.reserves[i].asset == asset)
                        out.deficits.push_back({unsigned(i), abi::read_uint256(log.data, 0).value()});
                continue;
            }
            auto event = av::decode_event(log);
            if (event && event->has_value())
                if (const auto* liq = std::get_if<av::LiquidationCallEvent>(&**event)) out.event = *liq;
        }
        return out;
    }

    std::optional<testing::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_, liquidator_key_;
    devnet::AaveDevnet devnet_;
};

TEST_F(AaveV36OnAnvil, DeploysPoolRevision10WithLiquidEModes) {
    EXPECT_EQ(abi::read_uint256(call(devnet_.contracts.pool, "POOL_REVISION()"), 0).value(), U256(10));
    EXPECT_EQ(aave::rules_for_pool_revision(10).value(), PoolRules::V3_6);
    // USDC (2) and DAI (3) are collateral in eMode 1 by bitmap.
    EXPECT_EQ(abi::read_uint256(call(devnet_.contracts.pool, "getEModeCategoryCollateralBitmap(uint8)", {U256(1)}), 0)
                  .value(),
              U256(0b1100));
    for (const auto& reserve : devnet_.reserves) {
        EXPECT_NE(reserve.a_token, Address());
        EXPECT_NE(reserve.variable_debt_token, Address());
        EXPECT_EQ(reserve.stable_debt_token, Address());
    }
}

TEST_F(AaveV36OnAnvil, AccountDataOfMixedBorrowersEqualsThePoolToTheWei) {
    const auto specs = devnet::mixed_aave_borrowers(60);
    auto borrowers = devnet::open_aave_borrowers(*client_, *owner_, devnet_, specs);
    ASSERT_TRUE(borrowers) << borrowers.error().message;
    // A month of interest (the v3.4+ compounding), DAI with LTV 0 inside eMode 1 (ltvzero bitmap),
    // and WETH -25%, DAI -10% so that some fall below 1.
    ASSERT_TRUE(client_->call("evm_increaseTime", nlohmann::json::array({30 * 86'400})));
    ASSERT_TRUE(devnet::transact_call(*client_, *owner_, devnet_.contracts.pool_configurator,
                                      "setAssetLtvzeroInEMode(address,uint8,bool)",
                                      {devnet_.reserves[DAI].asset, U256(1), true}));
    set_price(WETH, dollars(1500));
    set_price(DAI, U256(90'000'000));
    const Head now = head();
    const auto ours = accounts(*borrowers, now.number, now.timestamp);
    ASSERT_EQ(ours.size(), borrowers->size());
    std::size_t liquidatable = 0, emode = 0, zero_ltv = 0, early_differs = 0, v35_ltv_differs = 0;
    for (const Address& b : *borrowers) {
        const auto data = aave::calculate_user_account_data(PoolRules::V3_6, ours.at(b));
        ASSERT_TRUE(data) << data.error().message;
        const auto pool = pool_account_data(b, now.number);
        EXPECT_EQ(data->total_collateral_base, pool.total_collateral_base) << b.checksummed();
        EXPECT_EQ(data->total_debt_base, pool.total_debt_base) << b.checksummed();
        EXPECT_EQ(data->avg_ltv_bps, pool.ltv) << b.checksummed();
        EXPECT_EQ(data->avg_liquidation_threshold_bps, pool.current_liquidation_threshold) << b.checksummed();
        EXPECT_EQ(data->health_factor_wad, pool.health_factor) << b.checksummed();
        liquidatable += data->liquidatable() ? 1 : 0;
        emode += ours.at(b).emode_category_id == 1 ? 1 : 0;
        zero_ltv += data->has_zero_ltv_collateral ? 1 : 0;
        // The rules matter: v3.0's half-up balances miss the pool's numbers, and v3.5's LTV
        // ignores the ltvzero bitmap.
        const auto early = aave::calculate_user_account_data(PoolRules::EarlyV3, ours.at(b));
        const auto v35 = aave::calculate_user_account_data(PoolRules::V3_5, ours.at(b));
        ASSERT_TRUE(early && v35);
        early_differs += early->total_debt_base != pool.total_debt_base ||
                                 early->total_collateral_base != pool.total_collateral_base ||
                                 early->health_factor_wad != pool.health_factor
                             ? 1
                             : 0;
        v35_ltv_differs += v35->avg_ltv_bps != pool.ltv ? 1 : 0;
    }
    EXPECT_GT(early_differs, 0u);
    EXPECT_GT(v35_ltv_differs, 0u);
    EXPECT_GT(liquidatable, 0u);
    EXPECT_GT(emode, 0u);
    EXPECT_GT(zero_ltv, 0u) << "an eMode account with DAI collateral has LTV 0 on it";
}

TEST_F(AaveV36OnAnvil, LiquidationsEqualTheLiquidationCallAndDeficitCreatedEvents) {
    const auto units = [](const char* whole, std::uint8_t decimals) { return n(whole) * U256::pow10(decimals); };
    std::vector<devnet::AaveBorrowerSpec> specs{
        {0, {{WETH, units("10", 18)}}, {{USDC, units("15000", 6)}}},                       // HF 0.9625 at $1750
        {0, {{WETH, units("10", 18)}}, {{USDC, units("15900", 6)}}},                       // HF 0.908
        {0, {{WETH, n("900000000000000000")}}, {{USDC, units("1400", 6)}}},                // $1575 < 2000 base
        {0, {{WBTC, units("1", 7)}}, {{USDC, units("2000", 6)}, {DAI, units("90", 18)}}},  // 0.1 WBTC: deficit
        {0, {{WETH, units("10", 18)}}, {{USDC, units("15900", 6)}}},                       // partial
    };
    auto opened = devnet::open_aave_borrowers(*client_, *owner_, devnet_, specs);
    ASSERT_TRUE(opened) << opened.error().message;
    const auto& u = *opened;
    fund_liquidator();
    ASSERT_TRUE(client_->call("evm_increaseTime", nlohmann::json::array({7 * 86'400})));
    set_price(WETH, dollars(1750));
    set_price(WBTC, dollars(15000));
    const auto same = [](const Outcome& o) {
        EXPECT_EQ(o.event.debt_to_cover, o.quote.amounts.debt_to_repay);
        EXPECT_EQ(o.event.liquidated_collateral_amount, o.quote.amounts.collateral_to_liquidator);
        EXPECT_EQ(o.deficits, o.quote.deficits);
    };

    // HF in (0.95, 1) and both reserves >= 2000 base: half of the total debt at most.
    auto half = liquidate(u[0], WETH, USDC, U256::max());
    ASSERT_TRUE(half);
    same(*half);
    EXPECT_GT(half->quote.account.health_factor_wad, n("950000000000000000"));
    EXPECT_LT(half->quote.max_liquidatable_debt, half->quote.user_debt_balance);
    EXPECT_EQ(half->event.debt_to_cover, half->quote.max_liquidatable_debt);

    // HF <= 0.95: all of it, though only 0.46 WETH ($805) of collateral stays (the debt is gone).
    auto full = liquidate(u[1], WETH, USDC, U256::max());
    ASSERT_TRUE(full);
    same(*full);
    EXPECT_LE(full->quote.account.health_factor_wad, n("950000000000000000"));
    EXPECT_EQ(full->event.debt_to_cover, full->quote.user_debt_balance);

    // Below 2000 base: the whole debt although HF > 0.95 would halve it elsewhere; a partial repayment
    // that leaves 400 USDC is dust, for the model and for the pool.
    {
        const Head now = head();
        auto account = accounts({u[2]}, now.number, now.timestamp + 1).at(u[2]);
        const auto dust = aave::quote_liquidation(PoolRules::V3_6, account,
                                                  aave::LiquidationCall{WETH, USDC, units("1000", 6)});
        ASSERT_FALSE(dust);
        EXPECT_EQ(dust.error().message, "aave: MUST_NOT_LEAVE_DUST");
        auto reverted = client_->eth_call(
            chain::CallRequest{chain::address_of(*liquidator_key_), devnet_.contracts.pool,
                               av::encode_liquidation_call(devnet_.reserves[WETH].asset, devnet_.reserves[USDC].asset,
                                                           u[2], units("1000", 6), false),
                               std::nullopt, 3'000'000},
            chain::BlockId::latest());
        EXPECT_FALSE(reverted) << "the pool must refuse to leave dust";
    }
    auto small = liquidate(u[2], WETH, USDC, U256::max());
    ASSERT_TRUE(small);
    same(*small);
    EXPECT_EQ(small->event.debt_to_cover, small->quote.user_debt_balance);

    // The last collateral goes: the rest of the USDC debt and all the DAI debt become deficits.
    const U256 usdc_deficit_before = devnet::aave_reserve_deficit(*client_, devnet_, USDC).value();
    auto bad = liquidate(u[3], WBTC, USDC, U256::max());
    ASSERT_TRUE(bad);
    same(*bad);
    EXPECT_TRUE(bad->quote.has_no_collateral_left);
    ASSERT_EQ(bad->deficits.size(), 2u);
    EXPECT_EQ(bad->deficits[0].reserve_id, unsigned(USDC));
    EXPECT_EQ(bad->deficits[1].reserve_id, unsigned(DAI));
    EXPECT_EQ(devnet::aave_reserve_deficit(*client_, devnet_, USDC).value(), usdc_deficit_before + bad->deficits[0].amount);
    EXPECT_EQ(devnet::aave_reserve_deficit(*client_, devnet_, DAI).value(), bad->deficits[1].amount);
    const auto after = pool_account_data(u[3], head().number);
    EXPECT_EQ(after.total_debt_base, U256(0)) << "every debt is burnt";

    // A partial repayment leaving >= 1000 base of both sides.
    auto partial = liquidate(u[4], WETH, USDC, units("9000", 6));
    ASSERT_TRUE(partial);
    same(*partial);
    EXPECT_EQ(partial->event.debt_to_cover, units("9000", 6));
}

}  // namespace aave_v36_anvil_test
}  // namespace keeper
