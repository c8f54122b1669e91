#include "protocols/yield_v2/yield_decide.hpp"

#include <algorithm>
#include <utility>

#include "protocols/yield_v2/cauldron_level.hpp"
#include "protocols/yield_v2/witch_auction.hpp"
#include "protocols/yield_v2/yield_calls.hpp"
#include "protocols/yield_v2/yield_math.hpp"
#include "strategies/dutch_auction_bid.hpp"

namespace keeper::yield_v2 {
namespace {

using protocols::Action;
using protocols::ActionKind;

std::string subject_of(const VaultReading& v) {
    const Address& owner = v.auction.start != 0 ? v.auction.owner : v.vault.owner;
    return "Yield vault " + v.id.hex() + " of " + owner.hex();
}

// Base units per collateral unit x 1e36, as the spot oracle values the vault's ink.
std::optional<U256> collateral_price_1e36(const VaultReading& v) {
    if (v.balances.ink.is_zero()) return std::nullopt;
    return mul_div_down(v.ink_value, U256::pow10(36), v.balances.ink);
}

// A balance the round read; a dry run reads an unread one as unlimited.
std::optional<U256> holding(const protocols::DecisionInput& input, const Address& token, bool dry_run) {
    if (const U256* b = input.holdings.find(token)) return *b;
    if (dry_run) return U256::max();
    return std::nullopt;
}

Action base_action(const YieldSnapshot& s, const VaultReading& v, const YieldDecideSettings& settings) {
    Action a;
    a.protocol_key = settings.protocol_key;
    a.to = s.addresses.witch;
    a.gas.margin_percent = settings.gas_margin_percent;
    a.profit.unit = "base units";
    a.profit.unit_per_wei_1e36 = settings.base_per_wei_1e36;
    a.profit.min_after_gas = settings.min_profit_base;
    a.prediction.account = v.auction.start != 0 ? v.auction.owner : v.vault.owner;
    a.prediction.position_id = position_id(v.id);
    const auto ilk = s.assets.find(v.vault.ilk_id);
    const auto base = s.assets.find(v.series.base_id);
    if (ilk != s.assets.end()) a.prediction.collateral_token = ilk->second.token;
    if (base != s.assets.end()) a.prediction.debt_token = base->second.token;
    a.subject = subject_of(v);
    return a;
}

void start_auction_of(const YieldSnapshot& s, const VaultReading& v, const protocols::DecisionInput& input,
                      const YieldDecideSettings& settings, protocols::Decisions& out) {
    const std::string key = auction_work_key(v.id);
    if (input.busy.contains(key)) return;
    if (v.owner_protected) {
        out.declined.push_back({key, subject_of(v), "the Witch protects this vault's owner from auctions"});
        return;
    }
    if (v.limits.max.is_zero()) {
        out.declined.push_back({key, subject_of(v), "the Witch has no line for this collateral and base"});
        return;
    }
    if (v.limits.sum > v.limits.max) return;  // the concurrent-collateral limit frees up as auctions end
    auto auction = start_auction(v.id, v.vault, v.series, v.balances, v.line, v.debt, input.keeper,
                                 input.head_timestamp + settings.block_interval_s);
    if (!auction) {
        out.declined.push_back({key, subject_of(v), auction.error().message});
        return;
    }
    Action a = base_action(s, v, settings);
    a.kind = ActionKind::start_auction;
    a.work_key = key;
    a.calldata = encode_auction(v.id, input.keeper);
    // What starting earns by itself: the starter's reward on the whole lot
    // (paid as others buy), valued at the oracle's price.
    const auto price = collateral_price_1e36(v);
    const auto reward_ink = wmul(auction->ink, v.auctioneer_reward_wad);
    if (price && reward_ink) a.profit.before_gas = mul_div_down(*reward_ink, *price, U256::pow10(36)).value_or(U256());
    a.prediction.collateral_out = auction->ink;  // what the auction puts up
    a.prediction.debt_in = auction->art;
    a.prediction.realised_balances = false;
    a.summary = "start the auction of " + auction->art.to_dec() + " art for " + auction->ink.to_dec() +
                " ink (level -" + v.level.magnitude.to_dec() + ")";
    out.actions.push_back(std::move(a));
}

void bid_on(const YieldSnapshot& s, const VaultReading& v, const protocols::DecisionInput& input,
            const YieldDecideSettings& settings, protocols::Decisions& out) {
    const std::string key = bid_work_key(v.id);
    if (input.busy.contains(key)) return;
    const auto price = collateral_price_1e36(v);
    const auto base = s.assets.find(v.series.base_id);
    const auto fy = s.fy_tokens.find(v.vault.series_id);
    if (!price || base == s.assets.end() || fy == s.fy_tokens.end()) {
        out.declined.push_back({key, subject_of(v), "no collateral price or no base token to pay with"});
        return;
    }
    const auto base_held = holding(input, base->second.token, settings.dry_run);
    const auto fy_held = holding(input, fy->second, settings.dry_run);
    if (!base_held && !fy_held) {
        ++out.skipped_unread;
        return;
    }
    // Art each funding covers: fyToken one-to-one; base through the accrual
    // from maturity on (rounded down: never more than the funds pay for).
    U256 art_by_base;
    if (base_held) {
        if (!v.accrual_wad) art_by_base = *base_held;
        else art_by_base = wdiv(*base_held, *v.accrual_wad).value_or(U256());
    }
    const U256 art_by_fy = fy_held.value_or(U256());
    const bool with_fy = !art_by_fy.is_zero() && art_by_fy >= art_by_base;

    strategies::DutchBidInputs in;
    in.lot_debt = v.auction.art;
    in.dust = v.debt.dust();
    in.collateral_price_1e36 = *price;
    in.us = strategies::DutchBidder{with_fy ? art_by_fy : art_by_base, settings.bid_gas_cost_base,
                                    settings.min_profit_base};
    if (settings.rival)
        in.rival = strategies::DutchBidder{v.auction.art, settings.rival->gas_cost_base, settings.rival->min_profit_base};
    in.head_block = input.head_block;
    in.head_timestamp = input.head_timestamp;
    in.block_interval_s = settings.block_interval_s;
    in.horizon_blocks = settings.horizon_blocks;
    const strategies::DutchQuoteFn quote = [&](const U256& art, std::uint64_t t) -> Result<strategies::DutchQuote> {
        auto payout = calc_payout(v.auction, v.line, v.auctioneer_reward_wad, input.keeper, art, t);
        if (!payout) return std::unexpected(payout.error());
        U256 base_in = payout->art_in;
        if (!with_fy) {
            auto b = debt_to_base(payout->art_in, v.accrual_wad);
            if (!b) return std::unexpected(b.error());
            base_in = *b;
        }
        return strategies::DutchQuote{payout->art_in, base_in, payout->liquidator_cut};
    };
    auto decision = strategies::plan_dutch_bid(in, quote);
    if (!decision) {
        out.declined.push_back({key, subject_of(v), decision.error().message});
        return;
    }
    if (!decision->plan) {
        out.declined.push_back({key, subject_of(v), decision->reason});
        return;
    }
    const auto& plan = *decision->plan;
    if (plan.block > input.head_block + 1) return;  // not yet: decided again each round until its block is next

    Action a = base_action(s, v, settings);
    a.kind = ActionKind::bid;
    a.work_key = key;
    if (with_fy) {
        a.calldata = encode_pay_fy_token(v.id, input.keeper, plan.quote.collateral_out, plan.quote.debt_in);
        a.spends.push_back({fy->second, s.addresses.witch, plan.quote.debt_in});
    } else {
        a.calldata = encode_pay_base(v.id, input.keeper, plan.quote.collateral_out, plan.quote.base_in);
        a.spends.push_back({base->second.token, base->second.join, plan.quote.base_in});
    }
    a.not_before_block = plan.block;
    a.profit.before_gas = plan.value_base > plan.quote.base_in ? plan.value_base - plan.quote.base_in : U256();
    a.prediction.collateral_out = plan.quote.collateral_out;
    a.prediction.debt_in = with_fy ? plan.quote.debt_in : plan.quote.base_in;
    a.summary = std::string(with_fy ? "payFYToken " : "payBase ") + plan.quote.debt_in.to_dec() + " art for " +
                plan.quote.collateral_out.to_dec() + " ink in block " + std::to_string(plan.block) + " (" +
                decision->reason + ")";
    out.actions.push_back(std::move(a));
}

}  // namespace

std::string auction_work_key(const VaultId& vault) { return "yield-auction:" + vault.hex(); }
std::string bid_work_key(const VaultId& vault) { return "yield-bid:" + vault.hex(); }

Bytes32 position_id(const VaultId& vault) {
    Bytes32 out;
    std::copy(vault.bytes.begin(), vault.bytes.end(), out.bytes.begin());
    return out;
}

protocols::Decisions decide_yield(const YieldSnapshot& snapshot, const protocols::DecisionInput& input,
                                  const YieldDecideSettings& settings) {
    protocols::Decisions out;
    for (const VaultReading& v : snapshot.vaults) {
        if (v.auction.start != 0) bid_on(snapshot, v, input, settings, out);
        else if (undercollateralised(v.level)) start_auction_of(snapshot, v, input, settings, out);
    }
    return out;
}

}  // namespace keeper::yield_v2
