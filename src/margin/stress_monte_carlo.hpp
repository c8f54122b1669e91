#pragma once
// Monte-Carlo distribution of one day's bad debt and liquidation volume over
// the book, from a covariance matrix of daily returns. Pure and seeded: the
// same book, spec and seed give the same figures, draw for draw.
//
// Model: one day's log returns r = L z, with z independent N(0, 1) draws
// (stress_random.hpp) and L the Cholesky factor of the covariance
// Sigma = D C D (D the daily volatilities, C the correlations). An asset's
// price move is exp(r) - 1, in basis points rounded to the nearest (the
// engine's moves are whole bps, so its prices stay exact integers), never
// below kMinMoveBps. Zero drift: a one-day horizon.
//
// Per draw, the book is revalued under those moves (with the cascade when
// `cascade.max_rounds` > 1 and impacts are set) and gives its bad debt and
// its liquidation volume (seized collateral) in USD at the draw's prices,
// valued assets only (stress_cascade.hpp).
//
// VaR and Expected Shortfall at confidence a (in bps: 9500, 9900) over N
// draws, losses sorted ascending (x_1 <= ... <= x_N):
//     VaR_a = x_k with k = ceil(a x N)            (the a-quantile)
//     ES_a  = mean of the m = ceil((1 - a) x N) largest
// e.g. N = 20, a = 95 %: VaR = x_19, ES = x_20.
//
// Cost: one revaluation per draw and cascade round, each the stress engine's
// double screen over every position plus the exact model for the liquidatable
// ones: O(draws x rounds x positions).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "margin/stress_cascade.hpp"
#include "margin/stress_random.hpp"

namespace keeper::margin::stress {

struct CovarianceSpec {
    std::vector<Address> assets;
    std::vector<double> daily_vol;    // per asset, a fraction: 0.04 is 4 % a day
    std::vector<double> correlation;  // n x n row-major, symmetric, 1 on the diagonal
};

class ReturnSampler {
public:
    // Fails on mismatched sizes, a negative or non-finite volatility, a
    // correlation outside [-1, 1] or not symmetric, a diagonal other than 1,
    // an asset named twice, or correlations that are no correlation matrix.
    static Result<ReturnSampler> make(const CovarianceSpec& spec);

    const std::vector<Address>& assets() const { return assets_; }
    // One day's log returns, one per asset, in the spec's order.
    void log_returns(NormalSource& normals, std::span<double> out) const;
    // One day's moves as a scenario's shocks (assets that do not move left out).
    std::vector<AssetShock> moves(NormalSource& normals) const;

private:
    std::vector<Address> assets_;
    std::vector<double> factor_;  // Cholesky factor of the covariance, n x n
    mutable std::vector<double> z_, r_;
};

// exp(log_return) - 1 in bps, rounded to the nearest, within [kMinMoveBps, kMaxMoveBps].
std::int32_t log_return_to_move_bps(double log_return);

struct TailRisk {
    double var = 0.0;
    double es = 0.0;
};
TailRisk tail_risk(std::span<const double> losses, std::uint32_t confidence_bps);

struct MonteCarloSpec {
    std::uint64_t seed = 1;
    std::size_t draws = 10'000;
};

struct DistributionSummary {
    double mean = 0.0;
    TailRisk at_95, at_99;
};

struct MonteCarloOutcome {
    std::uint64_t seed = 0;
    std::size_t draws = 0;
    std::vector<double> bad_debt_usd;  // per draw, in draw order
    std::vector<double> volume_usd;    // per draw: seized collateral at the draw's prices
    std::vector<double> liquidated;    // per draw: positions liquidated (a count, as a double for tail_risk)
    DistributionSummary bad_debt, volume, liquidations;
    std::vector<Address> unvalued;  // assets with amounts in some draw but no valuation
};

DistributionSummary summarise(std::span<const double> values);

// With `cascade.max_rounds` > 1 the runner must list accounts (the cascade
// knows positions by name); a single round is cheaper on one that does not.
Result<MonteCarloOutcome> run_monte_carlo(StressRunner& runner, const CovarianceSpec& covariance,
                                          const CascadeSpec& cascade, const MonteCarloSpec& spec);

}  // namespace keeper::margin::stress
