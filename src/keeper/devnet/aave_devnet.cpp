#include "keeper/devnet/aave_devnet.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "chain/signer.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"
#include "core/abi_words.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/hardhat_artifact.hpp"
#include "keeper/devnet/poisonable_token.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

namespace keeper::devnet {
namespace {

using abi::Value;

// initReserves of one reserve creates three proxies and initializes them.
constexpr std::uint64_t kInitReserveGas = 3'000'000;
// Budgets for batch sizing, about 1.3x what anvil measures (see
// tests/integration/aave_devnet): a borrower's creation with eMode, each
// supply (mint, approve, supply, collateral on), each borrow (delegation,
// health check over the user's reserves, debt mint, transfer). A batch pays
// once for the transaction and, per reserve it touches, for the cold
// storage of the reserve, its tokens and its price source.
constexpr std::uint64_t kGasPerAaveBorrower = 110'000;
constexpr std::uint64_t kGasPerSupply = 110'000;
constexpr std::uint64_t kGasPerBorrow = 180'000;
constexpr std::uint64_t kGasPerAaveBatch = 100'000;
constexpr std::uint64_t kGasPerAaveBatchReserve = 150'000;

// DataTypes.ReserveData as getReserveData returns it: 15 static words.
constexpr std::size_t kReserveDataATokenWord = 8;
constexpr std::size_t kReserveDataStableDebtWord = 9;
constexpr std::size_t kReserveDataVariableDebtWord = 10;

constexpr std::string_view kInitReserveInput =
    "(address,address,address,uint8,address,address,address,address,string,string,string,string,string,string,bytes)";

std::string artifact_source(std::string_view relative) { return "contracts/" + std::string(relative); }

// Deploys the pinned Hardhat artifacts of `dir`.
LinkingDeployer hardhat_deployer(chain::JsonRpcClient& client, const chain::PrivateKey& owner, std::string dir) {
    return LinkingDeployer(client, owner, [dir = std::move(dir)](std::string_view source, std::string_view contract) {
        return load_hardhat_artifact(dir, source, contract);
    });
}

Value init_reserve_input(const AaveReserveSpec& spec, const AaveReserve& reserve, const Address& a_token_impl,
                         const Address& stable_impl, const Address& variable_impl, const Address& strategy,
                         const Address& treasury) {
    const std::string& s = spec.symbol;
    return Value(Value::List{a_token_impl, stable_impl, variable_impl, U256(spec.decimals), strategy, reserve.asset,
                             treasury, Address(),  // no incentives controller
                             "Aave Devnet " + s, "a" + s, "Aave Devnet Variable Debt " + s, "variableDebt" + s,
                             "Aave Devnet Stable Debt " + s, "stableDebt" + s, Bytes()});
}

Result<void> configure_reserve(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                               const Address& configurator, const AaveReserveSpec& spec, const Address& asset) {
    struct Step {
        std::string_view signature;
        std::vector<Value> args;
    };
    std::vector<Step> steps;
    if (spec.liquidation_threshold_bps != 0)
        steps.push_back(
            {"configureReserveAsCollateral(address,uint256,uint256,uint256)",
             {asset, U256(spec.ltv_bps), U256(spec.liquidation_threshold_bps), U256(spec.liquidation_bonus_bps)}});
    if (spec.borrowable) steps.push_back({"setReserveBorrowing(address,bool)", {asset, true}});
    steps.push_back({"setReserveFactor(address,uint256)", {asset, U256(spec.reserve_factor_bps)}});
    steps.push_back({"setLiquidationProtocolFee(address,uint256)", {asset, U256(spec.liquidation_protocol_fee_bps)}});
    steps.push_back({"setReserveFlashLoaning(address,bool)", {asset, true}});
    for (const auto& step : steps) {
        auto done = transact_call(client, owner, configurator, step.signature, step.args);
        if (!done) return std::unexpected(context(spec.symbol, done.error()));
    }
    return {};
}

std::uint64_t borrower_gas(const AaveBorrowerSpec& spec) {
    return kGasPerAaveBorrower + kGasPerSupply * spec.supplies.size() + kGasPerBorrow * spec.borrows.size();
}

Result<void> check_spec(const AaveDevnet& devnet, const AaveBorrowerSpec& spec, std::size_t index) {
    const auto where = [&] { return "open_aave_borrowers: borrower " + std::to_string(index) + ": "; };
    for (const auto& [reserve, amount] : spec.supplies) {
        if (reserve >= devnet.reserves.size())
            return fail(where() + "supply of reserve " + std::to_string(reserve) + " of " +
                        std::to_string(devnet.reserves.size()));
        if (amount.is_zero()) return fail(where() + "supply of 0 " + devnet.reserves[reserve].symbol);
    }
    for (const auto& [reserve, amount] : spec.borrows) {
        if (reserve >= devnet.reserves.size())
            return fail(where() + "borrow of reserve " + std::to_string(reserve) + " of " +
                        std::to_string(devnet.reserves.size()));
        if (amount.is_zero()) return fail(where() + "borrow of 0 " + devnet.reserves[reserve].symbol);
    }
    return {};
}

Value fleet_order(const AaveDevnet& devnet, const AaveBorrowerSpec& spec) {
    Value::List supplies;
    for (const auto& [reserve, amount] : spec.supplies)
        supplies.emplace_back(Value::List{devnet.reserves[reserve].asset, amount});
    Value::List borrows;
    for (const auto& [reserve, amount] : spec.borrows) {
        const AaveReserve& r = devnet.reserves[reserve];
        borrows.emplace_back(Value::List{r.asset, r.variable_debt_token, amount});
    }
    return Value(Value::List{U256(spec.emode_category), Value(std::move(supplies)), Value(std::move(borrows))});
}

Result<std::vector<Address>> open_batch(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                        const AaveDevnet& devnet, std::span<const AaveBorrowerSpec> batch,
                                        std::uint64_t gas, std::string_view what) {
    Value::List orders;
    for (const auto& spec : batch) orders.push_back(fleet_order(devnet, spec));
    auto data = calldata("open((uint8,(address,uint256)[],(address,address,uint256)[])[],address)",
                         {Value(std::move(orders)), chain::address_of(owner)});
    if (!data) return std::unexpected(data.error());
    const Address& fleet = devnet.contracts.fleet;
    auto receipt = transact(client, owner, fleet, std::move(*data), gas, what);
    if (!receipt) return std::unexpected(receipt.error());

    static const Bytes32 opened = event_topic("AaveBorrowerOpened(address,uint8,uint256,uint256)");
    std::vector<Address> addresses;
    addresses.reserve(batch.size());
    for (const auto& log : receipt->logs) {
        if (log.address == fleet && log.topics.size() == 2 && log.topics[0] == opened)
            addresses.push_back(Address::from_word(log.topics[1]));
    }
    if (addresses.size() != batch.size())
        return fail(std::string(what) + ": " + std::to_string(addresses.size()) + " AaveBorrowerOpened events for " +
                    std::to_string(batch.size()) + " borrowers");
    return addresses;
}

}  // namespace

AaveDevnetOptions default_aave_devnet_options() {
    AaveDevnetOptions options;
    const auto dollars = [](std::uint64_t usd) { return U256(usd) * U256::pow10(8); };
    options.reserves = {
        {.symbol = "WETH", .decimals = 18, .price_1e8 = dollars(2000), .ltv_bps = 8000,
         .liquidation_threshold_bps = 8250, .liquidation_bonus_bps = 10500},
        {.symbol = "WBTC", .decimals = 8, .price_1e8 = dollars(30000), .ltv_bps = 7000,
         .liquidation_threshold_bps = 7500, .liquidation_bonus_bps = 10650},
        {.symbol = "USDC", .decimals = 6, .price_1e8 = dollars(1), .ltv_bps = 7500,
         .liquidation_threshold_bps = 8000, .liquidation_bonus_bps = 10450, .emode_category = 1},
        {.symbol = "DAI", .decimals = 18, .price_1e8 = dollars(1), .ltv_bps = 7500,
         .liquidation_threshold_bps = 8000, .liquidation_bonus_bps = 10500, .emode_category = 1},
    };
    options.emodes = {{.id = 1, .ltv_bps = 9300, .liquidation_threshold_bps = 9500, .liquidation_bonus_bps = 10100,
                       .label = "stablecoins"}};
    return options;
}

Result<Address> deploy_aave_aggregator(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                       const U256& price_1e8) {
    if (price_1e8.is_zero() || price_1e8.bit_width() > 255)
        return fail("MockAggregator: price " + price_1e8.to_dec() + " is not a positive int256");
    auto args = encode_args("int256", {abi::I256{price_1e8}});
    if (!args) return std::unexpected(args.error());
    LinkingDeployer deployer = hardhat_deployer(client, owner, aave_artifacts_dir());
    return deployer.deploy_address(artifact_source("mocks/oracle/CLAggregators/MockAggregator.sol"), "MockAggregator",
                                   *args);
}

Result<void> set_aave_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner, const AaveDevnet& devnet,
                            std::size_t reserve_index, const U256& price_1e8) {
    if (reserve_index >= devnet.reserves.size())
        return fail("set_aave_price: reserve " + std::to_string(reserve_index) + " of " +
                    std::to_string(devnet.reserves.size()));
    auto aggregator = deploy_aave_aggregator(client, owner, price_1e8);
    if (!aggregator) return std::unexpected(context("set_aave_price", aggregator.error()));
    auto set =
        transact_call(client, owner, devnet.contracts.oracle, "setAssetSources(address[],address[])",
                      {Value(Value::List{devnet.reserves[reserve_index].asset}), Value(Value::List{*aggregator})});
    if (!set) return std::unexpected(context("set_aave_price " + devnet.reserves[reserve_index].symbol, set.error()));
    return {};
}

Result<void> mint_aave_token(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& asset,
                             const Address& to, const U256& amount) {
    return transact_call(client, from, asset, "mint(address,uint256)", {to, amount});
}

Result<AaveDevnet> deploy_aave_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                      const AaveDevnetOptions& options) {
    const std::string dir = aave_artifacts_dir();
    if (!std::filesystem::exists(std::filesystem::path(dir) / "contracts" / "protocol" / "pool" / "Pool.sol"))
        return fail("Aave V3 artifacts not found in " + dir + ": run scripts/setup, or set $KEEPER_AAVE_ARTIFACTS");
    if (options.reserves.empty()) return fail("deploy_aave_devnet: no reserves");
    const auto step_error = [](std::string_view step, const Error& error) {
        return std::unexpected(context("deploy_aave_devnet: " + std::string(step), error));
    };
    const Address me = chain::address_of(owner);
    LinkingDeployer deployer = hardhat_deployer(client, owner, dir);
    AaveDevnet devnet;
    AaveContracts& c = devnet.contracts;

    auto provider_args = encode_args("string,address", {options.market_id, me});
    if (!provider_args) return step_error("PoolAddressesProvider", provider_args.error());
    auto provider = deployer.deploy(artifact_source("protocol/configuration/PoolAddressesProvider.sol"),
                                    "PoolAddressesProvider", *provider_args);
    if (!provider) return step_error("PoolAddressesProvider", provider.error());
    c.addresses_provider = *provider->contract_address;
    devnet.deploy_block = provider->block_number;
    auto provider_arg = encode_args("address", {c.addresses_provider});
    if (!provider_arg) return step_error("provider argument", provider_arg.error());

    auto provider_set = [&](std::string_view signature, const Address& value) {
        return transact_call(client, owner, c.addresses_provider, signature, {value}, kCreateGas);
    };
    if (auto done = provider_set("setACLAdmin(address)", me); !done) return step_error("setACLAdmin", done.error());
    auto acl =
        deployer.deploy_address(artifact_source("protocol/configuration/ACLManager.sol"), "ACLManager", *provider_arg);
    if (!acl) return step_error("ACLManager", acl.error());
    c.acl_manager = *acl;
    if (auto done = provider_set("setACLManager(address)", c.acl_manager); !done)
        return step_error("setACLManager", done.error());
    for (std::string_view role : {"addPoolAdmin(address)", "addEmergencyAdmin(address)"}) {
        if (auto done = transact_call(client, owner, c.acl_manager, role, {me}); !done)
            return step_error("ACL roles", done.error());
    }

    // Pool links seven logic libraries (FlashLoanLogic itself links
    // BorrowLogic); the deployer puts each on chain once.
    auto pool_impl = deployer.deploy_address(artifact_source("protocol/pool/Pool.sol"), "Pool", *provider_arg);
    if (!pool_impl) return step_error("Pool", pool_impl.error());
    if (auto done = provider_set("setPoolImpl(address)", *pool_impl); !done)
        return step_error("setPoolImpl", done.error());
    auto pool = view_address(client, c.addresses_provider, "getPool()");
    if (!pool) return step_error("getPool", pool.error());
    c.pool = *pool;

    auto configurator_impl =
        deployer.deploy_address(artifact_source("protocol/pool/PoolConfigurator.sol"), "PoolConfigurator");
    if (!configurator_impl) return step_error("PoolConfigurator", configurator_impl.error());
    if (auto done = provider_set("setPoolConfiguratorImpl(address)", *configurator_impl); !done)
        return step_error("setPoolConfiguratorImpl", done.error());
    auto configurator = view_address(client, c.addresses_provider, "getPoolConfigurator()");
    if (!configurator) return step_error("getPoolConfigurator", configurator.error());
    c.pool_configurator = *configurator;

    // The assets and their price sources.
    Value::List assets;
    Value::List sources;
    for (const auto& spec : options.reserves) {
        AaveReserve reserve;
        reserve.symbol = spec.symbol;
        reserve.decimals = spec.decimals;
        auto token_args =
            encode_args("string,string,uint8", {"Devnet " + spec.symbol, spec.symbol, U256(spec.decimals)});
        if (!token_args) return step_error(spec.symbol, token_args.error());
        auto token = spec.poisonable
                         ? deploy_poisonable_token(client, owner, "Devnet " + spec.symbol, spec.symbol, spec.decimals)
                         : deployer.deploy_address(artifact_source("mocks/tokens/MintableERC20.sol"), "MintableERC20",
                                                   *token_args);
        if (!token) return step_error(spec.symbol, token.error());
        reserve.asset = *token;
        auto aggregator = deploy_aave_aggregator(client, owner, spec.price_1e8);
        if (!aggregator) return step_error(spec.symbol, aggregator.error());
        reserve.aggregator = *aggregator;
        assets.emplace_back(reserve.asset);
        sources.emplace_back(reserve.aggregator);
        devnet.reserves.push_back(std::move(reserve));
    }
    // No fallback oracle; base currency USD (address 0) in 8 decimals.
    auto oracle_args = encode_args("address,address[],address[],address,address,uint256",
                                   {c.addresses_provider, Value(std::move(assets)), Value(std::move(sources)),
                                    Address(), Address(), U256::pow10(8)});
    if (!oracle_args) return step_error("AaveOracle", oracle_args.error());
    auto oracle = deployer.deploy_address(artifact_source("misc/AaveOracle.sol"), "AaveOracle", *oracle_args);
    if (!oracle) return step_error("AaveOracle", oracle.error());
    c.oracle = *oracle;
    if (auto done = provider_set("setPriceOracle(address)", c.oracle); !done)
        return step_error("setPriceOracle", done.error());

    auto data_provider = deployer.deploy_address(artifact_source("misc/AaveProtocolDataProvider.sol"),
                                                 "AaveProtocolDataProvider", *provider_arg);
    if (!data_provider) return step_error("AaveProtocolDataProvider", data_provider.error());
    c.data_provider = *data_provider;
    if (auto done = provider_set("setPoolDataProvider(address)", c.data_provider); !done)
        return step_error("setPoolDataProvider", done.error());

    // Token implementations are bound to the pool proxy; every reserve's
    // tokens are proxies the configurator creates over them.
    auto pool_arg = encode_args("address", {c.pool});
    if (!pool_arg) return step_error("pool argument", pool_arg.error());
    auto a_token_impl =
        deployer.deploy_address(artifact_source("protocol/tokenization/AToken.sol"), "AToken", *pool_arg);
    if (!a_token_impl) return step_error("AToken", a_token_impl.error());
    auto stable_impl = deployer.deploy_address(artifact_source("protocol/tokenization/StableDebtToken.sol"),
                                               "StableDebtToken", *pool_arg);
    if (!stable_impl) return step_error("StableDebtToken", stable_impl.error());
    auto variable_impl = deployer.deploy_address(artifact_source("protocol/tokenization/VariableDebtToken.sol"),
                                                 "VariableDebtToken", *pool_arg);
    if (!variable_impl) return step_error("VariableDebtToken", variable_impl.error());

    const AaveRateSpec& r = options.rates;
    auto strategy_args = encode_args(
        "address,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256",
        {c.addresses_provider, r.optimal_usage_ratio_ray, r.base_variable_borrow_rate_ray, r.variable_rate_slope1_ray,
         r.variable_rate_slope2_ray, r.stable_rate_slope1_ray, r.stable_rate_slope2_ray, r.base_stable_rate_offset_ray,
         r.stable_rate_excess_offset_ray, r.optimal_stable_to_total_debt_ratio_ray});
    if (!strategy_args) return step_error("DefaultReserveInterestRateStrategy", strategy_args.error());
    auto strategy = deployer.deploy_address(artifact_source("protocol/pool/DefaultReserveInterestRateStrategy.sol"),
                                            "DefaultReserveInterestRateStrategy", *strategy_args);
    if (!strategy) return step_error("DefaultReserveInterestRateStrategy", strategy.error());
    c.interest_rate_strategy = *strategy;

    // One reserve per initReserves call keeps each transaction's gas small
    // and its failure named; the pool lists reserves in this order.
    const std::string init_reserves = "initReserves(" + std::string(kInitReserveInput) + "[])";
    for (std::size_t i = 0; i < options.reserves.size(); ++i) {
        AaveReserve& reserve = devnet.reserves[i];
        const Value input = init_reserve_input(options.reserves[i], reserve, *a_token_impl, *stable_impl,
                                               *variable_impl, c.interest_rate_strategy, me);
        if (auto done = transact_call(client, owner, c.pool_configurator, init_reserves, {Value(Value::List{input})},
                                      kInitReserveGas);
            !done)
            return step_error("initReserves " + reserve.symbol, done.error());
        auto data = view_call(client, c.pool, "getReserveData(address)", {reserve.asset});
        if (!data) return step_error("getReserveData " + reserve.symbol, data.error());
        auto a_token = abi::read_address(*data, kReserveDataATokenWord);
        auto stable = abi::read_address(*data, kReserveDataStableDebtWord);
        auto variable = abi::read_address(*data, kReserveDataVariableDebtWord);
        if (!a_token || !stable || !variable)
            return fail("deploy_aave_devnet: getReserveData " + reserve.symbol + ": short answer");
        reserve.a_token = *a_token;
        reserve.stable_debt_token = *stable;
        reserve.variable_debt_token = *variable;
        if (auto done = configure_reserve(client, owner, c.pool_configurator, options.reserves[i], reserve.asset);
            !done)
            return step_error("configure", done.error());
    }

    // A category must exist before assets join it, and its threshold must
    // exceed each member's own (setAssetEModeCategory checks).
    for (const auto& emode : options.emodes) {
        if (auto done = transact_call(client, owner, c.pool_configurator,
                                      "setEModeCategory(uint8,uint16,uint16,uint16,address,string)",
                                      {U256(emode.id), U256(emode.ltv_bps), U256(emode.liquidation_threshold_bps),
                                       U256(emode.liquidation_bonus_bps), Address(), emode.label});
            !done)
            return step_error("eMode " + std::to_string(emode.id), done.error());
    }
    for (std::size_t i = 0; i < options.reserves.size(); ++i) {
        const std::uint8_t category = options.reserves[i].emode_category;
        if (category == 0) continue;
        if (auto done = transact_call(client, owner, c.pool_configurator, "setAssetEModeCategory(address,uint8)",
                                      {devnet.reserves[i].asset, U256(category)});
            !done)
            return step_error("eMode of " + devnet.reserves[i].symbol, done.error());
    }

    if (auto done = add_fleet_and_liquidity(client, owner, devnet, options.liquidity_whole_tokens); !done)
        return std::unexpected(context("deploy_aave_devnet", done.error()));
    return devnet;
}

Result<void> add_fleet_and_liquidity(chain::JsonRpcClient& client, const chain::PrivateKey& owner, AaveDevnet& devnet,
                                     const U256& liquidity_whole_tokens) {
    AaveContracts& c = devnet.contracts;
    auto pool_arg = encode_args("address", {c.pool});
    if (!pool_arg) return std::unexpected(context("pool argument", pool_arg.error()));
    auto fleet_compiled = compile_contract(contract_source("AaveBorrowerFleet.sol"), "AaveBorrowerFleet");
    if (!fleet_compiled) return std::unexpected(context("AaveBorrowerFleet", fleet_compiled.error()));
    Bytes fleet_init = std::move(fleet_compiled->init_code);
    append(fleet_init, *pool_arg);
    auto fleet = create(client, owner, std::move(fleet_init), "AaveBorrowerFleet");
    if (!fleet) return std::unexpected(context("AaveBorrowerFleet", fleet.error()));
    c.fleet = *fleet->contract_address;

    if (liquidity_whole_tokens.is_zero()) return {};
    const Address me = chain::address_of(owner);
    for (const auto& reserve : devnet.reserves) {
        const std::string what = "liquidity " + reserve.symbol;
        auto amount = checked_mul(liquidity_whole_tokens, U256::pow10(reserve.decimals));
        if (!amount) return fail(what + " overflows uint256");
        if (auto done = mint_aave_token(client, owner, reserve.asset, me, *amount); !done)
            return std::unexpected(context(what, done.error()));
        if (auto done = transact_call(client, owner, reserve.asset, "approve(address,uint256)", {c.pool, *amount});
            !done)
            return std::unexpected(context(what, done.error()));
        if (auto done = transact_call(client, owner, c.pool, "supply(address,uint256,address,uint16)",
                                      {reserve.asset, *amount, me, U256()});
            !done)
            return std::unexpected(context(what, done.error()));
    }
    return {};
}

Result<std::vector<Address>> open_aave_borrowers(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                                 const AaveDevnet& devnet, std::span<const AaveBorrowerSpec> borrowers,
                                                 std::size_t per_tx, const Progress& progress) {
    for (std::size_t i = 0; i < borrowers.size(); ++i) {
        if (auto valid = check_spec(devnet, borrowers[i], i); !valid) return std::unexpected(valid.error());
    }
    auto gas_limit = block_gas_limit(client);
    if (!gas_limit) return std::unexpected(context("open_aave_borrowers", gas_limit.error()));
    const std::size_t most = std::max<std::size_t>(per_tx, 1);
    const std::uint64_t batch_gas = kGasPerAaveBatch + kGasPerAaveBatchReserve * devnet.reserves.size();

    std::vector<Address> opened;
    opened.reserve(borrowers.size());
    for (std::size_t start = 0; start < borrowers.size();) {
        // Greedy: as many as per_tx allows while the budgets fit one block.
        std::uint64_t gas = batch_gas;
        std::size_t n = 0;
        while (start + n < borrowers.size() && n < most) {
            const std::uint64_t next = borrower_gas(borrowers[start + n]);
            if (gas + next > *gas_limit) break;
            gas += next;
            ++n;
        }
        if (n == 0)
            return fail("open_aave_borrowers: borrower " + std::to_string(start) + " needs " +
                        std::to_string(batch_gas + borrower_gas(borrowers[start])) + " gas, over the block gas limit " +
                        std::to_string(*gas_limit));
        const std::string what =
            "open_aave_borrowers [" + std::to_string(start) + ", " + std::to_string(start + n) + ")";
        auto batch = open_batch(client, owner, devnet, borrowers.subspan(start, n), gas, what);
        if (!batch) return std::unexpected(batch.error());
        opened.insert(opened.end(), batch->begin(), batch->end());
        start += n;
        if (progress) progress(opened.size(), borrowers.size());
    }
    return opened;
}

}  // namespace keeper::devnet
