// /status.json's shape: the field names the README documents, exactly (an
// operator's script reads them: extend, never rename), and the board the
// round publishes into and the listener reads from.
#include <gtest/gtest.h>

#include <set>

#include "keeper/metrics/keeper_status.hpp"
#include "keeper/metrics/status_page.hpp"

namespace keeper::metrics {
namespace keeper_status_test {

std::set<std::string> keys(const nlohmann::json& object) {
    std::set<std::string> out;
    for (const auto& [key, value] : object.items()) out.insert(key);
    return out;
}

KeeperStatus one_of_each() {
    KeeperStatus s;
    s.generated_at = 1'800'000'000;
    s.chain_id = 31337;
    s.mode = "live";
    s.head_block = 120;
    s.head_timestamp = 1'799'999'990;
    s.head_lag_seconds = 10;
    s.protocols.push_back({"morpho-blue", "morpho-blue@0x01", true, 120, 3, 1, 0});
    s.accounts_total = 3;
    s.accounts.push_back(
        {"morpho-blue", "morpho-blue@0x01", "0xbb", "0xAbC", "1.25", "1250000000000000000", false, "0.2"});
    s.in_flight.push_back({7, "morpho-blue:m:a", "morpho-blue", "liquidate", "0xAbC", 12, "0x11", 2, 119});
    ActionStatus action;
    action.protocol = "morpho-blue";
    action.status = "mined";
    action.tx_hash = "0x22";
    action.block = 118;
    s.recent_actions.push_back(action);
    s.recent_actions.push_back(ActionStatus{});  // simulated: no hash, no block
    s.oracles.push_back({"ETH/USD", 1'799'999'900, 100});
    s.paused = {true, "operator", {"WETH"}};
    return s;
}

TEST(StatusJson, CarriesExactlyTheDocumentedFields) {
    const auto j = to_json(one_of_each());
    EXPECT_EQ(keys(j), (std::set<std::string>{"generated_at", "chain_id", "mode", "head", "protocols", "accounts_total",
                                              "accounts", "in_flight", "recent_actions", "oracles", "paused"}));
    EXPECT_EQ(j["head"],
              (nlohmann::json{{"block", 120}, {"timestamp", 1'799'999'990}, {"lag_seconds", 10}, {"lag_blocks", 0}}));
    EXPECT_EQ(keys(j["protocols"][0]),
              (std::set<std::string>{"protocol", "key", "ok", "block", "positions", "liquidatable", "read_errors"}));
    EXPECT_EQ(j["accounts"][0], (nlohmann::json{{"protocol", "morpho-blue"},
                                                {"key", "morpho-blue@0x01"},
                                                {"where", "0xbb"},
                                                {"account", "0xAbC"},
                                                {"health", "1.25"},
                                                {"health_wad", "1250000000000000000"},
                                                {"liquidatable", false},
                                                {"distance_to_liquidation", "0.2"}}));
    EXPECT_EQ(keys(j["in_flight"][0]), (std::set<std::string>{"journal_id", "work_key", "protocol", "kind", "account",
                                                              "nonce", "tx_hash", "attempts", "sent_at_block"}));
    EXPECT_EQ(keys(j["recent_actions"][0]),
              (std::set<std::string>{"protocol", "kind", "work_key", "account", "status", "tx_hash", "block",
                                     "simulation", "predicted_profit", "profit_unit"}));
    EXPECT_EQ(j["recent_actions"][0]["tx_hash"], "0x22");
    EXPECT_EQ(j["recent_actions"][0]["block"], 118);
    EXPECT_TRUE(j["recent_actions"][1]["tx_hash"].is_null());
    EXPECT_TRUE(j["recent_actions"][1]["block"].is_null());
    EXPECT_EQ(j["oracles"][0],
              (nlohmann::json{{"feed", "ETH/USD"}, {"updated_at", 1'799'999'900}, {"age_seconds", 100}}));
    EXPECT_EQ(j["paused"], (nlohmann::json{{"actions", true}, {"reason", "operator"}, {"assets", {"WETH"}}}));
}

TEST(StatusJson, EmptyListsAreArraysNotNull) {
    const auto j = to_json(KeeperStatus{});
    for (const char* list : {"protocols", "accounts", "in_flight", "recent_actions", "oracles"})
        EXPECT_TRUE(j[list].is_array() && j[list].empty()) << list;
    EXPECT_TRUE(j["paused"]["assets"].is_array());
}

TEST(StatusBoard, HandsOutTheNewestPublishedSnapshotWhichStaysValidAfterTheNext) {
    StatusBoard board;
    EXPECT_EQ(board.latest(), nullptr);
    auto first = std::make_shared<KeeperStatus>();
    first->head_block = 1;
    board.publish(first);
    const auto held = board.latest();  // a reader rendering it while the round publishes the next
    auto second = std::make_shared<KeeperStatus>();
    second->head_block = 2;
    board.publish(second);
    EXPECT_EQ(held->head_block, 1u);
    EXPECT_EQ(board.latest()->head_block, 2u);
}

TEST(StatusPage, LoadsNothingFromOutsideItsOwnListener) {
    const std::string page(status_page_html());
    for (const char* outside : {"http://", "https://", "//cdn", "@import", "url(", "<link", "src=", "@font-face"})
        EXPECT_EQ(page.find(outside), std::string::npos) << outside;
    EXPECT_NE(page.find("fetch(\"status.json\""), std::string::npos);
}

}  // namespace keeper_status_test
}  // namespace keeper::metrics
