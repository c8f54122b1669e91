#pragma once
// Binance's public best bid / ask stream, `<symbol>@bookTicker` (Binance Spot
// API docs, web-socket-streams.md, "Individual Symbol Book Ticker Streams"):
//   {"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}
// u: order book update id, s: symbol, b/B: best bid price/quantity, a/A:
// best ask price/quantity, prices as decimal strings. USD-M futures add
// "e":"bookTicker", "E" (event time, ms) and "T" (transaction time, ms).
// A combined-stream connection (/stream?streams=...) wraps each event as
// {"stream":"<name>","data":{...}}; a SUBSCRIBE request
//   {"method":"SUBSCRIBE","params":["ethusdt@bookTicker"],"id":1}
// is answered {"result":null,"id":1}, a refused one with {"code":..,"msg":..}.
// Used for alerts and pre-screening only, never as the price a liquidation is
// judged by (an exchange's mid is not what any protocol's oracle reads).
// Pure: untrusted text in, an Error or a value out; no clock (the spot
// stream carries no time: the caller stamps what it received).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/address.hpp"
#include "core/result.hpp"
#include "oracles/price_update.hpp"

namespace keeper::oracles::binance {

struct BookTicker {
    std::uint64_t update_id = 0;
    std::string symbol;  // as sent: upper case ("ETHUSDT")
    ScaledAnswer bid, bid_quantity, ask, ask_quantity;
    std::optional<std::uint64_t> event_time_ms;  // futures' "E"
    friend bool operator==(const BookTicker&, const BookTicker&) = default;
};

// The answer to one of our requests: {"result":null,"id":N} (accepted) or an
// error object (refused, with Binance's code and message).
struct RequestAnswer {
    std::uint64_t id = 0;
    std::optional<std::string> error;  // "code 2: Invalid request: ..."
    friend bool operator==(const RequestAnswer&, const RequestAnswer&) = default;
};

using Message = std::variant<BookTicker, RequestAnswer>;

// "ethusdt@bookTicker": stream names are lower case.
std::string book_ticker_stream(std::string_view symbol);
// {"method":"SUBSCRIBE","params":[<streams>],"id":<id>}
std::string subscribe_request(std::span<const std::string> streams, std::uint64_t id);

// A decimal string ("25.35190000") as an exact ScaledAnswer (2535190000, 8
// decimals); an error for anything else (sign, exponent, spaces, > 77 digits).
Result<ScaledAnswer> parse_decimal(std::string_view text);

// nullopt: valid JSON that is neither (another stream's event kind).
Result<std::optional<Message>> parse_message(std::string_view text);

// The mid price (bid + ask) / 2, exact: one decimal more than the finer of
// the two. An error when the book is crossed or empty (a bid or ask of 0).
Result<ScaledAnswer> mid_price(const BookTicker& ticker);

// The ticker's mid as a PriceUpdate of `asset` (source binance_book_ticker,
// round_id the update id, no block, observed at `received_at_s`).
Result<PriceUpdate> to_price_update(const BookTicker& ticker, const Address& asset, std::uint64_t received_at_s);

}  // namespace keeper::oracles::binance
