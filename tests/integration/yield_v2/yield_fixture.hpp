#pragma once
// A Yield v2 devnet on a fresh anvil (protocols/yield_v2/devnet) with three
// vaults whose auctions exercise every branch of the Witch's sizing, at the
// devnet's defaults (150% ratio, dust 100 USDC, vaultProportion 50%,
// collateralProportion 75%, duration 3600 s, reward 1%), price 2000 USDC/ETH:
//   big:   1 ETH,    1200 USDC  -> half goes to auction (600 / 0.5 ETH)
//   mid:   0.2 ETH,  250 USDC   -> half (125 USDC, 0.1 ETH)
//   small: 0.15 ETH, 180 USDC   -> 50% is 90 < dust: raised to 100, which
//                                  leaves 80 < dust: the whole vault
// At 1500 USDC/ETH all three are under (value < 1.5 x debt).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "chain/morpho/morpho_calls.hpp"
#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "keeper/devnet/anvil_process.hpp"
#include "keeper/devnet/send_and_wait.hpp"
#include "protocols/yield_v2/devnet/yield_devnet.hpp"
#include "protocols/yield_v2/yield_calls.hpp"
#include "protocols/yield_v2/yield_reader.hpp"

namespace keeper::yield_v2::testing {

inline U256 usdc(std::uint64_t units) { return U256(units) * U256::pow10(6); }
inline U256 milli_eth(std::uint64_t m) { return U256(m) * U256::pow10(15); }

class YieldOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = keeper::devnet::AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(chain::make_http_client(anvil_->url()));
        owner_.emplace(key(0));
        borrower_.emplace(key(1));
        keeper_.emplace(key(2));
        bidder_.emplace(key(3));
        auto devnet = devnet::deploy_yield_devnet(*client_, *owner_);
        ASSERT_TRUE(devnet.has_value()) << devnet.error().message;
        devnet_ = *devnet;
        addresses_ = YieldAddresses{devnet_.contracts.cauldron, devnet_.contracts.witch};
    }

    static chain::PrivateKey key(std::size_t i) {
        return chain::PrivateKey::from_hex(keeper::devnet::dev_accounts()[i].private_key_hex).value();
    }

    VaultId open(const U256& ink, const U256& art) {
        auto id = devnet::open_vault(*client_, *borrower_, devnet_, ink, art);
        EXPECT_TRUE(id.has_value()) << id.error().message;
        return id.value_or(VaultId());
    }
    void open_three() {
        big_ = open(milli_eth(1000), usdc(1200));
        mid_ = open(milli_eth(200), usdc(250));
        small_ = open(milli_eth(150), usdc(180));
    }
    void set_price(std::uint64_t usdc_per_eth) {
        auto r = devnet::set_price(*client_, *owner_, devnet_, usdc(usdc_per_eth));
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

    chain::BlockHeader head() {
        auto h = client_->get_block_header(chain::BlockId::latest());
        EXPECT_TRUE(h.has_value() && h->has_value());
        return h.value().value();
    }
    // The next block's timestamp (anvil_setNextBlockTimestamp): what a
    // transaction sent next sees as block.timestamp.
    void next_timestamp(std::uint64_t t) {
        auto r = client_->call("evm_setNextBlockTimestamp", nlohmann::json::array({t}));
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }
    void mine_at(std::uint64_t t) {
        next_timestamp(t);
        auto r = client_->call("evm_mine", nlohmann::json::array());
        ASSERT_TRUE(r.has_value()) << r.error().message;
    }

    VaultReading read(const VaultId& id) {
        const auto h = head();
        auto r = read_vault(*client_, addresses_, id, h.number, h.timestamp);
        EXPECT_TRUE(r.has_value()) << r.error().message;
        return r.value_or(VaultReading{});
    }

    Bytes call(const Address& to, Bytes data, const std::optional<Address>& from = std::nullopt) {
        chain::CallRequest request{.from = from, .to = to, .data = std::move(data), .value = std::nullopt,
                                   .gas = std::nullopt};
        auto out = client_->eth_call(request, chain::BlockId::latest());
        EXPECT_TRUE(out.has_value()) << out.error().message;
        return out.value_or(Bytes());
    }

    chain::Receipt send(const chain::PrivateKey& from, const Address& to, Bytes data,
                        std::uint64_t gas = 1'000'000) {
        auto r = keeper::devnet::send_and_wait(*client_, from, to, std::move(data), gas);
        EXPECT_TRUE(r.has_value()) << r.error().message;
        return r.value_or(chain::Receipt{});
    }

    U256 balance(const Address& token, const Address& who) {
        return decode_uint(call(token, chain::morpho_blue::encode_erc20_balance_of(who))).value();
    }

    std::optional<keeper::devnet::AnvilProcess> anvil_;
    std::optional<chain::JsonRpcClient> client_;
    std::optional<chain::PrivateKey> owner_, borrower_, keeper_, bidder_;
    devnet::YieldDevnet devnet_;
    YieldAddresses addresses_;
    VaultId big_, mid_, small_;
};

}  // namespace keeper::yield_v2::testing
