// A real Aave V3 market on anvil, from the pinned @aave/core-v3 1.19.3
// artifacts: deploy_aave_devnet lists WETH ($2000, 8000/8250/10500), WBTC
// ($30000, 7000/7500/10650), USDC and DAI ($1, 7500/8000/10450 and 10500,
// both in eMode 1 "stablecoins" 9300/9500/10100) and supplies 1e9 whole
// tokens of each; open_aave_borrowers opens borrowers with 1-4 collaterals and
// 1-3 variable debts through AaveBorrowerFleet. The pool's own getters then
// answer what was asked for, to the wei.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"
#include "core/abi_words.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/aave_devnet.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/anvil_rpc.hpp"

namespace keeper::devnet {
namespace aave_devnet_test {

constexpr std::size_t kWeth = 0, kWbtc = 1, kUsdc = 2, kDai = 3;
const U256 kWad = U256::pow10(18);

U256 units(std::uint64_t whole, unsigned decimals) { return U256(whole) * U256::pow10(decimals); }

// What GenericLogic adds up per asset: price * balance / 10^decimals, floored.
U256 base_value(const AaveReserveSpec& spec, const U256& amount) {
    return amount * spec.price_1e8 / U256::pow10(spec.decimals);
}

// The LTV a borrower gets from an asset: its eMode category's when the asset
// is in it, else the asset's own.
std::uint16_t ltv_for(const AaveDevnetOptions& options, std::uint8_t emode, std::size_t reserve) {
    const AaveReserveSpec& spec = options.reserves[reserve];
    if (emode != 0 && spec.emode_category == emode) return options.emodes.front().ltv_bps;
    return spec.ltv_bps;
}

// Borrower i, deterministic: eMode 1 for every fourth (i % 4 == 1);
// 1 + i % 4 collaterals starting at reserve i % 4 (1-5 WETH, 0.1-0.3 WBTC,
// 1000-4000 USDC, 2000-3200 DAI); debts worth 50%-94% of its borrowing power,
// split evenly over 1 + i % 3 reserves (eMode borrowers only USDC and DAI).
AaveBorrowerSpec mixed_borrower(const AaveDevnetOptions& options, std::size_t i) {
    AaveBorrowerSpec spec;
    spec.emode_category = i % 4 == 1 ? 1 : 0;
    const std::size_t collaterals = 1 + i % 4;
    U256 power;  // sum of value * ltv, in base units * 1e4
    for (std::size_t k = 0; k < collaterals; ++k) {
        const std::size_t reserve = (i + k) % 4;
        U256 amount;
        switch (reserve) {
            case kWeth: amount = units(1 + i % 5, 18); break;
            case kWbtc: amount = U256(1 + i % 3) * U256::pow10(7); break;
            case kUsdc: amount = units(1000 + 500 * (i % 7), 6); break;
            default: amount = units(2000 + 300 * (i % 5), 18); break;
        }
        spec.supplies.emplace_back(reserve, amount);
        power += base_value(options.reserves[reserve], amount) * U256(ltv_for(options, spec.emode_category, reserve));
    }
    const U256 target = power * U256(50 + (i * 7) % 45) / U256(100) / U256(10'000);
    std::vector<std::size_t> debt_reserves;
    if (spec.emode_category == 1) {
        debt_reserves = {kUsdc, kDai};
        debt_reserves.resize(std::min<std::size_t>(1 + i % 3, 2));
    } else {
        for (std::size_t k = 0; k < 1 + i % 3; ++k) debt_reserves.push_back((i + 1 + k) % 4);
    }
    const U256 share = target / U256(debt_reserves.size());
    for (std::size_t reserve : debt_reserves) {
        const AaveReserveSpec& r = options.reserves[reserve];
        spec.borrows.emplace_back(reserve, share * U256::pow10(r.decimals) / r.price_1e8);
    }
    return spec;
}

std::vector<AaveBorrowerSpec> mixed_borrowers(const AaveDevnetOptions& options, std::size_t count) {
    std::vector<AaveBorrowerSpec> specs;
    for (std::size_t i = 0; i < count; ++i) specs.push_back(mixed_borrower(options, i));
    return specs;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class AaveDevnetOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(chain::PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value());
    }

    AaveDevnet deploy() {
        const auto start = std::chrono::steady_clock::now();
        auto devnet = deploy_aave_devnet(*client_, *owner_, options_);
        const double took = seconds_since(start);
        EXPECT_TRUE(devnet.has_value()) << devnet.error().message;
        RecordProperty("deploy_seconds", std::to_string(took));
        std::cout << "deploy_aave_devnet: " << took << " s\n";
        return devnet.has_value() ? *devnet : AaveDevnet{};
    }

    // Opens the borrowers and notes, for each, the block its batch landed in
    // (the latest block when progress hears of the batch).
    std::vector<Address> open(const AaveDevnet& devnet, const std::vector<AaveBorrowerSpec>& specs,
                              std::vector<std::uint64_t>& blocks, std::size_t per_tx = 20) {
        blocks.clear();
        auto borrowers =
            open_aave_borrowers(*client_, *owner_, devnet, specs, per_tx, [&](std::size_t done, std::size_t total) {
                EXPECT_EQ(total, specs.size());
                blocks.resize(done, client_->block_number().value());
            });
        EXPECT_TRUE(borrowers.has_value()) << borrowers.error().message;
        if (!borrowers) return {};
        EXPECT_EQ(borrowers->size(), specs.size());
        EXPECT_EQ(blocks.size(), specs.size());
        return *borrowers;
    }

    Bytes call(const Address& to, std::string_view signature, const std::vector<abi::Value>& args = {},
               const chain::BlockId& block = chain::BlockId::latest()) {
        chain::CallRequest request{.from = std::nullopt,
                                   .to = to,
                                   .data = abi::encode_call(signature, args).value(),
                                   .value = std::nullopt,
                                   .gas = std::nullopt};
        auto out = client_->eth_call(request, block);
        EXPECT_TRUE(out.has_value()) << signature << ": " << out.error().message;
        return out.has_value() ? *out : Bytes(32 * 16, 0);
    }
    static U256 uint_at(const Bytes& out, std::size_t index) { return abi::read_uint256(out, index).value(); }

    // Gas of every transaction in which the fleet emitted AaveBorrowerOpened.
    U256 fleet_gas_used(const AaveDevnet& devnet) {
        const nlohmann::json filter{
            {"address", devnet.contracts.fleet.hex()},
            {"fromBlock", "0x0"},
            {"toBlock", "latest"},
            {"topics", {event_topic("AaveBorrowerOpened(address,uint8,uint256,uint256)").hex()}}};
        const auto logs = client_->call("eth_getLogs", nlohmann::json::array({filter})).value();
        std::set<std::string> transactions;
        for (const auto& log : logs) transactions.insert(log.at("transactionHash").get<std::string>());
        U256 gas;
        for (const auto& hash : transactions) {
            const auto receipt = client_->get_transaction_receipt(Bytes32::from_hex(hash).value()).value();
            if (receipt) gas += receipt->gas_used;
        }
        return gas;
    }

    AaveDevnetOptions options_ = default_aave_devnet_options();
    std::optional<AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_;
};

TEST_F(AaveDevnetOnAnvil, DeploysTheConfiguredMarket) {
    const AaveDevnet devnet = deploy();
    const AaveContracts& c = devnet.contracts;
    ASSERT_EQ(devnet.reserves.size(), 4u);
    EXPECT_GT(devnet.deploy_block, 0u);

    // The provider knows every part of the market.
    EXPECT_EQ(abi::read_address(call(c.addresses_provider, "getPool()"), 0).value(), c.pool);
    EXPECT_EQ(abi::read_address(call(c.addresses_provider, "getPoolConfigurator()"), 0).value(), c.pool_configurator);
    EXPECT_EQ(abi::read_address(call(c.addresses_provider, "getPriceOracle()"), 0).value(), c.oracle);
    EXPECT_EQ(abi::read_address(call(c.addresses_provider, "getACLManager()"), 0).value(), c.acl_manager);
    EXPECT_EQ(abi::read_address(call(c.addresses_provider, "getPoolDataProvider()"), 0).value(), c.data_provider);
    EXPECT_TRUE(abi::read_bool(call(c.acl_manager, "isPoolAdmin(address)", {chain::address_of(*owner_)}), 0).value());

    const U256 revision = uint_at(call(c.pool, "POOL_REVISION()"), 0);
    RecordProperty("pool_revision", revision.to_dec());
    std::cout << "Pool.POOL_REVISION() = " << revision.to_dec() << "\n";
    EXPECT_GE(revision, U256(1));

    // getReservesList() = the four assets, in options order.
    const auto list = abi::decode(std::vector{abi::parse_type("address[]").value()}, call(c.pool, "getReservesList()"));
    ASSERT_TRUE(list.has_value()) << list.error().message;
    const auto& assets = *list->front().as_list();
    ASSERT_EQ(assets.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(*assets[i].as_address(), devnet.reserves[i].asset);

    // getReserveData(asset).configuration bits, and the token proxies.
    for (std::size_t i = 0; i < 4; ++i) {
        const AaveReserveSpec& spec = options_.reserves[i];
        const AaveReserve& reserve = devnet.reserves[i];
        SCOPED_TRACE(spec.symbol);
        const Bytes data = call(c.pool, "getReserveData(address)", {reserve.asset});
        const U256 config = uint_at(data, 0);
        const auto bits = [&](unsigned from, unsigned width) {
            return ((config >> from) & ((U256(1) << width) - U256(1))).low64();
        };
        EXPECT_EQ(bits(0, 16), spec.ltv_bps);
        EXPECT_EQ(bits(16, 16), spec.liquidation_threshold_bps);
        EXPECT_EQ(bits(32, 16), spec.liquidation_bonus_bps);
        EXPECT_EQ(bits(48, 8), spec.decimals);
        EXPECT_EQ(bits(56, 1), 1u);  // active
        EXPECT_EQ(bits(57, 1), 0u);  // not frozen
        EXPECT_EQ(bits(58, 1), 1u);  // borrowing enabled
        EXPECT_EQ(bits(60, 1), 0u);  // not paused
        EXPECT_EQ(bits(64, 16), spec.reserve_factor_bps);
        EXPECT_EQ(bits(152, 16), spec.liquidation_protocol_fee_bps);
        EXPECT_EQ(bits(168, 8), spec.emode_category);
        EXPECT_EQ(abi::read_address(data, 8).value(), reserve.a_token);
        EXPECT_EQ(abi::read_address(data, 9).value(), reserve.stable_debt_token);
        EXPECT_EQ(abi::read_address(data, 10).value(), reserve.variable_debt_token);
        EXPECT_EQ(abi::read_address(data, 11).value(), c.interest_rate_strategy);
        EXPECT_EQ(uint_at(call(reserve.asset, "decimals()"), 0), U256(spec.decimals));

        EXPECT_EQ(uint_at(call(c.oracle, "getAssetPrice(address)", {reserve.asset}), 0), spec.price_1e8);
        EXPECT_EQ(abi::read_address(call(c.oracle, "getSourceOfAsset(address)", {reserve.asset}), 0).value(),
                  reserve.aggregator);
        // The owner's liquidity: 1e9 whole tokens, not yet borrowed from.
        EXPECT_EQ(uint_at(call(reserve.a_token, "balanceOf(address)", {chain::address_of(*owner_)}), 0),
                  units(1'000'000'000, spec.decimals));
    }
    EXPECT_EQ(uint_at(call(c.oracle, "BASE_CURRENCY_UNIT()"), 0), U256::pow10(8));

    // getEModeCategoryData(1) = (9300, 9500, 10100, no price source, "stablecoins").
    const auto emode = abi::decode(std::vector{abi::parse_type("(uint16,uint16,uint16,address,string)").value()},
                                   call(c.pool, "getEModeCategoryData(uint8)", {U256(1)}));
    ASSERT_TRUE(emode.has_value()) << emode.error().message;
    const auto& category = *emode->front().as_list();
    EXPECT_EQ(*category[0].as_uint(), U256(9300));
    EXPECT_EQ(*category[1].as_uint(), U256(9500));
    EXPECT_EQ(*category[2].as_uint(), U256(10100));
    EXPECT_EQ(*category[3].as_address(), Address());
    EXPECT_EQ(*category[4].as_string(), "stablecoins");
}

TEST_F(AaveDevnetOnAnvil, Opens30MixedBorrowersWhoseAccountDataMatchesToTheWei) {
    const AaveDevnet devnet = deploy();
    const std::vector<AaveBorrowerSpec> specs = mixed_borrowers(options_, 30);
    std::vector<std::uint64_t> blocks;
    const std::vector<Address> borrowers = open(devnet, specs, blocks, 8);
    ASSERT_EQ(borrowers.size(), 30u);
    EXPECT_EQ(std::set<Address>(borrowers.begin(), borrowers.end()).size(), 30u);
    EXPECT_EQ(std::set<std::uint64_t>(blocks.begin(), blocks.end()).size(), 4u);  // 8 + 8 + 8 + 6

    const Address weth = devnet.reserves[kWeth].asset;
    std::size_t in_emode = 0;
    for (std::size_t i = 0; i < borrowers.size(); ++i) {
        SCOPED_TRACE(i);
        const AaveBorrowerSpec& spec = specs[i];
        U256 collateral;
        for (const auto& [reserve, amount] : spec.supplies)
            collateral += base_value(options_.reserves[reserve], amount);
        U256 debt;
        for (const auto& [reserve, amount] : spec.borrows) debt += base_value(options_.reserves[reserve], amount);

        // In the block that opened it, before any interest: exactly what was
        // supplied and borrowed, valued at the configured prices.
        const Bytes opened = call(devnet.contracts.pool, "getUserAccountData(address)", {borrowers[i]},
                                  chain::BlockId::number(blocks[i]));
        EXPECT_EQ(uint_at(opened, 0), collateral);
        EXPECT_EQ(uint_at(opened, 1), debt);

        const Bytes now = call(devnet.contracts.pool, "getUserAccountData(address)", {borrowers[i]});
        EXPECT_GT(uint_at(now, 5), kWad);  // healthFactor
        EXPECT_EQ(uint_at(call(devnet.contracts.pool, "getUserEMode(address)", {borrowers[i]}), 0),
                  U256(spec.emode_category));
        in_emode += spec.emode_category == 1 ? 1 : 0;
        for (const auto& [reserve, amount] : spec.borrows) {
            const Bytes debt_balance = call(devnet.reserves[reserve].variable_debt_token, "balanceOf(address)",
                                            {borrowers[i]}, chain::BlockId::number(blocks[i]));
            EXPECT_EQ(uint_at(debt_balance, 0), amount);
        }
    }
    EXPECT_EQ(in_emode, 8u);  // i % 4 == 1 for i < 30

    // WETH from $2000 to $1200: borrowers leaning on WETH collateral fall
    // below 1.0; nobody without WETH collateral changes health at all. The
    // clock is stopped (every block from here on has the latest block's
    // timestamp, whatever the wall clock does), so no interest accrues while
    // the price move is mined and the comparison is exact.
    ASSERT_TRUE(client_->call("anvil_setBlockTimestampInterval", nlohmann::json::array({0})).has_value());
    const auto frozen_at = client_->get_block_header(chain::BlockId::latest()).value().value().timestamp;
    std::vector<U256> before;
    for (const auto& borrower : borrowers)
        before.push_back(uint_at(call(devnet.contracts.pool, "getUserAccountData(address)", {borrower}), 5));
    const Address old_source =
        abi::read_address(call(devnet.contracts.oracle, "getSourceOfAsset(address)", {weth}), 0).value();
    auto moved = set_aave_price(*client_, *owner_, devnet, kWeth, U256(1200) * U256::pow10(8));
    ASSERT_TRUE(moved.has_value()) << moved.error().message;
    EXPECT_EQ(uint_at(call(devnet.contracts.oracle, "getAssetPrice(address)", {weth}), 0), U256(1200) * U256::pow10(8));
    EXPECT_NE(abi::read_address(call(devnet.contracts.oracle, "getSourceOfAsset(address)", {weth}), 0).value(),
              old_source);

    std::size_t unhealthy = 0;
    for (std::size_t i = 0; i < borrowers.size(); ++i) {
        SCOPED_TRACE(i);
        const U256 health = uint_at(call(devnet.contracts.pool, "getUserAccountData(address)", {borrowers[i]}), 5);
        bool weth_collateral = false;
        for (const auto& [reserve, amount] : specs[i].supplies) weth_collateral |= reserve == kWeth;
        if (health < kWad) {
            ++unhealthy;
            EXPECT_TRUE(weth_collateral);
        }
        if (!weth_collateral) {
            EXPECT_EQ(health, before[i]) << "WETH's price moved a non-WETH account";
        }
    }
    RecordProperty("unhealthy_after_weth_drop", std::to_string(unhealthy));
    std::cout << unhealthy << " of " << borrowers.size() << " below 1.0 after WETH $2000 -> $1200\n";
    EXPECT_GT(unhealthy, 0u);
    EXPECT_LT(unhealthy, borrowers.size());

    // The rates are not zero: a day later every borrowed reserve's indexes
    // have grown past 1 ray (the 1% base rate alone moves the debt index).
    EXPECT_EQ(client_->get_block_header(chain::BlockId::latest()).value().value().timestamp, frozen_at);
    ASSERT_TRUE(client_->call("anvil_removeBlockTimestampInterval").has_value());
    ASSERT_TRUE(client_->call("evm_setNextBlockTimestamp", nlohmann::json::array({frozen_at + 86'400})).has_value());
    ASSERT_TRUE(keeper::devnet::evm_mine(*client_).has_value());
    const U256 ray = U256::pow10(27);
    for (const auto& reserve : devnet.reserves) {
        SCOPED_TRACE(reserve.symbol);
        EXPECT_GT(uint_at(call(devnet.contracts.pool, "getReserveNormalizedVariableDebt(address)", {reserve.asset}), 0),
                  ray);
        EXPECT_GT(uint_at(call(devnet.contracts.pool, "getReserveNormalizedIncome(address)", {reserve.asset}), 0), ray);
    }
}

TEST_F(AaveDevnetOnAnvil, Opens200BorrowersWithinTheGasBudget) {
    const auto start = std::chrono::steady_clock::now();
    const AaveDevnet devnet = deploy();
    const std::vector<AaveBorrowerSpec> specs = mixed_borrowers(options_, 200);
    const auto opening = std::chrono::steady_clock::now();
    std::vector<std::uint64_t> blocks;
    const std::vector<Address> borrowers = open(devnet, specs, blocks);
    const double open_s = seconds_since(opening);
    ASSERT_EQ(borrowers.size(), 200u);
    EXPECT_EQ(std::set<Address>(borrowers.begin(), borrowers.end()).size(), 200u);

    // What open_aave_borrowers budgets, leaving out the per-transaction part:
    // 110k per borrower + 110k per supply + 180k per borrow.
    std::size_t supplies = 0, borrows = 0;
    for (const auto& spec : specs) {
        supplies += spec.supplies.size();
        borrows += spec.borrows.size();
    }
    const U256 budget = U256(110'000 * specs.size() + 110'000 * supplies + 180'000 * borrows);
    const U256 gas = fleet_gas_used(devnet);
    EXPECT_LT(gas, budget);
    RecordProperty("open_200_seconds", std::to_string(open_s));
    RecordProperty("gas_per_borrower", (gas / U256(200)).to_dec());
    std::cout << "open 200 borrowers (" << supplies << " supplies, " << borrows << " borrows): " << open_s
              << " s, deploy + open " << seconds_since(start) << " s, gas per borrower " << (gas / U256(200)).to_dec()
              << " (budget " << (budget / U256(200)).to_dec() << ")\n";
}

TEST_F(AaveDevnetOnAnvil, ABorrowPastTheLtvOrOutsideTheEModeFailsWithThePoolsErrorCode) {
    const AaveDevnet devnet = deploy();
    std::vector<std::uint64_t> blocks;
    // 1 WETH ($2000 at LTV 80%) may borrow $1600: 1700 USDC is past it
    // (Errors.COLLATERAL_CANNOT_COVER_NEW_BORROW = '36').
    const std::vector<AaveBorrowerSpec> greedy{
        {.emode_category = 0, .supplies = {{kWeth, units(1, 18)}}, .borrows = {{kUsdc, units(1700, 6)}}}};
    auto refused = open_aave_borrowers(*client_, *owner_, devnet, greedy);
    ASSERT_FALSE(refused.has_value());
    // "open_aave_borrowers [0, 1): reverted in 0x... (gas used ...; eth_call: error 3: execution reverted: 36)"
    EXPECT_NE(refused.error().message.find("open_aave_borrowers [0, 1): reverted in 0x"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("execution reverted: 36)"), std::string::npos) << refused.error().message;

    // 1600 USDC is exactly at it and opens.
    const std::vector<AaveBorrowerSpec> at_limit{
        {.emode_category = 0, .supplies = {{kWeth, units(1, 18)}}, .borrows = {{kUsdc, units(1600, 6)}}}};
    EXPECT_EQ(open(devnet, at_limit, blocks).size(), 1u);

    // In eMode 1 only USDC and DAI may be borrowed
    // (Errors.INCONSISTENT_EMODE_CATEGORY = '58').
    const std::vector<AaveBorrowerSpec> off_category{
        {.emode_category = 1, .supplies = {{kUsdc, units(10'000, 6)}}, .borrows = {{kWeth, units(1, 18)}}}};
    auto outside = open_aave_borrowers(*client_, *owner_, devnet, off_category);
    ASSERT_FALSE(outside.has_value());
    EXPECT_NE(outside.error().message.find("execution reverted: 58)"), std::string::npos) << outside.error().message;

    // In eMode 1, 10000 USDC backs 9300 DAI (LTV 93%), which outside it
    // would be past the 75% LTV.
    const std::vector<AaveBorrowerSpec> stable{
        {.emode_category = 1, .supplies = {{kUsdc, units(10'000, 6)}}, .borrows = {{kDai, units(9'300, 18)}}}};
    EXPECT_EQ(open(devnet, stable, blocks).size(), 1u);

    // Amounts are checked before anything is sent.
    const std::vector<AaveBorrowerSpec> empty_supply{
        {.emode_category = 0, .supplies = {{kWeth, U256()}}, .borrows = {}}};
    auto zero = open_aave_borrowers(*client_, *owner_, devnet, empty_supply);
    ASSERT_FALSE(zero.has_value());
    EXPECT_EQ(zero.error().message, "open_aave_borrowers: borrower 0: supply of 0 WETH");
    const std::vector<AaveBorrowerSpec> unknown{{.emode_category = 0, .supplies = {{7, units(1, 18)}}, .borrows = {}}};
    auto bad_index = open_aave_borrowers(*client_, *owner_, devnet, unknown);
    ASSERT_FALSE(bad_index.has_value());
    EXPECT_EQ(bad_index.error().message, "open_aave_borrowers: borrower 0: supply of reserve 7 of 4");
}

}  // namespace aave_devnet_test
}  // namespace keeper::devnet
