// fuzz-libs: keeper::oracles
// A hostile exchange's websocket text: the Binance bookTicker parser must
// parse or fail with an error, never crash, and whatever parses must give a
// mid price (or an error) that prints and rescales.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "oracles/binance_book_ticker.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper::oracles::binance;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)parse_decimal(text);
    const auto message = parse_message(text);
    if (!message || !message->has_value()) return 0;
    const Message parsed = message->value_or(Message{});
    if (const auto* ticker = std::get_if<BookTicker>(&parsed)) {
        const auto update = to_price_update(*ticker, {}, 1);
        if (update) {
            (void)update->price.text();
            (void)update->price.to_wad();
        }
    }
    return 0;
}
