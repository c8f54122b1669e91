// [safety]: the daily spend budget and the circuit breaker, read strictly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"
#include "keeper/config/keeper_config.hpp"

namespace keeper::config {
namespace safety_config_test {

using ::testing::HasSubstr;
using testing::kMinimal;

TEST(SafetyConfig, BudgetAndBreakerAreRead) {
    auto config = parse_config(kMinimal + R"([safety]
daily_gas_budget = "0.25"
breaker_reverts = 3
breaker_window_s = 900
[safety.daily_capital_budget]
"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48" = "5000000000"
)",
                               "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    const SafetySettings& s = config->safety;
    EXPECT_EQ(s.daily_gas_budget_wei, U256(250'000'000'000'000'000ULL));
    EXPECT_EQ(s.breaker_reverts, 3u);
    EXPECT_EQ(s.breaker_window, std::chrono::seconds(900));
    const Address usdc = Address::parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").value();
    ASSERT_EQ(s.daily_capital_budget.count(usdc), 1u);
    EXPECT_EQ(s.daily_capital_budget.at(usdc), U256(5'000'000'000ULL));
}

TEST(SafetyConfig, DefaultsWithoutTheSection) {
    auto config = parse_config(kMinimal, "keeper.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    EXPECT_EQ(config->safety.daily_gas_budget_wei, std::nullopt);
    EXPECT_TRUE(config->safety.daily_capital_budget.empty());
    EXPECT_EQ(config->safety.breaker_reverts, 0u);
}

TEST(SafetyConfig, ProblemsNameTheKey) {
    auto config = parse_config(kMinimal + "[safety]\nbreaker_reverts = -1\nbreaker_window = 5\n", "keeper.toml");
    ASSERT_FALSE(config.has_value());
    EXPECT_THAT(config.error().message, HasSubstr("safety.breaker_reverts"));
    EXPECT_THAT(config.error().message, HasSubstr("safety.breaker_window"));
}

}  // namespace safety_config_test
}  // namespace keeper::config
