#include "margin/live_book.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "margin/morpho_screen.hpp"

namespace keeper::margin {
namespace {

constexpr double usd_answer_scale = 1e8;  // Chainlink USD feeds and Aave's base currency

double token_units(const U256& amount, std::uint8_t decimals) {
    return amount.to_double() / std::pow(10.0, static_cast<double>(decimals));
}

}  // namespace

LiveBook::LiveBook(stress::StressBook book, std::vector<MorphoFeedOracle> oracles, std::uint16_t screen_assets,
                   double warning_distance, ConfirmPolicy confirm)
    : book_(std::move(book)), oracles_(std::move(oracles)), index_(screen_assets, warning_distance), confirm_(confirm) {
    index_.set_nominate_line(confirm_.max_screen_health);
}

Result<LiveBook> LiveBook::build(stress::StressBook book, std::vector<MorphoFeedOracle> oracles,
                                 const std::map<Address, U256>& usd_answers_1e8, double warning_distance,
                                 ConfirmPolicy confirm) {
    if (oracles.size() != book.morpho_markets.size())
        return fail("live book: " + std::to_string(book.morpho_markets.size()) + " Morpho markets but " +
                    std::to_string(oracles.size()) + " oracles");
    std::size_t asset_count = 2 * book.morpho_markets.size();
    for (const auto& pool : book.aave_pools) asset_count += pool.reserves.size();
    if (asset_count >= screen_max_assets) return fail("live book: too many markets and reserves to screen");
    LiveBook live(std::move(book), std::move(oracles), static_cast<std::uint16_t>(asset_count), warning_distance,
                  confirm);
    live.answers_ = usd_answers_1e8;
    const auto answer_of = [&](const Address& token) -> Result<U256> {
        const auto found = usd_answers_1e8.find(token);
        if (found == usd_answers_1e8.end() || found->second.is_zero())
            return fail("live book: no USD price for token " + token.checksummed());
        return found->second;
    };

    std::uint16_t next_asset = 0;
    // Aave: one screening asset per (pool, reserve), priced in USD per token.
    std::vector<std::map<unsigned, std::uint16_t>> aave_assets(live.book_.aave_pools.size());
    for (std::uint32_t g = 0; g < live.book_.aave_pools.size(); ++g) {
        const auto& pool = live.book_.aave_pools[g];
        unsigned max_id = 0;
        for (const auto& r : pool.reserves) max_id = std::max(max_id, r.id);
        live.aave_prices_.emplace_back(max_id + 1);
        for (const auto& reserve : pool.reserves) {
            auto answer = answer_of(reserve.asset);
            if (!answer) return std::unexpected(answer.error());
            live.aave_prices_[g][reserve.id] = *answer;
            double threshold = 0.0;  // no account holds it: priced for the exact model only
            for (const auto& account : pool.accounts) {
                for (const auto& snapshot : account.input.reserves) {
                    if (snapshot.id == reserve.id) threshold = snapshot.config.liquidation_threshold_bps / 1e4;
                }
                if (threshold > 0.0) break;
            }
            const std::uint16_t asset = next_asset++;
            aave_assets[g][reserve.id] = asset;
            if (auto set = live.index_.set_asset(asset, answer->to_double() / usd_answer_scale, threshold); !set)
                return std::unexpected(set.error());
            live.exposures_[reserve.asset].push_back(
                Exposure{BookPosition::Kind::aave, g, reserve.id, asset, threshold});
        }
    }
    // Morpho: two per market (morpho_screen.hpp), the collateral priced by the oracle.
    std::vector<MorphoScreenAssets> morpho_assets;
    for (std::uint32_t m = 0; m < live.book_.morpho_markets.size(); ++m) {
        const MorphoScreenAssets assets{next_asset, static_cast<std::uint16_t>(next_asset + 1)};
        next_asset = static_cast<std::uint16_t>(next_asset + 2);
        morpho_assets.push_back(assets);
        auto& market = live.book_.morpho_markets[m];
        for (const Address& token : {live.oracles_[m].base_token, live.oracles_[m].quote_token}) {
            if (auto answer = answer_of(token); !answer) return std::unexpected(answer.error());
        }
        auto price = live.morpho_price(m);
        if (!price) return std::unexpected(price.error());
        market.price_1e36 = *price;
        const double lltv = morpho_lltv_screen_threshold(market.params.lltv_wad);
        if (auto set = live.index_.set_asset(assets.collateral, morpho_collateral_screen_price(*price), lltv); !set)
            return std::unexpected(set.error());
        if (auto set = live.index_.set_asset(assets.borrow_share, morpho_borrow_share_screen_price(market.accrued),
                                             1.0);
            !set)
            return std::unexpected(set.error());
        const Exposure exposure{BookPosition::Kind::morpho, m, 0, assets.collateral, lltv};
        live.exposures_[live.oracles_[m].base_token].push_back(exposure);
        if (live.oracles_[m].quote_token != live.oracles_[m].base_token)
            live.exposures_[live.oracles_[m].quote_token].push_back(exposure);
    }

    const auto add = [&](std::span<const ScreenPosition> positions, BookPosition where) -> Result<ScreenAccountId> {
        auto id = live.index_.add(positions);
        if (!id) return std::unexpected(id.error());
        if (live.of_slot_.size() <= id->value) live.of_slot_.resize(id->value + 1);
        live.of_slot_[id->value] = where;
        return id;
    };
    for (std::uint32_t m = 0; m < live.book_.morpho_markets.size(); ++m) {
        const auto& market = live.book_.morpho_markets[m];
        live.morpho_slots_.emplace_back();
        for (std::uint32_t i = 0; i < market.positions.size(); ++i) {
            const auto positions = morpho_screen_positions(morpho_assets[m], market.positions[i].position);
            auto id = add(positions, BookPosition{BookPosition::Kind::morpho, m, i});
            if (!id) return std::unexpected(id.error());
            live.morpho_slots_.back().push_back(*id);
        }
    }
    for (std::uint32_t g = 0; g < live.book_.aave_pools.size(); ++g) {
        const auto& pool = live.book_.aave_pools[g];
        live.aave_slots_.emplace_back();
        for (std::uint32_t i = 0; i < pool.accounts.size(); ++i) {
            const aave::UserAccount& input = pool.accounts[i].input;
            std::vector<ScreenPosition> positions;
            for (const auto& reserve : input.reserves) {
                const auto asset = aave_assets[g].find(reserve.id);
                if (asset == aave_assets[g].end())
                    return fail("live book: Aave account " + pool.accounts[i].account.checksummed() +
                                " holds reserve " + std::to_string(reserve.id) + ", not listed in its pool");
                if (input.config.is_using_as_collateral(reserve.id)) {
                    auto balance = aave::atoken_balance(pool.rules, reserve);
                    if (!balance) return std::unexpected(balance.error());
                    positions.push_back(ScreenPosition{asset->second, PositionSide::collateral,
                                                       token_units(*balance, reserve.config.decimals)});
                }
                if (input.config.is_borrowing(reserve.id)) {
                    auto debt = aave::debt_balance(pool.rules, reserve);
                    if (!debt) return std::unexpected(debt.error());
                    positions.push_back(
                        ScreenPosition{asset->second, PositionSide::debt, token_units(*debt, reserve.config.decimals)});
                }
            }
            auto id = add(positions, BookPosition{BookPosition::Kind::aave, g, i});
            if (!id)
                return std::unexpected(
                    context("live book: Aave account " + pool.accounts[i].account.checksummed(), Error(id.error())));
            live.aave_slots_.back().push_back(*id);
        }
    }
    return live;
}

Result<U256> LiveBook::morpho_price(std::uint32_t market) const {
    const MorphoFeedOracle& oracle = oracles_[market];
    const auto base = answers_.find(oracle.base_token);
    const auto quote = answers_.find(oracle.quote_token);
    if (base == answers_.end() || quote == answers_.end() || quote->second.is_zero())
        return fail("live book: market " + book_.morpho_markets[market].id.hex() + ": its oracle has no price");
    const auto price = mul_div_down(oracle.scale_factor, base->second, quote->second);
    if (!price) return fail("live book: market " + book_.morpho_markets[market].id.hex() + ": price overflows");
    return *price;
}

Result<PriceReaction> LiveBook::on_price(const Address& token, const U256& usd_answer_1e8, const Confirmed& confirmed) {
    PriceReaction reaction;
    std::vector<RankedScreenAccount> nominated;
    const auto exposed = exposures_.find(token);
    if (exposed == exposures_.end()) return reaction;
    if (usd_answer_1e8.is_zero()) return fail("live book: a zero price for " + token.checksummed());
    answers_[token] = usd_answer_1e8;
    for (const Exposure& e : exposed->second) {
        double screen_price = 0.0;
        if (e.kind == BookPosition::Kind::aave) {
            aave_prices_[e.group][e.reserve_id] = usd_answer_1e8;
            screen_price = usd_answer_1e8.to_double() / usd_answer_scale;
        } else {
            auto price = morpho_price(e.group);
            if (!price) return std::unexpected(price.error());
            book_.morpho_markets[e.group].price_1e36 = *price;
            screen_price = morpho_collateral_screen_price(*price);
        }
        // Band 0 (within 0.5 % of the confirm line) first, for every
        // exposure: the riskiest accounts get their transactions first.
        auto tick = index_.screen_price_move(e.screen_asset, screen_price, e.threshold, 1);
        if (!tick) return std::unexpected(tick.error());
        reaction.screened += tick->evaluated;
        reaction.deferred += tick->deferred;
        nominated.insert(nominated.end(), tick->nominated.begin(), tick->nominated.end());
    }
    judge_nominees(nominated, confirmed, reaction);
    // Then the rest of the hot bands, one band of every exposure at a time,
    // and what each puts under the line.
    while (!index_.hot_finished()) {
        ScreenTick rest = index_.finish_hot(1);
        reaction.screened += rest.evaluated;
        reaction.deferred -= std::min(reaction.deferred, rest.evaluated);
        judge_nominees(rest.nominated, confirmed, reaction);
    }
    return reaction;
}

// Riskiest first, each account once per update (a token both base and quote
// of one oracle screens its market twice), at most max_accounts in all.
void LiveBook::judge_nominees(std::vector<RankedScreenAccount>& nominated, const Confirmed& confirmed,
                              PriceReaction& reaction) const {
    std::sort(nominated.begin(), nominated.end(), [](const RankedScreenAccount& a, const RankedScreenAccount& b) {
        return a.health != b.health ? a.health < b.health : a.id.value < b.id.value;
    });
    for (const RankedScreenAccount& nominee : nominated) {
        if (reaction.judged.size() >= confirm_.max_accounts) return;
        const BookPosition& position = of_slot_[nominee.id.value];
        if (std::find(reaction.judged.begin(), reaction.judged.end(), position) != reaction.judged.end()) continue;
        reaction.judged.push_back(position);
        const auto verdict = is_liquidatable(position);
        if (!verdict) {
            reaction.errors.push_back(verdict.error().message);
        } else if (*verdict) {
            reaction.liquidatable.push_back(position);
            if (confirmed) confirmed(position);
        }
    }
}

Result<bool> LiveBook::is_liquidatable(const BookPosition& position) const {
    if (position.kind == BookPosition::Kind::morpho) {
        const auto& market = book_.morpho_markets[position.group];
        return morpho_is_liquidatable(market.params, market.accrued, market.positions[position.index].position,
                                      market.price_1e36);
    }
    const auto& pool = book_.aave_pools[position.group];
    auto data = aave::calculate_user_account_data(pool.rules, aave_account(position.group, position.index));
    if (!data) return std::unexpected(data.error());
    return data->liquidatable();
}

aave::UserAccount LiveBook::aave_account(std::uint32_t pool, std::uint32_t account) const {
    aave::UserAccount input = book_.aave_pools[pool].accounts[account].input;
    for (auto& reserve : input.reserves) reserve.price = aave_prices_[pool][reserve.id];
    return input;
}

void LiveBook::forget(const BookPosition& position) {
    const auto& slots = position.kind == BookPosition::Kind::morpho ? morpho_slots_ : aave_slots_;
    const ScreenAccountId id = slots[position.group][position.index];
    if (index_.contains(id)) (void)index_.remove(id);
}

}  // namespace keeper::margin
