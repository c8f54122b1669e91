#include "chain/aave/aave_calls.hpp"

#include <string_view>

#include "core/abi_static_call.hpp"
#include "core/abi_words.hpp"
#include "core/keccak.hpp"

namespace keeper::chain::aave_v3 {
namespace {

constexpr std::size_t kWord = 32;

std::string bytes_text(std::size_t n) { return std::to_string(n) + " bytes of return data"; }

Result<void> expect_words(ByteView data, std::size_t words, std::string_view what) {
    if (data.size() != words * kWord)
        return fail(std::string(what) + ": expected " + bytes_text(words * kWord) + ", found " +
                    std::to_string(data.size()));
    return {};
}

// Word `index` must hold exactly `expected`: the offsets of a dynamic return
// value, which Solidity always writes canonically (a node answering other
// offsets is not answering this call).
Result<void> expect_offset(ByteView data, std::size_t index, std::size_t expected, std::string_view what) {
    auto v = abi::read_uint256(data, index);
    if (!v) return std::unexpected(context(what, v.error()));
    if (*v != U256(expected))
        return fail(std::string(what) + ": offset " + v->to_dec() + " in word " + std::to_string(index) +
                    ", expected " + std::to_string(expected));
    return {};
}

// The head of a dynamic array answer: offset 32, then a length of at most
// `max` entries (exactly `max` when `exact`), then exactly that many words.
// Returns the length.
Result<std::size_t> array_head(ByteView data, std::size_t max, bool exact, std::string_view what) {
    if (data.size() < 2 * kWord)
        return fail(std::string(what) + ": expected at least " + bytes_text(2 * kWord) + ", found " +
                    std::to_string(data.size()));
    if (auto ok = expect_offset(data, 0, kWord, what); !ok) return std::unexpected(ok.error());
    const U256 length = U256::from_be(data.subspan(kWord, kWord));
    if (exact ? length != U256(max) : length > U256(max))
        return fail(std::string(what) + ": length " + length.to_dec() + ", expected " + (exact ? "" : "at most ") +
                    std::to_string(max));
    // Sizes in U256: a caller's `max` may be large, the product must not wrap.
    const U256 size = (length + U256(2)) * U256(kWord);
    if (size != U256(data.size()))
        return fail(std::string(what) + ": length " + length.to_dec() + " needs " + size.to_dec() +
                    " bytes of return data, found " + std::to_string(data.size()));
    return static_cast<std::size_t>(length.low64());
}

Result<std::uint16_t> read_u16(ByteView data, std::size_t index, std::string_view what) {
    auto v = abi::read_uint(data, index, 16);
    if (!v) return std::unexpected(context(what, v.error()));
    return static_cast<std::uint16_t>(v->low64());
}

}  // namespace

Bytes encode_liquidation_call(const Address& collateral_asset, const Address& debt_asset, const Address& user,
                              const U256& debt_to_cover, bool receive_a_token) {
    return abi::StaticCall("liquidationCall(address,address,address,uint256,bool)")
        .address(collateral_asset)
        .address(debt_asset)
        .address(user)
        .uint(debt_to_cover)
        .uint(U256(receive_a_token ? 1u : 0u))
        .take();
}

Bytes encode_get_user_account_data(const Address& user) {
    return abi::StaticCall("getUserAccountData(address)").address(user).take();
}

Result<UserAccountDataReading> decode_user_account_data(ByteView data) {
    if (auto ok = expect_words(data, 6, "getUserAccountData"); !ok) return std::unexpected(ok.error());
    // Six full uint256 words: every bit pattern is a value, nothing to check.
    auto word = [&](std::size_t i) { return U256::from_be(data.subspan(i * kWord, kWord)); };
    return UserAccountDataReading{word(0), word(1), word(2), word(3), word(4), word(5)};
}

Bytes encode_get_reserves_list() { return abi::StaticCall("getReservesList()").take(); }

Result<std::vector<Address>> decode_address_array(ByteView data) {
    auto n = array_head(data, kMaxAddressArray, false, "address[]");
    if (!n) return std::unexpected(n.error());
    std::vector<Address> out;
    out.reserve(*n);
    for (std::size_t i = 0; i < *n; ++i) {
        auto a = abi::read_address(data, 2 + i);
        if (!a) return std::unexpected(context("address[]: entry " + std::to_string(i), a.error()));
        out.push_back(*a);
    }
    return out;
}

Bytes encode_get_reserve_data(const Address& asset) {
    return abi::StaticCall("getReserveData(address)").address(asset).take();
}

Result<ReserveDataReading> decode_reserve_data(ByteView data) {
    if (auto ok = expect_words(data, 15, "getReserveData"); !ok) return std::unexpected(ok.error());
    ReserveDataReading r;
    r.configuration = U256::from_be(data.first(kWord));

    struct Narrow {
        U256* field;
        std::size_t word;
        const char* name;
    };
    const Narrow uint128s[] = {
        {&r.liquidity_index_ray, 1, "liquidityIndex"},
        {&r.current_liquidity_rate_ray, 2, "currentLiquidityRate"},
        {&r.variable_borrow_index_ray, 3, "variableBorrowIndex"},
        {&r.current_variable_borrow_rate_ray, 4, "currentVariableBorrowRate"},
        {&r.current_stable_borrow_rate_ray, 5, "currentStableBorrowRate"},
        {&r.accrued_to_treasury, 12, "accruedToTreasury"},
        {&r.unbacked, 13, "unbacked"},
        {&r.isolation_mode_total_debt, 14, "isolationModeTotalDebt"},
    };
    for (const auto& f : uint128s) {
        auto v = abi::read_uint(data, f.word, 128);
        if (!v) return std::unexpected(context(std::string("getReserveData: ") + f.name, v.error()));
        *f.field = *v;
    }
    auto timestamp = abi::read_uint(data, 6, 40);
    if (!timestamp) return std::unexpected(context("getReserveData: lastUpdateTimestamp", timestamp.error()));
    r.last_update_timestamp = timestamp->low64();
    auto id = read_u16(data, 7, "getReserveData: id");
    if (!id) return std::unexpected(id.error());
    r.id = *id;

    struct Account {
        Address* field;
        std::size_t word;
        const char* name;
    };
    const Account addresses[] = {
        {&r.a_token, 8, "aTokenAddress"},
        {&r.stable_debt_token, 9, "stableDebtTokenAddress"},
        {&r.variable_debt_token, 10, "variableDebtTokenAddress"},
        {&r.interest_rate_strategy, 11, "interestRateStrategyAddress"},
    };
    for (const auto& f : addresses) {
        auto a = abi::read_address(data, f.word);
        if (!a) return std::unexpected(context(std::string("getReserveData: ") + f.name, a.error()));
        *f.field = *a;
    }
    return r;
}

Bytes encode_get_user_configuration(const Address& user) {
    return abi::StaticCall("getUserConfiguration(address)").address(user).take();
}

Bytes encode_get_user_emode(const Address& user) {
    return abi::StaticCall("getUserEMode(address)").address(user).take();
}

Bytes encode_get_emode_category_data(std::uint8_t id) {
    return abi::StaticCall("getEModeCategoryData(uint8)").uint(U256(id)).take();
}

Bytes encode_get_emode_collateral_bitmap(std::uint8_t id) {
    return abi::StaticCall("getEModeCategoryCollateralBitmap(uint8)").uint(U256(id)).take();
}

Bytes encode_get_emode_ltvzero_bitmap(std::uint8_t id) {
    return abi::StaticCall("getEModeCategoryLtvzeroBitmap(uint8)").uint(U256(id)).take();
}

Bytes encode_get_emode_isolated(std::uint8_t id) {
    return abi::StaticCall("getIsEModeCategoryIsolated(uint8)").uint(U256(id)).take();
}

Result<EModeCategoryReading> decode_emode_category(ByteView data) {
    constexpr std::string_view what = "getEModeCategoryData";
    // offset of the tuple, its five head words, the label's length word.
    constexpr std::size_t kFixed = 7 * kWord;
    if (data.size() < kFixed)
        return fail(std::string(what) + ": expected at least " + bytes_text(kFixed) + ", found " +
                    std::to_string(data.size()));
    if (auto ok = expect_offset(data, 0, kWord, what); !ok) return std::unexpected(ok.error());
    const ByteView tuple = data.subspan(kWord);
    EModeCategoryReading c;
    auto ltv = read_u16(tuple, 0, "getEModeCategoryData: ltv");
    auto threshold = read_u16(tuple, 1, "getEModeCategoryData: liquidationThreshold");
    auto bonus = read_u16(tuple, 2, "getEModeCategoryData: liquidationBonus");
    if (!ltv) return std::unexpected(ltv.error());
    if (!threshold) return std::unexpected(threshold.error());
    if (!bonus) return std::unexpected(bonus.error());
    auto source = abi::read_address(tuple, 3);
    if (!source) return std::unexpected(context("getEModeCategoryData: priceSource", source.error()));
    // The label's offset is relative to the tuple: right after its five head words.
    if (auto ok = expect_offset(tuple, 4, 5 * kWord, "getEModeCategoryData: label"); !ok)
        return std::unexpected(ok.error());

    const U256 length = U256::from_be(tuple.subspan(5 * kWord, kWord));
    const std::size_t room = data.size() - kFixed;
    if (length > U256(room))
        return fail(std::string(what) + ": label length " + length.to_dec() + " exceeds the " + std::to_string(room) +
                    " bytes that follow it");
    const std::size_t n = static_cast<std::size_t>(length.low64());
    const std::size_t padded = (n + kWord - 1) / kWord * kWord;
    if (room != padded)
        return fail(std::string(what) + ": label length " + std::to_string(n) + " needs " +
                    bytes_text(kFixed + padded) + ", found " + std::to_string(data.size()));
    const ByteView label = data.subspan(kFixed, padded);
    for (std::size_t i = n; i < padded; ++i)
        if (label[i] != 0)
            return fail(std::string(what) + ": non-zero padding after the label at byte " +
                        std::to_string(kFixed + i));

    c.ltv_bps = *ltv;
    c.liquidation_threshold_bps = *threshold;
    c.liquidation_bonus_bps = *bonus;
    c.price_source = *source;
    c.label.assign(label.begin(), label.begin() + static_cast<std::ptrdiff_t>(n));
    return c;
}

Bytes encode_get_reserve_normalized_income(const Address& asset) {
    return abi::StaticCall("getReserveNormalizedIncome(address)").address(asset).take();
}

Bytes encode_get_reserve_normalized_variable_debt(const Address& asset) {
    return abi::StaticCall("getReserveNormalizedVariableDebt(address)").address(asset).take();
}

Bytes encode_pool_revision() { return abi::StaticCall("POOL_REVISION()").take(); }

Bytes encode_scaled_balance_of(const Address& user) {
    return abi::StaticCall("scaledBalanceOf(address)").address(user).take();
}

Bytes encode_balance_of(const Address& user) { return abi::StaticCall("balanceOf(address)").address(user).take(); }

Bytes encode_get_asset_price(const Address& asset) {
    return abi::StaticCall("getAssetPrice(address)").address(asset).take();
}

Bytes encode_get_assets_prices(std::span<const Address> assets) {
    // One dynamic argument, written word by word: its offset (32), length, items.
    abi::StaticCall call("getAssetsPrices(address[])");
    call.uint(U256(kWord)).uint(U256(static_cast<std::uint64_t>(assets.size())));
    for (const auto& a : assets) call.address(a);
    return call.take();
}

Result<std::vector<U256>> decode_uint256_array(ByteView data, std::size_t expected_count) {
    auto n = array_head(data, expected_count, true, "uint256[]");
    if (!n) return std::unexpected(n.error());
    std::vector<U256> out;
    out.reserve(*n);
    for (std::size_t i = 0; i < *n; ++i) out.push_back(U256::from_be(data.subspan((2 + i) * kWord, kWord)));
    return out;
}

Bytes encode_get_pool() { return abi::StaticCall("getPool()").take(); }

Bytes encode_get_price_oracle() { return abi::StaticCall("getPriceOracle()").take(); }

Result<Address> decode_address(ByteView data) {
    if (auto ok = expect_words(data, 1, "address"); !ok) return std::unexpected(ok.error());
    return abi::read_address(data, 0);
}

Result<U256> decode_uint256(ByteView data) {
    if (auto ok = expect_words(data, 1, "uint256"); !ok) return std::unexpected(ok.error());
    return U256::from_be(data);
}

}  // namespace keeper::chain::aave_v3
