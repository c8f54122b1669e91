// AlertPolicy: an account alerts when it enters a worse state, repeats only
// after min_interval, re-arms on recovery; the rate limit folds the excess
// into a counted summary. Times are parameters: every row says when.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "keeper/alerts/alert_policy.hpp"

namespace keeper::alerts {
namespace alert_policy_test {

using namespace std::chrono_literals;
using Time = AlertPolicy::Clock::time_point;

const Time t0 = Time{} + std::chrono::seconds(1'700'000'000);
const U256 warning_1_05 = U256(1'050'000'000'000'000'000ULL);
const std::string market = "0xb323495f7e4148be5643a4ea4a8221eef163e4bccfdedc2a6f4696baacbc86cc";

Address address_n(unsigned n) {
    Address a;
    a.bytes[18] = static_cast<std::uint8_t>(n >> 8);
    a.bytes[19] = static_cast<std::uint8_t>(n);
    return a;
}

AccountHealth borrower(std::uint64_t health_wad, bool liquidatable = false, unsigned n = 1) {
    return AccountHealth{"morpho-blue", market, address_n(n), U256(health_wad), liquidatable};
}

AccountHealth healthy(unsigned n = 1) { return borrower(1'500'000'000'000'000'000ULL, false, n); }
AccountHealth at_warning(unsigned n = 1) { return borrower(1'031'200'000'000'000'000ULL, false, n); }
AccountHealth under_water(unsigned n = 1) { return borrower(973'100'000'000'000'000ULL, true, n); }

std::vector<Alert> observe(AlertPolicy& policy, const AccountHealth& account, Time now) {
    return policy.observe(std::span<const AccountHealth>(&account, 1), now);
}

struct Step {
    std::chrono::seconds at;  // after t0
    AccountHealth account;
    std::vector<Severity> expected;
};

void replay(AlertPolicy& policy, const std::vector<Step>& steps) {
    for (const Step& step : steps) {
        const auto alerts = observe(policy, step.account, t0 + step.at);
        std::vector<Severity> got;
        for (const Alert& a : alerts) got.push_back(a.severity);
        EXPECT_EQ(got, step.expected) << "at t0+" << step.at.count() << "s";
    }
}

TEST(AlertPolicy, EnteringWarningAlertsOnceWithOneReadableLine) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    const auto alerts = observe(policy, at_warning(), t0);
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].severity, Severity::warning);
    EXPECT_EQ(alerts[0].folded_accounts, 0u);
    EXPECT_EQ(alerts[0].account.account, address_n(1));
    EXPECT_EQ(alerts[0].text, "WARNING morpho-blue market " + market + " account " + address_n(1).checksummed() +
                                  ": health 1.0312 (warning below 1.0500)");
}

TEST(AlertPolicy, LiquidatableTextNamesTheHealth) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    const auto alerts = observe(policy, under_water(), t0);
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].text, "LIQUIDATABLE morpho-blue market " + market + " account " + address_n(1).checksummed() +
                                  ": health 0.9731");
}

TEST(AlertPolicy, AccountLevelProtocolTextHasNoMarket) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    AccountHealth aave{"aave-v3", "", Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").value(),
                       U256(990'000'000'000'000'000ULL), true};
    const auto alerts = observe(policy, aave, t0);
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].text, "LIQUIDATABLE aave-v3 account 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed: health 0.9900");
}

TEST(AlertPolicy, StayingInTheSameStateRepeatsOnlyAfterMinInterval) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    replay(policy, {
                       {0s, at_warning(), {Severity::warning}},
                       {1s, at_warning(), {}},
                       {599s, at_warning(), {}},
                       {600s, at_warning(), {Severity::warning}},  // reminder
                       {900s, at_warning(), {}},
                       {1200s, at_warning(), {Severity::warning}},
                   });
}

TEST(AlertPolicy, WarningToLiquidatableAlertsAtOnce) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    replay(policy, {
                       {0s, at_warning(), {Severity::warning}},
                       {12s, under_water(), {Severity::liquidatable}},
                       {24s, under_water(), {}},
                   });
}

TEST(AlertPolicy, HealthyStraightToLiquidatableAlertsOnce) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    replay(policy, {
                       {0s, healthy(), {}},
                       {12s, under_water(), {Severity::liquidatable}},
                       {24s, under_water(), {}},
                   });
}

TEST(AlertPolicy, ImprovingFromLiquidatableToWarningIsNotNewsAndFlappingDoesNotSpam) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    replay(policy, {
                       {0s, under_water(), {Severity::liquidatable}},
                       {12s, at_warning(), {}},   // better, still at risk
                       {24s, under_water(), {}},  // already alerted as liquidatable
                       {36s, at_warning(), {}},
                       {612s, at_warning(), {Severity::warning}},        // reminder of where it is now
                       {624s, under_water(), {Severity::liquidatable}},  // worse than the last alert
                   });
}

TEST(AlertPolicy, RecoveringToHealthyReArms) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    replay(policy, {
                       {0s, at_warning(), {Severity::warning}},
                       {60s, healthy(), {}},
                       {120s, at_warning(), {Severity::warning}},           // well within 600 s, but re-armed
                       {180s, borrower(1'050'000'000'000'000'000ULL), {}},  // exactly the threshold is healthy
                       {240s, under_water(), {Severity::liquidatable}},
                   });
}

TEST(AlertPolicy, TheLiquidatableFlagWinsOverTheHealthNumber) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    // Rounding: health reads 1.0000 but the contract says liquidatable; 0.9999 but it says not.
    const auto flagged = observe(policy, borrower(1'000'000'000'000'000'000ULL, true, 1), t0);
    const auto not_flagged = observe(policy, borrower(999'900'000'000'000'000ULL, false, 2), t0);
    ASSERT_EQ(flagged.size(), 1u);
    EXPECT_EQ(flagged[0].severity, Severity::liquidatable);
    ASSERT_EQ(not_flagged.size(), 1u);
    EXPECT_EQ(not_flagged[0].severity, Severity::warning);
}

TEST(AlertPolicy, NoDebtNeverAlerts) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    AccountHealth no_debt{"morpho-blue", market, address_n(1), U256::max(), false};
    EXPECT_TRUE(observe(policy, no_debt, t0).empty());
}

TEST(AlertPolicy, AnAccountIsItsProtocolMarketAndAddress) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    AccountHealth other_market = at_warning();
    other_market.market = "0x" + std::string(64, '1');
    AccountHealth other_protocol = at_warning();
    other_protocol.protocol = "morpho-blue-fork";
    const std::vector<AccountHealth> batch{at_warning(), other_market, other_protocol, at_warning(2), at_warning()};
    // Five rows, four accounts: the repeated first row is already alerted.
    EXPECT_EQ(policy.observe(batch, t0).size(), 4u);
}

TEST(AlertPolicy, AccountsAbsentFromACallKeepTheirState) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    EXPECT_EQ(observe(policy, at_warning(1), t0).size(), 1u);
    EXPECT_EQ(observe(policy, at_warning(2), t0 + 10s).size(), 1u);  // account 1 not listed
    EXPECT_TRUE(observe(policy, at_warning(1), t0 + 20s).empty());
}

TEST(AlertPolicy, RateLimitFoldsTheExcessIntoOneCountedSummary) {
    AlertPolicy policy(warning_1_05, 600s, 5);
    // 42 accounts enter at once: 2 liquidatable, 40 at warning with falling health.
    std::vector<AccountHealth> batch;
    for (unsigned n = 0; n < 40; ++n)
        batch.push_back(borrower(1'040'000'000'000'000'000ULL - n * 1'000'000'000'000'000ULL, false, n));
    batch.push_back(borrower(980'000'000'000'000'000ULL, true, 100));
    batch.push_back(borrower(973'100'000'000'000'000ULL, true, 101));

    const auto first = policy.observe(batch, t0);
    ASSERT_EQ(first.size(), 5u);
    // The riskiest go out one by one: liquidatable first, then the lowest health.
    EXPECT_EQ(first[0].account.account, address_n(101));
    EXPECT_EQ(first[1].account.account, address_n(100));
    EXPECT_EQ(first[2].account.account, address_n(39));  // health 1.001
    EXPECT_EQ(first[3].account.account, address_n(38));
    const Alert& summary = first[4];
    EXPECT_EQ(summary.folded_accounts, 38u);
    EXPECT_EQ(summary.severity, Severity::warning);
    EXPECT_EQ(summary.account.account, address_n(37));  // the worst of the folded
    EXPECT_EQ(summary.text,
              "and 38 more accounts (0 liquidatable, 38 warning) held back by the alert rate limit of "
              "5/min; worst: WARNING morpho-blue market " +
                  market + " account " + address_n(37).checksummed() + ": health 1.0030 (warning below 1.0500)");
    EXPECT_EQ(policy.suppressed_total(), 38u);
    EXPECT_EQ(policy.suppressed_pending(), 0u);

    // Within the same minute no slot is free: three more are folded and wait.
    const std::vector<AccountHealth> later{under_water(200), under_water(201), at_warning(202)};
    EXPECT_TRUE(policy.observe(later, t0 + 30s).empty());
    EXPECT_EQ(policy.suppressed_total(), 41u);
    EXPECT_EQ(policy.suppressed_pending(), 3u);
    EXPECT_TRUE(policy.observe(std::span<const AccountHealth>(), t0 + 59s).empty());

    // A minute after the first five, the waiting ones leave as one summary.
    const auto next = policy.observe(std::span<const AccountHealth>(), t0 + 60s);
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].folded_accounts, 3u);
    EXPECT_EQ(next[0].severity, Severity::liquidatable);
    EXPECT_TRUE(next[0].text.starts_with("and 3 more accounts (2 liquidatable, 1 warning)")) << next[0].text;
    EXPECT_EQ(policy.suppressed_total(), 41u);
    EXPECT_EQ(policy.suppressed_pending(), 0u);

    // Folded accounts count as alerted: they are not folded again while they stay.
    EXPECT_TRUE(policy.observe(later, t0 + 70s).empty());
    EXPECT_EQ(policy.suppressed_total(), 41u);
}

TEST(AlertPolicy, ThePendingSummaryTakesTheLastFreeSlotBeforeNewSingles) {
    AlertPolicy policy(warning_1_05, 600s, 2);
    const std::vector<AccountHealth> three{at_warning(1), at_warning(2), at_warning(3)};
    EXPECT_EQ(policy.observe(three, t0).size(), 2u);  // one single + a summary of two
    EXPECT_EQ(policy.suppressed_total(), 2u);
    const std::vector<AccountHealth> one_more{at_warning(4)};
    EXPECT_TRUE(policy.observe(one_more, t0 + 1s).empty());
    EXPECT_EQ(policy.suppressed_pending(), 1u);

    // Two slots free again, one pending and two new due: one single and a summary of two.
    const std::vector<AccountHealth> two_new{under_water(5), at_warning(6)};
    const auto alerts = policy.observe(two_new, t0 + 61s);
    ASSERT_EQ(alerts.size(), 2u);
    EXPECT_EQ(alerts[0].account.account, address_n(5));
    EXPECT_EQ(alerts[0].folded_accounts, 0u);
    EXPECT_EQ(alerts[1].folded_accounts, 2u);
    EXPECT_TRUE(alerts[1].text.starts_with("and 2 more accounts (0 liquidatable, 2 warning)")) << alerts[1].text;
    EXPECT_EQ(policy.suppressed_total(), 4u);
}

TEST(AlertPolicy, TheMinuteRolls) {
    AlertPolicy policy(warning_1_05, 600s, 2);
    EXPECT_EQ(observe(policy, at_warning(1), t0).size(), 1u);
    EXPECT_EQ(observe(policy, at_warning(2), t0 + 30s).size(), 1u);
    EXPECT_TRUE(observe(policy, at_warning(3), t0 + 45s).empty());  // 2 in (t0-15s, t0+45s]
    const auto at_60 = observe(policy, at_warning(4), t0 + 60s);    // t0's slot is free again
    ASSERT_EQ(at_60.size(), 1u);
    EXPECT_EQ(at_60[0].folded_accounts, 2u);  // accounts 3 and 4: only one slot, so one summary
    EXPECT_EQ(at_60[0].text.substr(0, 20), "and 2 more accounts ");
}

TEST(AlertPolicy, ZeroPerMinuteStillLetsOneAlertOut) {
    AlertPolicy policy(warning_1_05, 600s, 0);
    EXPECT_EQ(observe(policy, at_warning(1), t0).size(), 1u);
}

// ---- Incidents: a delivered alert opens one per account (PagerDuty's dedup
// key); it resolves when the account is healthy again, has no debt left, or
// moves to the other kind.

std::vector<std::string> resolve_texts(AlertPolicy& policy) {
    std::vector<std::string> out;
    for (const Alert& r : policy.take_resolves()) {
        EXPECT_EQ(r.event, AlertEvent::resolve);
        out.push_back(dedup_key_of(r) + " | " + r.text);
    }
    return out;
}

const std::string account_1 = "0x0000000000000000000000000000000000000001";

TEST(AlertPolicy, AWarnedAccountThatRecoversResolvesItsIncidentOnce) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    ASSERT_EQ(observe(policy, at_warning(), t0).size(), 1u);
    EXPECT_TRUE(resolve_texts(policy).empty());
    EXPECT_TRUE(observe(policy, healthy(), t0 + 12s).empty());
    EXPECT_EQ(resolve_texts(policy),
              std::vector<std::string>{"margin-keeper/near_liquidation/morpho-blue/" + market + "/" + account_1 +
                                       " | RESOLVED WARNING morpho-blue market " + market + " account " + account_1 +
                                       ": health 1.5000 (warning below 1.0500)"});
    EXPECT_TRUE(observe(policy, healthy(), t0 + 24s).empty());
    EXPECT_TRUE(resolve_texts(policy).empty());  // once
}

TEST(AlertPolicy, GoingUnderResolvesTheWarningAndOpensTheUnderwaterIncident) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    (void)observe(policy, at_warning(), t0);
    ASSERT_EQ(observe(policy, under_water(), t0 + 12s).size(), 1u);
    const auto resolved = resolve_texts(policy);
    ASSERT_EQ(resolved.size(), 1u);
    EXPECT_TRUE(resolved[0].starts_with("margin-keeper/near_liquidation/")) << resolved[0];
    // Liquidated: the row is gone from a protocol read in full.
    const std::vector<std::string> covered{"morpho-blue"};
    EXPECT_TRUE(policy.observe({}, t0 + 24s, covered).empty());
    EXPECT_EQ(resolve_texts(policy),
              std::vector<std::string>{"margin-keeper/underwater/morpho-blue/" + market + "/" + account_1 +
                                       " | RESOLVED LIQUIDATABLE morpho-blue market " + market + " account " +
                                       account_1 + ": no debt left"});
}

TEST(AlertPolicy, AnAccountAbsentFromAProtocolNotReadInFullKeepsItsIncident) {
    AlertPolicy policy(warning_1_05, 600s, 100);
    (void)observe(policy, under_water(), t0);
    const std::vector<std::string> other{"aave-v3"};
    EXPECT_TRUE(policy.observe({}, t0 + 12s, other).empty());
    EXPECT_TRUE(resolve_texts(policy).empty());
    EXPECT_TRUE(observe(policy, under_water(), t0 + 24s).empty());  // still alerted: no second trigger
}

TEST(AlertPolicy, AnAlertFoldedIntoTheSummaryOpensNoIncidentOfItsOwn) {
    AlertPolicy policy(warning_1_05, 600s, 2);
    // Three enter: one single (the riskiest), a summary of two whose worst is account 2.
    const std::vector<AccountHealth> three{under_water(1), borrower(1'010'000'000'000'000'000ULL, false, 2),
                                           at_warning(3)};
    ASSERT_EQ(policy.observe(three, t0).size(), 2u);
    // All three recover: account 1 (single) and account 2 (the summary's worst,
    // whose dedup key the summary carried) resolve; account 3 was never paged.
    const std::vector<AccountHealth> recovered{healthy(1), healthy(2), healthy(3)};
    EXPECT_TRUE(policy.observe(recovered, t0 + 12s).empty());
    const auto resolved = resolve_texts(policy);
    ASSERT_EQ(resolved.size(), 2u);
    EXPECT_TRUE(resolved[0].starts_with("margin-keeper/underwater/morpho-blue/" + market + "/" + account_1))
        << resolved[0];
    EXPECT_TRUE(resolved[1].starts_with("margin-keeper/near_liquidation/morpho-blue/" + market +
                                        "/0x0000000000000000000000000000000000000002"))
        << resolved[1];
}

}  // namespace alert_policy_test
}  // namespace keeper::alerts
