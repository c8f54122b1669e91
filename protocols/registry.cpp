#include "protocols/registry.hpp"

#include <vector>

namespace keeper::protocols {

#define KEEPER_PROTOCOL(name) ProtocolKind name##_protocol();
#include "protocols/registered.def"
#undef KEEPER_PROTOCOL

std::span<const ProtocolKind> registered_protocols() {
    static const std::vector<ProtocolKind> all = [] {
        std::vector<ProtocolKind> out;
#define KEEPER_PROTOCOL(name) out.push_back(name##_protocol());
#include "protocols/registered.def"
#undef KEEPER_PROTOCOL
        return out;
    }();
    return all;
}

const ProtocolKind* find_protocol(std::string_view kind) {
    for (const auto& p : registered_protocols())
        if (p.kind == kind) return &p;
    return nullptr;
}

}  // namespace keeper::protocols
