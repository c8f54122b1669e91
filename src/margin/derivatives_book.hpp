#pragma once
// A portfolio-margined derivatives book (options and perps on a few
// underlyings, one collateral pool per account) judged three ways through
// the engine's risk arrays (issue #20, item 4). For each account:
//
//   isolated   every position margined alone: the sum over positions of the
//              engine's requirement for a portfolio of that one position
//   cross      positions net within an underlying: the sum over underlyings
//              of the requirement for that underlying's positions alone (the
//              engine's per-underlying scan, so no correlation credit)
//   portfolio  the engine's requirement for the whole account: per-underlying
//              worst losses, minus the correlation offsets' credits, with the
//              short-option minimum and gamma/vega charges
//
// The worst loss of a sum is at most the sum of the worst losses (each term
// is a maximum over the same scenarios), credits are never negative, and the
// charges net within an underlying, so portfolio <= cross <= isolated for
// every account.
//
// Excess = equity - requirement, where equity = cash + marks of the options
// (long positive, short negative) + unrealised P&L of the perps since entry.
// Greeks are Black-Scholes (spot options) from the underlying's spot and vol.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "margin/portfolio_margin.hpp"
#include "margin/scenario_grid.hpp"

namespace keeper::margin::derivatives {

struct Underlying {
    std::string name{};
    double spot = 0.0;                            // USD per unit
    double vol = 0.0;                             // annual implied vol (0.6 = 60 %)
    double rate = 0.0;                            // annual, continuous
    std::optional<double> scan_range_fraction{};  // absent: the grid's range
};

enum class PositionKind { option, perp };

struct Position {
    PositionKind kind = PositionKind::option;
    std::size_t underlying = 0;  // index into DerivativesBook::underlyings
    double quantity = 0.0;       // signed: contracts (options) or base units (perps); short < 0
    OptionType option_type = OptionType::call;
    double strike = 0.0;           // options
    double years_to_expiry = 0.0;  // options
    std::optional<double> vol{};   // options: overrides the underlying's vol
    std::optional<double> mark{};  // options: USD per contract for equity; absent: the model's value
    double entry_price = 0.0;      // perps
    std::string label{};           // "BTC 30000 C 0.25y", for reports
};

struct Account {
    std::string name{};
    double cash_usd = 0.0;
    std::vector<Position> positions{};
};

struct BookOffset {
    std::size_t a = 0, b = 0;  // underlying indices
    double credit_fraction = 0.0;
};

struct DerivativesBook {
    std::vector<Underlying> underlyings{};
    std::vector<Account> accounts{};
    ScenarioGridSpec grid;
    std::vector<BookOffset> offsets{};
    double short_option_minimum_fraction = 0.0;
    double gamma_extra_move_fraction = 0.0;
    double vega_extra_vol_shift = 0.0;
};

// One figure per margin method.
struct ByMethod {
    double isolated = 0.0;
    double cross = 0.0;
    double portfolio = 0.0;
};

struct UnderlyingGreeks {
    std::size_t underlying = 0;
    double spot = 0.0;
    double delta = 0.0;  // underlying units
    double gamma = 0.0;  // per unit^2
    double vega = 0.0;   // USD per 1.00 of vol
    double theta = 0.0;  // USD per year
    double net_option_contracts = 0.0;
    double worst_loss_usd = 0.0;     // 0: no scenario loses
    std::size_t worst_scenario = 0;  // grid index (see scenario_move)
};

struct AccountGreeks {
    double delta_usd = 0.0;               // sum delta x spot
    double gamma_usd_per_pct = 0.0;       // sum gamma x spot^2 / 100: change of delta_usd per 1 % move
    double vega_usd_per_vol_point = 0.0;  // sum vega / 100
    double theta_usd_per_day = 0.0;       // sum theta / 365
};

struct AccountReport {
    std::size_t account = 0;  // index into DerivativesBook::accounts
    double equity_usd = 0.0;
    ByMethod requirement_usd;
    ByMethod excess_usd;                          // equity - requirement; negative is a deficit
    PortfolioRequirement portfolio{};             // the engine's breakdown (scan loss, credit, charges)
    std::vector<UnderlyingGreeks> underlyings{};  // in order of first appearance
    AccountGreeks greeks;
};

struct PnlPoint {
    double spot_move_fraction = 0.0;  // of this underlying (scan range applied)
    double vol_shift_abs = 0.0;
    double pnl_usd = 0.0;
};

struct BookUnderlying {
    std::size_t underlying = 0;
    UnderlyingGreeks greeks;      // the whole book's net (worst_* left 0)
    std::vector<PnlPoint> pnl{};  // every scenario, the book's P&L on this underlying
};

struct DerivativesReport {
    std::vector<AccountReport> accounts{};
    ByMethod requirement_usd;                          // sums over accounts
    ByMethod deficit_usd;                              // sums of max(0, -excess)
    std::array<std::size_t, 3> accounts_in_deficit{};  // isolated, cross, portfolio
    double equity_usd = 0.0;
    AccountGreeks greeks;
    std::vector<BookUnderlying> underlyings{};  // book-level, in the book's order (only those held)
    std::vector<Scenario> scenarios{};          // the grid, unscaled
    std::size_t positions = 0;
    std::size_t instruments = 0;  // distinct options and perps priced
};

// The move of `underlying` in grid scenario `s` (its scan range applied).
double scenario_move(const DerivativesBook& book, const std::vector<Scenario>& scenarios, std::size_t underlying,
                     std::size_t s);

// Fails on a bad grid or offset (the engine's checks), a non-positive spot,
// a negative vol, or an instrument the risk arrays refuse, naming it.
Result<DerivativesReport> evaluate_derivatives(const DerivativesBook& book);

}  // namespace keeper::margin::derivatives
