// The status page's snapshot of a round, as a pure function of what the round
// has: accounts of every protocol merged riskiest first and capped at 50,
// distance to liquidation = 1 - 1/health exactly, actions newest first with
// their transaction hashes, the journal's work in flight, and the head's lag.
#include <gtest/gtest.h>

#include <memory>

#include "keeper/daemon/status_snapshot.hpp"

namespace keeper::app {
namespace status_snapshot_test {

const U256 kWad = U256::pow10(18);

U256 wad(std::string_view decimal_text) {  // "1.25" -> 1.25e18
    const auto dot = decimal_text.find('.');
    std::string digits(decimal_text.substr(0, dot));
    std::string frac = dot == std::string_view::npos ? "" : std::string(decimal_text.substr(dot + 1));
    frac.resize(18, '0');
    return U256::from_dec(digits + frac).value();
}

Address account(unsigned n) {
    std::string hex = std::to_string(n);
    return Address::parse("0x" + std::string(40 - hex.size(), 'a') + hex).value();
}

protocols::PositionRow row(const std::string& protocol, unsigned who, std::string_view health) {
    protocols::PositionRow r;
    r.protocol = protocol;
    r.account = account(who);
    r.health_wad = wad(health);
    r.liquidatable = r.health_wad < kWad;
    r.where = "0x" + std::string(64, 'b');
    return r;
}

ProtocolPositions protocol(const std::string& kind, std::vector<protocols::PositionRow> rows,
                           std::uint64_t block = 100) {
    auto snapshot = std::make_shared<protocols::Snapshot>();
    snapshot->block = block;
    snapshot->rows = std::move(rows);
    return ProtocolPositions{kind, kind + "@0x01", snapshot};
}

Bytes32 hash(std::uint8_t byte) {
    Bytes32 h;
    h.bytes.fill(byte);
    return h;
}

chain::TxAttempt attempt(std::uint8_t byte, std::uint64_t sent_at_block) {
    chain::TxAttempt a;
    a.hash = hash(byte);
    a.sent_at_block = sent_at_block;
    return a;
}

// "0x" + `byte` 32 times: the hex of hash(byte).
std::string repeated(std::string_view byte) {
    std::string out = "0x";
    for (int i = 0; i < 32; ++i) out += byte;
    return out;
}

TEST(DistanceToLiquidation, IsOneMinusOneOverHealthRoundedDown) {
    // Health 1.25: collateral worth may fall by 20% (1.25 x 0.8 = 1.0).
    EXPECT_EQ(distance_to_liquidation_wad(wad("1.25")), wad("0.2"));
    EXPECT_EQ(distance_to_liquidation_wad(wad("2")), wad("0.5"));
    // Health 1.05: 0.05 / 1.05 = 0.047619047619047619047..., rounded down.
    EXPECT_EQ(distance_to_liquidation_wad(wad("1.05")).to_dec(), "47619047619047619");
    // At or below the threshold there is no distance left.
    EXPECT_EQ(distance_to_liquidation_wad(kWad), U256());
    EXPECT_EQ(distance_to_liquidation_wad(wad("0.9")), U256());
    // A tiny debt (health 1e22): no overflow, just short of the whole.
    EXPECT_EQ(distance_to_liquidation_wad(wad("10000000000000000000000")), kWad - U256(1));
}

TEST(BuildStatus, MergesEveryProtocolRiskiestFirstKeepingEachProtocolsOrderOnTies) {
    const std::vector<ProtocolPositions> positions{
        protocol("morpho-blue",
                 {row("morpho-blue", 1, "0.95"), row("morpho-blue", 2, "1.3"), row("morpho-blue", 3, "2")}),
        protocol("aave-v3", {row("aave-v3", 4, "1.05"), row("aave-v3", 5, "1.3"), row("aave-v3", 6, "5")}),
    };
    StatusInputs in;
    in.positions = positions;
    const auto status = build_status(in);

    ASSERT_EQ(status.accounts.size(), 6u);
    EXPECT_EQ(status.accounts_total, 6u);
    const std::vector<std::pair<std::string, std::string>> expected{
        {account(1).checksummed(), "0.95"}, {account(4).checksummed(), "1.05"}, {account(2).checksummed(), "1.3"},
        {account(5).checksummed(), "1.3"},  {account(3).checksummed(), "2.0"},  {account(6).checksummed(), "5.0"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(status.accounts[i].account, expected[i].first) << i;
        EXPECT_EQ(status.accounts[i].health, expected[i].second) << i;
    }
    // EIP-55, mixed case: what scan --json prints.
    EXPECT_NE(status.accounts[0].account, "0x" + std::string(39, 'a') + "1");
    EXPECT_EQ(status.accounts[0].protocol, "morpho-blue");
    EXPECT_EQ(status.accounts[0].key, "morpho-blue@0x01");
    EXPECT_EQ(status.accounts[0].health_wad, "950000000000000000");
    EXPECT_TRUE(status.accounts[0].liquidatable);
    EXPECT_EQ(status.accounts[0].distance_to_liquidation, "0.0");
    EXPECT_EQ(status.accounts[1].distance_to_liquidation, "0.047619047619047619");
    EXPECT_EQ(status.accounts[2].distance_to_liquidation, "0.230769230769230769");  // 0.3 / 1.3
    EXPECT_EQ(status.accounts[4].distance_to_liquidation, "0.5");
    EXPECT_EQ(status.accounts[5].distance_to_liquidation, "0.8");
    EXPECT_EQ(status.accounts[1].protocol, "aave-v3");
    EXPECT_FALSE(status.accounts[1].liquidatable);
}

TEST(BuildStatus, ShowsTheRiskiestFiftyOfSeventyAndCountsThemAll) {
    // Protocol A: healths 1.001, 1.003, ... 1.079 (40 rows); B: 1.002, 1.004, ... 1.060 (30 rows).
    const auto thousandths = [](unsigned n) {  // 1 + n/1000 as text
        const std::string digits = std::to_string(n);
        return "1." + std::string(3 - digits.size(), '0') + digits;
    };
    std::vector<protocols::PositionRow> a, b;
    for (unsigned i = 0; i < 40; ++i) a.push_back(row("morpho-blue", i, thousandths(2 * i + 1)));
    for (unsigned i = 0; i < 30; ++i) b.push_back(row("aave-v3", 100 + i, thousandths(2 * i + 2)));
    const std::vector<ProtocolPositions> positions{protocol("morpho-blue", a), protocol("aave-v3", b)};
    StatusInputs in;
    in.positions = positions;
    const auto status = build_status(in);

    EXPECT_EQ(status.accounts_total, 70u);
    ASSERT_EQ(status.accounts.size(), 50u);
    EXPECT_EQ(status.accounts.front().health, "1.001");
    EXPECT_EQ(status.accounts[1].health, "1.002");
    // The 50th riskiest: health 1.050 (both protocols alternate up to 1.060).
    EXPECT_EQ(status.accounts.back().health, "1.05");
    for (std::size_t i = 1; i < status.accounts.size(); ++i)
        EXPECT_LT(wad(status.accounts[i - 1].health), wad(status.accounts[i].health)) << i;
    ASSERT_EQ(status.protocols.size(), 2u);
    EXPECT_EQ(status.protocols[0].positions, 40u);
    EXPECT_EQ(status.protocols[1].positions, 30u);
}

TEST(BuildStatus, SummarisesEachProtocolAndNamesTheOnesThatFailedThisRound) {
    auto morpho = protocol("morpho-blue",
                           {row("morpho-blue", 1, "0.9"), row("morpho-blue", 2, "0.99"), row("morpho-blue", 3, "1.5")},
                           123);
    std::const_pointer_cast<protocols::Snapshot>(morpho.snapshot)->read_errors = {{"market 0x01", "oracle reverted"}};
    const std::vector<ProtocolPositions> positions{morpho};
    const std::vector<std::string> failed{"aave-v3@0xPool"};
    StatusInputs in;
    in.positions = positions;
    in.failed_protocols = failed;
    const auto status = build_status(in);

    ASSERT_EQ(status.protocols.size(), 2u);
    const auto& m = status.protocols[0];
    EXPECT_EQ(m.protocol, "morpho-blue");
    EXPECT_TRUE(m.ok);
    EXPECT_EQ(m.block, 123u);
    EXPECT_EQ(m.positions, 3u);
    EXPECT_EQ(m.liquidatable, 2u);
    EXPECT_EQ(m.read_errors, 1u);
    const auto& a = status.protocols[1];
    EXPECT_EQ(a.protocol, "aave-v3");
    EXPECT_EQ(a.key, "aave-v3@0xPool");
    EXPECT_FALSE(a.ok);
    EXPECT_EQ(a.positions, 0u);
}

TEST(BuildStatus, ListsActionsNewestFirstWithTheirTransactionsAndTheWorkInFlight) {
    std::vector<protocols::ActionRecord> records;
    for (int i = 0; i < 25; ++i) {
        protocols::ActionRecord r;
        r.protocol = "morpho-blue";
        r.work_key = "morpho-blue:m:" + std::to_string(i);
        r.prediction.account = account(static_cast<unsigned>(i));
        r.tx_hash = hash(static_cast<std::uint8_t>(i));
        r.success = true;
        r.block = 200 + static_cast<std::uint64_t>(i);
        r.predicted_profit = U256(1000 + i);
        r.profit_unit = "loan";
        records.push_back(r);
    }
    records[23].success = false;         // reverted
    records[24].success = std::nullopt;  // sent, no receipt yet
    records[24].block = std::nullopt;
    protocols::ActionRecord simulated;
    simulated.protocol = "aave-v3";
    simulated.dry_run = true;
    simulated.simulation = "ok";
    records.push_back(simulated);

    SentWork liquidation;
    liquidation.journal_id = 7;
    liquidation.work_key = "morpho-blue:m:24";
    state::JournalAction journaled;
    journaled.protocol = "morpho-blue";
    journaled.kind = "liquidate";
    journaled.account = account(24);
    liquidation.action = journaled;
    liquidation.tx.nonce = chain::Nonce{12};
    liquidation.tx.attempts = {attempt(0xa1, 224), attempt(0xa2, 227)};  // a fee bump: the newest counts
    SentWork approval;
    approval.journal_id = 6;
    approval.work_key = "approve:0xToken:0xMorpho";
    approval.tx.nonce = chain::Nonce{11};
    approval.tx.attempts = {attempt(0xb1, 223)};
    const std::vector<SentWork> in_flight{approval, liquidation};

    StatusInputs in;
    in.records = records;
    in.in_flight = in_flight;
    const auto status = build_status(in);

    ASSERT_EQ(status.recent_actions.size(), 20u);
    EXPECT_EQ(status.recent_actions[0].status, "simulated");
    EXPECT_EQ(status.recent_actions[0].simulation, "ok");
    EXPECT_FALSE(status.recent_actions[0].tx_hash.has_value());
    EXPECT_EQ(status.recent_actions[1].status, "sent");
    EXPECT_EQ(status.recent_actions[1].tx_hash, repeated("18"));  // hash(24)
    EXPECT_EQ(status.recent_actions[1].account, account(24).checksummed());
    EXPECT_EQ(status.recent_actions[2].status, "reverted");
    EXPECT_EQ(status.recent_actions[3].status, "mined");
    EXPECT_EQ(status.recent_actions[3].block, 222u);
    EXPECT_EQ(status.recent_actions[3].tx_hash, repeated("16"));  // hash(22)
    EXPECT_EQ(status.recent_actions[3].predicted_profit, "1022");
    EXPECT_EQ(status.recent_actions[3].kind, "liquidate");
    EXPECT_EQ(status.recent_actions.back().work_key, "morpho-blue:m:6");  // 26 records, newest 20

    ASSERT_EQ(status.in_flight.size(), 2u);
    EXPECT_EQ(status.in_flight[0].kind, "approve");
    EXPECT_EQ(status.in_flight[0].protocol, "");
    EXPECT_EQ(status.in_flight[0].nonce, 11u);
    const auto& t = status.in_flight[1];
    EXPECT_EQ(t.journal_id, 7);
    EXPECT_EQ(t.protocol, "morpho-blue");
    EXPECT_EQ(t.kind, "liquidate");
    EXPECT_EQ(t.account, account(24).checksummed());
    EXPECT_EQ(t.nonce, 12u);
    EXPECT_EQ(t.attempts, 2u);
    EXPECT_EQ(t.tx_hash, repeated("a2"));  // the newest attempt's
    EXPECT_EQ(t.sent_at_block, 227u);
}

TEST(BuildStatus, HeadLagInSecondsAndBlocks) {
    StatusInputs in;
    in.now_unix = 1'000;
    in.head_block = 103;
    in.head_timestamp = 988;
    in.newest_head_seen = 105;
    auto status = build_status(in);
    EXPECT_EQ(status.generated_at, 1'000u);
    EXPECT_EQ(status.head_block, 103u);
    EXPECT_EQ(status.head_lag_seconds, 12u);
    EXPECT_EQ(status.head_lag_blocks, 2u);
    // A head stamped ahead of this machine's clock, or none seen since: no lag, never a wrap-around.
    in.head_timestamp = 1'003;
    in.newest_head_seen = 0;
    status = build_status(in);
    EXPECT_EQ(status.head_lag_seconds, 0u);
    EXPECT_EQ(status.head_lag_blocks, 0u);
    EXPECT_TRUE(status.oracles.empty());
    EXPECT_FALSE(status.paused.actions);
}

}  // namespace status_snapshot_test
}  // namespace keeper::app
