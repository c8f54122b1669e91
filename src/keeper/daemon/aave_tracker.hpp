#pragma once
// Keeps one Aave V3 pool's accounts in step with the chain. Events (the
// Pool's Supply, Withdraw, Borrow, Repay, LiquidationCall, collateral and
// eMode switches, and every aToken's BalanceTransfer) name the accounts whose
// scaled balances, configuration or eMode changed; each head, exactly those
// accounts are re-read (getUserConfiguration, getUserEMode, scaledBalanceOf
// of every flagged reserve) in one block, while every other account's
// balances follow from its stored scaled balances and the reserves' indexes,
// which are re-read with the oracle prices each head and grown to the head's
// timestamp as ReserveLogic does. Accounts with stable debt are re-read every
// head (a stable balance compounds per account, not per reserve).
//
// Only the account set and the cursor are saved: after a restart every known
// account is read afresh at the head, so nothing saved can go stale.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/aave/aave_reader.hpp"
#include "chain/log_sync.hpp"
#include "chain/rpc_client.hpp"
#include "keeper/daemon/aave_evaluation.hpp"
#include "keeper/state/state_store.hpp"

namespace keeper::app {

class AaveTracker {
public:
    struct Options {
        std::string protocol_key;  // "aave-v3@0x<addresses provider>"
        Address addresses_provider;
        std::uint64_t start_block = 0;
        std::size_t reorg_window = 256;
        std::function<bool()> interrupted;
    };
    using Progress = std::function<void(const chain::SyncProgress&)>;
    using Notice = std::function<void(const std::string&)>;

    AaveTracker(chain::JsonRpcClient& client, Options options, state::StateStore* store, Notice notice);

    // Resolves the pool and oracle from the addresses provider, reads the
    // pool's revision (which selects the rules) and its reserves, then syncs.
    Result<void> catch_up(const chain::BlockHeader& head, const Progress& progress = {});
    // A head far past the last block (after an outage) is caught up by ranges
    // as catch_up() does, reporting to `progress`, then followed block by block.
    Result<chain::ChainUpdate> follow(const chain::BlockHeader& head, const Progress& progress = {});
    // Reserves, prices, eMode categories and the accounts that changed, at the head.
    Result<void> refresh(const chain::BlockHeader& head);

    const Options& options() const { return options_; }
    const Address& pool() const { return pool_; }
    const Address& oracle() const { return oracle_; }
    aave::PoolRules rules() const { return rules_; }
    std::span<const AaveReserveAtBlock> reserves() const { return reserves_; }
    const std::map<std::uint8_t, aave::EModeCategory>& emodes() const { return emodes_; }
    std::vector<chain::aave_v3::UserReading> users() const;
    std::size_t account_count() const { return accounts_.size(); }
    std::uint64_t synced_through() const { return synced_through_; }
    std::uint64_t refreshed_at() const { return refreshed_at_; }
    std::uint64_t refreshed_timestamp() const { return refreshed_timestamp_; }

private:
    Result<std::optional<state::BlockCursor>> restore(const chain::BlockHeader& head);
    Result<void> apply_logs(const std::vector<chain::Log>& logs);
    // One range of a sync (start-up or a head gap): applied and committed as "synced through `end`".
    Result<void> apply_range(const std::vector<chain::Log>& logs, const state::BlockCursor& end);
    Result<void> persist(const state::BlockCursor& cursor);
    Result<void> read_reserves(std::uint64_t block);
    chain::LogFilter filter() const;
    void note_account(const Address& account);

    chain::JsonRpcClient& client_;
    Options options_;
    state::StateStore* store_;
    Notice notice_;
    Address pool_, oracle_;
    aave::PoolRules rules_ = aave::PoolRules::EarlyV3;
    std::vector<chain::aave_v3::ReserveReading> reserve_readings_;
    std::set<Address> a_tokens_;
    std::vector<AaveReserveAtBlock> reserves_;
    std::map<std::uint8_t, aave::EModeCategory> emodes_;
    std::set<Address> accounts_;
    std::vector<Address> unsaved_accounts_;
    std::set<Address> dirty_;  // to re-read at the next refresh
    std::map<Address, chain::aave_v3::UserReading> readings_;
    std::optional<chain::LogFollower> follower_;
    std::uint64_t synced_through_ = 0;
    std::uint64_t refreshed_at_ = 0;
    std::uint64_t refreshed_timestamp_ = 0;
};

}  // namespace keeper::app
