#pragma once
// Calldata for a call whose arguments are all static (uint, address, bytesN,
// bool): the selector, then one 32-byte word per argument, written directly
// without building abi::Values. For getters and simple calls on hot paths.
#include <algorithm>
#include <string_view>
#include <utility>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/keccak.hpp"
#include "core/u256.hpp"

namespace keeper::abi {

class StaticCall {
public:
    explicit StaticCall(std::string_view canonical_signature) {
        const Selector s = selector(canonical_signature);
        out_.assign(s.begin(), s.end());
    }
    StaticCall& uint(const U256& v) {
        const auto be = v.to_be();
        out_.insert(out_.end(), be.begin(), be.end());
        return *this;
    }
    StaticCall& address(const Address& a) {
        out_.resize(out_.size() + 12, 0);
        out_.insert(out_.end(), a.bytes.begin(), a.bytes.end());
        return *this;
    }
    // bytesN (N <= 32): left-aligned, zero-padded on the right.
    StaticCall& fixed(ByteView b) {
        const std::size_t n = std::min<std::size_t>(b.size(), 32);
        out_.insert(out_.end(), b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
        out_.resize(out_.size() + (32 - n), 0);
        return *this;
    }
    Bytes take() { return std::move(out_); }

private:
    Bytes out_;
};

}  // namespace keeper::abi
