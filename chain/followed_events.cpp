#include "chain/followed_events.hpp"

namespace keeper::chain {

Result<abi::DecodedLog> decode_static_log(const abi::EventSpec& spec, const Log& log) {
    std::size_t words = 0;
    for (const auto& t : spec.data_types) words += t.head_size() / 32;
    if (log.data.size() != words * 32)
        return fail("expected " + std::to_string(words * 32) + " bytes of data, found " +
                    std::to_string(log.data.size()));
    return abi::decode_log(spec, log.topics, log.data);
}

}  // namespace keeper::chain
