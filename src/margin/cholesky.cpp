#include "margin/cholesky.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace keeper::margin {

Result<std::vector<double>> cholesky(std::span<const double> a, std::size_t n) {
    if (a.size() != n * n)
        return fail("cholesky: " + std::to_string(a.size()) + " numbers for a " + std::to_string(n) + " x " +
                    std::to_string(n) + " matrix");
    double scale = 0.0;
    for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(a[i * n + i]));
    const double tolerance = 1e-12 * std::max(scale, 1e-300);
    std::vector<double> l(n * n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        double pivot = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k) pivot -= l[j * n + k] * l[j * n + k];
        if (!std::isfinite(pivot) || pivot < -tolerance)
            return fail("cholesky: the matrix is not positive semi-definite (row " + std::to_string(j) + ")");
        if (pivot <= tolerance) continue;  // a zero column: this row is a combination of earlier ones
        const double d = std::sqrt(pivot);
        l[j * n + j] = d;
        for (std::size_t i = j + 1; i < n; ++i) {
            double sum = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k) sum -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = sum / d;
        }
    }
    return l;
}

}  // namespace keeper::margin
