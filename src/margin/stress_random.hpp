#pragma once
// Seeded, reproducible random numbers for the Monte-Carlo stress run: the same
// seed gives the same draws with any compiler and standard library. That is
// why std::normal_distribution (whose algorithm each library chooses) is not
// used: the generator and the normal transform are written out here.
//
//   Xoshiro256ss  xoshiro256** (Blackman and Vigna, 2018), its 256-bit state
//                 filled from the seed by splitmix64, as the authors advise
//   uniform01     the top 53 bits as a double in (0, 1]: never 0, so log()
//                 in Box-Muller is finite
//   NormalSource  Box-Muller: two uniforms give two independent N(0, 1)
//                 values; the second is handed out on the next call
//
// std::log, std::sqrt, std::cos and std::sin come from the platform's libm:
// glibc's are the same for every compiler on this platform.
#include <array>
#include <cstdint>

namespace keeper::margin::stress {

std::uint64_t splitmix64(std::uint64_t& state);

class Xoshiro256ss {
public:
    explicit Xoshiro256ss(std::uint64_t seed);
    std::uint64_t next();
    double uniform01();  // (0, 1], a multiple of 2^-53

private:
    std::array<std::uint64_t, 4> s_{};
};

class NormalSource {
public:
    explicit NormalSource(std::uint64_t seed) : rng_(seed) {}
    double next();  // N(0, 1)

private:
    Xoshiro256ss rng_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace keeper::margin::stress
