#pragma once
// One Morpho Blue deployment on the seam. Events (CreateMarket, Supply,
// Withdraw, Borrow, Repay, SupplyCollateral, WithdrawCollateral, Liquidate,
// AccrueInterest, SetFee) keep a book of markets and positions, committed
// with the cursor in one transaction per block or sync range, so a kill -9
// resumes from the last committed block. Each head every market is re-read
// (market(id), the oracle's price(), the IRM's rate) and accrued to the
// head's timestamp as _accrueInterest does. `scan` then judges every
// position with _isHealthy's arithmetic; `run` judges only what its float
// screen flags, what events named, and everything on audit rounds
// (morpho_screen_engine.hpp).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "margin/morpho_book.hpp"
#include "protocols/morpho_blue/morpho_blue_config.hpp"
#include "protocols/morpho_blue/morpho_blue_decide.hpp"
#include "protocols/morpho_blue/morpho_screen_engine.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols::morpho_blue {

class MorphoBlueAdapter final : public ProtocolAdapter {
public:
    MorphoBlueAdapter(const MorphoBlueConfig& config, AdapterServices services, std::size_t reorg_window = 256);

    std::string_view kind() const override { return "morpho-blue"; }
    const std::string& key() const override { return key_; }

    Result<std::optional<chain::BlockRef>> open(const chain::BlockHeader& head) override;
    std::uint64_t first_block() const override { return config_.first_block; }
    chain::LogFilter log_filter() const override;
    Result<void> apply(std::span<const chain::Log> logs, const chain::BlockRef& through) override;
    Result<void> rollback(const chain::BlockRef& tip) override;
    std::uint64_t synced_through() const override { return synced_through_; }
    Result<void> refresh(const chain::BlockHeader& head) override;
    Result<std::shared_ptr<const Snapshot>> pending_snapshot(const chain::BlockHeader& head) override;

    std::shared_ptr<const Snapshot> snapshot() const override { return snapshot_; }

    std::vector<FundingToken> funding_tokens(const Snapshot& snapshot, const DecisionInput& input) const override;
    Decisions decide(const Snapshot& snapshot, const DecisionInput& input) const override;

    bool owns(std::string_view work_key, const Address& to) const override;
    Settlement settle(const Prediction& predicted, const chain::Receipt& receipt) const override;

    const morpho::MorphoBook& book() const { return book_; }
    // The incremental engine (`run` only; nullptr in scan).
    const MorphoScreenEngine* engine() const { return engine_ ? &*engine_ : nullptr; }

private:
    // Commits `changes` (the book's, taken by the caller) with the cursor.
    Result<void> persist(const chain::BlockRef& through, const morpho::MorphoBook::Changes& changes);
    // Markets read at `at` and accrued to `head`'s time (no position judged yet).
    Result<std::shared_ptr<MorphoSnapshot>> read_markets(const chain::BlockHeader& head, const chain::BlockId& at);
    // read_markets, then every known position judged.
    Result<std::shared_ptr<MorphoSnapshot>> read_snapshot(const chain::BlockHeader& head, const chain::BlockId& at);

    MorphoBlueConfig config_;
    AdapterServices services_;
    std::string key_;
    std::size_t reorg_window_;
    DecideSettings decide_settings_;
    morpho::MorphoBook book_;
    std::uint64_t synced_through_ = 0;
    std::shared_ptr<const MorphoSnapshot> snapshot_ = std::make_shared<MorphoSnapshot>();
    std::optional<MorphoScreenEngine> engine_;  // run only
};

}  // namespace keeper::protocols::morpho_blue
