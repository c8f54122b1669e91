#include "oracles/ocr2_transmit.hpp"

#include <cstdlib>
#include <string>

#include "core/abi_codec.hpp"
#include "core/abi_type.hpp"

namespace keeper::oracles::chainlink {
namespace {

constexpr std::string_view kTransmitSignature = "transmit(bytes32[3],bytes,bytes32[],bytes32[],bytes32)";

std::vector<abi::Type> types_or_die(std::string_view text) {
    auto parsed = abi::parse_type_list(text);
    if (!parsed) std::abort();  // a constant type list that does not parse: a bug
    return std::move(*parsed);
}
const std::vector<abi::Type>& transmit_types() {
    static const auto types = types_or_die("bytes32[3],bytes,bytes32[],bytes32[],bytes32");
    return types;
}
const std::vector<abi::Type>& report_types() {
    static const auto types = types_or_die("uint32,bytes32,int192[],int192");
    return types;
}

// The fixed part of transmit's calldata: selector, reportContext (3 words),
// three offsets, rawVs and three lengths. The aggregator requires
// msg.data.length == this + report.length + 32 * (rs.length + ss.length)
// (_requireExpectedMsgDataLength): anything longer or shorter reverts.
constexpr std::size_t kTransmitFixedBytes = 4 + 3 * 32 + 3 * 32 + 32 + 3 * 32;
// observationsTimestamp, rawObservers, the observations' offset,
// juelsPerFeeCoin and the observations' length (_requireExpectedReportLength).
constexpr std::size_t kReportFixedBytes = 5 * 32;

Result<Ocr2Report> decode_report(ByteView raw) {
    auto values = abi::decode(report_types(), raw);
    if (!values) return std::unexpected(context("report", values.error()));
    const auto& v = *values;
    const auto* observations = v[2].as_list();
    const auto* raw_observers = v[1].as_bytes();
    const auto* timestamp = v[0].as_uint();
    const auto* juels = v[3].as_int();
    if (observations == nullptr || raw_observers == nullptr || timestamp == nullptr || juels == nullptr)
        return fail("report: decoded values of unexpected types");
    const std::size_t n = observations->size();
    if (n == 0) return fail("report: no observations (the aggregator has no median to take)");
    if (n > kOcr2MaxObservations)
        return fail("report: " + std::to_string(n) + " observations, more than the aggregator's " +
                    std::to_string(kOcr2MaxObservations));
    const std::size_t expected = kReportFixedBytes + 32 * n;
    if (raw.size() != expected)
        return fail("report: " + std::to_string(raw.size()) + " bytes, the aggregator requires exactly " +
                    std::to_string(expected) + " for " + std::to_string(n) + " observations");
    Ocr2Report out;
    out.observations_timestamp_s = static_cast<std::uint32_t>(timestamp->low64());  // uint32: checked by decode
    out.observers.assign(raw_observers->begin(), raw_observers->begin() + static_cast<std::ptrdiff_t>(n));
    out.observations.reserve(n);
    for (const auto& o : *observations) {
        const auto* x = o.as_int();
        if (x == nullptr) return fail("report: an observation is not an int");
        out.observations.push_back(*x);
    }
    out.juels_per_fee_coin = *juels;
    return out;
}

Bytes32 word(const abi::Value& v) {
    const Bytes* b = v.as_bytes();
    return b == nullptr ? Bytes32{} : Bytes32::from_bytes(*b).value_or(Bytes32{});
}

}  // namespace

Selector ocr2_transmit_selector() {
    static const Selector s = selector(kTransmitSignature);
    return s;
}

Result<std::optional<Ocr2Transmit>> decode_ocr2_transmit(ByteView calldata) {
    const Selector sel = ocr2_transmit_selector();
    if (calldata.size() < sel.size() || !std::equal(sel.begin(), sel.end(), calldata.begin()))
        return std::optional<Ocr2Transmit>();
    auto values = abi::decode(transmit_types(), calldata.subspan(sel.size()));
    if (!values) return std::unexpected(context("transmit", values.error()));
    const auto& v = *values;
    const auto* report_context = v[0].as_list();
    const auto* report = v[1].as_bytes();
    const auto* rs = v[2].as_list();
    const auto* ss = v[3].as_list();
    if (report_context == nullptr || report_context->size() != 3 || report == nullptr || rs == nullptr || ss == nullptr)
        return fail("transmit: decoded values of unexpected types");
    if (rs->size() != ss->size())
        return fail("transmit: " + std::to_string(rs->size()) + " rs but " + std::to_string(ss->size()) +
                    " ss (the aggregator reverts: signatures out of registration)");
    // Bounded by the decode above: every length was checked against the input's size.
    const std::size_t expected = kTransmitFixedBytes + report->size() + 32 * (rs->size() + ss->size());
    if (calldata.size() != expected)
        return fail("transmit: " + std::to_string(calldata.size()) + " bytes of calldata, the aggregator requires " +
                    std::to_string(expected) + " (calldata length mismatch)");
    auto decoded = decode_report(*report);
    if (!decoded) return std::unexpected(context("transmit", decoded.error()));
    Ocr2Transmit out;
    out.config_digest = word((*report_context)[0]);
    const Bytes32 epoch_word = word((*report_context)[1]);
    for (std::size_t i = 27; i < 32; ++i) out.epoch_and_round = (out.epoch_and_round << 8) | epoch_word.bytes[i];
    out.extra_hash = word((*report_context)[2]);
    out.report = std::move(*decoded);
    out.signatures = rs->size();
    return std::optional<Ocr2Transmit>(std::move(out));
}

PriceUpdate to_pending_price_update(const Ocr2Transmit& t, const Address& asset, std::uint8_t decimals,
                                    const Address& aggregator) {
    PriceUpdate u;
    u.asset = asset;
    u.feed = aggregator;
    u.price = ScaledAnswer{t.median(), decimals};
    u.source = PriceSource::chainlink_ocr2_pending;
    u.observed_at_s = t.report.observations_timestamp_s;
    return u;
}

Result<Bytes> encode_ocr2_transmit(const Ocr2Transmit& t) {
    if (t.report.observers.size() > 32) return fail("transmit: more than 32 observers do not fit rawObservers");
    Bytes raw_observers(32, 0);
    std::copy(t.report.observers.begin(), t.report.observers.end(), raw_observers.begin());
    abi::Value::List observations;
    for (const auto& o : t.report.observations) observations.emplace_back(o);
    const std::vector<abi::Value> report_values{
        abi::Value(U256(t.report.observations_timestamp_s)), abi::Value(std::move(raw_observers)),
        abi::Value(std::move(observations)), abi::Value(t.report.juels_per_fee_coin)};
    auto report = abi::encode(report_types(), report_values);
    if (!report) return std::unexpected(context("report", report.error()));
    Bytes epoch_word(32, 0);
    for (std::size_t i = 0; i < 5; ++i) epoch_word[31 - i] = static_cast<std::uint8_t>(t.epoch_and_round >> (8 * i));
    const Bytes zero_word(32, 0);
    const abi::Value::List signatures(t.signatures, abi::Value(zero_word));
    const std::vector<abi::Value> args{
        abi::Value(abi::Value::List{abi::Value(Bytes(t.config_digest.bytes.begin(), t.config_digest.bytes.end())),
                                    abi::Value(std::move(epoch_word)),
                                    abi::Value(Bytes(t.extra_hash.bytes.begin(), t.extra_hash.bytes.end()))}),
        abi::Value(std::move(*report)), abi::Value(signatures), abi::Value(signatures), abi::Value(zero_word)};
    const Selector sel = ocr2_transmit_selector();
    Bytes out(sel.begin(), sel.end());
    if (auto encoded = abi::encode_into(transmit_types(), args, out); !encoded)
        return std::unexpected(context("transmit", encoded.error()));
    return out;
}

}  // namespace keeper::oracles::chainlink
