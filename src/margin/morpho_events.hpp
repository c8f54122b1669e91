#pragma once
// Morpho Blue's market id and the events that move markets and positions, as
// typed values independent of how they were read (a log decoder in chain/
// builds them; the book in morpho_book.hpp applies them). Field names follow
// EventsLib; the `caller` and `receiver` of most events do not change any
// position and are left out.
#include <variant>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/u256.hpp"
#include "margin/morpho_blue.hpp"

namespace keeper::morpho {

using MarketId = Bytes32;

// keccak256(abi.encode(params)): MarketParamsLib.id hashes the five 32-byte
// words of the struct in memory, which is exactly the ABI encoding.
MarketId market_id(const MarketParams& params);

// Field-by-field equality (MarketParams itself declares no operator==).
bool same_params(const MarketParams& a, const MarketParams& b);

struct CreateMarketEvent {
    MarketId id;
    MarketParams params;
    friend bool operator==(const CreateMarketEvent& a, const CreateMarketEvent& b) {
        return a.id == b.id && same_params(a.params, b.params);
    }
};
struct SupplyEvent {
    MarketId id;
    Address on_behalf;
    U256 assets;
    U256 shares;
    friend bool operator==(const SupplyEvent&, const SupplyEvent&) = default;
};
struct WithdrawEvent {
    MarketId id;
    Address on_behalf;
    U256 assets;
    U256 shares;
    friend bool operator==(const WithdrawEvent&, const WithdrawEvent&) = default;
};
struct BorrowEvent {
    MarketId id;
    Address on_behalf;
    U256 assets;
    U256 shares;
    friend bool operator==(const BorrowEvent&, const BorrowEvent&) = default;
};
struct RepayEvent {
    MarketId id;
    Address on_behalf;
    U256 assets;
    U256 shares;
    friend bool operator==(const RepayEvent&, const RepayEvent&) = default;
};
struct SupplyCollateralEvent {
    MarketId id;
    Address on_behalf;
    U256 assets;
    friend bool operator==(const SupplyCollateralEvent&, const SupplyCollateralEvent&) = default;
};
struct WithdrawCollateralEvent {
    MarketId id;
    Address on_behalf;
    U256 assets;
    friend bool operator==(const WithdrawCollateralEvent&, const WithdrawCollateralEvent&) = default;
};
struct LiquidateEvent {
    MarketId id;
    Address caller;
    Address borrower;
    U256 repaid_assets;
    U256 repaid_shares;
    U256 seized_assets;
    U256 bad_debt_assets;
    U256 bad_debt_shares;
    friend bool operator==(const LiquidateEvent&, const LiquidateEvent&) = default;
};
struct AccrueInterestEvent {
    MarketId id;
    U256 prev_borrow_rate_wad;  // per second
    U256 interest;              // loan token units
    U256 fee_shares;
    friend bool operator==(const AccrueInterestEvent&, const AccrueInterestEvent&) = default;
};
struct SetFeeEvent {
    MarketId id;
    U256 fee_wad;
    friend bool operator==(const SetFeeEvent&, const SetFeeEvent&) = default;
};

using Event = std::variant<CreateMarketEvent, SupplyEvent, WithdrawEvent, BorrowEvent, RepayEvent, SupplyCollateralEvent,
                           WithdrawCollateralEvent, LiquidateEvent, AccrueInterestEvent, SetFeeEvent>;

// The market every event names.
MarketId event_market(const Event& event);
// "Supply", "Liquidate", ...: the EventsLib name, for logs and errors.
const char* event_name(const Event& event);

}  // namespace keeper::morpho
