#pragma once
// A fresh directory per test and small value makers for the state tests.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "keeper/state/state_store.hpp"

namespace keeper::state::testing {

class StateDirTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "keeper-state-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        root_ = pattern;
        dir_ = root_ / "state";  // not created yet: open() must create it
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }

    StateStore open_store(std::uint64_t chain_id = 31337) {
        auto opened = StateStore::open(dir_, chain_id);
        if (!opened) ADD_FAILURE() << opened.error().message;
        return std::move(opened.value().store);
    }

    std::filesystem::path root_;
    std::filesystem::path dir_;
};

// Distinct, recognisable values: byte 0 carries a tag so that a hash and an
// address made from the same n differ.
inline Bytes32 hash_n(std::uint8_t n) {
    Bytes32 h;
    h.bytes[0] = 0xb0;
    h.bytes[31] = n;
    return h;
}

inline Address address_n(std::uint8_t n) {
    Address a;
    a.bytes[0] = 0xa0;
    a.bytes[19] = n;
    return a;
}

// 2^255 + 1: uses the top bit and the bottom bit of a word.
inline U256 big_value() { return (U256(1) << 255) + U256(1); }

inline const ProtocolBinding kMorpho{"morpho-blue@0x00000000000000000000000000000000000000aa", 100, hash_n(100)};

}  // namespace keeper::state::testing
