#include "oracles/chainlink_events.hpp"

#include <cstdlib>
#include <limits>
#include <string>

#include "core/abi_signature.hpp"

namespace keeper::oracles::chainlink {
namespace {

using abi::DecodedLog;
using abi::EventSpec;


struct Specs {
    EventSpec answer_updated;
    EventSpec ocr1;
    EventSpec ocr2;
};

EventSpec parse_or_die(std::string_view text) {
    auto parsed = abi::parse_event(text);
    if (!parsed) std::abort();  // a constant signature that does not parse: a bug
    return std::move(*parsed);
}

const Specs& specs() {
    static const Specs s{
        parse_or_die("AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)"),
        parse_or_die("NewTransmission(uint32 indexed aggregatorRoundId, int192 answer, address transmitter, "
                     "int192[] observations, bytes observers, bytes32 rawReportContext)"),
        parse_or_die("NewTransmission(uint32 indexed aggregatorRoundId, int192 answer, address transmitter, "
                     "uint32 observationsTimestamp, int192[] observations, bytes observers, int192 juelsPerFeeCoin, "
                     "bytes32 configDigest, uint40 epochAndRound)"),
    };
    return s;
}

// decode_log has checked every value against its declared type, so this
// read cannot miss; it still fails softly rather than trust that.
Result<std::vector<abi::I256>> ints_at(const DecodedLog& log, std::size_t i) {
    const abi::Value::List* list = log.values.at(i).value.as_list();
    if (list == nullptr) return fail("value " + std::to_string(i) + " is not an array");
    std::vector<abi::I256> out;
    out.reserve(list->size());
    for (const auto& v : *list) {
        const abi::I256* x = v.as_int();
        if (x == nullptr) return fail("value " + std::to_string(i) + " holds a non-int");
        out.push_back(*x);
    }
    return out;
}

#define KEEPER_READ(var, expr)         \
    auto var = (expr);                 \
    if (!var) return std::unexpected(var.error())

Result<FeedEvent> answer_updated(const DecodedLog& log) {
    KEEPER_READ(current, log.int_at(0));
    KEEPER_READ(round, log.uint_at(1));
    KEEPER_READ(updated_at, log.uint_at(2));
    return FeedEvent(AnswerUpdated{*current, *round, *updated_at});
}

Result<FeedEvent> ocr1(const DecodedLog& log) {
    NewTransmission t;
    t.ocr = NewTransmission::Ocr::v1;
    KEEPER_READ(round, log.uint_at(0));
    KEEPER_READ(answer, log.int_at(1));
    KEEPER_READ(transmitter, log.address_at(2));
    KEEPER_READ(observations, ints_at(log, 3));
    KEEPER_READ(observers, log.bytes_at(4));
    KEEPER_READ(context, log.bytes_at(5));
    auto digest = Bytes32::from_bytes(*context);
    if (!digest) return std::unexpected(digest.error());
    t.aggregator_round_id = static_cast<std::uint32_t>(round->low64());  // uint32: checked by the decoder
    t.answer = *answer;
    t.transmitter = *transmitter;
    t.observations = std::move(*observations);
    t.observers = std::move(*observers);
    t.config_digest = *digest;
    t.epoch_and_round = (U256::from_be(digest->view()) & U256(0xff'ffff'ffffULL)).low64();
    return FeedEvent(std::move(t));
}

Result<FeedEvent> ocr2(const DecodedLog& log) {
    NewTransmission t;
    t.ocr = NewTransmission::Ocr::v2;
    KEEPER_READ(round, log.uint_at(0));
    KEEPER_READ(answer, log.int_at(1));
    KEEPER_READ(transmitter, log.address_at(2));
    KEEPER_READ(observed_at, log.uint_at(3));
    KEEPER_READ(observations, ints_at(log, 4));
    KEEPER_READ(observers, log.bytes_at(5));
    KEEPER_READ(juels, log.int_at(6));
    KEEPER_READ(digest_bytes, log.bytes_at(7));
    KEEPER_READ(epoch_and_round, log.uint_at(8));
    auto digest = Bytes32::from_bytes(*digest_bytes);
    if (!digest) return std::unexpected(digest.error());
    t.aggregator_round_id = static_cast<std::uint32_t>(round->low64());  // uint32, uint40: checked by the decoder
    t.answer = *answer;
    t.transmitter = *transmitter;
    t.observations_timestamp_s = static_cast<std::uint32_t>(observed_at->low64());
    t.observations = std::move(*observations);
    t.observers = std::move(*observers);
    t.juels_per_fee_coin = *juels;
    t.config_digest = *digest;
    t.epoch_and_round = epoch_and_round->low64();
    return FeedEvent(std::move(t));
}

#undef KEEPER_READ

Result<std::optional<FeedEvent>> decoded(const EventSpec& event, std::string_view name,
                                         Result<FeedEvent> (*convert)(const DecodedLog&),
                                         std::span<const Bytes32> topics, ByteView data) {
    auto log = abi::decode_log(event, topics, data);
    if (!log) return std::unexpected(context(name, log.error()));
    auto out = convert(*log);
    if (!out) return std::unexpected(context(name, out.error()));
    return std::optional<FeedEvent>(std::move(*out));
}

std::uint64_t saturated_u64(const U256& v) {
    return v.fits_u64() ? v.low64() : std::numeric_limits<std::uint64_t>::max();
}

}  // namespace

Bytes32 answer_updated_topic() { return specs().answer_updated.topic0; }
Bytes32 ocr1_new_transmission_topic() { return specs().ocr1.topic0; }
Bytes32 ocr2_new_transmission_topic() { return specs().ocr2.topic0; }

const std::vector<Bytes32>& followed_topics() {
    static const std::vector<Bytes32> topics{answer_updated_topic(), ocr1_new_transmission_topic(),
                                             ocr2_new_transmission_topic()};
    return topics;
}

Result<std::optional<FeedEvent>> decode_event(std::span<const Bytes32> topics, ByteView data) {
    if (topics.empty()) return std::optional<FeedEvent>();
    const Specs& s = specs();
    const Bytes32& topic0 = topics.front();
    if (topic0 == s.answer_updated.topic0) return decoded(s.answer_updated, "AnswerUpdated", answer_updated, topics, data);
    if (topic0 == s.ocr1.topic0) return decoded(s.ocr1, "NewTransmission (OCR1)", ocr1, topics, data);
    if (topic0 == s.ocr2.topic0) return decoded(s.ocr2, "NewTransmission (OCR2)", ocr2, topics, data);
    return std::optional<FeedEvent>();
}

PriceUpdate to_price_update(const FeedEvent& event, const FeedContext& context) {
    PriceUpdate u;
    u.asset = context.asset;
    u.feed = context.aggregator;
    u.block = context.block;
    u.price.decimals = context.decimals;
    if (const auto* a = std::get_if<AnswerUpdated>(&event)) {
        u.price.answer = a->current;
        u.source = PriceSource::chainlink_answer_updated;
        u.round_id = a->round_id;
        u.observed_at_s = saturated_u64(a->updated_at_s);
        return u;
    }
    const auto& t = std::get<NewTransmission>(event);
    u.price.answer = t.answer;
    u.round_id = U256(t.aggregator_round_id);
    if (t.ocr == NewTransmission::Ocr::v1) {
        u.source = PriceSource::chainlink_ocr1_transmission;
        u.observed_at_s = context.block_timestamp_s;
    } else {
        u.source = PriceSource::chainlink_ocr2_transmission;
        u.observed_at_s = t.observations_timestamp_s.value_or(0);
    }
    return u;
}

}  // namespace keeper::oracles::chainlink
