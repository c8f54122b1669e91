#include "protocols/yield_v2/devnet/yield_devnet.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chain/signer.hpp"
#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"
#include "core/keccak.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "keeper/devnet/solidity_compiler.hpp"

#ifndef KEEPER_YIELD_NODE_MODULES
#define KEEPER_YIELD_NODE_MODULES ""
#endif

namespace keeper::yield_v2::devnet {
namespace {

namespace fs = std::filesystem;
using abi::Value;

constexpr std::uint64_t kDeployGas = 12'000'000;
constexpr std::uint64_t kCallGas = 1'000'000;
constexpr std::string_view kNamer = "@yield-protocol/utils-v2/contracts/token/SafeERC20Namer.sol:SafeERC20Namer";

// Where `npm install` put @yield-protocol/*, dss-interfaces and erc3156: the
// Yield sources import each other by package name, so solc-js runs there.
std::string node_modules() {
    if (const char* env = std::getenv("KEEPER_YIELD_NODE_MODULES"); env != nullptr && *env != '\0') return env;
    return KEEPER_YIELD_NODE_MODULES;
}

Value id_value(ByteView id) { return Value(Bytes(id.begin(), id.end())); }
// A bytes6 constant written as a string in Solidity ("RATE"): the text, zero-padded.
Value id_text(std::string_view text) {
    Bytes out(6, 0);
    std::copy(text.begin(), text.end(), out.begin());
    return Value(std::move(out));
}
Value selectors(std::initializer_list<std::string_view> signatures) {
    Value::List out;
    for (auto s : signatures) {
        const Selector sel = selector(s);
        out.emplace_back(Bytes(sel.begin(), sel.end()));
    }
    return Value(std::move(out));
}

// One signer sending the devnet's transactions; a revert is replayed with
// eth_call so the error carries the contract's reason.
class Sender {
public:
    Sender(chain::JsonRpcClient& client, const chain::PrivateKey& key) : client_(client), key_(key) {}

    Result<chain::Receipt> send(const Address& to, std::string_view signature, const std::vector<Value>& args,
                                std::uint64_t gas = kCallGas) {
        auto data = abi::encode_call(signature, args);
        if (!data) return std::unexpected(context(signature, data.error()));
        auto receipt = keeper::devnet::send_and_wait(client_, key_, to, *data, gas);
        if (!receipt) return std::unexpected(context(signature, receipt.error()));
        if (receipt->success) return receipt;
        chain::CallRequest replay{.from = chain::address_of(key_), .to = to, .data = std::move(*data),
                                  .value = std::nullopt, .gas = gas};
        auto outcome = client_.eth_call(replay);
        return fail(std::string(signature) + " reverted in " + receipt->transaction_hash.hex() + " (" +
                    (outcome ? std::string("replay succeeds now") : outcome.error().message) + ")");
    }

    // Compiles `contract` from `source` (inside `import_root`), appends the
    // ABI-encoded constructor arguments and deploys it.
    Result<chain::Receipt> deploy(const std::string& source, std::string_view contract, const std::string& import_root,
                                  std::string_view constructor_types, const std::vector<Value>& args,
                                  const std::map<std::string, Address>& libraries = {}) {
        auto compiled = keeper::devnet::compile_contract(source, contract, import_root, libraries);
        if (!compiled) return std::unexpected(context(contract, compiled.error()));
        Bytes init = std::move(compiled->init_code);
        if (!constructor_types.empty()) {
            auto types = abi::parse_type_list(constructor_types);
            if (!types) return std::unexpected(context(contract, types.error()));
            auto encoded = abi::encode(*types, args);
            if (!encoded) return std::unexpected(context(contract, encoded.error()));
            init.insert(init.end(), encoded->begin(), encoded->end());
        }
        auto receipt = keeper::devnet::send_and_wait(client_, key_, std::nullopt, std::move(init), kDeployGas);
        if (!receipt) return std::unexpected(context("deploy " + std::string(contract), receipt.error()));
        if (!receipt->success || !receipt->contract_address)
            return fail("deploy " + std::string(contract) + ": reverted in " + receipt->transaction_hash.hex() +
                        " (gas used " + receipt->gas_used.to_dec() + ")");
        return receipt;
    }

    Result<Address> deploy_yield(std::string_view relative, std::string_view contract,
                                 std::string_view constructor_types = {}, const std::vector<Value>& args = {},
                                 const std::map<std::string, Address>& libraries = {}) {
        const std::string root = node_modules();
        const std::string source = (fs::path(root) / "@yield-protocol/vault-v2/contracts" / relative).string();
        auto receipt = deploy(source, contract, root, constructor_types, args, libraries);
        if (!receipt) return std::unexpected(receipt.error());
        return *receipt->contract_address;
    }

    Result<Address> deploy_project(std::string_view file, std::string_view contract,
                                   std::string_view constructor_types, const std::vector<Value>& args) {
        const std::string source = keeper::devnet::contract_source(file);
        auto receipt = deploy(source, contract, fs::path(source).parent_path().string(), constructor_types, args);
        if (!receipt) return std::unexpected(receipt.error());
        return *receipt->contract_address;
    }

    // AccessControl.grantRoles(bytes4[], account): `auth` checks one role per
    // function selector.
    Result<void> grant(const Address& contract, std::initializer_list<std::string_view> functions,
                       const Address& account) {
        auto r = send(contract, "grantRoles(bytes4[],address)", {selectors(functions), Value(account)});
        if (!r) return std::unexpected(r.error());
        return {};
    }

    Result<void> call(const Address& to, std::string_view signature, const std::vector<Value>& args) {
        auto r = send(to, signature, args);
        if (!r) return std::unexpected(r.error());
        return {};
    }

private:
    chain::JsonRpcClient& client_;
    const chain::PrivateKey& key_;
};

Result<std::uint64_t> latest_timestamp(chain::JsonRpcClient& client) {
    auto header = client.get_block_header(chain::BlockId::latest());
    if (!header) return fail("latest block: " + header.error().message);
    if (!*header) return fail("latest block: none");
    return (*header)->timestamp;
}

#define YIELD_TRY(expr)                                         \
    do {                                                  \
        if (auto r_ = (expr); !r_) return std::unexpected(r_.error()); \
    } while (0)

Result<YieldContracts> deploy_contracts(Sender& s, const YieldDevnetOptions& o, std::uint32_t maturity,
                                        std::uint64_t& deploy_block, const Address& owner) {
    YieldContracts c;
    auto assign = [](Address& slot, Result<Address> deployed) -> Result<void> {
        if (!deployed) return std::unexpected(deployed.error());
        slot = *deployed;
        return {};
    };
    YIELD_TRY(assign(c.base_token, s.deploy_project("YieldDevnetToken.sol", "YieldDevnetToken", "string,string,uint8",
                                              {Value("USD Coin"), Value("USDC"), Value(std::uint64_t{6})})));
    YIELD_TRY(assign(c.ilk_token, s.deploy_project("YieldDevnetToken.sol", "YieldDevnetToken", "string,string,uint8",
                                             {Value("Wrapped Ether"), Value("WETH"), Value(std::uint64_t{18})})));
    YIELD_TRY(assign(c.aggregator,
               s.deploy_project("ChainlinkAggregatorMock.sol", "ChainlinkAggregatorMock", "uint8",
                                {Value(std::uint64_t{6})})));

    {
        const std::string root = node_modules();
        auto cauldron = s.deploy((fs::path(root) / "@yield-protocol/vault-v2/contracts/Cauldron.sol").string(),
                                 "Cauldron", root, {}, {});
        if (!cauldron) return std::unexpected(cauldron.error());
        c.cauldron = *cauldron->contract_address;
        deploy_block = cauldron->block_number;
    }
    // The Ladle's WETH is only used to wrap ETH sent to it: the owner's address stands in.
    YIELD_TRY(assign(c.ladle, s.deploy_yield("Ladle.sol", "Ladle", "address,address", {Value(c.cauldron), Value(owner)})));
    YIELD_TRY(assign(c.witch, s.deploy_yield("Witch.sol", "Witch", "address,address", {Value(c.cauldron), Value(c.ladle)})));
    YIELD_TRY(assign(c.base_join, s.deploy_yield("Join.sol", "Join", "address", {Value(c.base_token)})));
    YIELD_TRY(assign(c.ilk_join, s.deploy_yield("Join.sol", "Join", "address", {Value(c.ilk_token)})));
    YIELD_TRY(assign(c.spot_oracle, s.deploy_yield("oracles/chainlink/ChainlinkMultiOracle.sol", "ChainlinkMultiOracle")));
    YIELD_TRY(assign(c.rate_oracle,
               s.deploy_yield("oracles/accumulator/AccumulatorMultiOracle.sol", "AccumulatorMultiOracle")));
    {
        const std::string root = node_modules();
        auto namer = s.deploy((fs::path(root) / "@yield-protocol/utils-v2/contracts/token/SafeERC20Namer.sol").string(),
                              "SafeERC20Namer", root, {}, {});
        if (!namer) return std::unexpected(namer.error());
        c.namer = *namer->contract_address;
    }
    YIELD_TRY(assign(c.fy_token,
               s.deploy_yield("FYToken.sol", "FYToken", "bytes6,address,address,uint256,string,string",
                              {id_value(o.base_id.view()), Value(c.rate_oracle), Value(c.base_join),
                               Value(U256(maturity)), Value("fyUSDC devnet"), Value("fyUSDC")},
                              {{std::string(kNamer), c.namer}})));
    return c;
}

}  // namespace

YieldDevnetOptions default_yield_devnet_options() {
    YieldDevnetOptions o;
    o.base_id = AssetId::from_hex("0x303200000000").value();
    o.ilk_id = AssetId::from_hex("0x303000000000").value();
    o.series_id = SeriesId::from_hex("0x303230370000").value();
    return o;
}

Result<YieldDevnet> deploy_yield_devnet(chain::JsonRpcClient& client, const chain::PrivateKey& owner_key,
                                        const YieldDevnetOptions& o) {
    if (node_modules().empty()) return fail("yield devnet: no node_modules (set $KEEPER_YIELD_NODE_MODULES)");
    const Address owner = chain::address_of(owner_key);
    auto now = latest_timestamp(client);
    if (!now) return std::unexpected(now.error());
    YieldDevnet devnet;
    devnet.options = o;
    devnet.maturity = static_cast<std::uint32_t>(*now + o.maturity_in_s);

    Sender s(client, owner_key);
    auto contracts = deploy_contracts(s, o, devnet.maturity, devnet.deploy_block, owner);
    if (!contracts) return std::unexpected(contracts.error());
    const YieldContracts& c = *contracts;
    devnet.contracts = c;

    const Value base = id_value(o.base_id.view());
    const Value ilk = id_value(o.ilk_id.view());
    const Value series = id_value(o.series_id.view());
    // "RATE" and "CHI" (Constants.sol): the accumulators the Cauldron and the
    // FYToken read from maturity on; flat at 1e18 here.
    const Value rate_kind = id_text("RATE");
    const Value chi_kind = id_text("CHI");

    // Roles: the owner administers, the Ladle manages vaults and moves
    // collateral and fyToken, the Witch takes vaults and pays out.
    YIELD_TRY(s.grant(c.cauldron,
                {"addAsset(bytes6,address)", "setDebtLimits(bytes6,bytes6,uint96,uint24,uint8)",
                 "setLendingOracle(bytes6,address)", "setSpotOracle(bytes6,bytes6,address,uint32)",
                 "addSeries(bytes6,bytes6,address)", "addIlks(bytes6,bytes6[])"},
                owner));
    YIELD_TRY(s.grant(c.cauldron,
                {"build(address,bytes12,bytes6,bytes6)", "destroy(bytes12)", "tweak(bytes12,bytes6,bytes6)",
                 "give(bytes12,address)", "pour(bytes12,int128,int128)", "stir(bytes12,bytes12,uint128,uint128)"},
                c.ladle));
    YIELD_TRY(s.grant(c.cauldron, {"give(bytes12,address)", "slurp(bytes12,uint128,uint128)"}, c.witch));
    YIELD_TRY(s.grant(c.ladle, {"addJoin(bytes6,address)"}, owner));
    YIELD_TRY(s.grant(c.witch, {"setLineAndLimit(bytes6,bytes6,uint32,uint64,uint64,uint128)",
                          "setAuctioneerReward(uint256)", "setProtected(address,bool)"},
                owner));
    for (const Address& join : {c.base_join, c.ilk_join}) {
        YIELD_TRY(s.grant(join, {"join(address,uint128)", "exit(address,uint128)"}, c.ladle));
        YIELD_TRY(s.grant(join, {"join(address,uint128)", "exit(address,uint128)"}, c.witch));
    }
    YIELD_TRY(s.grant(c.fy_token, {"mint(address,uint256)", "burn(address,uint256)"}, c.ladle));
    YIELD_TRY(s.grant(c.fy_token, {"burn(address,uint256)"}, c.witch));
    YIELD_TRY(s.grant(c.spot_oracle, {"setSource(bytes6,address,bytes6,address,address)"}, owner));
    YIELD_TRY(s.grant(c.rate_oracle, {"setSource(bytes6,bytes6,uint256,uint256)"}, owner));

    // Oracles: ilk -> base through the aggregator (answer = base units per
    // whole collateral token); RATE and CHI flat.
    YIELD_TRY(s.call(c.aggregator, "set(int256)", {Value(abi::I256{o.price_answer})}));
    YIELD_TRY(s.call(c.spot_oracle, "setSource(bytes6,address,bytes6,address,address)",
               {ilk, Value(c.ilk_token), base, Value(c.base_token), Value(c.aggregator)}));
    YIELD_TRY(s.call(c.rate_oracle, "setSource(bytes6,bytes6,uint256,uint256)",
               {base, rate_kind, Value(U256::pow10(18)), Value(U256::pow10(18))}));
    YIELD_TRY(s.call(c.rate_oracle, "setSource(bytes6,bytes6,uint256,uint256)",
               {base, chi_kind, Value(U256::pow10(18)), Value(U256::pow10(18))}));

    // Cauldron: assets, rate oracle, series, spot oracle, ilk, limits.
    YIELD_TRY(s.call(c.cauldron, "addAsset(bytes6,address)", {base, Value(c.base_token)}));
    YIELD_TRY(s.call(c.cauldron, "addAsset(bytes6,address)", {ilk, Value(c.ilk_token)}));
    YIELD_TRY(s.call(c.cauldron, "setLendingOracle(bytes6,address)", {base, Value(c.rate_oracle)}));
    YIELD_TRY(s.call(c.cauldron, "addSeries(bytes6,bytes6,address)", {series, base, Value(c.fy_token)}));
    YIELD_TRY(s.call(c.cauldron, "setSpotOracle(bytes6,bytes6,address,uint32)",
               {base, ilk, Value(c.spot_oracle), Value(std::uint64_t{o.ratio_1e6})}));
    YIELD_TRY(s.call(c.cauldron, "addIlks(bytes6,bytes6[])", {series, Value(Value::List{ilk})}));
    YIELD_TRY(s.call(c.cauldron, "setDebtLimits(bytes6,bytes6,uint96,uint24,uint8)",
               {base, ilk, Value(std::uint64_t{o.debt_max}), Value(std::uint64_t{o.debt_min}),
                Value(std::uint64_t{o.debt_dec})}));

    // Ladle: where the Witch finds the joins.
    YIELD_TRY(s.call(c.ladle, "addJoin(bytes6,address)", {base, Value(c.base_join)}));
    YIELD_TRY(s.call(c.ladle, "addJoin(bytes6,address)", {ilk, Value(c.ilk_join)}));

    // Witch: the line, the limit and the starter's reward.
    YIELD_TRY(s.call(c.witch, "setLineAndLimit(bytes6,bytes6,uint32,uint64,uint64,uint128)",
               {ilk, base, Value(std::uint64_t{o.duration_s}), Value(o.vault_proportion_wad),
                Value(o.collateral_proportion_wad), Value(o.auction_limit_ink)}));
    YIELD_TRY(s.call(c.witch, "setAuctioneerReward(uint256)", {Value(o.auctioneer_reward_wad)}));
    return devnet;
}

Result<VaultId> open_vault(chain::JsonRpcClient& client, const chain::PrivateKey& borrower, const YieldDevnet& devnet,
                           const U256& ink, const U256& art, std::uint8_t salt) {
    const YieldContracts& c = devnet.contracts;
    const Address who = chain::address_of(borrower);
    Sender s(client, borrower);
    YIELD_TRY(s.call(c.ilk_token, "mint(address,uint256)", {Value(who), Value(ink)}));
    YIELD_TRY(s.call(c.ilk_token, "approve(address,uint256)", {Value(c.ilk_join), Value(ink)}));
    auto built = s.send(c.ladle, "build(bytes6,bytes6,uint8)",
                        {id_value(devnet.options.series_id.view()), id_value(devnet.options.ilk_id.view()),
                         Value(std::uint64_t{salt})});
    if (!built) return std::unexpected(built.error());
    // VaultBuilt(bytes12 indexed vaultId, address indexed owner, bytes6 indexed seriesId, bytes6 ilkId)
    static const Bytes32 vault_built = keccak256(std::string_view("VaultBuilt(bytes12,address,bytes6,bytes6)"));
    std::optional<VaultId> id;
    for (const auto& log : built->logs)
        if (log.address == c.cauldron && log.topics.size() == 4 && log.topics[0] == vault_built)
            id = VaultId::from_bytes(ByteView(log.topics[1].bytes.data(), 12)).value();
    if (!id) return fail("Ladle.build: no VaultBuilt log in " + built->transaction_hash.hex());
    auto ink_i = abi::I256{ink};
    auto art_i = abi::I256{art};
    YIELD_TRY(s.call(c.ladle, "pour(bytes12,address,int128,int128)",
               {id_value(id->view()), Value(who), Value(ink_i), Value(art_i)}));
    return *id;
}

Result<void> set_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner, const YieldDevnet& devnet,
                       const U256& answer) {
    Sender s(client, owner);
    return s.call(devnet.contracts.aggregator, "set(int256)", {Value(abi::I256{answer})});
}

Result<void> mint_token(chain::JsonRpcClient& client, const chain::PrivateKey& from, const Address& token,
                        const Address& to, const U256& amount) {
    Sender s(client, from);
    return s.call(token, "mint(address,uint256)", {Value(to), Value(amount)});
}

Result<void> fund_fy_token(chain::JsonRpcClient& client, const chain::PrivateKey& owner, const YieldDevnet& devnet,
                           const Address& to, const U256& art) {
    // A vault's debt is 0 or at least the dust: borrow max(art, dust).
    // ink = debt / price * ratio * 4, in collateral wei: debt * 1e18 * ratio * 4 / (answer * 1e6).
    const YieldDevnetOptions& o = devnet.options;
    const U256 dust = U256(o.debt_min) * U256::pow10(o.debt_dec);
    const U256 debt = art < dust ? dust : art;
    const U256 ink = debt * U256::pow10(18) * U256(o.ratio_1e6) * U256(4) / (o.price_answer * U256::pow10(6)) + U256(1);
    auto vault = open_vault(client, owner, devnet, ink, debt);
    if (!vault) return std::unexpected(context("fund fyToken", vault.error()));
    Sender s(client, owner);
    return s.call(devnet.contracts.fy_token, "transfer(address,uint256)", {Value(to), Value(art)});
}

#undef YIELD_TRY

}  // namespace keeper::yield_v2::devnet
