// fuzz-libs: keeper::core
// Untrusted RLP must either decode or fail with an error, never crash, and
// whatever decodes must re-encode to exactly the input (the decoder accepts
// only canonical encodings, so decode is injective).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/rlp.hpp"

namespace {

// Walks every item through the zero-copy reader too, so both decoders see
// the same hostile bytes.
void walk(keeper::rlp::ListReader reader, int depth) {
    while (!reader.at_end() && depth < 64) {
        auto raw = reader.read_raw();
        if (!raw) return;
        auto header = keeper::rlp::read_header(*raw, 0);
        if (!header) std::abort();  // read_raw already validated this item
        if (header->is_list) walk(keeper::rlp::ListReader(*raw, *header), depth + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const keeper::ByteView input(data, size);
    auto item = keeper::rlp::decode(input);
    if (item) {
        const keeper::Bytes again = keeper::rlp::encode(*item);
        if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
    }
    auto reader = keeper::rlp::ListReader::open(input);
    if (reader) {
        walk(*reader, 0);
        auto copy = keeper::rlp::ListReader::open(input).value();
        while (!copy.at_end()) {
            if (!copy.read_u256() && !copy.read_raw()) break;
        }
    }
    return 0;
}
