// Aave V3's entry in the registry (protocols/registered.def).
#include "protocols/aave_v3/aave_v3_adapter.hpp"
#include "protocols/registry.hpp"

namespace keeper::protocols {

ProtocolKind aave_v3_protocol() {
    return ProtocolKind{
        "aave-v3",
        [](ConfigTable& table) { return aave_v3::parse_config(table); },
        [](const ProtocolConfig& config, AdapterServices services) -> std::unique_ptr<ProtocolAdapter> {
            return std::make_unique<aave_v3::AaveV3Adapter>(static_cast<const aave_v3::AaveV3Config&>(config),
                                                            std::move(services));
        }};
}

}  // namespace keeper::protocols
