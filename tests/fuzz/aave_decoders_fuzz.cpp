// fuzz-libs: keeper::chain keeper::margin
// A hostile node's Aave V3 logs and return data: every decoder must decode or
// fail with an error, never crash or read out of bounds; what decodes must be
// exactly the canonical encoding (re-encoding gives the input back), and a
// decoded event's touched accounts must come from the event itself.
//
// Input: byte 0 picks the followed event whose topic0 the log carries (the
// Pool's in pool_topics() order, then BalanceTransfer; from 12 up, a topic0
// taken from the input), byte 1 the number of further topics (0-3) and, in
// its high nibble, the count decode_uint256_array expects; then those topics
// (32 bytes each) and the rest is the data, which the return-data decoders
// also read.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <variant>

#include "chain/aave/aave_calls.hpp"
#include "chain/aave/aave_log_decoder.hpp"
#include "margin/aave_v3_config.hpp"

namespace {

using namespace keeper;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

bool same(ByteView a, ByteView b) { return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0; }

void append_word(Bytes& out, const U256& v) {
    const auto be = v.to_be();
    out.insert(out.end(), be.begin(), be.end());
}
void append_address(Bytes& out, const Address& a) {
    out.resize(out.size() + 12, 0);
    out.insert(out.end(), a.bytes.begin(), a.bytes.end());
}

void reencode_reserve_data(ByteView input, const chain::aave_v3::ReserveDataReading& r) {
    Bytes out;
    for (const U256* w : {&r.configuration, &r.liquidity_index_ray, &r.current_liquidity_rate_ray,
                          &r.variable_borrow_index_ray, &r.current_variable_borrow_rate_ray,
                          &r.current_stable_borrow_rate_ray})
        append_word(out, *w);
    append_word(out, U256(r.last_update_timestamp));
    append_word(out, U256(r.id));
    for (const Address* a : {&r.a_token, &r.stable_debt_token, &r.variable_debt_token, &r.interest_rate_strategy})
        append_address(out, *a);
    for (const U256* w : {&r.accrued_to_treasury, &r.unbacked, &r.isolation_mode_total_debt}) append_word(out, *w);
    check(same(out, input));
    (void)aave::ReserveConfig::decode(r.configuration);
}

void reencode_emode(ByteView input, const chain::aave_v3::EModeCategoryReading& c) {
    Bytes out;
    append_word(out, U256(32));
    append_word(out, U256(c.ltv_bps));
    append_word(out, U256(c.liquidation_threshold_bps));
    append_word(out, U256(c.liquidation_bonus_bps));
    append_address(out, c.price_source);
    append_word(out, U256(160));
    append_word(out, U256(static_cast<std::uint64_t>(c.label.size())));
    out.insert(out.end(), c.label.begin(), c.label.end());
    out.resize(out.size() + (32 - c.label.size() % 32) % 32, 0);
    check(same(out, input));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace aave = chain::aave_v3;
    if (size < 2) return 0;
    const auto& pool = aave::pool_topics();
    chain::Log log;
    log.address = Address(std::array<std::uint8_t, 20>{0xa7});
    std::size_t at = 2;
    auto take_word = [&]() {
        Bytes32 word;
        for (std::size_t i = 0; i < 32 && at < size; ++i) word.bytes[i] = data[at++];
        return word;
    };
    if (data[0] < pool.size()) log.topics.push_back(pool[data[0]]);
    else if (data[0] == pool.size()) log.topics.push_back(aave::balance_transfer_topic());
    else log.topics.push_back(take_word());
    for (unsigned i = 0; i < (data[1] & 3u); ++i) log.topics.push_back(take_word());
    log.data.assign(data + at, data + size);

    auto event = aave::decode_event(log);
    if (event && event->has_value()) {
        // Every touched account is one of the event's own addresses, each once.
        const auto touched = aave::touched_accounts(**event);
        for (std::size_t i = 0; i < touched.size(); ++i)
            for (std::size_t j = i + 1; j < touched.size(); ++j) check(touched[i] != touched[j]);
        if (const auto* transfer = std::get_if<aave::BalanceTransferEvent>(&**event))
            check(transfer->token == log.address);
    }

    const ByteView rest(data + at, size - at);
    (void)aave::decode_user_account_data(rest);
    if (auto list = aave::decode_address_array(rest)) {
        check(list->size() <= aave::kMaxAddressArray);
        // getAssetsPrices' argument is the same address[] encoding, after its selector.
        const Bytes again = aave::encode_get_assets_prices(*list);
        check(same(ByteView(again).subspan(4), rest));
    }
    if (auto reserve = aave::decode_reserve_data(rest)) reencode_reserve_data(rest, *reserve);
    if (auto category = aave::decode_emode_category(rest)) reencode_emode(rest, *category);
    const std::size_t expected = data[1] >> 4;
    if (auto prices = aave::decode_uint256_array(rest, expected)) check(prices->size() == expected);
    (void)aave::decode_address(rest);
    (void)aave::decode_uint256(rest);
    return 0;
}
