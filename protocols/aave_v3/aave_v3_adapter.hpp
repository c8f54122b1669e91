#pragma once
// One Aave V3 pool on the seam. Events (the Pool's Supply, Withdraw, Borrow,
// Repay, LiquidationCall, collateral and eMode switches, and every aToken's
// BalanceTransfer) name the accounts whose scaled balances, configuration or
// eMode changed; each head exactly those accounts are re-read in one block,
// while every other account's balances follow from its stored scaled
// balances and the reserves' indexes, re-read with the oracle prices each
// head and grown to the head's timestamp as ReserveLogic does. Accounts with
// stable debt are re-read every head. `scan` judges every account exactly;
// `run` only those its float screen or the events point at, and every
// account on audit rounds (aave_screen_engine.hpp). POOL_REVISION selects the arithmetic;
// a revision whose rules are not known is refused, never guessed.
//
// Only the account set and the cursor are saved: after a restart every known
// account is read afresh at the head, so nothing saved can go stale.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/aave/aave_reader.hpp"
#include "protocols/aave_v3/aave_screen_engine.hpp"
#include "protocols/aave_v3/aave_v3_config.hpp"
#include "protocols/aave_v3/aave_v3_decide.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols::aave_v3 {

class AaveV3Adapter final : public ProtocolAdapter {
public:
    AaveV3Adapter(const AaveV3Config& config, AdapterServices services);

    std::string_view kind() const override { return "aave-v3"; }
    const std::string& key() const override { return key_; }

    // Resolves the pool and oracle from the addresses provider, reads the
    // pool's revision (which selects the rules) and its reserves, restores.
    Result<std::optional<chain::BlockRef>> open(const chain::BlockHeader& head) override;
    std::uint64_t first_block() const override { return config_.first_block; }
    chain::LogFilter log_filter() const override;
    Result<void> apply(std::span<const chain::Log> logs, const chain::BlockRef& through) override;
    Result<void> rollback(const chain::BlockRef& tip) override;
    std::uint64_t synced_through() const override { return synced_through_; }
    // Reserves, prices, eMode categories and the accounts that changed, at the head.
    Result<void> refresh(const chain::BlockHeader& head) override;
    // Pending mode: every known account judged at the node's pending block's
    // reserves and prices (see the .cpp for the interest it leaves out).
    Result<std::shared_ptr<const Snapshot>> pending_snapshot(const chain::BlockHeader& head) override;

    std::shared_ptr<const Snapshot> snapshot() const override { return snapshot_; }

    std::vector<FundingToken> funding_tokens(const Snapshot& snapshot, const DecisionInput& input) const override;
    Decisions decide(const Snapshot& snapshot, const DecisionInput& input) const override;

    bool owns(std::string_view work_key, const Address& to) const override;
    Settlement settle(const Prediction& predicted, const chain::Receipt& receipt) const override;

    const Address& pool() const { return pool_; }
    std::size_t account_count() const { return accounts_.size(); }
    const AaveSnapshot& aave_snapshot() const { return *snapshot_; }
    // What the last refresh judged, for measuring the evaluation alone.
    aave::PoolRules rules() const { return rules_; }
    const std::map<Address, chain::aave_v3::UserReading>& readings() const { return readings_; }
    const std::map<std::uint8_t, aave::EModeCategory>& emodes() const { return emodes_; }
    // The incremental engine (`run` only; nullptr in scan).
    const AaveScreenEngine* engine() const { return engine_ ? &*engine_ : nullptr; }

private:
    Result<void> persist(const chain::BlockRef& through);
    Result<void> read_reserves(std::uint64_t block);
    // The categories the known accounts use, at `block` or the pending block.
    Result<std::map<std::uint8_t, aave::EModeCategory>> read_emodes(std::uint64_t block, bool pending) const;
    void note_account(const Address& account);

    AaveV3Config config_;
    AdapterServices services_;
    std::string key_;
    DecideSettings decide_settings_;
    Address pool_, oracle_;
    aave::PoolRules rules_ = aave::PoolRules::EarlyV3;
    std::vector<chain::aave_v3::ReserveReading> reserve_readings_;
    std::set<Address> a_tokens_;
    std::set<Address> accounts_;
    std::vector<Address> unsaved_accounts_;
    std::set<Address> dirty_;  // to re-read at the next refresh
    std::map<Address, chain::aave_v3::UserReading> readings_;
    std::map<std::uint8_t, aave::EModeCategory> emodes_;
    std::optional<std::uint16_t> flash_premium_bps_;
    std::uint64_t synced_through_ = 0;
    std::shared_ptr<const AaveSnapshot> snapshot_ = std::make_shared<AaveSnapshot>();
    std::optional<AaveScreenEngine> engine_;  // run only
};

}  // namespace keeper::protocols::aave_v3
