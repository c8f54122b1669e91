#pragma once
// The book the keeper guards, fed by prices (issue #18): every position's
// exact inputs in the shape `stress` revalues (Morpho markets accrued to the
// block, Aave accounts with their reserves), a float screen of each in one
// AccountIndex, and which screening assets each token's price moves. One
// token's new USD answer is one call, on_price():
//   1. the exact prices it sets: each Aave reserve of the token (AaveOracle
//      returns the source's answer, base currency 1e8 = 1 USD) and each Morpho
//      market whose oracle reads it (MorphoChainlinkOracleV2 with one base and
//      one quote feed: price_1e36 = SCALE_FACTOR x base answer / quote answer,
//      rounded down as the oracle does);
//   2. the screen's hot pass over exactly those screening assets (the health
//      bands of account_index.hpp, cut around the confirm line: a 1 % move
//      looks at the accounts within 2 % of it), in two steps: the band
//      within 0.5 % of the line for every exposure, then the other hot bands;
//   3. after each step, the accounts it evaluated below the confirm line,
//      riskiest first, judged in the contract's integer arithmetic
//      (morpho::health, Aave's calculateUserAccountData); each one confirmed
//      goes to the caller at once, so the first transaction is signed before
//      the rest is screened.
// settle() then finishes the screen off the hot path. Pure: no I/O, no clock.
// Only accounts the update touched are judged: an account no price moved
// keeps the verdict it had (LiveBook holds no interest accrual; the daemon's
// per-head exact round covers that).
//
// Screening Aave accounts uses each reserve's own liquidation threshold. An
// account in eMode is judged by the category's, which Aave's configurator
// only allows above the reserve's: the screen sees such an account as less
// healthy than it is, never healthier, so it cannot miss one.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/address.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"
#include "margin/account_index.hpp"
#include "margin/screen_confirm.hpp"
#include "margin/stress_book.hpp"

namespace keeper::margin {

// What a Morpho market's oracle computes from two USD feeds.
struct MorphoFeedOracle {
    Address base_token;   // priced by the base feed (the collateral)
    Address quote_token;  // priced by the quote feed (the loan token)
    // 10^(36 + loan decimals + quote feed decimals - collateral decimals - base feed decimals)
    U256 scale_factor;
};

// One position of the book: a Morpho position (market, position) or an Aave
// account (pool, account), as indexed in stress::StressBook.
struct BookPosition {
    enum class Kind : std::uint8_t { morpho, aave };
    Kind kind = Kind::morpho;
    std::uint32_t group = 0;
    std::uint32_t index = 0;
    friend bool operator==(const BookPosition&, const BookPosition&) = default;
};

struct PriceReaction {
    std::vector<BookPosition> liquidatable;  // confirmed in the contract's arithmetic, riskiest first
    std::size_t screened = 0;                // accounts the hot pass evaluated
    std::size_t deferred = 0;                // accounts left for settle()
    std::vector<BookPosition> judged;  // every position judged exactly, in order
    std::vector<std::string> errors;   // nominees the exact model could not judge
};

class LiveBook {
public:
    // `oracles` parallel to book.morpho_markets; `usd_answers_1e8` every
    // token an Aave reserve or a Morpho oracle reads. The watch line is
    // 1 + warning_distance. Fails on a missing price, an oracle that divides
    // by 0, or an account with more than 4 positions.
    static Result<LiveBook> build(stress::StressBook book, std::vector<MorphoFeedOracle> oracles,
                                  const std::map<Address, U256>& usd_answers_1e8, double warning_distance,
                                  ConfirmPolicy confirm = {});

    // The token's new answer (USD, 8 decimals): exact prices, hot screen,
    // exact confirmation, `confirmed` called for each liquidatable position
    // as soon as it is confirmed. A token nothing reads changes nothing.
    using Confirmed = std::function<void(const BookPosition&)>;
    Result<PriceReaction> on_price(const Address& token, const U256& usd_answer_1e8, const Confirmed& confirmed = {});
    // The rest of the screen the price moves deferred.
    ScreenTick settle() { return index_.settle(); }

    // A liquidation of `position` is on its way: it leaves the screen (its
    // next state comes with the protocol's event).
    void forget(const BookPosition& position);

    const stress::StressBook& book() const { return book_; }
    // The Aave account with the pool's current prices, as the exact model and
    // the planner take it.
    aave::UserAccount aave_account(std::uint32_t pool, std::uint32_t account) const;
    std::size_t accounts() const { return index_.account_count(); }
    const AccountIndex& index() const { return index_; }

private:
    struct Exposure {
        BookPosition::Kind kind = BookPosition::Kind::morpho;
        std::uint32_t group = 0;  // market or pool
        unsigned reserve_id = 0;  // Aave
        std::uint16_t screen_asset = 0;
        double threshold = 0.0;
    };

    LiveBook(stress::StressBook book, std::vector<MorphoFeedOracle> oracles, std::uint16_t screen_assets,
             double warning_distance, ConfirmPolicy confirm);
    Result<U256> morpho_price(std::uint32_t market) const;
    Result<bool> is_liquidatable(const BookPosition& position) const;
    void judge_nominees(std::vector<RankedScreenAccount>& nominated, const Confirmed& confirmed,
                        PriceReaction& reaction) const;

    stress::StressBook book_;
    std::vector<MorphoFeedOracle> oracles_;
    AccountIndex index_;
    ConfirmPolicy confirm_;
    std::map<Address, U256> answers_;
    std::unordered_map<Address, std::vector<Exposure>> exposures_;
    std::vector<std::vector<U256>> aave_prices_;  // pool -> reserve id -> answer
    std::vector<BookPosition> of_slot_;           // screen slot -> position
    std::vector<std::vector<ScreenAccountId>> morpho_slots_, aave_slots_;
};

}  // namespace keeper::margin
