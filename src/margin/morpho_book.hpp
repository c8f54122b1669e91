#pragma once
// Every market and position of one Morpho Blue deployment, kept from its
// events. Each change is recorded with its block so a reorg can be undone
// exactly (rollback_after), until the block is final (forget_undo_through).
//
// What the book knows is what positions hold: supply shares, borrow shares
// and collateral. Market totals, the oracle price and the borrow rate are
// re-read from chain each block (chain/morpho/morpho_reader.hpp), since
// interest accrual changes totals without naming every position.
//
// Apply one event at a time in chain order. An event that does not fit what
// the book holds (shares or collateral below zero, a market never created, a
// second CreateMarket) is an Error and leaves the book unchanged: the stream
// was lost or doubled somewhere and the caller must resync, not carry on.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.hpp"
#include "margin/morpho_blue.hpp"
#include "margin/morpho_events.hpp"

namespace keeper::morpho {

struct PositionKey {
    MarketId market;
    Address account;
    friend bool operator==(const PositionKey&, const PositionKey&) = default;
    friend auto operator<=>(const PositionKey&, const PositionKey&) = default;
};

struct PositionKeyHash {
    std::size_t operator()(const PositionKey& key) const noexcept;
};

class MorphoBook {
public:
    using Markets = std::unordered_map<MarketId, MarketParams>;
    using PositionKey = morpho::PositionKey;

    // Follows only these markets (their events; the rest are ignored), or
    // every market when empty.
    explicit MorphoBook(std::vector<MarketId> only_markets = {});

    // Applies one event of block `block`. Blocks must not go backwards
    // (several events of one block are fine); after rollback_after(b) the
    // next block may be anything above b.
    Result<void> apply(std::uint64_t block, const Event& event);

    // Undoes every change made by blocks > block, newest first.
    void rollback_after(std::uint64_t block);
    // Drops the undo records of blocks <= block: they are final and can no
    // longer be rolled back.
    void forget_undo_through(std::uint64_t block);

    // Loading saved state: neither undo nor a change is recorded. Markets
    // outside `only_markets` are ignored; an all-zero position is not kept.
    void restore_market(const MarketId& id, const MarketParams& params);
    void restore_position(const MarketId& id, const Address& account, const Position& position);

    bool follows(const MarketId& id) const;
    const Markets& markets() const { return markets_; }
    const MarketParams* market(const MarketId& id) const;
    // nullptr when the account holds nothing in the market.
    const Position* position(const MarketId& id, const Address& account) const;
    void for_each_position(const std::function<void(const MarketId&, const Address&, const Position&)>& visit) const;
    std::size_t position_count() const { return positions_.size(); }
    // How many undo records are held (for metrics and tests).
    std::size_t undo_size() const { return undo_.size(); }

    // The keys changed (by apply or rollback) since the last call, sorted:
    // what a store must rewrite. A key that market() or position() no longer
    // finds was rolled back or emptied and is to be deleted.
    struct Changes {
        std::vector<MarketId> markets;
        std::vector<PositionKey> positions;
    };
    Changes take_changes();

private:
    struct MarketUndo {
        MarketId id;  // created in this block: erase on rollback
    };
    struct PositionUndo {
        PositionKey key;
        std::optional<Position> before;  // nullopt: the position did not exist
    };
    struct Undo {
        std::uint64_t block = 0;
        std::variant<MarketUndo, PositionUndo> change;
    };

    Result<void> apply_event(std::uint64_t block, const Event& event);
    Result<void> create_market(std::uint64_t block, const CreateMarketEvent& event);
    // Writes a position computed by the caller (erasing it when all zero),
    // recording the previous value for undo.
    void set_position(std::uint64_t block, const PositionKey& key, const Position& after);
    Position current(const PositionKey& key) const;

    std::unordered_set<MarketId> only_markets_;
    Markets markets_;
    std::unordered_map<PositionKey, Position, PositionKeyHash> positions_;
    std::deque<Undo> undo_;  // in block order, oldest first
    std::optional<std::uint64_t> last_block_;
    std::unordered_set<MarketId> changed_markets_;
    std::unordered_set<PositionKey, PositionKeyHash> changed_positions_;
};

}  // namespace keeper::morpho
