#include "oracles/pyth_calls.hpp"

#include <cstdlib>
#include <limits>
#include <vector>

#include "core/abi_codec.hpp"
#include "core/abi_signature.hpp"
#include "core/abi_type.hpp"

namespace keeper::oracles::pyth {
namespace {

const std::vector<abi::Type>& price_types() {
    static const std::vector<abi::Type> types = [] {
        auto parsed = abi::parse_type_list("int64,uint64,int32,uint256");
        if (!parsed) std::abort();  // a constant type list that does not parse: a bug
        return std::move(*parsed);
    }();
    return types;
}

Bytes call_with(std::string_view signature, std::vector<abi::Value> args) {
    auto call = abi::encode_call(signature, args);
    if (!call) std::abort();  // constant signatures and well-typed values: cannot fail
    return std::move(*call);
}

Bytes id_bytes(const Bytes32& id) { return Bytes(id.bytes.begin(), id.bytes.end()); }

// A decoded int<M> (M <= 64): its low 64 bits in two's complement.
std::int64_t low_int64(const abi::Value& v) {
    const abi::I256* x = v.as_int();
    return x == nullptr ? 0 : static_cast<std::int64_t>(x->twos.low64());
}

}  // namespace

Bytes get_price_unsafe_call(const Bytes32& id) {
    return call_with("getPriceUnsafe(bytes32)", {abi::Value(id_bytes(id))});
}

Bytes get_price_no_older_than_call(const Bytes32& id, std::uint64_t age_s) {
    return call_with("getPriceNoOlderThan(bytes32,uint256)", {abi::Value(id_bytes(id)), abi::Value(age_s)});
}

Result<Price> decode_price(ByteView data) {
    auto values = abi::decode(price_types(), data);
    if (!values) return std::unexpected(context("pyth Price", values.error()));
    const auto& v = *values;
    const U256* conf = v.at(1).as_uint();
    const U256* publish_time = v.at(3).as_uint();
    if (v.at(0).as_int() == nullptr || conf == nullptr || v.at(2).as_int() == nullptr || publish_time == nullptr)
        return fail("pyth Price: a value of the wrong type");  // decode checked the types: cannot happen
    return Price{low_int64(v.at(0)), conf->low64(), static_cast<std::int32_t>(low_int64(v.at(2))), *publish_time};
}

Result<PriceUpdate> to_price_update(const Price& price, const Bytes32& id, const FeedContext& context) {
    auto scaled = scaled_price(price.price, price.expo);
    if (!scaled) return std::unexpected(scaled.error());
    const std::uint64_t published = price.publish_time_s.fits_u64() ? price.publish_time_s.low64()
                                                                    : std::numeric_limits<std::uint64_t>::max();
    PriceUpdate u;
    u.asset = context.asset;
    u.price = *scaled;
    u.source = PriceSource::pyth_get_price;
    u.feed = context.contract;
    u.round_id = U256(published);
    u.observed_at_s = published;
    u.block = context.block;
    u.price_id = id;
    return u;
}

}  // namespace keeper::oracles::pyth
