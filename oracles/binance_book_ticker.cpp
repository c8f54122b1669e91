#include "oracles/binance_book_ticker.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

namespace keeper::oracles::binance {
namespace {

using nlohmann::json;

// 10^77 < 2^256 < 10^78: at most 77 digits always fit a U256.
constexpr std::size_t kMaxDigits = 77;

Result<ScaledAnswer> decimal_field(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return fail(std::string("\"") + key + "\": expected a decimal string");
    auto value = parse_decimal(it->get_ref<const std::string&>());
    if (!value) return std::unexpected(context(std::string("\"") + key + "\"", value.error()));
    return value;
}

Result<BookTicker> book_ticker(const json& o) {
    BookTicker t;
    const auto u = o.find("u");
    if (u == o.end() || !u->is_number_unsigned()) return fail("bookTicker: \"u\": expected an unsigned integer");
    t.update_id = u->get<std::uint64_t>();
    const auto s = o.find("s");
    if (s == o.end() || !s->is_string()) return fail("bookTicker: \"s\": expected the symbol");
    t.symbol = s->get<std::string>();
    for (auto [key, out] : {std::pair{"b", &t.bid}, std::pair{"B", &t.bid_quantity}, std::pair{"a", &t.ask},
                            std::pair{"A", &t.ask_quantity}}) {
        auto value = decimal_field(o, key);
        if (!value) return std::unexpected(context("bookTicker", value.error()));
        *out = *value;
    }
    if (const auto e = o.find("E"); e != o.end()) {
        if (!e->is_number_unsigned()) return fail("bookTicker: \"E\": expected milliseconds");
        t.event_time_ms = e->get<std::uint64_t>();
    }
    return t;
}

// Two answers at the same number of decimals (the coarser one scaled up).
bool align(ScaledAnswer& a, ScaledAnswer& b) {
    while (a.decimals < b.decimals) {
        auto up = checked_mul(a.answer.twos, U256(10));
        if (!up) return false;
        a.answer.twos = *up;
        ++a.decimals;
    }
    while (b.decimals < a.decimals) {
        auto up = checked_mul(b.answer.twos, U256(10));
        if (!up) return false;
        b.answer.twos = *up;
        ++b.decimals;
    }
    return true;
}

}  // namespace

std::string book_ticker_stream(std::string_view symbol) {
    std::string out;
    out.reserve(symbol.size() + 11);
    for (char c : symbol) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out + "@bookTicker";
}

std::string subscribe_request(std::span<const std::string> streams, std::uint64_t id) {
    return json{
        {"method", "SUBSCRIBE"}, {"params", json(std::vector<std::string>(streams.begin(), streams.end()))}, {"id", id}}
        .dump();
}

Result<ScaledAnswer> parse_decimal(std::string_view text) {
    std::string digits;
    std::size_t decimals = 0;
    bool point = false;
    for (char c : text) {
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            return fail("expected a decimal string, got \"" + std::string(text.substr(0, 40)) + "\"");
        digits.push_back(c);
        if (point) ++decimals;
    }
    if (digits.empty()) return fail("expected a decimal string, got \"" + std::string(text.substr(0, 40)) + "\"");
    const std::size_t first = digits.find_first_not_of('0');
    const std::size_t significant = first == std::string::npos ? 0 : digits.size() - first;
    if (significant > kMaxDigits || decimals > 255) return fail("decimal string too long");
    auto value = U256::from_dec(first == std::string::npos ? std::string("0") : digits.substr(first));
    if (!value) return std::unexpected(value.error());
    return ScaledAnswer{abi::I256{*value}, static_cast<std::uint8_t>(decimals)};
}

Result<std::optional<Message>> parse_message(std::string_view text) {
    const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return fail("binance: not JSON");
    if (!parsed.is_object()) return fail("binance: expected a JSON object");
    // A combined stream's envelope.
    const json* event = &parsed;
    if (const auto data = parsed.find("data"); data != parsed.end() && parsed.contains("stream")) {
        if (!data->is_object()) return fail("binance: \"data\": expected an object");
        event = &*data;
    }
    if (event->contains("u") && event->contains("b") && event->contains("a")) {
        auto t = book_ticker(*event);
        if (!t) return std::unexpected(t.error());
        return std::optional<Message>(std::move(*t));
    }
    if (const auto id = parsed.find("id"); id != parsed.end()) {
        RequestAnswer answer;
        answer.id = id->is_number_unsigned() ? id->get<std::uint64_t>() : 0;
        if (const auto error = parsed.find("error"); error != parsed.end() && error->is_object())
            answer.error = "code " + error->value("code", json(0)).dump() + ": " + error->value("msg", "");
        else if (parsed.contains("code"))
            answer.error = "code " + parsed["code"].dump() + ": " + parsed.value("msg", "");
        return std::optional<Message>(answer);
    }
    if (parsed.contains("code")) {  // a refusal without our id
        return std::optional<Message>(
            RequestAnswer{0, "code " + parsed["code"].dump() + ": " + parsed.value("msg", "")});
    }
    return std::optional<Message>();
}

Result<ScaledAnswer> mid_price(const BookTicker& ticker) {
    ScaledAnswer bid = ticker.bid, ask = ticker.ask;
    if (!bid.positive() || !ask.positive()) return fail(ticker.symbol + ": empty book (bid or ask 0)");
    if (!align(bid, ask) || ask.decimals == 255) return fail(ticker.symbol + ": prices too long");
    if (bid.answer.twos > ask.answer.twos)
        return fail(ticker.symbol + ": crossed book (bid " + ticker.bid.text() + " > ask " + ticker.ask.text() + ")");
    // (bid + ask) / 2 = (bid + ask) * 5 / 10: exact with one decimal more.
    const U256 sum = bid.answer.twos + ask.answer.twos;  // each below 10^77 x 10^k: no overflow after align
    auto mid = checked_mul(sum, U256(5));
    if (!mid || sum < bid.answer.twos) return fail(ticker.symbol + ": prices too long");
    return ScaledAnswer{abi::I256{*mid}, static_cast<std::uint8_t>(bid.decimals + 1)};
}

Result<PriceUpdate> to_price_update(const BookTicker& ticker, const Address& asset, std::uint64_t received_at_s) {
    auto mid = mid_price(ticker);
    if (!mid) return std::unexpected(mid.error());
    PriceUpdate u;
    u.asset = asset;
    u.price = *mid;
    u.source = PriceSource::binance_book_ticker;
    u.round_id = U256(ticker.update_id);
    u.observed_at_s = received_at_s;
    return u;
}

}  // namespace keeper::oracles::binance
