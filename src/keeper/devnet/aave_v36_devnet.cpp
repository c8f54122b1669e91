#include "keeper/devnet/aave_v36_devnet.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/signer.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_words.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/poisonable_token.hpp"
#include "keeper/devnet/solc_standard_json.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

#ifndef KEEPER_TOOLS_DIR
#define KEEPER_TOOLS_DIR ""
#endif

namespace keeper::devnet {
namespace {

namespace fs = std::filesystem;
using abi::Value;

constexpr std::string_view kPackage = "@aave-dao/aave-v3-origin/src/contracts/";
// initReserves of one reserve creates two proxies, initializes them and sets the rate data.
constexpr std::uint64_t kInitReserveGas = 3'000'000;

// ReserveDataLegacy as getReserveData returns it (the 1.19.3 layout).
constexpr std::size_t kReserveDataATokenWord = 8;
constexpr std::size_t kReserveDataVariableDebtWord = 10;

// InitReserveInput: aToken impl, variable debt impl, asset, four names, params, interestRateData.
constexpr std::string_view kInitReserveInput = "(address,address,address,string,string,string,string,bytes,bytes)";

// The contracts a market needs, compiled in one Standard JSON job.
constexpr std::string_view kSources[] = {
    "protocol/configuration/PoolAddressesProvider.sol",
    "protocol/configuration/ACLManager.sol",
    "instances/PoolInstance.sol",
    "instances/PoolConfiguratorInstance.sol",
    "misc/AaveOracle.sol",
    "instances/ATokenInstance.sol",
    "instances/VariableDebtTokenInstance.sol",
    "misc/DefaultReserveInterestRateStrategyV2.sol",
    "mocks/tokens/MintableERC20.sol",
};

std::string source_key(std::string_view relative) { return std::string(kPackage) + std::string(relative); }

fs::path node_modules() {
    if (const char* env = std::getenv("KEEPER_NODE_MODULES"); env != nullptr && *env != '\0') return env;
    return fs::path(KEEPER_TOOLS_DIR) / "node_modules";
}

std::string read_small(const fs::path& path) {
    std::string text;
    if (FILE* f = std::fopen(path.c_str(), "rb"); f != nullptr) {
        char buffer[4096];
        std::size_t got = 0;
        while ((got = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, got);
        std::fclose(f);
    }
    return text;
}

std::string input_document() {
    nlohmann::json sources = nlohmann::json::object();
    for (std::string_view s : kSources) sources[source_key(s)] = {{"urls", nlohmann::json::array({source_key(s)})}};
    const nlohmann::json input{
        {"language", "Solidity"},
        {"sources", sources},
        {"settings",
         {{"optimizer", {{"enabled", true}, {"runs", 200}}},
          {"evmVersion", "shanghai"},
          {"metadata", {{"bytecodeHash", "none"}}},
          {"remappings", nlohmann::json::array({"openzeppelin-contracts/contracts/=@openzeppelin/contracts/"})},
          {"outputSelection", {{"*", {{"*", nlohmann::json::array({"evm.bytecode.object", "evm.bytecode.linkReferences"})}}}}}}}};
    return input.dump();
}

// AaveRateSpec is in ray; DefaultReserveInterestRateStrategyV2 takes bps (1e27 = 10000 bps).
Result<Bytes> interest_rate_data(const AaveRateSpec& r) {
    const U256 per_bps = U256::pow10(23);
    return encode_args("uint16,uint32,uint32,uint32",
                       {r.optimal_usage_ratio_ray / per_bps, r.base_variable_borrow_rate_ray / per_bps,
                        r.variable_rate_slope1_ray / per_bps, r.variable_rate_slope2_ray / per_bps});
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
        if (auto done = transact_call(client, owner, configurator, step.signature, step.args); !done)
            return std::unexpected(context(spec.symbol, done.error()));
    }
    return {};
}

}  // namespace

Result<std::string> compile_aave_v36() {
    const fs::path modules = node_modules();
    const fs::path pool = modules / "@aave-dao" / "aave-v3-origin" / "src" / "contracts" / "instances" / "PoolInstance.sol";
    const fs::path solc = modules / "solc-0.8.27" / "solc.js";
    if (!fs::exists(pool) || !fs::exists(solc) || !fs::exists(modules / "@openzeppelin" / "contracts"))
        return fail("Aave v3.6 sources or solc 0.8.27 not found under " + modules.string() +
                    ": run scripts/setup (npm @aave-dao/aave-v3-origin 3.6.0, @openzeppelin/contracts 5.1.0, "
                    "solc-0.8.27), or set $KEEPER_NODE_MODULES");
    StandardJsonJob job;
    job.solc_js = solc.string();
    job.base_path = modules.string();
    job.input_json = input_document();
    // The package versions stand for the sources' text in the cache key.
    job.version_note = read_small(modules / "@aave-dao" / "aave-v3-origin" / "package.json") +
                       read_small(modules / "@openzeppelin" / "contracts" / "package.json") +
                       read_small(modules / "solc-0.8.27" / "package.json");
    job.cache_name = "aave-v3-origin-3.6.0";
    return compile_standard_json(job);
}

Result<U256> aave_reserve_deficit(chain::JsonRpcClient& client, const AaveDevnet& devnet, std::size_t reserve_index) {
    if (reserve_index >= devnet.reserves.size()) return fail("aave_reserve_deficit: no reserve " + std::to_string(reserve_index));
    auto out = view_call(client, devnet.contracts.pool, "getReserveDeficit(address)",
                         {devnet.reserves[reserve_index].asset});
    if (!out) return std::unexpected(out.error());
    return abi::read_uint256(*out, 0);
}

Result<AaveDevnet> deploy_aave_v36_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                          const AaveDevnetOptions& options) {
    const auto step_error = [](std::string_view step, const Error& error) {
        return std::unexpected(context("deploy_aave_v36_devnet: " + std::string(step), error));
    };
    if (options.reserves.empty()) return fail("deploy_aave_v36_devnet: no reserves");
    auto compiled = compile_aave_v36();
    if (!compiled) return step_error("compile", compiled.error());
    const std::string output = std::move(*compiled);
    LinkingDeployer deployer(client, owner, [&output](std::string_view source, std::string_view contract) {
        return standard_json_artifact(output, source, contract);
    });
    const auto deploy = [&](std::string_view relative, std::string_view contract, ByteView args = {}) {
        return deployer.deploy(source_key(relative), contract, args);
    };
    const auto deploy_address = [&](std::string_view relative, std::string_view contract,
                                    ByteView args = {}) -> Result<Address> {
        auto receipt = deploy(relative, contract, args);
        if (!receipt) return std::unexpected(receipt.error());
        return *receipt->contract_address;
    };

    const Address me = chain::address_of(owner);
    AaveDevnet devnet;
    AaveContracts& c = devnet.contracts;

    auto provider_args = encode_args("string,address", {options.market_id, me});
    if (!provider_args) return step_error("PoolAddressesProvider", provider_args.error());
    auto provider = deploy("protocol/configuration/PoolAddressesProvider.sol", "PoolAddressesProvider", *provider_args);
    if (!provider) return step_error("PoolAddressesProvider", provider.error());
    c.addresses_provider = *provider->contract_address;
    devnet.deploy_block = provider->block_number;
    auto provider_arg = encode_args("address", {c.addresses_provider});
    if (!provider_arg) return step_error("provider argument", provider_arg.error());
    const auto provider_set = [&](std::string_view signature, const Address& value) {
        return transact_call(client, owner, c.addresses_provider, signature, {value}, kCreateGas);
    };

    if (auto done = provider_set("setACLAdmin(address)", me); !done) return step_error("setACLAdmin", done.error());
    auto acl = deploy_address("protocol/configuration/ACLManager.sol", "ACLManager", *provider_arg);
    if (!acl) return step_error("ACLManager", acl.error());
    c.acl_manager = *acl;
    if (auto done = provider_set("setACLManager(address)", c.acl_manager); !done)
        return step_error("setACLManager", done.error());
    for (std::string_view role : {"addPoolAdmin(address)", "addEmergencyAdmin(address)", "addRiskAdmin(address)"}) {
        if (auto done = transact_call(client, owner, c.acl_manager, role, {me}); !done)
            return step_error("ACL roles", done.error());
    }

    // v3.4+: one rate strategy for the pool, constructed with the pool.
    auto strategy = deploy_address("misc/DefaultReserveInterestRateStrategyV2.sol",
                                   "DefaultReserveInterestRateStrategyV2", *provider_arg);
    if (!strategy) return step_error("DefaultReserveInterestRateStrategyV2", strategy.error());
    c.interest_rate_strategy = *strategy;
    auto pool_args = encode_args("address,address", {c.addresses_provider, c.interest_rate_strategy});
    if (!pool_args) return step_error("Pool arguments", pool_args.error());
    auto pool_impl = deploy_address("instances/PoolInstance.sol", "PoolInstance", *pool_args);
    if (!pool_impl) return step_error("PoolInstance", pool_impl.error());
    if (auto done = provider_set("setPoolImpl(address)", *pool_impl); !done)
        return step_error("setPoolImpl", done.error());
    auto pool = view_address(client, c.addresses_provider, "getPool()");
    if (!pool) return step_error("getPool", pool.error());
    c.pool = *pool;

    auto configurator_impl = deploy_address("instances/PoolConfiguratorInstance.sol", "PoolConfiguratorInstance");
    if (!configurator_impl) return step_error("PoolConfiguratorInstance", configurator_impl.error());
    if (auto done = provider_set("setPoolConfiguratorImpl(address)", *configurator_impl); !done)
        return step_error("setPoolConfiguratorImpl", done.error());
    auto configurator = view_address(client, c.addresses_provider, "getPoolConfigurator()");
    if (!configurator) return step_error("getPoolConfigurator", configurator.error());
    c.pool_configurator = *configurator;

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
                         : deploy_address("mocks/tokens/MintableERC20.sol", "MintableERC20", *token_args);
        if (!token) return step_error(spec.symbol, token.error());
        reserve.asset = *token;
        auto aggregator = deploy_aave_aggregator(client, owner, spec.price_1e8);
        if (!aggregator) return step_error(spec.symbol, aggregator.error());
        reserve.aggregator = *aggregator;
        assets.emplace_back(reserve.asset);
        sources.emplace_back(reserve.aggregator);
        devnet.reserves.push_back(std::move(reserve));
    }
    auto oracle_args = encode_args("address,address[],address[],address,address,uint256",
                                   {c.addresses_provider, Value(std::move(assets)), Value(std::move(sources)),
                                    Address(), Address(), U256::pow10(8)});
    if (!oracle_args) return step_error("AaveOracle", oracle_args.error());
    auto oracle = deploy_address("misc/AaveOracle.sol", "AaveOracle", *oracle_args);
    if (!oracle) return step_error("AaveOracle", oracle.error());
    c.oracle = *oracle;
    if (auto done = provider_set("setPriceOracle(address)", c.oracle); !done)
        return step_error("setPriceOracle", done.error());

    // Token implementations: no rewards controller; the owner is the treasury.
    auto a_token_args = encode_args("address,address,address", {c.pool, Address(), me});
    auto debt_token_args = encode_args("address,address", {c.pool, Address()});
    if (!a_token_args || !debt_token_args) return fail("deploy_aave_v36_devnet: token implementation arguments");
    auto a_token_impl = deploy_address("instances/ATokenInstance.sol", "ATokenInstance", *a_token_args);
    if (!a_token_impl) return step_error("ATokenInstance", a_token_impl.error());
    auto variable_impl =
        deploy_address("instances/VariableDebtTokenInstance.sol", "VariableDebtTokenInstance", *debt_token_args);
    if (!variable_impl) return step_error("VariableDebtTokenInstance", variable_impl.error());
    auto rates = interest_rate_data(options.rates);
    if (!rates) return step_error("interest rate data", rates.error());

    const std::string init_reserves = "initReserves(" + std::string(kInitReserveInput) + "[])";
    for (std::size_t i = 0; i < options.reserves.size(); ++i) {
        AaveReserve& reserve = devnet.reserves[i];
        const std::string& s = reserve.symbol;
        const Value input(Value::List{*a_token_impl, *variable_impl, reserve.asset, "Aave Devnet " + s, "a" + s,
                                      "Aave Devnet Variable Debt " + s, "variableDebt" + s, Bytes(), *rates});
        if (auto done = transact_call(client, owner, c.pool_configurator, init_reserves, {Value(Value::List{input})},
                                      kInitReserveGas);
            !done)
            return step_error("initReserves " + s, done.error());
        auto data = view_call(client, c.pool, "getReserveData(address)", {reserve.asset});
        if (!data) return step_error("getReserveData " + s, data.error());
        auto a_token = abi::read_address(*data, kReserveDataATokenWord);
        auto variable = abi::read_address(*data, kReserveDataVariableDebtWord);
        if (!a_token || !variable) return fail("deploy_aave_v36_devnet: getReserveData " + s + ": short answer");
        reserve.a_token = *a_token;
        reserve.variable_debt_token = *variable;
        if (auto done = configure_reserve(client, owner, c.pool_configurator, options.reserves[i], reserve.asset);
            !done)
            return step_error("configure", done.error());
    }

    // Liquid eModes (v3.2+): a category, then its members by bitmap.
    for (const auto& emode : options.emodes) {
        if (auto done = transact_call(client, owner, c.pool_configurator,
                                      "setEModeCategory(uint8,uint16,uint16,uint16,string)",
                                      {U256(emode.id), U256(emode.ltv_bps), U256(emode.liquidation_threshold_bps),
                                       U256(emode.liquidation_bonus_bps), emode.label});
            !done)
            return step_error("eMode " + std::to_string(emode.id), done.error());
    }
    for (std::size_t i = 0; i < options.reserves.size(); ++i) {
        const std::uint8_t category = options.reserves[i].emode_category;
        if (category == 0) continue;
        for (std::string_view signature :
             {"setAssetCollateralInEMode(address,uint8,bool)", "setAssetBorrowableInEMode(address,uint8,bool)"}) {
            if (auto done = transact_call(client, owner, c.pool_configurator, signature,
                                          {devnet.reserves[i].asset, U256(category), true});
                !done)
                return step_error("eMode of " + devnet.reserves[i].symbol, done.error());
        }
    }

    if (auto done = add_fleet_and_liquidity(client, owner, devnet, options.liquidity_whole_tokens); !done)
        return std::unexpected(context("deploy_aave_v36_devnet", done.error()));
    return devnet;
}

}  // namespace keeper::devnet
