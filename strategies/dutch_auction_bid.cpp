#include "strategies/dutch_auction_bid.hpp"

#include <utility>

namespace keeper::strategies {
namespace {

struct Evaluated {
    DutchQuote quote;
    U256 value_base;
    bool covers_costs = false;  // value >= base_in + gas
    U256 profit_base;           // value - base_in - gas when covers_costs, else 0
};

class Bidding {
public:
    Bidding(const DutchBidInputs& in, const DutchQuoteFn& quote) : in_(in), quote_(quote) {}

    std::uint64_t timestamp(std::uint64_t k) const { return in_.head_timestamp + k * in_.block_interval_s; }

    Result<Evaluated> evaluate(const DutchBidder& who, const U256& take, std::uint64_t k) const {
        auto q = quote_(take, timestamp(k));
        if (!q) return std::unexpected(q.error());
        auto value = mul_div_down(q->collateral_out, in_.collateral_price_1e36, U256::pow10(36));
        if (!value) return fail("dutch bid: collateral value overflows");
        auto cost = checked_add(q->base_in, who.gas_cost_base);
        if (!cost) return fail("dutch bid: cost overflows");
        Evaluated e{*q, *value, *value >= *cost, U256()};
        if (e.covers_costs) e.profit_base = *value - *cost;
        return e;
    }

    // The first k in [from, horizon] where `who` earns at least `floor`
    // (strictly more than 0 when `positive`); nullopt: none.
    Result<std::optional<std::uint64_t>> first_block(const DutchBidder& who, const U256& take, const U256& floor,
                                                     bool positive, std::uint64_t from) const {
        for (std::uint64_t k = from; k <= in_.horizon_blocks; ++k) {
            auto e = evaluate(who, take, k);
            if (!e) return std::unexpected(e.error());
            if (e->covers_costs && e->profit_base >= floor && (!positive || !e->profit_base.is_zero())) return k;
        }
        return std::optional<std::uint64_t>{};
    }

    Result<DutchBidPlan> plan_at(const U256& take, std::uint64_t k, bool ahead) const {
        auto e = evaluate(in_.us, take, k);
        if (!e) return std::unexpected(e.error());
        return DutchBidPlan{in_.head_block + k, timestamp(k), e->quote, e->value_base, e->profit_base, ahead};
    }

private:
    const DutchBidInputs& in_;
    const DutchQuoteFn& quote_;
};

std::string block_text(std::uint64_t block) { return "block " + std::to_string(block); }

}  // namespace

U256 largest_take(const U256& lot_debt, const U256& max_debt, const U256& dust) {
    if (max_debt >= lot_debt) return lot_debt;
    if (lot_debt <= dust) return U256();
    const U256 most = lot_debt - dust;
    return max_debt < most ? max_debt : most;
}

Result<DutchBidDecision> plan_dutch_bid(const DutchBidInputs& in, const DutchQuoteFn& quote) {
    const U256 take = largest_take(in.lot_debt, in.us.max_debt, in.dust);
    if (take.is_zero())
        return DutchBidDecision{std::nullopt, "funds cover no take that leaves the auction 0 or >= dust"};
    const Bidding bidding(in, quote);

    auto ours = bidding.first_block(in.us, take, in.us.min_profit_base, false, 1);
    if (!ours) return std::unexpected(ours.error());

    std::optional<std::uint64_t> rivals;
    if (in.rival) {
        const U256 rival_take = largest_take(in.lot_debt, in.rival->max_debt, in.dust);
        if (!rival_take.is_zero()) {
            auto r = bidding.first_block(*in.rival, rival_take, in.rival->min_profit_base, false, 1);
            if (!r) return std::unexpected(r.error());
            rivals = *r;
        }
    }

    if (!rivals || (*ours && **ours < *rivals)) {
        if (!*ours)
            return DutchBidDecision{std::nullopt, "no block within " + std::to_string(in.horizon_blocks) +
                                                      " pays the floor after gas"};
        auto plan = bidding.plan_at(take, **ours, false);
        if (!plan) return std::unexpected(plan.error());
        return DutchBidDecision{*plan, "first block paying the floor: " + block_text(plan->block)};
    }

    // The rival bids at k_c <= ours: a block earlier if that pays us at all,
    // else race it in its own block, else leave the lot.
    const std::uint64_t k_c = *rivals;
    auto positive = bidding.first_block(in.us, take, U256(), true, 1);
    if (!positive) return std::unexpected(positive.error());
    if (*positive && **positive < k_c) {
        auto plan = bidding.plan_at(take, k_c - 1, true);
        if (!plan) return std::unexpected(plan.error());
        return DutchBidDecision{*plan, "one block before the rival's expected " + block_text(in.head_block + k_c)};
    }
    if (*positive && **positive == k_c) {
        auto plan = bidding.plan_at(take, k_c, true);
        if (!plan) return std::unexpected(plan.error());
        return DutchBidDecision{*plan, "racing the rival in " + block_text(plan->block) + ", the first that pays"};
    }
    return DutchBidDecision{std::nullopt, "the rival is expected to take it at " + block_text(in.head_block + k_c) +
                                              ", before any block that pays us"};
}

}  // namespace keeper::strategies
