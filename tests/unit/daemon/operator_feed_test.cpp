// The round's data as operators' counters see it: positions per protocol,
// every account for the alert policy, and token units as whole tokens.
#include <gtest/gtest.h>

#include "keeper/daemon/operator_feed.hpp"

namespace keeper::app {
namespace {

const Address alice = Address::parse("0x00000000000000000000000000000000000a11ce").value();
const Address bob = Address::parse("0x0000000000000000000000000000000000000b0b").value();

protocols::PositionRow row(std::string protocol, Address account, std::uint64_t health_milli, bool liquidatable) {
    protocols::PositionRow r;
    r.protocol = std::move(protocol);
    r.account = account;
    r.health_wad = U256(health_milli) * U256::pow10(15);
    r.liquidatable = liquidatable;
    r.where = "0xmarket";
    return r;
}

ProtocolPositions deployment(std::string protocol, std::vector<protocols::PositionRow> rows) {
    auto snapshot = std::make_shared<protocols::Snapshot>();
    snapshot->rows = std::move(rows);
    return {protocol, protocol + "@0x1", snapshot};
}

// Two Morpho deployments (3 positions, 1 liquidatable; 1 position) and one
// Aave pool (2 positions, both liquidatable): morpho-blue 4/1, aave-v3 2/2.
TEST(CountPositions, SumsEachProtocolKindOverItsDeployments) {
    const std::vector<ProtocolPositions> positions{
        deployment("morpho-blue", {row("morpho-blue", alice, 950, true), row("morpho-blue", bob, 1'020, false),
                                   row("morpho-blue", alice, 1'500, false)}),
        deployment("aave-v3", {row("aave-v3", alice, 900, true), row("aave-v3", bob, 990, true)}),
        deployment("morpho-blue", {row("morpho-blue", bob, 2'000, false)}),
    };
    const auto counts = count_positions(positions);
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts[0].protocol, "morpho-blue");
    EXPECT_EQ(counts[0].tracked, 4u);
    EXPECT_EQ(counts[0].liquidatable, 1u);
    EXPECT_EQ(counts[1].protocol, "aave-v3");
    EXPECT_EQ(counts[1].tracked, 2u);
    EXPECT_EQ(counts[1].liquidatable, 2u);

    const auto accounts = account_healths(positions);
    ASSERT_EQ(accounts.size(), 6u);
    EXPECT_EQ(accounts[0].account, alice);
    EXPECT_EQ(accounts[0].health_wad, U256(950) * U256::pow10(15));
    EXPECT_TRUE(accounts[0].liquidatable);
    EXPECT_EQ(accounts[0].market, "0xmarket");
}

TEST(WholeTokens, DividesByTheTokensDecimals) {
    EXPECT_DOUBLE_EQ(whole_tokens(U256(1'234'500'000), 6), 1234.5);              // USDC
    EXPECT_DOUBLE_EQ(whole_tokens(U256(50'000'000'000'000'000ULL), 18), 0.05);   // 0.05 ETH
    EXPECT_DOUBLE_EQ(whole_tokens(U256::pow10(24) * U256(3), 18), 3'000'000.0);  // large balances keep their digits
}

}  // namespace
}  // namespace keeper::app
