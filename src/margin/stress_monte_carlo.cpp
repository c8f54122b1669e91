#include "margin/stress_monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "margin/cholesky.hpp"

namespace keeper::margin::stress {
namespace {

// Memoised outcomes are per distinct move: random draws rarely repeat, so the
// memo is dropped this often to bound memory.
constexpr std::size_t kForgetEvery = 256;

// ceil(numerator / 10000) for the order statistics' indexes, in integers.
std::size_t ceil_bps(std::size_t count, std::uint32_t bps) { return (count * bps + 9'999) / 10'000; }

}  // namespace

Result<ReturnSampler> ReturnSampler::make(const CovarianceSpec& spec) {
    const std::size_t n = spec.assets.size();
    if (n == 0) return fail("covariance: no assets");
    if (spec.daily_vol.size() != n)
        return fail("covariance: " + std::to_string(spec.daily_vol.size()) + " volatilities for " + std::to_string(n) +
                    " assets");
    if (spec.correlation.size() != n * n)
        return fail("covariance: the correlation matrix must be " + std::to_string(n) + " x " + std::to_string(n));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (spec.assets[j] == spec.assets[i])
                return fail("covariance: asset " + std::to_string(i) + " named twice");
        if (!std::isfinite(spec.daily_vol[i]) || spec.daily_vol[i] < 0.0)
            return fail("covariance: volatility " + std::to_string(i) + " must be finite and >= 0");
        if (spec.correlation[i * n + i] != 1.0)
            return fail("covariance: correlation[" + std::to_string(i) + "][" + std::to_string(i) + "] must be 1");
        for (std::size_t j = 0; j < n; ++j) {
            const double c = spec.correlation[i * n + j];
            if (!std::isfinite(c) || c < -1.0 || c > 1.0)
                return fail("covariance: correlation[" + std::to_string(i) + "][" + std::to_string(j) +
                            "] must be within [-1, 1]");
            if (c != spec.correlation[j * n + i])
                return fail("covariance: correlation[" + std::to_string(i) + "][" + std::to_string(j) +
                            "] differs from [" + std::to_string(j) + "][" + std::to_string(i) + "]");
        }
    }
    // The factor of the correlations, scaled by each row's volatility, is the
    // factor of D C D; factoring C keeps the tolerance independent of the vols.
    auto factor = cholesky(spec.correlation, n);
    if (!factor) return fail("covariance: the correlations are no correlation matrix (" + factor.error().message + ")");
    ReturnSampler out;
    out.assets_ = spec.assets;
    out.factor_ = std::move(*factor);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) out.factor_[i * n + j] *= spec.daily_vol[i];
    out.z_.resize(n);
    out.r_.resize(n);
    return out;
}

void ReturnSampler::log_returns(NormalSource& normals, std::span<double> out) const {
    const std::size_t n = assets_.size();
    for (std::size_t i = 0; i < n; ++i) z_[i] = normals.next();
    for (std::size_t i = 0; i < n && i < out.size(); ++i) {
        double sum = 0.0;
        for (std::size_t k = 0; k <= i; ++k) sum += factor_[i * n + k] * z_[k];
        out[i] = sum;
    }
}

std::vector<AssetShock> ReturnSampler::moves(NormalSource& normals) const {
    log_returns(normals, r_);
    std::vector<AssetShock> out;
    for (std::size_t i = 0; i < assets_.size(); ++i)
        if (const std::int32_t bps = log_return_to_move_bps(r_[i]); bps != 0)
            out.push_back(AssetShock{assets_[i], bps});
    return out;
}

std::int32_t log_return_to_move_bps(double log_return) {
    const double bps = std::expm1(log_return) * 10'000.0;
    if (!(bps > kMinMoveBps)) return kMinMoveBps;  // NaN included
    if (bps >= kMaxMoveBps) return kMaxMoveBps;
    return static_cast<std::int32_t>(std::llround(bps));
}

TailRisk tail_risk(std::span<const double> losses, std::uint32_t confidence_bps) {
    if (losses.empty()) return {};
    std::vector<double> sorted(losses.begin(), losses.end());
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    const std::size_t k = std::clamp<std::size_t>(ceil_bps(n, confidence_bps), 1, n);
    const std::size_t m = std::clamp<std::size_t>(ceil_bps(n, 10'000 - confidence_bps), 1, n);
    double tail = 0.0;
    for (std::size_t i = n - m; i < n; ++i) tail += sorted[i];
    return TailRisk{sorted[k - 1], tail / static_cast<double>(m)};
}

DistributionSummary summarise(std::span<const double> values) {
    DistributionSummary out;
    if (values.empty()) return out;
    double sum = 0.0;
    for (const double v : values) sum += v;
    out.mean = sum / static_cast<double>(values.size());
    out.at_95 = tail_risk(values, 9'500);
    out.at_99 = tail_risk(values, 9'900);
    return out;
}

Result<MonteCarloOutcome> run_monte_carlo(StressRunner& runner, const CovarianceSpec& covariance,
                                          const CascadeSpec& cascade, const MonteCarloSpec& spec) {
    auto sampler = ReturnSampler::make(covariance);
    if (!sampler) return std::unexpected(sampler.error());
    if (spec.draws == 0) return fail("monte carlo: draws must be at least 1");
    MonteCarloOutcome out;
    out.seed = spec.seed;
    out.draws = spec.draws;
    out.bad_debt_usd.reserve(spec.draws);
    out.volume_usd.reserve(spec.draws);
    out.liquidated.reserve(spec.draws);
    std::set<Address> unvalued;
    NormalSource normals(spec.seed);
    CascadeSpec per_draw = cascade;
    per_draw.keep_positions = false;
    for (std::size_t d = 0; d < spec.draws; ++d) {
        if (d % kForgetEvery == 0) runner.forget();
        const StressScenario scenario{"draw " + std::to_string(d), sampler->moves(normals)};
        const CascadeOutcome o = run_cascade(runner, scenario, per_draw);
        out.bad_debt_usd.push_back(o.bad_debt_usd);
        out.volume_usd.push_back(o.volume_usd);
        out.liquidated.push_back(static_cast<double>(o.liquidated));
        unvalued.insert(o.unvalued.begin(), o.unvalued.end());
    }
    runner.forget();
    out.bad_debt = summarise(out.bad_debt_usd);
    out.volume = summarise(out.volume_usd);
    out.liquidations = summarise(out.liquidated);
    out.unvalued.assign(unvalued.begin(), unvalued.end());
    return out;
}

}  // namespace keeper::margin::stress
