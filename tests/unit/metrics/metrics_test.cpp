// Health judgements as pure functions of their inputs, and the Grafana
// dashboard in config/grafana using exactly the metric names KeeperMetrics
// exports, every one of them.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "keeper/metrics/health.hpp"
#include "keeper/metrics/keeper_metrics.hpp"

namespace keeper::metrics {
namespace metrics_test {

using namespace std::chrono_literals;

const Clock::time_point t0 = Clock::time_point{} + 1'800'000'000s;

TEST(Health, AliveWithinTheGraceBeforeTheFirstRoundAndTheGapAfter) {
    HealthLimits limits;
    limits.start_grace = 1800s;
    limits.max_round_gap = 120s;
    HealthInputs in{t0, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    EXPECT_TRUE(judge_liveness(in, limits, t0 + 1800s).ok);
    const Verdict late = judge_liveness(in, limits, t0 + 1801s);
    EXPECT_EQ(late.reasons, (std::vector<std::string>{"no round finished 1801 s after start (limit 1800 s)"}));
    in.last_round = t0 + 2000s;
    EXPECT_TRUE(judge_liveness(in, limits, t0 + 2120s).ok);
    EXPECT_EQ(judge_liveness(in, limits, t0 + 2121s).reasons,
              (std::vector<std::string>{"no round finished for 121 s (limit 120 s)"}));
}

TEST(Health, ReadyWhenSyncedFreshAndFunded) {
    HealthLimits limits;
    limits.max_head_age = 60s;
    limits.min_signer_balance_wei = U256(50'000'000'000'000'000ULL);
    HealthInputs in{t0, t0 + 10s, t0 + 10s, t0 + 5s, U256(50'000'000'000'000'000ULL)};
    EXPECT_TRUE(judge_readiness(in, limits, t0 + 65s).ok);  // head exactly 60 s old: still fresh
    const Verdict stale = judge_readiness(in, limits, t0 + 66s);
    EXPECT_EQ(stale.reasons, (std::vector<std::string>{"head is 61 s old (limit 60 s)"}));
    EXPECT_EQ(stale.to_json("ready"),
              (nlohmann::json{{"ready", false}, {"reasons", {"head is 61 s old (limit 60 s)"}}}));
    in.signer_balance_wei = U256(49'999'999'999'999'999ULL);
    EXPECT_EQ(judge_readiness(in, limits, t0 + 20s).reasons,
              (std::vector<std::string>{"signer balance 0.0499 below the minimum 0.0500"}));
    limits.min_signer_balance_wei.reset();  // no minimum configured: the balance is not judged
    EXPECT_TRUE(judge_readiness(in, limits, t0 + 20s).ok);
}

TEST(Health, NotReadyWhileActionsArePaused) {
    HealthInputs in{t0,      t0 + 10s,     t0 + 10s,
                    t0 + 5s, std::nullopt, std::string("circuit breaker: 3 reverted transactions within 600 s")};
    EXPECT_EQ(judge_readiness(in, HealthLimits{}, t0 + 20s).reasons,
              (std::vector<std::string>{"actions paused: circuit breaker: 3 reverted transactions within 600 s"}));
    EXPECT_TRUE(judge_liveness(in, HealthLimits{}, t0 + 20s).ok);  // paused is alive: no restart wanted
    in.paused.reset();
    EXPECT_TRUE(judge_readiness(in, HealthLimits{}, t0 + 20s).ok);
}

TEST(GrafanaDashboard, EveryPanelUsesExportedMetricsAndEveryMetricHasAPanel) {
    std::ifstream file(std::string(KEEPER_VECTORS_DIR) + "/../../config/grafana/margin-keeper.json");
    ASSERT_TRUE(file.good());
    const auto dashboard = nlohmann::json::parse(file);
    const std::set<std::string> exported(metric_names().begin(), metric_names().end());
    std::set<std::string> used;
    const std::regex name(R"(\bkeeper_[a-z_]+)");
    ASSERT_FALSE(dashboard.at("panels").empty());
    for (const auto& panel : dashboard.at("panels")) {
        ASSERT_FALSE(panel.at("targets").empty()) << panel.at("title");
        for (const auto& target : panel.at("targets")) {
            const std::string expr = target.at("expr");
            bool any = false;
            for (std::sregex_iterator it(expr.begin(), expr.end(), name), end; it != end; ++it) {
                std::string metric = it->str();
                // Histogram series carry a suffix of their family.
                for (const char* suffix : {"_bucket", "_sum", "_count"})
                    if (metric.ends_with(suffix) && !exported.count(metric)) metric.resize(metric.size() - std::strlen(suffix));
                EXPECT_TRUE(exported.count(metric)) << panel.at("title") << ": unknown metric " << metric;
                used.insert(metric);
                any = true;
            }
            EXPECT_TRUE(any) << panel.at("title") << ": no keeper metric in " << expr;
        }
    }
    EXPECT_EQ(used, exported);
}

}  // namespace metrics_test
}  // namespace keeper::metrics
