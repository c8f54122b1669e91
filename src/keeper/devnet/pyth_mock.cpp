#include "keeper/devnet/pyth_mock.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/abi_value.hpp"
#include "core/hex.hpp"
#include "keeper/devnet/devnet_calls.hpp"

#ifndef KEEPER_TOOLS_DIR
#define KEEPER_TOOLS_DIR ""
#endif

namespace keeper::devnet {

std::string pyth_sdk_dir() {
    if (const char* env = std::getenv("KEEPER_PYTH_SDK"); env != nullptr && *env != '\0') return env;
    return (std::filesystem::path(KEEPER_TOOLS_DIR) / "node_modules" / "@pythnetwork" / "pyth-sdk-solidity").string();
}

Result<Bytes> mock_pyth_creation_code() {
    const std::filesystem::path path = std::filesystem::path(pyth_sdk_dir()) / "build" / "MockPyth_sol_MockPyth.bin";
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read " + path.string() + ": run scripts/setup, or set $KEEPER_PYTH_SDK");
    std::ostringstream text;
    text << in.rdbuf();
    std::string digits = text.str();
    while (!digits.empty() && (digits.back() == '\n' || digits.back() == '\r' || digits.back() == ' '))
        digits.pop_back();
    auto code = hex::decode(digits);
    if (!code) return std::unexpected(context(path.string(), code.error()));
    if (code->empty()) return fail(path.string() + " is empty");
    return std::move(*code);
}

Result<Address> deploy_mock_pyth(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                 std::uint64_t valid_time_period_s) {
    auto code = mock_pyth_creation_code();
    if (!code) return std::unexpected(code.error());
    auto args = encode_args("uint256,uint256", {abi::Value(valid_time_period_s), abi::Value(std::uint64_t{0})});
    if (!args) return std::unexpected(args.error());
    code->insert(code->end(), args->begin(), args->end());
    auto receipt = create(client, owner, std::move(*code), "MockPyth");
    if (!receipt) return std::unexpected(receipt.error());
    const std::optional<Address>& at = receipt->contract_address;
    if (!at.has_value()) return fail("MockPyth: the creation receipt names no contract");
    return *at;
}

Result<Bytes> mock_pyth_update_data(const PythPrice& p) {
    const abi::Value id(Bytes(p.id.bytes.begin(), p.id.bytes.end()));
    const abi::Value price(abi::I256::from_int64(p.price));
    const abi::Value expo(abi::I256::from_int64(p.expo));
    // PriceFeed(id, Price(price, conf, expo, publishTime), emaPrice the same), prevPublishTime:
    // a static tuple, so its encoding is its fields' words in order.
    return encode_args("bytes32,int64,uint64,int32,uint256,int64,uint64,int32,uint256,uint64",
                       {id, price, abi::Value(p.conf), expo, abi::Value(p.publish_time_s), price, abi::Value(p.conf),
                        expo, abi::Value(p.publish_time_s), abi::Value(std::uint64_t{0})});
}

Result<chain::Receipt> push_pyth_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                       const Address& pyth, const PythPrice& price) {
    auto update = mock_pyth_update_data(price);
    if (!update) return std::unexpected(update.error());
    auto data = calldata("updatePriceFeeds(bytes[])", {abi::Value(abi::Value::List{abi::Value(std::move(*update))})});
    if (!data) return std::unexpected(data.error());
    return transact(client, owner, pyth, std::move(*data), kAdminGas, "updatePriceFeeds");
}

}  // namespace keeper::devnet
