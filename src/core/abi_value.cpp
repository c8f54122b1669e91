#include "core/abi_value.hpp"

namespace keeper::abi {

std::string_view alternative_name(const Value& value) {
    static constexpr std::string_view names[] = {"uint", "int", "address", "bool", "bytes", "string", "list"};
    return names[value.v.index()];
}

}  // namespace keeper::abi
