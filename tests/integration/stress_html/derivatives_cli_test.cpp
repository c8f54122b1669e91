// `margin-keeper stress --derivatives FILE` as operators run it: no chain,
// no --config; the worked book of tests/unit/margin/derivatives_book_test.cpp
// from a file (options expiring one day after as_of, no vol: intrinsic values,
// hand-calculated requirements), through --json, the table and --html; and a
// bad file exits 2 naming file, line and key, with nothing on stdout.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../keeper/keeper_process.hpp"

namespace keeper {
namespace derivatives_cli_test {

// X at 100, Y at 10, a 70 % offset. "all three": long 1 X perp at 100, short
// 1 X call at 105, short 10 Y perps at 10, cash 25:
//   isolated 15 + 10 + 15 = 40, cross 15 + 15 = 30, portfolio 30 - 0.7 x 15 = 19.5
//   equity 25 (perps at entry, the call worth 0): excess -15 / -5 / 5.5
constexpr const char* kBook = R"(as_of = 2026-12-07
[[offset]]
underlyings = ["X", "Y"]
credit_percent = 70
[underlyings.X]
spot = 100
vol_percent = 0
[underlyings.Y]
spot = 10
vol_percent = 0
[[account]]
name = "all three"
cash = 25
[[account.perp]]
underlying = "X"
size = 1
entry_price = 100
[[account.option]]
underlying = "X"
type = "call"
strike = 105
expiry = 2026-12-08
quantity = -1
[[account.perp]]
underlying = "Y"
size = -10
entry_price = 10
)";

class DerivativesCliTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("keeper-derivatives-cli-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        if (!HasFailure()) std::filesystem::remove_all(dir_);
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    std::filesystem::path dir_;
};

TEST_F(DerivativesCliTest, JsonLinesTableAndHtmlWithoutAnyChain) {
    const std::string book = write("book.toml", kBook);
    const std::string html = (dir_ / "report.html").string();
    const auto run = testing::run_keeper({"stress", "--derivatives", book, "--json", "--html", html}, {}, dir_, "json");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::vector<nlohmann::json> lines;
    std::istringstream out(run.out);
    for (std::string line; std::getline(out, line);) lines.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(lines.size(), 2u) << run.out;
    const auto& account = lines[0];
    EXPECT_EQ(account["kind"], "derivatives");
    EXPECT_EQ(account["account"], "all three");
    EXPECT_NEAR(account["requirement_usd"]["isolated"].get<double>(), 40.0, 1e-9);
    EXPECT_NEAR(account["requirement_usd"]["cross"].get<double>(), 30.0, 1e-9);
    EXPECT_NEAR(account["requirement_usd"]["portfolio"].get<double>(), 19.5, 1e-9);
    EXPECT_NEAR(account["excess_usd"]["isolated"].get<double>(), -15.0, 1e-9);
    EXPECT_NEAR(account["excess_usd"]["portfolio"].get<double>(), 5.5, 1e-9);
    EXPECT_EQ(lines[1]["kind"], "derivatives_book");
    EXPECT_EQ(lines[1]["accounts_in_deficit"]["cross"], 1);
    EXPECT_EQ(lines[1]["accounts_in_deficit"]["portfolio"], 0);
    // The page: written, self-contained, with the derivatives sections.
    std::ifstream page_file(html);
    std::stringstream page;
    page << page_file.rdbuf();
    EXPECT_EQ(page.str().rfind("<!DOCTYPE html>", 0), 0u);
    for (const char* id : {"derivatives-requirements", "derivatives-pnl", "derivatives-accounts"})
        EXPECT_NE(page.str().find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;

    const auto table = testing::run_keeper({"stress", "--derivatives", book}, {}, dir_, "table");
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("all three"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("X -15% vol -10; Y +15% vol -10"), std::string::npos) << table.out;
}

TEST_F(DerivativesCliTest, ABadFileExitsTwoNamingLineAndKeyBeforeAnyWork) {
    std::string text = kBook;
    text.replace(text.find("type = \"call\""), 13, "type = \"cal\"");
    const std::string book = write("bad.toml", text);
    // --config names a file that does not exist: the book is read first.
    const auto run = testing::run_keeper(
        {"stress", "--config", (dir_ / "absent.toml").string(), "--derivatives", book, "--json"}, {}, dir_, "bad");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err.find(book + ":20: account[0].option[0].type: expected \"call\" or \"put\""), std::string::npos)
        << run.err;
    EXPECT_EQ(run.err.find("absent.toml"), std::string::npos) << run.err;
}

}  // namespace derivatives_cli_test
}  // namespace keeper
