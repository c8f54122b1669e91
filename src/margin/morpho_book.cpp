#include "margin/morpho_book.hpp"

#include <algorithm>
#include <string>
#include <type_traits>

namespace keeper::morpho {
namespace {

bool is_empty(const Position& p) { return p.supply_shares.is_zero() && p.borrow_shares.is_zero() && p.collateral.is_zero(); }

// Shares and collateral never go below zero on chain (Solidity 0.8 checked
// arithmetic), nor above 2^256: an event that would make them do so did not
// come from the chain we think we follow.
Result<U256> add(const U256& held, const U256& delta, const char* what) {
    auto sum = checked_add(held, delta);
    if (!sum) return fail(std::string(what) + " overflows: " + held.to_dec() + " + " + delta.to_dec());
    return *sum;
}
Result<U256> sub(const U256& held, const U256& delta, const char* what) {
    auto diff = checked_sub(held, delta);
    if (!diff) return fail(std::string(what) + " below zero: " + held.to_dec() + " - " + delta.to_dec());
    return *diff;
}

}  // namespace

std::size_t PositionKeyHash::operator()(const PositionKey& key) const noexcept {
    // Both halves are hash outputs or addresses, already uniform: mix cheaply.
    const std::size_t a = std::hash<MarketId>{}(key.market);
    const std::size_t b = std::hash<Address>{}(key.account);
    return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

MorphoBook::MorphoBook(std::vector<MarketId> only_markets) : only_markets_(only_markets.begin(), only_markets.end()) {}

bool MorphoBook::follows(const MarketId& id) const { return only_markets_.empty() || only_markets_.contains(id); }

const MarketParams* MorphoBook::market(const MarketId& id) const {
    const auto it = markets_.find(id);
    return it == markets_.end() ? nullptr : &it->second;
}

const Position* MorphoBook::position(const MarketId& id, const Address& account) const {
    const auto it = positions_.find(PositionKey{id, account});
    return it == positions_.end() ? nullptr : &it->second;
}

void MorphoBook::for_each_position(
    const std::function<void(const MarketId&, const Address&, const Position&)>& visit) const {
    for (const auto& [key, position] : positions_) visit(key.market, key.account, position);
}

Position MorphoBook::current(const PositionKey& key) const {
    const auto it = positions_.find(key);
    return it == positions_.end() ? Position{} : it->second;
}

Result<void> MorphoBook::apply(std::uint64_t block, const Event& event) {
    if (last_block_ && block < *last_block_)
        return fail("morpho book: block " + std::to_string(block) + " after block " + std::to_string(*last_block_));
    auto applied = apply_event(block, event);
    if (!applied)
        return std::unexpected(context(std::string("morpho book: block ") + std::to_string(block) + ": " +
                                           event_name(event) + " in market " + event_market(event).hex(),
                                       applied.error()));
    last_block_ = block;
    return {};
}

Result<void> MorphoBook::create_market(std::uint64_t block, const CreateMarketEvent& event) {
    if (market_id(event.params) != event.id) return fail("id is not keccak256 of the market params");
    if (markets_.contains(event.id)) return fail("market already created");
    markets_.emplace(event.id, event.params);
    changed_markets_.insert(event.id);
    undo_.push_back(Undo{block, MarketUndo{event.id}});
    return {};
}

Result<void> MorphoBook::apply_event(std::uint64_t block, const Event& event) {
    const MarketId id = event_market(event);
    if (!follows(id)) return {};
    if (const auto* create = std::get_if<CreateMarketEvent>(&event)) return create_market(block, *create);
    if (!markets_.contains(id)) return fail("unknown market");

    return std::visit(
        [&](const auto& e) -> Result<void> {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, CreateMarketEvent>) {
                return {};  // handled above
            } else if constexpr (std::is_same_v<E, AccrueInterestEvent>) {
                // Interest changes market totals, re-read from chain each
                // block. Its fee shares go to the fee recipient, which no
                // event names (SetFeeRecipient is global and may change):
                // ignored, as supply shares never affect a position's health.
                return {};
            } else if constexpr (std::is_same_v<E, SetFeeEvent>) {
                return {};  // the fee is part of the market state read from chain
            } else {
                Address account;
                Position after;
                if constexpr (std::is_same_v<E, LiquidateEvent>) {
                    account = e.borrower;
                } else {
                    account = e.on_behalf;
                }
                const PositionKey key{id, account};
                after = current(key);
                Result<U256> value;
                if constexpr (std::is_same_v<E, SupplyEvent>) {
                    value = add(after.supply_shares, e.shares, "supply shares");
                    if (value) after.supply_shares = *value;
                } else if constexpr (std::is_same_v<E, WithdrawEvent>) {
                    value = sub(after.supply_shares, e.shares, "supply shares");
                    if (value) after.supply_shares = *value;
                } else if constexpr (std::is_same_v<E, BorrowEvent>) {
                    value = add(after.borrow_shares, e.shares, "borrow shares");
                    if (value) after.borrow_shares = *value;
                } else if constexpr (std::is_same_v<E, RepayEvent>) {
                    value = sub(after.borrow_shares, e.shares, "borrow shares");
                    if (value) after.borrow_shares = *value;
                } else if constexpr (std::is_same_v<E, SupplyCollateralEvent>) {
                    value = add(after.collateral, e.assets, "collateral");
                    if (value) after.collateral = *value;
                } else if constexpr (std::is_same_v<E, WithdrawCollateralEvent>) {
                    value = sub(after.collateral, e.assets, "collateral");
                    if (value) after.collateral = *value;
                } else if constexpr (std::is_same_v<E, LiquidateEvent>) {
                    // The repaid shares, then (when the collateral hit zero)
                    // the rest as bad debt: the position's borrow shares go
                    // down by both.
                    auto burned = add(e.repaid_shares, e.bad_debt_shares, "repaid + bad debt shares");
                    if (!burned) return std::unexpected(burned.error());
                    value = sub(after.borrow_shares, *burned, "borrow shares");
                    if (!value) return std::unexpected(value.error());
                    after.borrow_shares = *value;
                    value = sub(after.collateral, e.seized_assets, "collateral");
                    if (value) after.collateral = *value;
                }
                if (!value) return std::unexpected(value.error());
                set_position(block, key, after);
                return {};
            }
        },
        event);
}

void MorphoBook::set_position(std::uint64_t block, const PositionKey& key, const Position& after) {
    const auto it = positions_.find(key);
    std::optional<Position> before;
    if (it != positions_.end()) before = it->second;
    undo_.push_back(Undo{block, PositionUndo{key, before}});
    changed_positions_.insert(key);
    if (is_empty(after)) {
        if (it != positions_.end()) positions_.erase(it);
    } else if (it != positions_.end()) {
        it->second = after;
    } else {
        positions_.emplace(key, after);
    }
}

void MorphoBook::rollback_after(std::uint64_t block) {
    while (!undo_.empty() && undo_.back().block > block) {
        const Undo& undo = undo_.back();
        if (const auto* m = std::get_if<MarketUndo>(&undo.change)) {
            markets_.erase(m->id);
            changed_markets_.insert(m->id);
        } else {
            const auto& p = std::get<PositionUndo>(undo.change);
            if (p.before)
                positions_.insert_or_assign(p.key, *p.before);
            else
                positions_.erase(p.key);
            changed_positions_.insert(p.key);
        }
        undo_.pop_back();
    }
    if (last_block_ && *last_block_ > block) last_block_ = block;
}

void MorphoBook::forget_undo_through(std::uint64_t block) {
    while (!undo_.empty() && undo_.front().block <= block) undo_.pop_front();
}

void MorphoBook::restore_market(const MarketId& id, const MarketParams& params) {
    if (!follows(id)) return;
    markets_.insert_or_assign(id, params);
}

void MorphoBook::restore_position(const MarketId& id, const Address& account, const Position& position) {
    if (!follows(id)) return;
    const PositionKey key{id, account};
    if (is_empty(position))
        positions_.erase(key);
    else
        positions_.insert_or_assign(key, position);
}

MorphoBook::Changes MorphoBook::take_changes() {
    Changes changes;
    changes.markets.assign(changed_markets_.begin(), changed_markets_.end());
    changes.positions.assign(changed_positions_.begin(), changed_positions_.end());
    std::sort(changes.markets.begin(), changes.markets.end());
    std::sort(changes.positions.begin(), changes.positions.end());
    changed_markets_.clear();
    changed_positions_.clear();
    return changes;
}

}  // namespace keeper::morpho
