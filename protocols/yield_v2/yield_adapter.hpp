#pragma once
// Yield Protocol v2 behind the keeper's protocol seam (protocols/
// protocol_adapter.hpp):
//   collector  follows the Cauldron's vault events and the Witch's auction
//              events (one filter: both addresses, yield_events' topics), and
//              remembers every vault it saw with the block it first appeared
//   refresh    reads each vault at the round's head (yield_reader: balances,
//              series, debt limits, spot oracle, the Witch's line, limit and
//              auction) and the tokens and Joins to pay with
//   decide     decide_yield (pure): start auctions, bid at the planned block
//   settle     the Witch's Bought (or Auctioned) event of the vault in the receipt
// The followed vaults (id and first block) are committed with the cursor in
// one transaction per block or sync range, so a restart resumes from the
// saved cursor (protocols/saved_state) instead of re-syncing from
// start_block. Nothing else needs saving: balances, auctions and limits are
// read at every head.
#include <map>
#include <memory>
#include <set>
#include <string>

#include "protocols/protocol_adapter.hpp"
#include "protocols/registry.hpp"
#include "protocols/yield_v2/yield_config.hpp"
#include "protocols/yield_v2/yield_decide.hpp"
#include "protocols/yield_v2/yield_snapshot.hpp"

namespace keeper::yield_v2 {

class YieldAdapter : public protocols::ProtocolAdapter {
public:
    YieldAdapter(const YieldConfig& config, protocols::AdapterServices services);

    std::string_view kind() const override { return kKind; }
    const std::string& key() const override { return key_; }

    Result<std::optional<chain::BlockRef>> open(const chain::BlockHeader& head) override;
    std::uint64_t first_block() const override { return config_.start; }
    chain::LogFilter log_filter() const override;
    Result<void> apply(std::span<const chain::Log> logs, const chain::BlockRef& through) override;
    Result<void> rollback(const chain::BlockRef& tip) override;
    std::uint64_t synced_through() const override { return synced_; }
    Result<void> refresh(const chain::BlockHeader& head) override;

    std::shared_ptr<const protocols::Snapshot> snapshot() const override { return snapshot_; }

    std::vector<protocols::FundingToken> funding_tokens(const protocols::Snapshot& snapshot,
                                                        const protocols::DecisionInput& input) const override;
    protocols::Decisions decide(const protocols::Snapshot& snapshot,
                                const protocols::DecisionInput& input) const override;

    bool owns(std::string_view work_key, const Address& to) const override;
    protocols::Settlement settle(const protocols::Prediction& predicted, const chain::Receipt& receipt) const override;

    // The vaults the collector has seen, with the block each first appeared in.
    const std::map<VaultId, std::uint64_t>& tracked_vaults() const { return vaults_; }

private:
    Result<AssetContracts> asset(const AssetId& id, std::uint64_t block);
    // Commits the vaults changed since the last commit, with `through` as the cursor.
    Result<void> persist(const chain::BlockRef& through);

    YieldConfig config_;
    protocols::AdapterServices services_;
    std::string key_;
    Address ladle_;
    std::map<VaultId, std::uint64_t> vaults_;
    std::set<VaultId> unsaved_;                 // added, moved or removed since the last persist()
    std::map<AssetId, AssetContracts> assets_;  // immutable once set: cached across rounds
    std::uint64_t synced_ = 0;
    std::shared_ptr<const YieldSnapshot> snapshot_;
};

// The registry's entry (protocols/registered.def: KEEPER_PROTOCOL(yield_v2)).
}  // namespace keeper::yield_v2

namespace keeper::protocols {
ProtocolKind yield_v2_protocol();
}  // namespace keeper::protocols
