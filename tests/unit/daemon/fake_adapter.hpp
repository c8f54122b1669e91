#pragma once
// A protocol adapter for daemon tests: it records what the keeper's follower
// hands it, answers decide() with what the test put in, and does no I/O.
#include <string>
#include <vector>

#include "protocols/protocol_adapter.hpp"

namespace keeper::testing {

class FakeAdapter final : public protocols::ProtocolAdapter {
public:
    FakeAdapter(std::string key, Address contract, Bytes32 topic) : key_(std::move(key)), contract_(contract), topic_(topic) {}

    std::string_view kind() const override { return "fake"; }
    const std::string& key() const override { return key_; }
    Result<std::optional<chain::BlockRef>> open(const chain::BlockHeader&) override {
        if (saved_) synced_through_ = saved_->number;
        return saved_;
    }
    std::uint64_t first_block() const override { return first_block_; }
    chain::LogFilter log_filter() const override { return {{contract_}, {topic_}}; }
    Result<void> apply(std::span<const chain::Log> logs, const chain::BlockRef& through) override {
        if (fail_at_ && through.number >= *fail_at_) return fail("block " + std::to_string(*fail_at_) + ": bad log");
        for (const auto& log : logs) applied_blocks.push_back(log.block_number.value_or(0));
        commits.push_back(through.number);
        synced_through_ = through.number;
        return {};
    }
    Result<void> rollback(const chain::BlockRef& tip) override {
        rollbacks.push_back(tip.number);
        synced_through_ = tip.number;
        return {};
    }
    std::uint64_t synced_through() const override { return synced_through_; }
    Result<void> refresh(const chain::BlockHeader& head) override {
        if (refresh_fails_) return fail("reading the pool: reverted");
        auto s = std::make_shared<protocols::Snapshot>();
        s->block = head.number;
        s->rows = rows;
        snapshot_ = s;
        ++refreshes;
        return {};
    }
    std::shared_ptr<const protocols::Snapshot> snapshot() const override { return snapshot_; }
    std::vector<protocols::FundingToken> funding_tokens(const protocols::Snapshot&,
                                                        const protocols::DecisionInput&) const override {
        return funding;
    }
    protocols::Decisions decide(const protocols::Snapshot&, const protocols::DecisionInput& input) const override {
        last_input = input;
        return decisions;
    }
    bool owns(std::string_view work_key, const Address&) const override { return work_key.starts_with(key_); }
    protocols::Settlement settle(const protocols::Prediction& p, const chain::Receipt&) const override {
        return {p.collateral_out, p.debt_in};
    }

    // What the test sets.
    std::optional<chain::BlockRef> saved_;  // the cursor open() restores
    std::uint64_t first_block_ = 0;
    std::optional<std::uint64_t> fail_at_;  // apply() fails from this block on
    bool refresh_fails_ = false;
    std::vector<protocols::PositionRow> rows;  // the snapshot's
    std::vector<protocols::FundingToken> funding;
    protocols::Decisions decisions;
    // What the keeper did with it.
    std::vector<std::uint64_t> applied_blocks;  // block of every log handed over
    std::vector<std::uint64_t> commits;         // `through` of every apply()
    std::vector<std::uint64_t> rollbacks;
    std::size_t refreshes = 0;
    mutable protocols::DecisionInput last_input;

private:
    std::string key_;
    Address contract_;
    Bytes32 topic_;
    std::uint64_t synced_through_ = 0;
    std::shared_ptr<const protocols::Snapshot> snapshot_ = std::make_shared<protocols::Snapshot>();
};

}  // namespace keeper::testing
