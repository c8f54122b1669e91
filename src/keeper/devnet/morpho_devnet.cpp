#include "keeper/devnet/morpho_devnet.hpp"

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
#include "core/abi_words.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/devnet_calls.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "keeper/devnet/solidity_compiler.hpp"
#include "margin/morpho_events.hpp"

namespace keeper::devnet {
namespace {

using abi::Value;

// Generous bounds: on anvil a borrower costs about 126k gas on average
// (creation, authorization, collateral, borrow, event), more for a fresh
// market's first positions, which write its totals from zero.
constexpr std::uint64_t kGasPerMorphoBorrower = 200'000;
constexpr std::uint64_t kGasPerMorphoBatch = 300'000;

Value market_tuple(const morpho::MarketParams& p) {
    return Value(Value::List{p.loan_token, p.collateral_token, p.oracle, p.irm, p.lltv_wad});
}

Result<U256> call_uint(chain::JsonRpcClient& client, const Address& to, std::string_view signature,
                       const std::vector<Value>& args) {
    auto data = calldata(signature, args);
    if (!data) return std::unexpected(data.error());
    chain::CallRequest request{.from = std::nullopt, .to = to, .data = std::move(*data), .value = std::nullopt,
                               .gas = std::nullopt};
    auto out = client.eth_call(request);
    if (!out) return fail(std::string(signature) + ": " + out.error().message);
    auto value = abi::read_uint256(*out, 0);
    if (!value) return std::unexpected(context(signature, value.error()));
    return *value;
}

struct Artifact {
    std::string source;  // path of the .sol file
    std::string contract;
    std::string import_root;
};

// A contract creation that must succeed: its receipt (contract address, block).
Result<chain::Receipt> create_with_gas_limit(chain::JsonRpcClient& client, const chain::PrivateKey& deployer,
                                              Bytes init_code, std::uint64_t gas_limit) {
    auto receipt = send_and_wait(client, deployer, std::nullopt, std::move(init_code), gas_limit);
    if (!receipt) return std::unexpected(receipt.error());
    if (!receipt->success || !receipt->contract_address)
        return fail("contract creation " + receipt->transaction_hash.hex() + " reverted (gas used " +
                    receipt->gas_used.to_dec() + " of " + std::to_string(gas_limit) + ")");
    return receipt;
}

Result<chain::Receipt> deploy(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                              const Artifact& artifact, const std::optional<Address>& address_arg) {
    auto compiled = compile_contract(artifact.source, artifact.contract, artifact.import_root);
    if (!compiled) return std::unexpected(context(artifact.contract, compiled.error()));
    Bytes init = std::move(compiled->init_code);
    if (address_arg) {  // constructor(address): one left-padded word
        init.insert(init.end(), 12, 0);
        init.insert(init.end(), address_arg->bytes.begin(), address_arg->bytes.end());
    }
    auto receipt = create_with_gas_limit(client, owner, std::move(init), 8'000'000);
    if (!receipt) return std::unexpected(context("deploy " + artifact.contract, receipt.error()));
    return receipt;
}

Result<std::vector<Address>> open_batch(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                        const MorphoDevnet& devnet, std::span<const BorrowerSpec> batch,
                                        std::string_view what) {
    Value::List collateral;
    Value::List borrow;
    U256 total;
    for (const auto& spec : batch) {
        auto sum = checked_add(total, spec.collateral);
        if (!sum) return fail(std::string(what) + ": total collateral overflows uint256");
        total = *sum;
        collateral.emplace_back(spec.collateral);
        borrow.emplace_back(spec.borrow_assets);
    }
    const Address& fleet = devnet.contracts.fleet;
    auto minted = mint(client, owner, devnet.contracts.collateral_token, fleet, total);
    if (!minted) return std::unexpected(context(what, minted.error()));

    auto data = calldata("open((address,address,address,address,uint256),uint256[],uint256[],address)",
                         {market_tuple(devnet.params), Value(std::move(collateral)), Value(std::move(borrow)),
                          chain::address_of(owner)});
    if (!data) return std::unexpected(data.error());
    const std::uint64_t gas = kGasPerMorphoBatch + kGasPerMorphoBorrower * batch.size();
    auto receipt = transact(client, owner, fleet, std::move(*data), gas, what);
    if (!receipt) return std::unexpected(receipt.error());

    static const Bytes32 opened = event_topic("BorrowerOpened(address,uint256,uint256)");
    std::vector<Address> addresses;
    addresses.reserve(batch.size());
    for (const auto& log : receipt->logs) {
        if (log.address == fleet && log.topics.size() == 2 && log.topics[0] == opened)
            addresses.push_back(Address::from_word(log.topics[1]));
    }
    if (addresses.size() != batch.size())
        return fail(std::string(what) + ": " + std::to_string(addresses.size()) + " BorrowerOpened events for " +
                    std::to_string(batch.size()) + " borrowers");
    return addresses;
}

}  // namespace

// Mints `amount` loan tokens to the owner and supplies them to the market.
Result<void> supply_liquidity(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                              const MorphoDevnet& devnet, const U256& amount) {
    if (amount.is_zero()) return {};
    const Address me = chain::address_of(owner);
    const Address& loan = devnet.params.loan_token;
    auto minted = mint(client, owner, loan, me, amount);
    if (!minted) return std::unexpected(context("liquidity", minted.error()));
    auto approved = approve(client, owner, loan, devnet.contracts.morpho, amount);
    if (!approved) return std::unexpected(context("liquidity", approved.error()));
    return transact_call(client, owner, devnet.contracts.morpho,
                         "supply((address,address,address,address,uint256),uint256,uint256,address,bytes)",
                         {market_tuple(devnet.params), amount, U256(), me, Bytes()});
}

MorphoDevnetOptions default_morpho_devnet_options() { return MorphoDevnetOptions{}; }

Result<Address> deploy_contract(chain::JsonRpcClient& client, const chain::PrivateKey& deployer,
                                ByteView init_code_with_args, std::uint64_t gas_limit) {
    auto receipt =
        create_with_gas_limit(client, deployer, Bytes(init_code_with_args.begin(), init_code_with_args.end()), gas_limit);
    if (!receipt) return std::unexpected(receipt.error());
    return *receipt->contract_address;
}

Result<void> mint(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& token,
                  const Address& to, const U256& amount) {
    auto balance = call_uint(client, token, "balanceOf(address)", {to});
    if (!balance) return std::unexpected(context("mint", balance.error()));
    auto sum = checked_add(*balance, amount);
    if (!sum) return fail("mint: balance overflows uint256");
    return transact_call(client, from, token, "setBalance(address,uint256)", {to, *sum});
}

Result<void> approve(chain::JsonRpcClient& client, const chain::PrivateKey& holder, const Address& token,
                     const Address& spender, const U256& amount) {
    return transact_call(client, holder, token, "approve(address,uint256)", {spender, amount});
}

Result<void> set_oracle_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                              const MorphoDevnet& devnet, const U256& price_1e36) {
    return transact_call(client, owner, devnet.contracts.oracle, "setPrice(uint256)", {price_1e36});
}

Result<MorphoDevnet> deploy_morpho_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                          const MorphoDevnetOptions& options) {
    namespace fs = std::filesystem;
    const std::string morpho_src = morpho_blue_source_dir();
    if (!fs::exists(fs::path(morpho_src) / "Morpho.sol"))
        return fail("Morpho Blue sources not found in " + morpho_src + ": run scripts/setup, or set $KEEPER_MORPHO_SRC");
    const auto in_morpho = [&](std::string_view file, std::string_view contract) {
        return Artifact{(fs::path(morpho_src) / file).string(), std::string(contract), morpho_src};
    };
    const std::string fleet_source = contract_source("BorrowerFleet.sol");
    const Address owner_address = chain::address_of(owner);

    MorphoDevnet devnet;
    MorphoContracts& c = devnet.contracts;
    auto morpho = deploy(client, owner, in_morpho("Morpho.sol", "Morpho"), owner_address);
    if (!morpho) return std::unexpected(morpho.error());
    c.morpho = *morpho->contract_address;
    devnet.deploy_block = morpho->block_number;

    const std::pair<Address*, Artifact> plain[] = {
        {&c.loan_token, in_morpho("mocks/ERC20Mock.sol", "ERC20Mock")},
        {&c.collateral_token, in_morpho("mocks/ERC20Mock.sol", "ERC20Mock")},
        {&c.oracle, in_morpho("mocks/OracleMock.sol", "OracleMock")},
    };
    for (const auto& [slot, artifact] : plain) {
        auto deployed = deploy(client, owner, artifact, std::nullopt);
        if (!deployed) return std::unexpected(deployed.error());
        *slot = *deployed->contract_address;
    }
    if (options.with_irm) {
        auto irm = deploy(client, owner, in_morpho("mocks/IrmMock.sol", "IrmMock"), std::nullopt);
        if (!irm) return std::unexpected(irm.error());
        c.irm = *irm->contract_address;
    }
    const Artifact fleet_artifact{fleet_source, "BorrowerFleet", fs::path(fleet_source).parent_path().string()};
    auto fleet = deploy(client, owner, fleet_artifact, c.morpho);
    if (!fleet) return std::unexpected(fleet.error());
    c.fleet = *fleet->contract_address;

    devnet.params = morpho::MarketParams{.loan_token = c.loan_token, .collateral_token = c.collateral_token,
                                         .oracle = c.oracle, .irm = c.irm, .lltv_wad = options.lltv_wad};
    devnet.market_id = morpho::market_id(devnet.params);

    const Value market = market_tuple(devnet.params);
    struct Step {
        Address to;
        std::string_view signature;
        std::vector<Value> args;
    };
    const Step steps[] = {
        {c.morpho, "enableIrm(address)", {c.irm}},
        {c.morpho, "enableLltv(uint256)", {options.lltv_wad}},
        {c.morpho, "createMarket((address,address,address,address,uint256))", {market}},
        {c.oracle, "setPrice(uint256)", {options.initial_price_1e36}},
    };
    for (const auto& step : steps) {
        auto done = transact_call(client, owner, step.to, step.signature, step.args);
        if (!done) return std::unexpected(context("deploy_morpho_devnet", done.error()));
    }
    if (auto supplied = supply_liquidity(client, owner, devnet, options.liquidity); !supplied)
        return std::unexpected(supplied.error());
    return devnet;
}

Result<MorphoDevnet> add_morpho_market(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                       const MorphoDevnet& devnet, const Address& loan_token, const U256& liquidity) {
    MorphoDevnet added = devnet;
    added.contracts.loan_token = loan_token;
    added.params.loan_token = loan_token;
    added.market_id = morpho::market_id(added.params);
    auto created = transact_call(client, owner, devnet.contracts.morpho,
                                 "createMarket((address,address,address,address,uint256))",
                                 {market_tuple(added.params)});
    if (!created) return std::unexpected(context("add_morpho_market", created.error()));
    if (auto supplied = supply_liquidity(client, owner, added, liquidity); !supplied)
        return std::unexpected(supplied.error());
    return added;
}

Result<std::vector<Address>> open_borrowers(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                            const MorphoDevnet& devnet, std::span<const BorrowerSpec> borrowers,
                                            std::size_t per_tx, const Progress& progress) {
    auto gas_limit = block_gas_limit(client);
    if (!gas_limit) return std::unexpected(context("open_borrowers", gas_limit.error()));
    const std::uint64_t fits = *gas_limit > kGasPerMorphoBatch ? (*gas_limit - kGasPerMorphoBatch) / kGasPerMorphoBorrower : 0;
    if (fits == 0) return fail("open_borrowers: block gas limit " + std::to_string(*gas_limit) + " fits no borrower");
    const std::size_t batch_size = std::clamp<std::size_t>(per_tx, 1, fits);

    std::vector<Address> opened;
    opened.reserve(borrowers.size());
    for (std::size_t start = 0; start < borrowers.size(); start += batch_size) {
        const std::size_t n = std::min(batch_size, borrowers.size() - start);
        const std::string what = "open_borrowers [" + std::to_string(start) + ", " + std::to_string(start + n) + ")";
        auto batch = open_batch(client, owner, devnet, borrowers.subspan(start, n), what);
        if (!batch) return std::unexpected(batch.error());
        opened.insert(opened.end(), batch->begin(), batch->end());
        if (progress) progress(opened.size(), borrowers.size());
    }
    return opened;
}

}  // namespace keeper::devnet
