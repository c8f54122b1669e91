// fuzz-libs: keeper::core keeper::chain
// A node's answer is untrusted bytes (DESIGN.md rule 9): the JSON-RPC checks
// and the receipt/header/log decoders must return errors, never crash or throw.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "chain/rpc_response.hpp"
#include "chain/rpc_types.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace keeper::chain;
    const std::string_view body(reinterpret_cast<const char*>(data), size);

    auto single = parse_response(body, 1);
    if (single.has_value()) {
        // The same result fed to every decoder: each must cope with any shape.
        (void)decode_receipt(*single);
        (void)decode_block_header(*single);
        (void)decode_log(*single);
    }

    constexpr std::array<std::uint64_t, 3> ids{1, 2, 3};
    auto batch = parse_batch_response(body, ids);
    if (batch.has_value() && batch->size() != ids.size()) __builtin_trap();  // one outcome per call, always
    return 0;
}
