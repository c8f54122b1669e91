// The status page end to end: the margin-keeper daemon runs on anvil with a
// real Morpho Blue whose oracle has just dropped, liquidates what it can, and
// headless Chromium (Debian's `chromium`) loads http://127.0.0.1:PORT/status
// from the daemon's [metrics] listener. The numbers the page's script
// rendered into the DOM must be scan --json's: the riskiest 50 accounts in
// order with their health, the distance to liquidation 1 - 1/health, the
// head block, and the hashes of the Liquidate transactions on chain.
//
// Chromium is part of the test environment (scripts/setup installs it): its
// absence is a failure that says so, never a skip.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "../keeper/keeper_process.hpp"
#include "../keeper/morpho_e2e_fixture.hpp"
#include "chain/log_sync.hpp"
#include "chain/morpho/morpho_calls.hpp"
#include "chain/morpho/morpho_log_decoder.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/devnet/morpho_devnet.hpp"
#include "support/anvil_process.hpp"
#include "support/headless_chromium.hpp"
#include "support/http_get.hpp"

namespace keeper {
namespace status_page_test {

using namespace std::chrono_literals;
namespace mb = chain::morpho_blue;

// More than the page's 50, so the cap is seen end to end.
constexpr std::size_t kBorrowers = 60;

U256 dec(std::string_view text) { return U256::from_dec(text).value(); }

// The body of a 200 answer, or nullopt.
std::optional<std::string> ok_body(std::uint16_t port, const std::string& path) {
    auto got = keeper::testing::http_get(port, path);
    if (got.status != 200) return std::nullopt;
    return std::move(got.body);
}

// Headless Chromium loads `url`, runs its scripts for up to 5 s of virtual
// time (the page's fetch of /status.json included) and prints the DOM.
testing::ChromiumRun dump_dom(const std::filesystem::path& chromium, const std::string& url,
                              const std::filesystem::path& dir) {
    return testing::run_headless_chromium(chromium, {"--virtual-time-budget=5000", "--dump-dom", url}, dir);
}

// One rendered row of the accounts table: its cells by class.
struct RenderedAccount {
    std::string account, health, distance, liquidatable;
};

std::string cell(const std::string& row, const std::string& cls) {
    const std::regex pattern("<td class=\"" + cls + "\"[^>]*>([^<]*)</td>");
    std::smatch m;
    return std::regex_search(row, m, pattern) ? m[1].str() : "<no td." + cls + ">";
}

std::vector<RenderedAccount> rendered_accounts(const std::string& dom) {
    std::vector<RenderedAccount> out;
    const std::regex row_pattern("<tr class=\"account-row[^\"]*\">(.*?)</tr>");
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row_pattern); it != std::sregex_iterator(); ++it) {
        const std::string row = (*it)[1].str();
        out.push_back({cell(row, "account"), cell(row, "health"), cell(row, "distance"), cell(row, "liquidatable")});
    }
    return out;
}

std::vector<std::string> rendered_tx_hashes(const std::string& dom, const std::string& row_class) {
    std::vector<std::string> out;
    const std::regex row_pattern("<tr class=\"" + row_class + "\">(.*?)</tr>");
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row_pattern); it != std::sregex_iterator(); ++it)
        out.push_back(cell((*it)[1].str(), "tx"));
    return out;
}

std::string element_text(const std::string& dom, const std::string& id) {
    const std::regex pattern("id=\"" + id + "\"[^>]*>([^<]*)<");
    std::smatch m;
    return std::regex_search(dom, m, pattern) ? m[1].str() : "<no #" + id + ">";
}

// scan's health text ("1.0523", exact) back to wad.
U256 health_wad(const std::string& text) {
    const auto dot = text.find('.');
    std::string frac = text.substr(dot + 1);
    frac.resize(18, '0');
    return dec(text.substr(0, dot) + frac);
}

// The page's "to liquidation" for a health, computed here on its own: the
// fall of collateral value that brings health to 1.0, (h - 1) / h, in
// hundredths of a percent rounded down ("4.76%").
std::string expected_distance(const U256& h_wad) {
    const U256 wad = U256::pow10(18);
    const U256 basis_points = h_wad <= wad ? U256() : (h_wad - wad) * U256(10'000) / h_wad;
    const std::string digits = basis_points.to_dec();
    const std::string padded = std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
    return padded.substr(0, padded.size() - 2) + "." + padded.substr(padded.size() - 2) + "%";
}

class StatusPageTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        // First, before any chain work: without Chromium the test fails at once, saying why.
        chromium_ = testing::find_chromium();
        ASSERT_TRUE(chromium_.has_value())
            << "chromium is not installed (not on PATH): this end-to-end test needs headless Chromium. "
               "Install it with `sudo bash scripts/setup` (or `apt-get install -y chromium`).";
        // Loan-to-value 40% .. 85% of 1,000 collateral at price 1.00, LLTV 86%.
        ASSERT_NO_FATAL_FAILURE(start_chain(testing::ltv_spread_40_to_85(kBorrowers), 60, large_blocks()));
        make_dir("status");
        write_keeper_toml({.rpc = anvil_->url(), .tables = "[metrics]\nlisten = \"127.0.0.1:0\"\n"});
    }

    // Transaction hashes of the Liquidate events on chain.
    std::set<std::string> liquidation_tx_hashes() {
        auto& client = client_.value();
        const auto head = client.block_number().value();
        chain::LogFilter filter{{devnet_.contracts.morpho}, mb::followed_topics()};
        auto logs = chain::get_logs(client, filter, chain::BlockRange{devnet_.deploy_block, head});
        EXPECT_TRUE(logs) << (logs ? "" : logs.error().message);
        std::set<std::string> out;
        for (const auto& log : logs ? *logs : std::vector<chain::Log>{}) {
            auto event = mb::decode_event(log);
            if (event && event->has_value() && std::holds_alternative<morpho::LiquidateEvent>(event->value()))
                out.insert(log.transaction_hash.value().hex());
        }
        return out;
    }

    std::optional<std::filesystem::path> chromium_;
};

TEST_F(StatusPageTest, ChromiumRendersTheRiskiestFiftyAccountsAndTheLiquidationsAsScanAndTheChainHaveThem) {
    // The price falls to 0.92: loan-to-value above 0.86 x 0.92 = 79.1% is liquidatable.
    ASSERT_TRUE(devnet::set_oracle_price(client_.value(), owner_.value(), devnet_, dec("92") * U256::pow10(34)));

    testing::KeeperProcess daemon({"run", "--config", config_path()}, env(), dir_, "daemon");
    ASSERT_TRUE(daemon.wait_for_log("status page on http://127.0.0.1:", 60s)) << daemon.err();
    const std::string log = daemon.err();
    const auto at = log.find("status page on http://127.0.0.1:") +
                    std::string("status page on http://127.0.0.1:").size();
    const auto port = static_cast<std::uint16_t>(std::stoi(log.substr(at, log.find('/', at) - at)));

    // Settled: every liquidation mined and nothing in flight, as of the chain's head.
    nlohmann::json status;
    const auto settled = [&] {
        const auto body = ok_body(port, "/status.json");
        if (!body) return false;
        status = nlohmann::json::parse(*body);
        std::size_t mined = 0;
        for (const auto& a : status["recent_actions"]) mined += a["status"] == "mined" ? 1 : 0;
        return mined > 0 && status["in_flight"].empty() &&
               status["head"]["block"].get<std::uint64_t>() == client_->block_number().value_or(0);
    };
    const auto until = std::chrono::steady_clock::now() + 120s;
    while (!settled() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(250ms);
    ASSERT_TRUE(settled()) << status.dump() << "\n" << daemon.err();

    auto scan = testing::run_keeper({"scan", "--config", config_path(), "--json"}, env(), dir_, "scan");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    std::vector<nlohmann::json> rows;
    std::istringstream lines(scan.out);
    for (std::string line; std::getline(lines, line);) rows.push_back(nlohmann::json::parse(line));
    ASSERT_GT(rows.size(), 50u) << "the test needs more positions than the page shows";

    const testing::ChromiumRun page = dump_dom(chromium_.value_or(std::filesystem::path()),
                                               "http://127.0.0.1:" + std::to_string(port) + "/status", dir_);
    ASSERT_EQ(page.exit_code, 0) << page.err;
    ASSERT_NE(page.out.find("<body data-state=\"loaded\">"), std::string::npos)
        << "the page's script did not render /status.json:\n"
        << page.out;

    EXPECT_EQ(element_text(page.out, "head-block"), std::to_string(rows.front()["block"].get<std::uint64_t>()));
    EXPECT_EQ(element_text(page.out, "accounts-total"), std::to_string(rows.size()));
    EXPECT_EQ(element_text(page.out, "mode"), "live");
    EXPECT_EQ(element_text(page.out, "chain-id"), "31337");

    const auto accounts = rendered_accounts(page.out);
    ASSERT_EQ(accounts.size(), 50u) << page.out;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const auto& row = rows[i];
        EXPECT_EQ(accounts[i].account, row["account"].get<std::string>()) << "rank " << i + 1;
        EXPECT_EQ(accounts[i].health, row["health"].get<std::string>()) << "rank " << i + 1;
        EXPECT_EQ(accounts[i].distance, expected_distance(health_wad(row["health"].get<std::string>())))
            << "rank " << i + 1 << ", health " << row["health"];
        EXPECT_EQ(accounts[i].liquidatable, row["liquidatable"].get<bool>() ? "yes" : "no") << "rank " << i + 1;
    }
    // The keeper liquidated what paid; what it did shows with the chain's transaction hashes.
    const std::set<std::string> on_chain = liquidation_tx_hashes();
    ASSERT_FALSE(on_chain.empty()) << daemon.err();
    std::set<std::string> shown;
    for (const auto& hash : rendered_tx_hashes(page.out, "action-row"))
        if (on_chain.contains(hash)) shown.insert(hash);
    EXPECT_EQ(shown, on_chain) << page.out;
    EXPECT_EQ(rendered_tx_hashes(page.out, "in-flight-row").size(), 0u);

    daemon.signal(SIGTERM);
    const auto code = daemon.wait(10s);
    ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM";
    EXPECT_EQ(code.value(), 0) << daemon.err();
}

}  // namespace status_page_test
}  // namespace keeper
