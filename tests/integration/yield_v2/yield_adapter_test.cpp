// The Yield adapter end to end on anvil, with this test standing in for the
// daemon's executor (which the seam refactor is still wiring): the adapter
// follows the Cauldron's and the Witch's logs, reads the vaults at each head,
// decides; the test sends each action's calldata from the keeper's address
// (having made the approvals the action's spends name) and compares the
// receipt with the prediction. Blocks come every 12 s (timestamps set
// explicitly), as the adapter's block_interval_s says.
//
// Three vaults fall under at 1500 USDC/ETH; the keeper starts their three
// auctions (the amounts the model predicted), then bids on each in the
// first block where the collateral pays debt + 5 USDC of gas, receiving the
// predicted collateral to the wei. For big (600 USDC for 0.5 ETH) that is
// its auction's block + 69, as the strategy's unit test works out.
#include <gtest/gtest.h>

#include <map>

#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "protocols/yield_v2/yield_adapter.hpp"
#include "protocols/yield_v2/yield_calls.hpp"
#include "tests/integration/yield_v2/yield_fixture.hpp"

namespace keeper::yield_v2::testing {
namespace yield_adapter_test {

class YieldAdapterOnAnvil : public YieldOnAnvil {
protected:
    void make_adapter() {
        YieldConfig config;
        config.cauldron = devnet_.contracts.cauldron;
        config.witch = devnet_.contracts.witch;
        config.start = devnet_.deploy_block;
        config.bid_gas_cost_base = usdc(5);
        config.block_interval_s = 12;
        adapter_ = std::make_unique<YieldAdapter>(
            config, protocols::AdapterServices{.client = *client_, .info = [](const std::string&) {},
                                               .warn = [](const std::string&) {}, .interrupted = [] { return false; },
                                               .acts = true, .settings = {}});
        auto opened = adapter_->open(head());
        ASSERT_TRUE(opened.has_value()) << opened.error().message;
        EXPECT_FALSE(opened->has_value());
        synced_ = devnet_.deploy_block - 1;
    }

    // One round: the logs since the last, the state at the head, the decision.
    protocols::Decisions round() {
        const chain::BlockHeader h = head();
        auto logs = chain::get_logs(*client_, adapter_->log_filter(), chain::BlockRange{synced_ + 1, h.number});
        EXPECT_TRUE(logs.has_value()) << logs.error().message;
        EXPECT_TRUE(adapter_->apply(logs.value_or(std::vector<chain::Log>{}), chain::BlockRef{h.number, h.hash, h.parent_hash})
                        .has_value());
        synced_ = h.number;
        auto refreshed = adapter_->refresh(h);
        EXPECT_TRUE(refreshed.has_value()) << refreshed.error().message;
        protocols::DecisionInput input;
        input.head_block = h.number;
        input.head_timestamp = h.timestamp;
        input.keeper = keeper_address();
        for (const auto& funding : adapter_->funding_tokens(*adapter_->snapshot(), input))
            input.holdings.balance_of[funding.token] = balance(funding.token, keeper_address());
        return adapter_->decide(*adapter_->snapshot(), input);
    }

    Address keeper_address() const { return chain::address_of(*keeper_); }

    // Every transaction lands 12 s after the block before it.
    chain::Receipt send_on_grid(const chain::PrivateKey& from, const Address& to, Bytes data) {
        next_timestamp(head().timestamp + 12);
        return send(from, to, std::move(data));
    }
    void tick() { mine_at(head().timestamp + 12); }

    std::unique_ptr<YieldAdapter> adapter_;
    std::uint64_t synced_ = 0;
};

TEST_F(YieldAdapterOnAnvil, StartsTheAuctionsAndBidsAtThePredictedBlocksForThePredictedCollateral) {
    open_three();
    set_price(1500);
    const auto& c = devnet_.contracts;
    const Address keeper = keeper_address();
    make_adapter();
    // The keeper's funds: 2000 USDC (approved to the base Join as the bids' spends will ask).
    ASSERT_TRUE(devnet::mint_token(*client_, *owner_, c.base_token, keeper, usdc(2000)).has_value());

    // Round 1: three vaults under, three auctions to start.
    auto first = round();
    ASSERT_EQ(adapter_->snapshot()->rows.size(), 3u);
    for (const auto& row : adapter_->snapshot()->rows) EXPECT_TRUE(row.liquidatable);
    ASSERT_EQ(first.actions.size(), 3u);
    std::map<VaultId, std::uint64_t> auction_block;
    for (const auto& a : first.actions) {
        ASSERT_EQ(a.kind, protocols::ActionKind::start_auction);
        EXPECT_TRUE(adapter_->owns(a.work_key, a.to));
        const chain::Receipt r = send_on_grid(*keeper_, a.to, a.calldata);
        ASSERT_TRUE(r.success) << a.subject;
        const auto settled = adapter_->settle(a.prediction, r);
        EXPECT_EQ(settled.collateral_out, a.prediction.collateral_out) << a.subject;
        EXPECT_EQ(settled.debt_in, a.prediction.debt_in) << a.subject;
        VaultId id;
        std::copy(a.prediction.position_id.bytes.begin(), a.prediction.position_id.bytes.begin() + 12, id.bytes.begin());
        auction_block[id] = r.block_number;
    }
    ASSERT_EQ(auction_block.size(), 3u);
    send_on_grid(*keeper_, c.base_token, chain::morpho_blue::encode_erc20_approve(c.base_join, usdc(2000)));

    // Then one round per 12 s block until every vault is above water and no
    // auction runs: a bought half goes back to its owner still under water,
    // so its next auction starts, and so on.
    std::map<VaultId, std::uint64_t> first_bid_block;
    std::size_t auctions = 3;
    std::size_t bids = 0;
    auto settled_down = [&] {
        for (const auto& v : dynamic_cast<const YieldSnapshot&>(*adapter_->snapshot()).vaults)
            if (v.auction.start != 0 || undercollateralised(v.level)) return false;
        return true;
    };
    int rounds = 0;
    for (; rounds < 1500 && !settled_down(); ++rounds) {
        const auto decisions = round();
        EXPECT_TRUE(decisions.declined.empty()) << decisions.declined.front().reason;
        for (const auto& a : decisions.actions) {
            VaultId id;
            std::copy(a.prediction.position_id.bytes.begin(), a.prediction.position_id.bytes.begin() + 12,
                      id.bytes.begin());
            const U256 ilk_before = balance(c.ilk_token, keeper);
            const chain::Receipt r = send_on_grid(*keeper_, a.to, a.calldata);
            ASSERT_TRUE(r.success) << a.subject;
            const auto settled = adapter_->settle(a.prediction, r);
            EXPECT_EQ(settled.collateral_out, a.prediction.collateral_out) << a.subject;
            EXPECT_EQ(settled.debt_in, a.prediction.debt_in) << a.subject;
            if (a.kind == protocols::ActionKind::start_auction) {
                ++auctions;
                continue;
            }
            ASSERT_EQ(a.kind, protocols::ActionKind::bid);
            ASSERT_EQ(a.spends.size(), 1u);
            EXPECT_EQ(a.spends[0].spender, c.base_join);
            EXPECT_EQ(r.block_number, *a.not_before_block);
            EXPECT_EQ(balance(c.ilk_token, keeper) - ilk_before, a.prediction.collateral_out) << a.subject;
            first_bid_block.emplace(id, r.block_number);
            ++bids;
        }
        if (decisions.actions.empty()) tick();
    }
    ASSERT_TRUE(settled_down()) << rounds << " rounds, " << auctions << " auctions, " << bids << " bids";
    ASSERT_EQ(first_bid_block.size(), 3u);
    // The three first auctions and two follow-ups of a bought half left under
    // water; each auction bought once, whole (the keeper's funds cover every lot).
    EXPECT_EQ(auctions, 5u);
    EXPECT_EQ(bids, 5u);
    // big: 600 USDC for 0.5 ETH, first paying 605 USDC at +69 (828 s).
    EXPECT_EQ(first_bid_block[big_] - auction_block[big_], 69u);
    for (const VaultId& id : {big_, mid_, small_}) {
        const VaultReading r = read(id);
        EXPECT_EQ(r.auction.start, 0u);
        EXPECT_FALSE(undercollateralised(r.level));
        EXPECT_EQ(r.vault.owner, chain::address_of(*borrower_));
    }
}

}  // namespace yield_adapter_test
}  // namespace keeper::yield_v2::testing
