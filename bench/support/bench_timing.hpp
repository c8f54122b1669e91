#pragma once
// Timing helpers the latency benchmarks share (bench_engine's incremental
// tick, bench_pipeline). A header only, as bench/support/ must stay.
#include <algorithm>
#include <vector>

#include <time.h>

namespace keeper::bench_timing {

// Thread CPU time: with other builds sharing the 2 cores, wall time also
// counts the time this thread waited for a core.
inline double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// The q-quantile (0..1) by rank, 0 for no samples.
inline double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace keeper::bench_timing
