#pragma once
// Cholesky factorisation of a covariance matrix: A = L x L^T with L lower
// triangular, so that L x z turns independent N(0, 1) draws z into draws with
// covariance A. Pure.
//
// Positive semi-definite matrices are accepted: a pivot within a relative
// 1e-12 of zero (an asset perfectly correlated with earlier ones, or with no
// volatility) gives a zero column, as the limit of the positive definite case
// would. A clearly negative pivot (a matrix that is no covariance, e.g.
// correlations that contradict each other) fails, naming the row.
#include <cstddef>
#include <span>
#include <vector>

#include "core/result.hpp"

namespace keeper::margin {

// `a`: n x n, row-major, symmetric (only the lower triangle is read).
// Returns L, n x n row-major, zeros above the diagonal.
Result<std::vector<double>> cholesky(std::span<const double> a, std::size_t n);

}  // namespace keeper::margin
