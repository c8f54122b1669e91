#include "aave_scan.hpp"

#include <algorithm>
#include <optional>

#include "chain/aave/aave_calls.hpp"
#include "chain/multicall.hpp"
#include "protocols/aave_v3/aave_evaluation.hpp"

namespace keeper::bench {
namespace {

namespace av = chain::aave_v3;

void sort_scan(AaveScan& scan) {
    std::sort(scan.liquidatable.begin(), scan.liquidatable.end());
    std::sort(scan.health.begin(), scan.health.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    scan.accounts = scan.health.size();
}

AaveScan scan_of(std::span<const protocols::aave_v3::AaveAccountHealth> rows) {
    AaveScan scan;
    scan.health.reserve(rows.size());
    for (const auto& row : rows) {
        scan.health.emplace_back(row.account, row.data.health_factor_wad);
        if (row.liquidatable) scan.liquidatable.push_back(row.account);
    }
    sort_scan(scan);
    return scan;
}

}  // namespace

AaveTracking::AaveTracking(chain::JsonRpcClient& client, const Address& addresses_provider, std::uint64_t start_block)
    : adapter_(
          [&] {
              protocols::aave_v3::AaveV3Config config;
              config.pool_addresses_provider = addresses_provider;
              config.first_block = start_block;
              return config;
          }(),
          protocols::AdapterServices{client, nullptr, [](const std::string&) {}, [](const std::string&) {}, {}, false, {}}),
      followed_(client, adapter_, [](const std::string&) {}) {}

Result<void> AaveTracking::follow(const chain::BlockHeader& head) {
    auto followed = followed_.follow(head);
    if (!followed) return std::unexpected(followed.error());
    return {};
}

Result<AaveScan> evaluate_tracked(const AaveTracking& tracking) {
    std::vector<std::string> errors;
    const auto& adapter = tracking.adapter();
    const auto rows = protocols::aave_v3::evaluate_aave_accounts(
        adapter.rules(), adapter.readings(), adapter.aave_snapshot().reserves, adapter.emodes(), &errors);
    if (!errors.empty()) return fail("evaluation: " + errors.front());
    return scan_of(rows);
}

// The refresh judged every account already, as the daemon's round uses it.
Result<AaveScan> scan_aave_engine(AaveTracking& tracker, const chain::BlockHeader& head) {
    if (auto followed = tracker.follow(head); !followed) return std::unexpected(followed.error());
    if (auto refreshed = tracker.refresh(head); !refreshed) return std::unexpected(refreshed.error());
    const auto& snapshot = tracker.adapter().aave_snapshot();
    if (!snapshot.position_errors.empty()) return fail("evaluation: " + snapshot.position_errors.front());
    return scan_of(snapshot.accounts);
}

Result<AaveScan> scan_aave_by_polling(chain::JsonRpcClient& client, const AavePollTarget& target,
                                      std::span<const Address> accounts, std::uint64_t block,
                                      std::size_t accounts_per_eth_call) {
    std::vector<chain::SubCall> calls;
    calls.reserve(accounts.size());
    for (const Address& account : accounts)
        calls.push_back({target.pool, av::encode_get_user_account_data(account), true});
    // One eth_call per request, in turn, as the Morpho poller (one JSON-RPC
    // batch of every chunk would outgrow what nodes accept in one HTTP body).
    chain::Multicall multicall(
        client, target.aggregator,
        chain::MulticallOptions{.max_calls_per_eth_call = accounts_per_eth_call, .gas = std::nullopt});
    const chain::BlockId at = chain::BlockId::number(block);
    AaveScan scan;
    scan.health.reserve(accounts.size());
    const U256 one = U256::pow10(18);
    for (std::size_t start = 0; start < calls.size(); start += accounts_per_eth_call) {
        const std::size_t n = std::min(accounts_per_eth_call, calls.size() - start);
        auto answered = multicall.aggregate3(std::span<const chain::SubCall>(calls).subspan(start, n), at);
        if (!answered) return fail("aggregate3: " + answered.error().message);
        for (std::size_t i = 0; i < n; ++i) {
            const Address& account = accounts[start + i];
            auto returned = (*answered)[i].value();
            if (!returned) return fail("account " + account.checksummed() + ": " + returned.error().message);
            auto data = av::decode_user_account_data(*returned);
            if (!data) return fail("account " + account.checksummed() + ": " + data.error().message);
            if (data->total_debt_base.is_zero()) {
                if (data->health_factor != U256::max())
                    return fail("account " + account.checksummed() + " has no debt but a health factor of " +
                                data->health_factor.to_dec());
                continue;
            }
            scan.health.emplace_back(account, data->health_factor);
            if (data->health_factor < one) scan.liquidatable.push_back(account);
        }
    }
    sort_scan(scan);
    return scan;
}

std::string compare_aave_scans(const AaveScan& engine, const AaveScan& polled) {
    if (engine.liquidatable.empty() || polled.liquidatable.empty()) return "no liquidatable account found";
    if (engine.liquidatable != polled.liquidatable)
        return "liquidatable sets differ: " + std::to_string(engine.liquidatable.size()) + " by the engine vs " +
               std::to_string(polled.liquidatable.size()) + " by getUserAccountData";
    if (engine.health.size() != polled.health.size())
        return "accounts with debt differ: " + std::to_string(engine.health.size()) + " by the engine vs " +
               std::to_string(polled.health.size()) + " by getUserAccountData";
    for (std::size_t i = 0; i < engine.health.size(); ++i) {
        const auto& [account, hf] = engine.health[i];
        const auto& [polled_account, polled_hf] = polled.health[i];
        if (account != polled_account)
            return "accounts with debt differ at " + account.checksummed() + " / " + polled_account.checksummed();
        if (hf != polled_hf)
            return "health factor of " + account.checksummed() + ": engine " + hf.to_dec() +
                   ", getUserAccountData " + polled_hf.to_dec();
    }
    return {};
}

}  // namespace keeper::bench
