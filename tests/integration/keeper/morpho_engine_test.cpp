// The Morpho Blue adapter as `run` drives it (the incremental engine, issue
// #18) beside the same adapter as `scan` drives it (every position judged
// exactly), on a real Morpho Blue on anvil with two markets on two oracles:
//   market A: 12 borrowers of 1,000 collateral at loan-to-values 40% .. 85%
//             (LLTV 86%: healths 2.15 .. 1.012 at price 1.00)
//   market B: 6 borrowers at 40% .. 65% (healths 2.15 .. 1.32), its own oracle at 1.00
// A's oracle falls in steps. `run` with an audit every head, `run` with the
// default audit every 100 blocks, and `scan` must agree on every
// liquidatable position and on every health below warning_health (1.05), to
// the wei; the default one judges exactly only A's positions below the
// watch line (1.050105), plus what events name.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "chain/morpho/morpho_log_decoder.hpp"
#include "keeper/daemon/followed_adapter.hpp"
#include "engine_test_services.hpp"
#include "keeper_process.hpp"
#include "morpho_e2e_fixture.hpp"
#include "protocols/morpho_blue/morpho_blue_adapter.hpp"

namespace keeper {
namespace morpho_engine_test {

using protocols::morpho_blue::MorphoBlueAdapter;
using protocols::morpho_blue::MorphoSnapshot;

const U256 kWarning = U256(1'050'000'000'000'000'000ULL);
const U256 kWatch = U256(1'050'105'000'000'000'000ULL);  // 1.05 x 1.0001

U256 percent(unsigned p) { return U256(p) * U256::pow10(34); }  // a price of p% (1e36 = 100%)

std::vector<devnet::BorrowerSpec> ltv_from_40(std::size_t n, unsigned to_percent) {
    const U256 collateral = U256::pow10(21);
    std::vector<devnet::BorrowerSpec> specs;
    for (std::size_t i = 0; i < n; ++i)
        specs.push_back({collateral, collateral * U256(4000 + (to_percent * 100 - 4000) * i / (n - 1)) / U256(10000)});
    return specs;
}

// One adapter on its own log follower, as the daemon's round drives it.
class Followed {
public:
    Followed(chain::JsonRpcClient& client, const devnet::MorphoDevnet& devnet, bool acts,
             std::uint64_t audit_every_blocks)
        : adapter_(config_of(devnet), testing::engine_test_services(client, acts, audit_every_blocks, kWarning)),
          followed_(client, adapter_, [](const std::string&) {}) {}

    void round(const chain::BlockHeader& head) {
        if (!opened_) {
            ASSERT_TRUE(followed_.catch_up(head));
            opened_ = true;
        }
        auto followed = followed_.follow(head);
        ASSERT_TRUE(followed) << followed.error().message;
        auto refreshed = followed_.refresh(head);
        ASSERT_TRUE(refreshed) << refreshed.error().message;
    }
    const MorphoSnapshot& snapshot() const { return static_cast<const MorphoSnapshot&>(*adapter_.snapshot()); }

private:
    static protocols::morpho_blue::MorphoBlueConfig config_of(const devnet::MorphoDevnet& devnet) {
        protocols::morpho_blue::MorphoBlueConfig config;
        config.address = devnet.contracts.morpho;
        config.first_block = devnet.deploy_block;
        return config;
    }

    MorphoBlueAdapter adapter_;
    app::FollowedAdapter<MorphoBlueAdapter> followed_;
    bool opened_ = false;
};

using Key = std::tuple<std::string, Address>;  // market, account

std::set<Key> liquidatable(const MorphoSnapshot& s) {
    std::set<Key> out;
    for (const auto& p : s.positions)
        if (p.liquidatable) out.emplace(p.market.hex(), p.account);
    return out;
}

// Every position below `line`, with its exact health.
std::map<Key, U256> below(const MorphoSnapshot& s, const U256& line) {
    std::map<Key, U256> out;
    for (const auto& p : s.positions)
        if (p.health_wad < line) out.emplace(Key{p.market.hex(), p.account}, p.health_wad);
    return out;
}

class MorphoEngineTest : public testing::MorphoE2eTest {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(start_chain(ltv_from_40(12, 85), 60));
        market_a_ = devnet_;
        // Market B: same Morpho, tokens, IRM and LLTV, but a second OracleMock
        // (taken from a second devnet's deployment), so A's price moves alone.
        auto other = devnet::deploy_morpho_devnet(rpc(), owner());
        ASSERT_TRUE(other) << other.error().message;
        devnet::MorphoDevnet b_base = devnet_;
        b_base.contracts.oracle = other->contracts.oracle;
        b_base.params.oracle = other->contracts.oracle;
        ASSERT_TRUE(devnet::set_oracle_price(rpc(), owner(), b_base, U256::pow10(36)));
        auto b = devnet::add_morpho_market(rpc(), owner(), b_base, devnet_.contracts.loan_token);
        ASSERT_TRUE(b) << b.error().message;
        market_b_ = *b;
        auto opened = devnet::open_borrowers(rpc(), owner(), market_b_, ltv_from_40(6, 65), 60);
        ASSERT_TRUE(opened) << opened.error().message;
    }
    // The fixture's chain, checked once here (start_chain made them).
    chain::JsonRpcClient& rpc() {
        if (!client_) throw std::logic_error("no chain: start_chain first");
        return *client_;
    }
    const chain::PrivateKey& owner() {
        if (!owner_) throw std::logic_error("no chain: start_chain first");
        return *owner_;
    }
    std::string url() {
        if (!anvil_) throw std::logic_error("no chain: start_chain first");
        return anvil_->url();
    }
    chain::BlockHeader head() {
        auto read = rpc().get_block_header(chain::BlockId::latest());
        if (!read) throw std::runtime_error(read.error().message);
        const std::optional<chain::BlockHeader>& header = *read;
        if (!header) throw std::runtime_error("no latest block");
        return *header;
    }

    devnet::MorphoDevnet market_a_, market_b_;
};

TEST_F(MorphoEngineTest, RunJudgesOnlyTheMovedMarketsFlaggedBorrowersAndAgreesWithScanAndWithAnAuditEveryHead) {
    Followed scan(rpc(), devnet_, false, 100);
    Followed audit_every_head(rpc(), devnet_, true, 1);
    Followed run(rpc(), devnet_, true, 100);
    auto all_round = [&] {
        const auto h = head();
        ASSERT_NO_FATAL_FAILURE(scan.round(h));
        ASSERT_NO_FATAL_FAILURE(audit_every_head.round(h));
        ASSERT_NO_FATAL_FAILURE(run.round(h));
    };
    ASSERT_NO_FATAL_FAILURE(all_round());
    ASSERT_EQ(scan.snapshot().positions.size(), 18u);
    EXPECT_EQ(run.snapshot().work.exact_evaluations, 18u);  // the first round is an audit
    EXPECT_TRUE(run.snapshot().work.audit);

    std::size_t liquidatable_seen = 0;
    for (unsigned p : {100u, 98u, 96u, 94u, 92u, 90u, 88u}) {
        ASSERT_TRUE(devnet::set_oracle_price(rpc(), owner(), market_a_, percent(p)));  // mines one block
        ASSERT_NO_FATAL_FAILURE(all_round());
        const auto& exact = scan.snapshot();
        const auto& every = audit_every_head.snapshot();
        const auto& screened = run.snapshot();
        SCOPED_TRACE("price " + std::to_string(p) + "%, block " + std::to_string(exact.block));
        ASSERT_EQ(screened.block, exact.block);
        EXPECT_EQ(liquidatable(screened), liquidatable(exact));
        EXPECT_EQ(liquidatable(every), liquidatable(exact));
        EXPECT_EQ(below(screened, kWarning), below(exact, kWarning));
        EXPECT_EQ(below(every, kWarning), below(exact, kWarning));
        EXPECT_EQ(screened.position_count(), 18u);  // healthy carried rows counted, not listed
        EXPECT_EQ(screened.work.missed_by_screen, 0u);
        EXPECT_EQ(every.work.missed_by_screen, 0u);
        EXPECT_EQ(every.work.exact_evaluations, 18u);  // audit_every_blocks = 1: all of them, every head

        // The default engine: exactly A's positions below the watch line (B's
        // healths stay at 1.32 and above), none carried from above it that
        // the scan puts below it.
        const auto flagged_exactly = below(exact, kWatch);
        for (const auto& [key, health] : flagged_exactly) EXPECT_EQ(std::get<0>(key), market_a_.market_id.hex());
        EXPECT_FALSE(screened.work.audit);
        EXPECT_EQ(screened.work.flagged, flagged_exactly.size());
        EXPECT_EQ(screened.work.named, 0u);
        // Flagged now, plus those that were flagged last round and rose back
        // above the line (none: the price only falls).
        EXPECT_EQ(screened.work.exact_evaluations, flagged_exactly.size());
        liquidatable_seen += liquidatable(exact).size();
    }
    // At 88%: A's borrowers at 76.4% LTV and above are liquidatable (health 0.86 x 0.88 / ltv < 1).
    EXPECT_EQ(liquidatable(scan.snapshot()).size(), 3u);
    EXPECT_GT(liquidatable_seen, 3u);
    EXPECT_EQ(below(scan.snapshot(), kWatch).size(), 4u);

    // An event on one borrower: a new healthy borrower in B (50% LTV) is
    // judged, and nothing else besides the flagged ones.
    auto opened = devnet::open_borrowers(rpc(), owner(), market_b_, ltv_from_40(2, 50), 60);
    ASSERT_TRUE(opened) << opened.error().message;
    ASSERT_NO_FATAL_FAILURE(all_round());
    const auto& screened = run.snapshot();
    EXPECT_EQ(screened.position_count(), 20u);
    EXPECT_EQ(screened.work.named, 2u);  // the two borrowers the batch opened (40% and 50%)
    EXPECT_EQ(screened.work.exact_evaluations, screened.work.flagged + 2u);
    EXPECT_EQ(liquidatable(screened), liquidatable(scan.snapshot()));
    EXPECT_EQ(below(screened, kWarning), below(scan.snapshot(), kWarning));
}

// The binary, live: `run --once` with [engine] audit_every_blocks = 1 and
// with the default (100) liquidate the same positions on the same chain,
// exactly those `scan --json` calls liquidatable; the debug line says which
// kind of round each was.
TEST_F(MorphoEngineTest, RunWithAnAuditEveryHeadAndWithTheDefaultLiquidatesTheSamePositions) {
    ASSERT_TRUE(devnet::set_oracle_price(rpc(), owner(), market_a_, percent(88)));
    make_dir("engine-scan");
    write_keeper_toml({.rpc = url()});
    auto scan = testing::run_keeper({"scan", "--config", config_path(), "--json"}, env(), dir_, "scan");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    std::set<Key> expected;
    std::istringstream lines(scan.out);
    for (std::string line; std::getline(lines, line);) {
        const auto row = nlohmann::json::parse(line);
        if (row["liquidatable"].get<bool>())
            expected.emplace(row["market"].get<std::string>(),
                             Address::parse(row["account"].get<std::string>()).value());
    }
    ASSERT_EQ(expected.size(), 3u);  // A's borrowers at 76.8%, 80.9% and 85% LTV

    auto liquidated_by = [&](const std::string& name, const std::string& engine, std::string& log) {
        std::filesystem::remove_all(dir_);
        make_dir(name);
        write_keeper_toml({.rpc = url(), .tables = engine + "[log]\nlevel = \"debug\"\n"});
        auto run = testing::run_keeper({"run", "--config", config_path(), "--once"}, env(), dir_, name);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        log = run.err;
        std::set<Key> out;
        for (const auto& e : liquidations(rpc())) out.emplace(e.id.hex(), e.borrower);
        return out;
    };
    const auto before = rpc().call("evm_snapshot").value();
    std::string audit_log, default_log;
    EXPECT_EQ(liquidated_by("engine-audit", "[engine]\naudit_every_blocks = 1\n", audit_log), expected);
    ASSERT_TRUE(rpc().call("evm_revert", nlohmann::json::array({before})));
    ASSERT_TRUE(liquidations(rpc()).empty());
    EXPECT_EQ(liquidated_by("engine-default", "", default_log), expected);

    // The first round audits in both; after it only the audit-every-head run audits again.
    EXPECT_NE(audit_log.find("positions judged exactly (audit;"), std::string::npos) << audit_log;
    EXPECT_EQ(audit_log.find("positions judged exactly (screened;"), std::string::npos) << audit_log;
    EXPECT_NE(default_log.find("positions judged exactly (screened;"), std::string::npos) << default_log;
}

}  // namespace morpho_engine_test
}  // namespace keeper
