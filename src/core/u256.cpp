#include "core/u256.hpp"

#include <array>
#include <cassert>
#include <stdexcept>

#include "core/hex.hpp"

namespace keeper {
namespace {

using U512 = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
    512, 512, boost::multiprecision::unsigned_magnitude, boost::multiprecision::unchecked, void>>;

const U512 kWordLimit = U512(1) << 256;

}  // namespace

U256 U256::max() { return U256(Rep(~Rep(0))); }

U256 U256::pow10(unsigned exponent) {
    if (exponent > 77) throw std::logic_error("U256::pow10: 10^" + std::to_string(exponent) + " exceeds 2^256");
    // Unit scaling runs per reserve per account on every head: a table, not a loop.
    static const std::array<U256, 78> table = [] {
        std::array<U256, 78> t;
        Rep r = 1;
        for (auto& v : t) {
            v = U256(r);
            r *= 10;
        }
        return t;
    }();
    return table[exponent];
}

Result<U256> U256::from_dec(std::string_view text) {
    if (text.empty()) return fail("uint256: empty decimal string");
    U512 acc = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return fail("uint256: invalid decimal digit at position " + std::to_string(i));
        acc = acc * 10 + static_cast<unsigned>(c - '0');
        if (acc >= kWordLimit) return fail("uint256: decimal value exceeds 2^256-1");
    }
    return U256(Rep(acc));
}

Result<U256> U256::from_hex(std::string_view text) {
    const std::string_view digits = hex::strip_prefix(text);
    const std::size_t prefix = text.size() - digits.size();
    if (digits.empty()) return fail("uint256: empty hex string");
    std::size_t first = 0;
    while (first + 1 < digits.size() && digits[first] == '0') ++first;
    if (digits.size() - first > 64) return fail("uint256: hex value exceeds 2^256-1");
    Rep acc = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        const int d = hex::digit_value(digits[i]);
        if (d < 0) return fail("uint256: invalid hex digit at position " + std::to_string(prefix + i));
        acc = (acc << 4) | static_cast<unsigned>(d);
    }
    return U256(acc);
}

U256 U256::from_be(ByteView bytes) {
    if (bytes.size() > 32) throw std::logic_error("U256::from_be: more than 32 bytes");
    Rep acc = 0;
    for (std::uint8_t b : bytes) acc = (acc << 8) | b;
    return U256(acc);
}

std::array<std::uint8_t, 32> U256::to_be() const {
    std::array<std::uint8_t, 32> out{};
    Rep v = v_;
    for (int i = 31; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
        v >>= 8;
    }
    return out;
}

std::string U256::to_dec() const { return v_.str(); }

std::string U256::to_hex() const {
    const auto be = to_be();
    std::string h = hex::encode(be, false);
    const std::size_t first = h.find_first_not_of('0');
    // Appending (not `"0x" + temporary`) sidesteps GCC 12's false -Wrestrict at -O3.
    std::string out("0x");
    if (first == std::string::npos)
        out.push_back('0');
    else
        out.append(h, first, std::string::npos);
    return out;
}

double U256::to_double() const { return v_.convert_to<double>(); }

std::uint64_t U256::low64() const { return static_cast<std::uint64_t>(v_ & Rep(~std::uint64_t{0})); }

bool U256::fits_u64() const { return v_ <= Rep(~std::uint64_t{0}); }

unsigned U256::bit_width() const {
    return v_.is_zero() ? 0 : static_cast<unsigned>(boost::multiprecision::msb(v_)) + 1;
}

namespace {

// Fast paths: most amounts, prices and indexes in the margin models fit 128
// bits and their products 256, where boost's 512-bit multiply and divide
// cost several times more (the stress grid spends most of its time there).
// Exactness is unchanged: each path is taken only when its width suffices.
__extension__ typedef unsigned __int128 u256_u128;

// The value as 128 bits, when it fits.
bool u256_as_u128(const U256::Rep& v, u256_u128& out) {
    const auto& backend = v.backend();
    const auto* limbs = backend.limbs();
    static_assert(sizeof(*limbs) == 8, "64-bit limbs");
    const std::size_t n = backend.size();
    if (n > 2) {
        for (std::size_t i = 2; i < n; ++i)
            if (limbs[i] != 0) return false;
    }
    out = limbs[0];
    if (n >= 2) out |= static_cast<u256_u128>(limbs[1]) << 64;
    return true;
}

U256::Rep u256_from_u128(u256_u128 v) {
    U256::Rep r = static_cast<std::uint64_t>(v >> 64);
    r <<= 64;
    r |= static_cast<std::uint64_t>(v);
    return r;
}

__extension__ typedef __int128 u256_i128;

// The value's four 64-bit limbs, low first.
void u256_limbs(const U256::Rep& v, std::uint64_t (&out)[4]) {
    const auto& backend = v.backend();
    const auto* limbs = backend.limbs();
    const std::size_t n = backend.size() < 4 ? backend.size() : 4;
    for (std::size_t i = 0; i < 4; ++i) out[i] = i < n ? limbs[i] : 0;
}

U256::Rep u256_from_limbs(const std::uint64_t (&limbs)[4]) {
    U256::Rep r = limbs[3];
    for (int i = 2; i >= 0; --i) {
        r <<= 64;
        r |= limbs[i];
    }
    return r;
}

// a / d and a % d for 0 < d < 2^128, in 64-bit digits: a 128-by-64 division
// per limb when d < 2^64, else Knuth's algorithm D (TAOCP 4.3.1; the shape
// of Hacker's Delight's divmnu) with a normalised two-limb divisor. False
// (nothing written) for a wider or zero divisor.
bool u256_div_fast(const U256::Rep& a, const U256::Rep& d, U256::Rep& quotient, U256::Rep& remainder) {
    std::uint64_t v[4];
    u256_limbs(d, v);
    if (v[2] != 0 || v[3] != 0 || (v[0] == 0 && v[1] == 0)) return false;
    std::uint64_t u[4];
    u256_limbs(a, u);
    std::uint64_t q[4] = {0, 0, 0, 0};
    if (v[1] == 0) {
        const std::uint64_t divisor = v[0];
        u256_u128 rem = 0;
        for (int i = 3; i >= 0; --i) {
            const u256_u128 current = (rem << 64) | u[i];
            q[i] = static_cast<std::uint64_t>(current / divisor);  // < 2^64 since rem < divisor
            rem = current % divisor;
        }
        quotient = u256_from_limbs(q);
        remainder = static_cast<std::uint64_t>(rem);
        return true;
    }
    // Normalise: the divisor's top bit set, the dividend shifted alike into five limbs.
    const int shift = __builtin_clzll(v[1]);
    const std::uint64_t v1 = shift == 0 ? v[1] : (v[1] << shift) | (v[0] >> (64 - shift));
    const std::uint64_t v0 = v[0] << shift;
    std::uint64_t un[5];
    un[4] = shift == 0 ? 0 : u[3] >> (64 - shift);
    for (int i = 3; i >= 1; --i) un[i] = shift == 0 ? u[i] : (u[i] << shift) | (u[i - 1] >> (64 - shift));
    un[0] = u[0] << shift;
    const u256_u128 base = static_cast<u256_u128>(1) << 64;
    const std::uint64_t vn[2] = {v0, v1};
    for (int j = 2; j >= 0; --j) {
        const u256_u128 numerator = (static_cast<u256_u128>(un[j + 2]) << 64) | un[j + 1];
        u256_u128 qhat = numerator / v1;
        u256_u128 rhat = numerator % v1;
        while (qhat >= base || qhat * v0 > ((rhat << 64) | un[j])) {
            --qhat;
            rhat += v1;
            if (rhat >= base) break;
        }
        // un[j..j+2] -= qhat * (v1, v0)
        u256_i128 borrow = 0;
        for (int i = 0; i < 2; ++i) {
            const u256_u128 product = qhat * vn[i];
            const u256_i128 t = static_cast<u256_i128>(un[i + j]) - borrow -
                                static_cast<u256_i128>(static_cast<std::uint64_t>(product));
            un[i + j] = static_cast<std::uint64_t>(t);
            borrow = static_cast<u256_i128>(product >> 64) - (t >> 64);
        }
        const u256_i128 top = static_cast<u256_i128>(un[j + 2]) - borrow;
        un[j + 2] = static_cast<std::uint64_t>(top);
        q[j] = static_cast<std::uint64_t>(qhat);
        // With a two-limb divisor the estimate's test above sees the whole
        // divisor, so qhat is exact and this add-back never runs; it stays as
        // the algorithm has it rather than rest on that argument.
        if (top < 0) {  // qhat was one too many: add the divisor back
            --q[j];
            u256_u128 carry = 0;
            for (int i = 0; i < 2; ++i) {
                const u256_u128 t = static_cast<u256_u128>(un[i + j]) + vn[i] + carry;
                un[i + j] = static_cast<std::uint64_t>(t);
                carry = t >> 64;
            }
            un[j + 2] += static_cast<std::uint64_t>(carry);
        }
    }
    quotient = u256_from_limbs(q);
    const u256_u128 rem = ((static_cast<u256_u128>(un[1]) << 64) | un[0]) >> shift;
    remainder = u256_from_u128(rem);
    return true;
}

unsigned u256_width_of(const U256::Rep& v) {
    return v.is_zero() ? 0 : static_cast<unsigned>(boost::multiprecision::msb(v)) + 1;
}

}  // namespace

U256 operator/(const U256& a, const U256& b) {
    if (b.is_zero()) throw std::logic_error("U256: division by zero");
    u256_u128 x = 0, y = 0;
    if (u256_as_u128(a.v_, x) && u256_as_u128(b.v_, y)) return U256(u256_from_u128(x / y));
    U256::Rep q, r;
    if (u256_div_fast(a.v_, b.v_, q, r)) return U256(q);
    return U256(U256::Rep(a.v_ / b.v_));
}

U256 operator%(const U256& a, const U256& b) {
    if (b.is_zero()) throw std::logic_error("U256: modulo by zero");
    U256::Rep q, r;
    if (u256_div_fast(a.v_, b.v_, q, r)) return U256(r);
    return U256(U256::Rep(a.v_ % b.v_));
}

std::optional<U256> checked_add(const U256& a, const U256& b) {
    U256 r = a + b;
    if (r < a) return std::nullopt;
    return r;
}

std::optional<U256> checked_sub(const U256& a, const U256& b) {
    if (b > a) return std::nullopt;
    return a - b;
}

std::optional<U256> checked_mul(const U256& a, const U256& b) {
    const unsigned width = u256_width_of(a.rep()) + u256_width_of(b.rep());
    if (width <= 128) {
        u256_u128 x = 0, y = 0;
        u256_as_u128(a.rep(), x);
        u256_as_u128(b.rep(), y);
        return U256(u256_from_u128(x * y));
    }
    if (width <= 256) return U256(U256::Rep(a.rep() * b.rep()));  // cannot wrap
    const U512 wide = U512(a.rep()) * U512(b.rep());
    if (wide >= kWordLimit) return std::nullopt;
    return U256(U256::Rep(wide));
}

std::optional<U256> mul_div_down(const U256& a, const U256& b, const U256& d) {
    if (d.is_zero()) return std::nullopt;
    const unsigned width = u256_width_of(a.rep()) + u256_width_of(b.rep());
    if (width <= 128) {
        u256_u128 x = 0, y = 0, z = 0;
        u256_as_u128(a.rep(), x);
        u256_as_u128(b.rep(), y);
        if (!u256_as_u128(d.rep(), z)) return U256();  // d > product
        return U256(u256_from_u128(x * y / z));
    }
    if (width <= 256) {
        const U256::Rep product = a.rep() * b.rep();
        U256::Rep q, r;
        if (u256_div_fast(product, d.rep(), q, r)) return U256(q);
        return U256(U256::Rep(product / d.rep()));
    }
    const U512 q = U512(a.rep()) * U512(b.rep()) / U512(d.rep());
    if (q >= kWordLimit) return std::nullopt;
    return U256(U256::Rep(q));
}

std::optional<U256> mul_div_up(const U256& a, const U256& b, const U256& d) {
    if (d.is_zero()) return std::nullopt;
    const unsigned width = u256_width_of(a.rep()) + u256_width_of(b.rep());
    if (width <= 128) {
        u256_u128 x = 0, y = 0, z = 0;
        u256_as_u128(a.rep(), x);
        u256_as_u128(b.rep(), y);
        const u256_u128 product = x * y;
        if (!u256_as_u128(d.rep(), z)) return U256(product == 0 ? 0 : 1);  // d > product
        return U256(u256_from_u128(product / z + (product % z != 0 ? 1 : 0)));
    }
    if (width <= 256) {
        const U256::Rep product = a.rep() * b.rep();
        U256::Rep q, r;
        if (!u256_div_fast(product, d.rep(), q, r)) {
            q = product / d.rep();
            r = product % d.rep();
        }
        if (r != 0) q += 1;
        return U256(q);  // <= product < 2^256
    }
    const U512 product = U512(a.rep()) * U512(b.rep());
    const U512 dd(d.rep());
    U512 q = product / dd;
    if (product % dd != 0) q += 1;
    if (q >= kWordLimit) return std::nullopt;
    return U256(U256::Rep(q));
}

U256 div_up(const U256& a, const U256& d) {
    const U256 q = a / d;
    return (a % d).is_zero() ? q : q + 1;
}

}  // namespace keeper

std::size_t std::hash<keeper::U256>::operator()(const keeper::U256& v) const noexcept {
    const auto be = v.to_be();
    std::size_t h = 0;
    for (std::size_t i = 0; i < 32; i += 8) {
        std::uint64_t w = 0;
        for (std::size_t j = 0; j < 8; ++j) w = (w << 8) | be[i + j];
        h ^= w + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return h;
}
