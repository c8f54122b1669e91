// Morpho Blue's entry in the registry (protocols/registered.def).
#include "protocols/morpho_blue/morpho_blue_adapter.hpp"
#include "protocols/registry.hpp"

namespace keeper::protocols {

ProtocolKind morpho_blue_protocol() {
    return ProtocolKind{
        "morpho-blue",
        [](ConfigTable& table) { return morpho_blue::parse_config(table); },
        [](const ProtocolConfig& config, AdapterServices services) -> std::unique_ptr<ProtocolAdapter> {
            return std::make_unique<morpho_blue::MorphoBlueAdapter>(
                static_cast<const morpho_blue::MorphoBlueConfig&>(config), std::move(services));
        }};
}

}  // namespace keeper::protocols
