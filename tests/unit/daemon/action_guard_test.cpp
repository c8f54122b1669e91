// The action guard's pure decisions, as worked examples: the kill switch, the
// daily spend budget (gas + capital per token, per UTC day) and the circuit
// breaker (N reverted transactions within M seconds).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "keeper/daemon/action_guard.hpp"
#include "keeper/daemon/pause_switch.hpp"

namespace keeper::app {
namespace action_guard_test {

using namespace std::chrono_literals;

const Address usdc = Address::parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").value();
const Address weth = Address::parse("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2").value();

U256 gwei(std::uint64_t n) { return U256(n) * U256::pow10(9); }

// 2026-12-07 00:00:00 UTC is day 20'794 since 1970-01-01.
const SystemClock::time_point midnight = SystemClock::time_point(20'794 * 24h);

TEST(UtcDay, CountsWholeDaysSince1970) {
    EXPECT_EQ(utc_day(midnight), 20'794);
    EXPECT_EQ(utc_day(midnight + 23h + 59min + 59s), 20'794);
    EXPECT_EQ(utc_day(midnight + 24h), 20'795);
}

// A gas budget of 0.01 ETH a day. A liquidation with gas limit 400,000 at a
// max fee of 20 gwei may cost 400,000 x 20 gwei = 0.008 ETH: the first fits;
// a second would make 0.016 ETH and is refused until the next UTC day.
TEST(DailyBudget, GasIsLimitTimesMaxFeeAndResetsAtMidnightUtc) {
    DailyBudget budget(SpendLimits{U256(10'000'000'000'000'000ULL), {}});
    const PlannedSpend one{U256(400'000) * gwei(20), {}};
    ASSERT_EQ(one.gas_wei, U256(8'000'000'000'000'000ULL));
    const auto today = utc_day(midnight + 10h);
    EXPECT_EQ(budget.refuses(one, today), std::nullopt);
    budget.record(one, today);
    EXPECT_EQ(budget.refuses(one, today), "daily gas budget: 0.0160 of 0.0100 ETH today with this action");
    EXPECT_EQ(budget.spent(today).gas_wei, U256(8'000'000'000'000'000ULL));
    // 00:00 UTC the next day: a fresh budget.
    EXPECT_EQ(budget.refuses(one, today + 1), std::nullopt);
    EXPECT_TRUE(budget.spent(today + 1).gas_wei.is_zero());
}

// 1,000 USDC (1e9 units) a day: 600 USDC, then 400 more fit exactly; one
// more unit does not. WETH has no budget of its own and is never refused.
TEST(DailyBudget, CapitalIsPerTokenAndOnlyForBudgetedTokens) {
    DailyBudget budget(SpendLimits{std::nullopt, {{usdc, U256(1'000'000'000)}}});
    const auto day = utc_day(midnight);
    budget.record(PlannedSpend{gwei(1), {{usdc, U256(600'000'000)}}}, day);
    EXPECT_EQ(budget.refuses(PlannedSpend{gwei(1), {{usdc, U256(400'000'000)}}}, day), std::nullopt);
    budget.record(PlannedSpend{gwei(1), {{usdc, U256(400'000'000)}}}, day);
    EXPECT_EQ(budget.refuses(PlannedSpend{U256(), {{usdc, U256(1)}}}, day),
              "daily capital budget of 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48: 1000000001 of 1000000000 units "
              "today with this action");
    EXPECT_EQ(budget.refuses(PlannedSpend{U256(), {{weth, U256::pow10(30)}}}, day), std::nullopt);
}

// 3 reverts within 600 s trip the breaker. Reverts at 0, 400 and 700 s: the
// one at 0 s is out of the window at 700 s, so 2 recent, no trip; a fourth
// at 900 s makes 3 within 600 s (400, 700, 900): trip, and the count starts over.
TEST(CircuitBreaker, TripsAtNRevertsWithinTheWindowThenStartsOver) {
    CircuitBreaker breaker(BreakerLimits{3, 600s});
    EXPECT_FALSE(breaker.reverted(midnight));
    EXPECT_FALSE(breaker.reverted(midnight + 400s));
    EXPECT_FALSE(breaker.reverted(midnight + 700s));
    EXPECT_EQ(breaker.recent(midnight + 700s), 2u);
    EXPECT_TRUE(breaker.reverted(midnight + 900s));
    EXPECT_EQ(breaker.recent(midnight + 900s), 0u);
    EXPECT_FALSE(breaker.reverted(midnight + 901s));
}

TEST(CircuitBreaker, ZeroRevertsMeansNoBreaker) {
    CircuitBreaker breaker(BreakerLimits{0, 600s});
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(breaker.reverted(midnight + std::chrono::seconds(i)));
}

TEST(HoldAction, ThePauseStopsEverythingThenTheBudget) {
    DailyBudget budget(SpendLimits{gwei(1'000'000), {}});  // 0.001 ETH
    const auto day = utc_day(midnight);
    const PlannedSpend small{gwei(100'000), {}}, large{gwei(2'000'000), {}};
    EXPECT_EQ(hold_action(std::nullopt, budget, small, day), std::nullopt);
    const auto paused = hold_action(std::string("paused by operator"), budget, small, day);
    ASSERT_TRUE(paused);
    EXPECT_EQ(paused->label, "paused");
    EXPECT_EQ(paused->text, "actions paused: paused by operator");
    const auto over = hold_action(std::nullopt, budget, large, day);
    ASSERT_TRUE(over);
    EXPECT_EQ(over->label, "budget");
}

TEST(PauseSwitch, TheFileIsTheSwitch) {
    const auto dir = std::filesystem::temp_directory_path() / ("keeper-pause-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    EXPECT_EQ(read_pause(dir), std::nullopt);
    EXPECT_FALSE(remove_pause(dir).value());
    ASSERT_TRUE(write_pause(dir, "maintenance window"));
    EXPECT_EQ(read_pause(dir), "maintenance window");
    EXPECT_TRUE(std::filesystem::exists(dir / "paused"));
    EXPECT_TRUE(remove_pause(dir).value());
    EXPECT_EQ(read_pause(dir), std::nullopt);
    std::ofstream(dir / "paused") << "";  // `touch paused` works too
    EXPECT_EQ(read_pause(dir), "no reason given");
    std::filesystem::remove_all(dir);
}

}  // namespace action_guard_test
}  // namespace keeper::app
