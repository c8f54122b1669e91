// Binance's <symbol>@bookTicker stream, parsed from its wire text. The
// messages are Binance's own examples (binance-spot-api-docs,
// web-socket-streams.md "Individual Symbol Book Ticker Streams" and "Live
// Subscribing/Unsubscribing to streams"). Worked example: BNBUSDT bid
// 25.35190000, ask 25.36520000: mid (25.3519 + 25.3652) / 2 = 25.35855,
// exactly, at 9 decimals.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "oracles/binance_book_ticker.hpp"
#include "oracles/feed_sanity.hpp"

namespace keeper::oracles::binance {
namespace binance_book_ticker_test {

const Address kWbnb = Address::parse("0xB8c77482e45F1F44dE1745F52C74426C631bDD52").value();

constexpr std::string_view kSpot =
    R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})";

BookTicker ticker_of(std::string_view text) {
    auto parsed = parse_message(text);
    EXPECT_TRUE(parsed.has_value()) << parsed.error().message;
    if (!parsed || !parsed->has_value()) return {};
    const Message message = parsed->value_or(Message{});
    const auto* t = std::get_if<BookTicker>(&message);
    EXPECT_NE(t, nullptr);
    return t == nullptr ? BookTicker{} : *t;
}

TEST(BinanceBookTicker, TheSpotExampleParsesToExactDecimals) {
    const BookTicker t = ticker_of(kSpot);
    EXPECT_EQ(t.update_id, 400900217u);
    EXPECT_EQ(t.symbol, "BNBUSDT");
    EXPECT_EQ(t.bid.text(), "25.35190000");
    EXPECT_EQ(t.bid_quantity.text(), "31.21000000");
    EXPECT_EQ(t.ask.text(), "25.36520000");
    EXPECT_EQ(t.ask_quantity.text(), "40.66000000");
    EXPECT_EQ(t.event_time_ms, std::nullopt);

    const auto mid = mid_price(t);
    ASSERT_TRUE(mid.has_value()) << mid.error().message;
    EXPECT_EQ(mid->text(), "25.358550000");

    const auto u = to_price_update(t, kWbnb, 1765000000);
    ASSERT_TRUE(u.has_value()) << u.error().message;
    EXPECT_EQ(u->asset, kWbnb);
    EXPECT_EQ(u->source, PriceSource::binance_book_ticker);
    EXPECT_EQ(to_string(u->source), "binance bookTicker");
    EXPECT_EQ(u->round_id, U256(400900217));
    EXPECT_EQ(u->observed_at_s, 1765000000u);
    EXPECT_EQ(u->block, std::nullopt);
    // Comparable with an on-chain 8-decimal answer: 25.50 is 55 bps above the mid
    // (0.14145 / 25.35855 = 55.8 bps, rounded down).
    const auto bps = deviation_bps(ScaledAnswer{abi::I256{U256(2550000000)}, 8}, u->price);
    EXPECT_EQ(bps, U256(55));
}

TEST(BinanceBookTicker, TheFuturesFormAndTheCombinedStreamEnvelopeParseToo) {
    // USD-M futures: "e", "E", "T" besides the spot fields.
    const BookTicker futures = ticker_of(
        R"({"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})");
    EXPECT_EQ(futures.event_time_ms, 1568014460893u);
    EXPECT_EQ(futures.bid.text(), "25.35190000");
    const BookTicker combined = ticker_of(std::string(R"({"stream":"bnbusdt@bookTicker","data":)") +
                                          std::string(kSpot) + "}");
    EXPECT_EQ(combined.symbol, "BNBUSDT");
    EXPECT_EQ(combined.update_id, 400900217u);
}

TEST(BinanceBookTicker, SubscribeRequestAndItsAnswers) {
    EXPECT_EQ(book_ticker_stream("ETHUSDT"), "ethusdt@bookTicker");
    const std::vector<std::string> streams{"btcusdt@bookTicker", "ethusdt@bookTicker"};
    EXPECT_EQ(subscribe_request(streams, 1),
              R"({"id":1,"method":"SUBSCRIBE","params":["btcusdt@bookTicker","ethusdt@bookTicker"]})");

    const auto ok = parse_message(R"({"result":null,"id":1})");
    ASSERT_TRUE(ok.has_value());
    const Message answer = ok->value_or(Message{});
    const auto* accepted = std::get_if<RequestAnswer>(&answer);
    ASSERT_NE(accepted, nullptr);
    EXPECT_EQ(*accepted, (RequestAnswer{1, std::nullopt}));

    const auto refused = parse_message(R"({"code":2,"msg":"Invalid request: property name must be a string"})");
    ASSERT_TRUE(refused.has_value());
    const Message message = refused->value_or(Message{});
    const auto* error = std::get_if<RequestAnswer>(&message);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(error->error, "code 2: Invalid request: property name must be a string");
}

TEST(BinanceBookTicker, MalformedMessagesAreErrorsAndOtherEventsAreNotOurs) {
    EXPECT_FALSE(parse_message("not json").has_value());
    EXPECT_FALSE(parse_message("[1,2]").has_value());
    // A price that is a number, not a string; a negative price; a missing ask.
    EXPECT_FALSE(parse_message(R"({"u":1,"s":"X","b":25.3,"B":"1","a":"25.4","A":"1"})").has_value());
    EXPECT_FALSE(parse_message(R"({"u":1,"s":"X","b":"-25.3","B":"1","a":"25.4","A":"1"})").has_value());
    EXPECT_FALSE(parse_message(R"({"u":1,"s":"X","b":"25.3","B":"1","a":"25.4"})").has_value());
    EXPECT_FALSE(parse_message(R"({"u":-1,"s":"X","b":"25.3","B":"1","a":"25.4","A":"1"})").has_value());
    // A trade event: valid, not a book ticker.
    const auto trade = parse_message(R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100"})");
    ASSERT_TRUE(trade.has_value());
    EXPECT_FALSE(trade->has_value());
}

TEST(BinanceBookTicker, DecimalsAreExactAndOnlyPlainDecimalsAreAccepted) {
    EXPECT_EQ(parse_decimal("0.00000001").value().text(), "0.00000001");
    EXPECT_EQ(parse_decimal("3000").value().decimals, 0);
    EXPECT_EQ(parse_decimal("3000.").value().text(), "3000");
    EXPECT_EQ(parse_decimal(".5").value().text(), "0.5");
    for (const char* bad : {"", ".", "1e5", "+1", "-1", " 1", "1.2.3", "0x10", "1,5"})
        EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
    EXPECT_TRUE(parse_decimal(std::string(77, '9')).has_value());
    EXPECT_FALSE(parse_decimal(std::string(78, '9')).has_value());
    EXPECT_TRUE(parse_decimal(std::string(100, '0') + "1").has_value()) << "leading zeros are not digits";
}

TEST(BinanceBookTicker, AnEmptyOrCrossedBookHasNoMid) {
    BookTicker t = ticker_of(kSpot);
    t.bid = parse_decimal("0").value();
    EXPECT_FALSE(mid_price(t).has_value());
    t.bid = parse_decimal("25.4").value();  // above the ask 25.3652
    const auto crossed = mid_price(t);
    ASSERT_FALSE(crossed.has_value());
    EXPECT_NE(crossed.error().message.find("crossed book"), std::string::npos) << crossed.error().message;
    t.bid = parse_decimal("25.3").value();  // one decimal against eight: aligned first
    EXPECT_EQ(mid_price(t).value().text(), "25.332600000");
}

}  // namespace binance_book_ticker_test
}  // namespace keeper::oracles::binance
