// fuzz-libs: keeper::oracles
// A hostile mempool's transmit calldata: decode_ocr2_transmit must decode or
// fail with an error, never crash or read out of bounds; a decoded transmit
// has a median, which converts to a price that prints and rescales, and
// re-encodes to calldata that decodes to the same transmit.
//
// Input: the calldata itself (the corpus seed is the unit test's cast-made
// transmit, selector included).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "oracles/ocr2_transmit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper;
    namespace chainlink = oracles::chainlink;
    auto decoded = chainlink::decode_ocr2_transmit(ByteView(data, size));
    if (!decoded || !decoded->has_value()) return 0;
    const chainlink::Ocr2Transmit& t = **decoded;
    const auto update = chainlink::to_pending_price_update(t, {}, 8, {});
    (void)update.price.text();
    (void)update.price.to_wad();
    auto again = chainlink::encode_ocr2_transmit(t);
    if (!again) std::abort();  // what decoded fits its types
    auto round_trip = chainlink::decode_ocr2_transmit(*again);
    if (!round_trip || !round_trip->has_value() || !(**round_trip == t)) std::abort();
    return 0;
}
