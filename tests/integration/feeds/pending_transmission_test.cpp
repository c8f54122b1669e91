// End to end on anvil with interval mining (one block a second): pending
// mode ([[feeds]] pending_transmissions = true, [chain] ws). The keeper sees
// the OCR2 transmit in the node's pending transactions, judges the market at
// the pending block and sends the liquidation behind it, so both land in the
// same block.
// Worked example: ten borrowers with 1,000 collateral each (LLTV 86%);
// borrower k owes 860 x p_k + 8, where p_k = 0.98 - 0.02 k, so the price
// p_k makes exactly borrower k liquidatable (860 p_k + 8 > 860 p_k) while
// p_{k-1} = p_k + 0.02 did not (860 p_k + 8 < 860 p_k + 17.2). Trial k
// transmits a report with median p_k just after a block, and reads both
// receipts' blocks: the transmit's and the Liquidate event's. At least 9 of
// the 10 trials must land in the same block.
#include <gtest/gtest.h>

#include "../keeper/keeper_process.hpp"
#include "chain/signer.hpp"
#include "chain/transaction.hpp"
#include "feed_market.hpp"

namespace keeper {
namespace pending_transmission_test {

using namespace std::chrono_literals;
using feed_market::ether;
using nlohmann::json;

constexpr std::size_t kTrials = 10;

// p_k in percent of 1.00.
std::uint64_t price_percent(std::size_t k) { return 98 - 2 * k; }

class PendingTransmissionTest : public feed_market::FeedMarketTest {
protected:
    void SetUp() override {
        feed_market::MarketOptions options;
        for (std::size_t k = 0; k < kTrials; ++k)
            options.borrowers.push_back(
                {ether(1000), ether(1) * U256(860 * price_percent(k) + 800) / U256(100)});  // 860 p_k + 8
        options.feed_keys = "pending_transmissions = true\n";
        options.websocket = true;
        open_market(options, [this] { return deploy_ocr2_aggregator(); });
        // The keeper's first liquidation would otherwise wait for its approval of Morpho.
        const auto keeper_key = chain::PrivateKey::from_hex(testing::dev_accounts()[1].private_key_hex).value();
        ASSERT_TRUE(
            devnet::approve(client(), keeper_key, devnet_.contracts.loan_token, devnet_.contracts.morpho, U256::max()));
        // From now on one block a second, whatever arrives.
        ASSERT_TRUE(client().call("evm_setAutomine", json::array({false})));
        ASSERT_TRUE(client().call("evm_setIntervalMining", json::array({1})));
    }

    std::uint64_t block_number() { return client().block_number().value_or(0); }

    // The transmit of trial k, sent right after a new block so that it is
    // early in the slot, as an oracle network's would be most of the time.
    // Tip 1 gwei, as a transmitter pays; not waited for.
    Bytes32 send_transmit(std::size_t k) {
        const std::uint64_t start = block_number();
        EXPECT_TRUE(eventually([&] { return block_number() > start; }, 5s));
        const auto from = chain::address_of(owner());
        const std::uint64_t nonce = client().get_transaction_count(from, chain::BlockId::pending()).value();
        chain::DynamicFeeTransaction tx;
        tx.chain_id = chain::ChainId{31337};
        tx.nonce = chain::Nonce{nonce};
        tx.max_priority_fee_per_gas_wei = U256::pow10(9);
        tx.max_fee_per_gas_wei = U256::pow10(11);
        tx.gas_limit = chain::GasLimit{300'000};
        tx.to = aggregator_;
        const std::uint64_t p = price_percent(k);
        tx.data = feed_market::ocr2_transmit_calldata({p - 1, p, p + 1}, 0x102 + k, latest_timestamp_s());
        const auto hash = client().send_raw_transaction(chain::encode_raw(chain::sign(tx, owner())));
        EXPECT_TRUE(hash) << (hash ? "" : hash.error().message);
        return hash.value_or(Bytes32{});
    }
    std::optional<std::uint64_t> mined_in(const Bytes32& hash) {
        std::optional<std::uint64_t> block;
        eventually(
            [&] {
                auto receipt = client().get_transaction_receipt(hash);
                if (receipt && receipt->has_value()) block = (*receipt)->success ? (*receipt)->block_number : 0;
                return block.has_value();
            },
            5s);
        return block;
    }
};

TEST_F(PendingTransmissionTest, TheLiquidationLandsInTheTransmitsBlockInAtLeastNineOfTenTrials) {
    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "run");
    ASSERT_TRUE(daemon.wait_for_log("pending transactions by websocket subscription", 90s)) << daemon.err();
    ASSERT_TRUE(daemon.wait_for_log("new heads by", 30s)) << daemon.err();
    EXPECT_TRUE(liquidated().empty());

    std::size_t same_block = 0;
    std::string trials;
    for (std::size_t k = 0; k < kTrials; ++k) {
        const Bytes32 transmit = send_transmit(k);
        const auto transmit_block = mined_in(transmit);
        ASSERT_TRUE(transmit_block && *transmit_block != 0) << "transmit " << k << " not mined or reverted";
        ASSERT_TRUE(eventually([&] { return liquidations().contains(borrowers_[k]); }, 15s))
            << "trial " << k << ": borrower not liquidated\n"
            << daemon.err();
        const std::uint64_t liquidation_block = liquidations().at(borrowers_[k]);
        trials += "trial " + std::to_string(k) + ": transmit in " + std::to_string(*transmit_block) +
                  ", liquidation in " + std::to_string(liquidation_block) + "\n";
        EXPECT_GE(liquidation_block, *transmit_block) << "never before the oracle update";
        if (liquidation_block == *transmit_block) ++same_block;
        EXPECT_EQ(liquidations().size(), k + 1) << "only borrower " << k << " is liquidatable at p_" << k;
    }
    EXPECT_GE(same_block, 9u) << trials << daemon.err();
    std::printf("%s%zu of %zu in the same block\n", trials.c_str(), same_block, kTrials);
    const std::string log = daemon.err();
    EXPECT_NE(log.find("pending transmit"), std::string::npos) << log;
    EXPECT_EQ(log.find("REVERTED"), std::string::npos) << "no liquidation reverts: " << log;

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0) << daemon.err();
}

}  // namespace pending_transmission_test
}  // namespace keeper
