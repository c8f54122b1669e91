#pragma once
// Every protocol the keeper knows, by [[protocols]] kind. Adding one is one
// line in protocols/registered.def (KEEPER_PROTOCOL(<folder name>)) next to
// its folder protocols/<name>/, which defines
//   protocols::ProtocolKind keeper::protocols::<name>_protocol();
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "protocols/protocol_adapter.hpp"
#include "protocols/protocol_config.hpp"

namespace keeper::protocols {

struct ProtocolKind {
    std::string_view kind;  // "morpho-blue"
    // Reads and validates the table's keys; problems go to the table.
    std::function<std::unique_ptr<ProtocolConfig>(ConfigTable& table)> parse;
    std::function<std::unique_ptr<ProtocolAdapter>(const ProtocolConfig& config, AdapterServices services)> make;
};

std::span<const ProtocolKind> registered_protocols();
const ProtocolKind* find_protocol(std::string_view kind);

}  // namespace keeper::protocols
