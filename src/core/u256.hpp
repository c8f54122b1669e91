#pragma once
// 256-bit unsigned integer as a value type: the EVM's word. Plain operators
// wrap modulo 2^256 like the EVM's `unchecked` blocks; the checked_* forms and
// mul_div_* say when Solidity 0.8 would revert. Wraps Boost.Multiprecision so
// the representation can be swapped (DESIGN.md rule 2).
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace keeper {

class U256 {
public:
    using Rep = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
        256, 256, boost::multiprecision::unsigned_magnitude, boost::multiprecision::unchecked, void>>;

    U256() = default;
    // Implicit from built-in unsigned values: `U256 x = 5;` reads naturally.
    U256(std::uint64_t v) : v_(v) {}  // NOLINT(google-explicit-constructor)
    explicit U256(const Rep& v) : v_(v) {}

    static U256 max();
    static U256 pow10(unsigned exponent);  // 10^exponent, exponent <= 77

    // Decimal digits only ("123"); rejects empty, signs, non-digits and overflow.
    static Result<U256> from_dec(std::string_view text);
    // "0x"-prefixed or bare hex of up to 64 digits; "0x" alone is rejected.
    static Result<U256> from_hex(std::string_view text);
    // A big-endian word of at most 32 bytes (shorter input is left-padded).
    static U256 from_be(ByteView bytes);

    std::array<std::uint8_t, 32> to_be() const;
    std::string to_dec() const;
    std::string to_hex() const;  // "0x" + minimal lowercase digits ("0x0" for zero), as JSON-RPC quantities
    double to_double() const;     // nearest double; for screening and display only
    std::uint64_t low64() const;
    bool fits_u64() const;
    unsigned bit_width() const;   // 0 for zero
    bool is_zero() const { return v_.is_zero(); }
    const Rep& rep() const { return v_; }

    friend U256 operator+(const U256& a, const U256& b) { return U256(Rep(a.v_ + b.v_)); }
    friend U256 operator-(const U256& a, const U256& b) { return U256(Rep(a.v_ - b.v_)); }
    friend U256 operator*(const U256& a, const U256& b) { return U256(Rep(a.v_ * b.v_)); }
    // Division by zero is a bug, not an input error: callers check first.
    friend U256 operator/(const U256& a, const U256& b);
    friend U256 operator%(const U256& a, const U256& b);
    friend U256 operator&(const U256& a, const U256& b) { return U256(Rep(a.v_ & b.v_)); }
    friend U256 operator|(const U256& a, const U256& b) { return U256(Rep(a.v_ | b.v_)); }
    friend U256 operator^(const U256& a, const U256& b) { return U256(Rep(a.v_ ^ b.v_)); }
    friend U256 operator<<(const U256& a, unsigned n) { return n >= 256 ? U256() : U256(Rep(a.v_ << n)); }
    friend U256 operator>>(const U256& a, unsigned n) { return n >= 256 ? U256() : U256(Rep(a.v_ >> n)); }
    U256 operator~() const { return U256(Rep(~v_)); }
    U256& operator+=(const U256& b) { v_ += b.v_; return *this; }
    U256& operator-=(const U256& b) { v_ -= b.v_; return *this; }
    U256& operator*=(const U256& b) { v_ *= b.v_; return *this; }

    friend bool operator==(const U256& a, const U256& b) { return a.v_ == b.v_; }
    friend std::strong_ordering operator<=>(const U256& a, const U256& b) {
        return a.v_ < b.v_ ? std::strong_ordering::less
             : a.v_ > b.v_ ? std::strong_ordering::greater
                           : std::strong_ordering::equal;
    }

private:
    Rep v_{0};
};

// Solidity 0.8 checked arithmetic: nullopt where the contract would revert.
std::optional<U256> checked_add(const U256& a, const U256& b);
std::optional<U256> checked_sub(const U256& a, const U256& b);
std::optional<U256> checked_mul(const U256& a, const U256& b);

// a * b / d with a 512-bit intermediate, rounded down or up. nullopt when d
// is zero or the quotient does not fit 256 bits.
std::optional<U256> mul_div_down(const U256& a, const U256& b, const U256& d);
std::optional<U256> mul_div_up(const U256& a, const U256& b, const U256& d);

// Ceiling division; d must not be zero.
U256 div_up(const U256& a, const U256& d);

inline U256 min(const U256& a, const U256& b) { return a < b ? a : b; }
inline U256 max(const U256& a, const U256& b) { return a < b ? b : a; }

}  // namespace keeper

template <>
struct std::hash<keeper::U256> {
    std::size_t operator()(const keeper::U256& v) const noexcept;
};
