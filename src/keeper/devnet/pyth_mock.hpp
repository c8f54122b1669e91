#pragma once
// Pyth's MockPyth on a devnet, from the pinned @pythnetwork/pyth-sdk-solidity
// package (scripts/tools-package.json), which ships its creation code as
// build/MockPyth_sol_MockPyth.bin (solc-js output). Nothing of the package
// is in this repository: scripts/setup installs it under .tools.
// MockPyth stores whatever update it is given (no Wormhole signatures) if it
// is newer than the stored one, and then emits PriceFeedUpdate, as the real
// contract does.
#include <cstdint>
#include <string>

#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"

namespace keeper::devnet {

// The package's directory: $KEEPER_PYTH_SDK if set, else
// <repo>/.tools/node_modules/@pythnetwork/pyth-sdk-solidity.
std::string pyth_sdk_dir();

// MockPyth's creation code (without constructor arguments).
Result<Bytes> mock_pyth_creation_code();

// Deploys MockPyth(validTimePeriod, singleUpdateFeeInWei = 0): updates are free,
// so a plain transaction (no value) may push them.
Result<Address> deploy_mock_pyth(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                 std::uint64_t valid_time_period_s);

struct PythPrice {
    Bytes32 id;
    std::int64_t price = 0;
    std::uint64_t conf = 0;
    std::int32_t expo = -8;
    std::uint64_t publish_time_s = 0;
};

// MockPyth's update format: abi.encode(PythStructs.PriceFeed(id, price, ema
// price = price), uint64 prevPublishTime = 0), what its
// createPriceFeedUpdateData returns.
Result<Bytes> mock_pyth_update_data(const PythPrice& price);

// updatePriceFeeds([update]) from `owner`: the contract stores the price and
// emits PriceFeedUpdate only if publish_time_s is newer than the stored one.
Result<chain::Receipt> push_pyth_price(chain::JsonRpcClient& client, const chain::PrivateKey& owner,
                                       const Address& pyth, const PythPrice& price);

}  // namespace keeper::devnet
