// The round's data as operators' counters see it: positions per protocol,
// every account for the alert policy, and token units as whole tokens.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "keeper/daemon/operator_feed.hpp"
#include "keeper/daemon/pause_switch.hpp"

namespace keeper::app {
namespace operator_feed_test {

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

// The feed as the executor drives it: a daily gas budget of 0.01 ETH and a
// breaker of 2 reverts in 600 s, at 10:00 UTC on 2026-12-07.
class FeedTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("keeper-feed-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        config_.safety.daily_gas_budget_wei = U256(10'000'000'000'000'000ULL);
        config_.safety.breaker_reverts = 2;
        feed_.emplace(config_, dir_, OperatorFeed::Sinks{&metrics_, nullptr, &alerts_}, [this] { return now_; });
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ActionEvent event(ActionEvent::Outcome outcome) {
        ActionEvent e;
        e.outcome = outcome;
        e.protocol = "morpho-blue";
        e.record.prediction.account = alice;
        e.record.tx_hash = Bytes32::from_hex("0x" + std::string(64, 'a')).value();
        e.record.block = 42;
        return e;
    }
    std::string scrape() { return metrics_.scrape(SystemClock::now()); }

    config::KeeperConfig config_;
    std::filesystem::path dir_;
    metrics::KeeperMetrics metrics_;
    std::vector<alerts::Alert> raised_;
    alerts::OperatorAlerts alerts_{alerts::AlertThresholds{},
                                   [this](alerts::Alert a) { raised_.push_back(std::move(a)); }};
    SystemClock::time_point now_ = SystemClock::time_point(20'794 * std::chrono::hours(24) + std::chrono::hours(10));
    std::optional<OperatorFeed> feed_;
};

// 400,000 gas at 20 gwei max fee = 0.008 ETH: sent once, a second would make
// 0.016 of 0.01 and is held back with reason "budget", alerted once.
TEST_F(FeedTest, ASentActionCountsAgainstTheDailyBudget) {
    const PlannedSpend spend{U256(400'000) * U256(20'000'000'000ULL), {}};
    EXPECT_EQ(feed_->gate(spend), std::nullopt);
    ActionEvent sent = event(ActionEvent::Outcome::sent);
    sent.spend = spend;
    feed_->on_action(sent);
    ASSERT_EQ(raised_.size(), 1u);
    EXPECT_EQ(alerts::kind_of(raised_[0]), alerts::AlertKind::liquidation_sent);
    const auto hold = feed_->gate(spend);
    ASSERT_TRUE(hold);
    EXPECT_EQ(hold->label, "budget");
    (void)feed_->gate(spend);  // the same day: alerted once
    ASSERT_EQ(raised_.size(), 2u);
    EXPECT_EQ(raised_[1].text,
              "ACTIONS PAUSED (budget): daily gas budget: 0.0160 of 0.0100 ETH today with this action");
    EXPECT_NE(scrape().find("keeper_actions_total{outcome=\"sent\",protocol=\"morpho-blue\",reason=\"\"} 1"),
              std::string::npos);
    now_ += std::chrono::hours(24);  // the next UTC day
    EXPECT_EQ(feed_->gate(spend), std::nullopt);
}

// A restart the same day: the new feed reads budget.json and still holds
// the second 0.008 ETH action back; the next day it starts from zero.
TEST_F(FeedTest, ARestartTheSameDayKeepsTodaysSpending) {
    const PlannedSpend spend{U256(400'000) * U256(20'000'000'000ULL), {}};
    ActionEvent sent = event(ActionEvent::Outcome::sent);
    sent.spend = spend;
    feed_->on_action(sent);
    ASSERT_TRUE(std::filesystem::exists(dir_ / "budget.json"));

    OperatorFeed restarted(config_, dir_, OperatorFeed::Sinks{&metrics_, nullptr, &alerts_}, [this] { return now_; });
    const auto hold = restarted.gate(spend);
    ASSERT_TRUE(hold);
    EXPECT_EQ(hold->label, "budget");
    now_ += std::chrono::hours(24);
    OperatorFeed next_day(config_, dir_, OperatorFeed::Sinks{&metrics_, nullptr, &alerts_}, [this] { return now_; });
    EXPECT_EQ(next_day.gate(spend), std::nullopt);
}

TEST_F(FeedTest, AnUnreadableBudgetFileCountsFromZero) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "budget.json") << "{\"day\": \"today\"}";
    OperatorFeed restarted(config_, dir_, OperatorFeed::Sinks{&metrics_, nullptr, &alerts_}, [this] { return now_; });
    EXPECT_EQ(restarted.gate(PlannedSpend{U256(400'000) * U256(20'000'000'000ULL), {}}), std::nullopt);
}

// Which protocols' absent accounts have no debt left: a kind counts only when
// every deployment of it was read whole this round.
TEST(FullyReadProtocols, AKindWithAFailedOrPartialDeploymentIsNotCovered) {
    auto partial = deployment("aave-v3", {row("aave-v3", alice, 900, true)});
    auto snapshot = std::make_shared<protocols::Snapshot>(*partial.snapshot);
    snapshot->read_errors.emplace_back("reserve 0x01", "oracle reverted");
    partial.snapshot = snapshot;
    const std::vector<ProtocolPositions> positions{deployment("morpho-blue", {row("morpho-blue", bob, 1'020, false)}),
                                                   partial, deployment("yield-v2", {})};
    EXPECT_EQ(fully_read_protocols(positions, {}), (std::vector<std::string>{"morpho-blue", "yield-v2"}));
    EXPECT_EQ(fully_read_protocols(positions, {"yield-v2@0xcauldron"}), std::vector<std::string>{"morpho-blue"});
}

// Two reverts within 600 s: the feed writes the pause file itself (so a
// restart stays paused), holds every action back and alerts; `resume`
// (removing the file) lets them go at the next round.
TEST_F(FeedTest, TheBreakerWritesThePauseFileAndResumeLiftsIt) {
    feed_->on_action(event(ActionEvent::Outcome::reverted));
    EXPECT_EQ(feed_->paused(), std::nullopt);
    now_ += std::chrono::seconds(300);
    feed_->on_action(event(ActionEvent::Outcome::reverted));
    const std::string why = "circuit breaker: 2 reverted transactions within 600 s";
    EXPECT_EQ(feed_->paused(), why);
    EXPECT_EQ(read_pause(dir_), why);
    ASSERT_EQ(raised_.size(), 3u);  // two liquidation_failed, then the pause
    EXPECT_EQ(alerts::kind_of(raised_[0]), alerts::AlertKind::liquidation_failed);
    EXPECT_EQ(raised_[2].text, "ACTIONS PAUSED (paused): " + why);
    const auto hold = feed_->gate(PlannedSpend{});
    ASSERT_TRUE(hold);
    EXPECT_EQ(hold->label, "paused");
    EXPECT_NE(scrape().find("\nkeeper_actions_paused 1\n"), std::string::npos);

    ASSERT_TRUE(remove_pause(dir_));
    feed_->before_round();
    EXPECT_EQ(feed_->paused(), std::nullopt);
    EXPECT_EQ(feed_->gate(PlannedSpend{}), std::nullopt);
    ASSERT_EQ(raised_.size(), 4u);
    EXPECT_EQ(raised_[3].event, alerts::AlertEvent::resolve);
    EXPECT_EQ(alerts::dedup_key_of(raised_[3]), "margin-keeper/actions_paused/paused");
    EXPECT_NE(scrape().find("\nkeeper_actions_paused 0\n"), std::string::npos);
}

// A WETH feed 3700 s old with heartbeat 3600 s + margin 60 s: the age is the
// metric, and without [alerts] oracle_max_age_s the feed's own 3660 s limit
// triggers oracle_stale; a fresh update (age 5 s) resolves it.
TEST_F(FeedTest, FeedAgesAreTheMetricAndAlertPastTheFeedsOwnLimit) {
    const std::string weth =
        "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2 feed 0x00000000000000000000000000000000000000F1";
    OperatorFeed* const feed = feed_ ? &*feed_ : nullptr;
    ASSERT_NE(feed, nullptr);
    const std::vector<FeedAge> stale{{weth, std::chrono::seconds(3700), std::chrono::seconds(3660)}};
    feed->oracle_ages(stale);
    EXPECT_NE(scrape().find("keeper_oracle_age_seconds{feed=\"" + weth + "\"} 3700"), std::string::npos) << scrape();
    ASSERT_EQ(raised_.size(), 1u);
    EXPECT_EQ(alerts::kind_of(raised_[0]), alerts::AlertKind::oracle_stale);
    EXPECT_EQ(raised_[0].event, alerts::AlertEvent::trigger);
    feed->oracle_ages(stale);
    EXPECT_EQ(raised_.size(), 1u) << "triggered once";
    const std::vector<FeedAge> fresh{{weth, std::chrono::seconds(5), std::chrono::seconds(3660)}};
    feed->oracle_ages(fresh);
    ASSERT_EQ(raised_.size(), 2u);
    EXPECT_EQ(raised_[1].event, alerts::AlertEvent::resolve);
}

}  // namespace operator_feed_test
}  // namespace keeper::app
