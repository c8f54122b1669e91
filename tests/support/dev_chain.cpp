#include "support/dev_chain.hpp"

namespace keeper::testing {

Bytes32 emitter_topic() {
    Bytes32 t;
    t.bytes[31] = 0x2a;
    return t;
}

}  // namespace keeper::testing
