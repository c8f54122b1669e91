#include "keeper/devnet/executable_lookup.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace keeper::devnet {

bool is_runnable(const std::string& executable) {
    if (executable.empty()) return false;
    if (executable.find('/') != std::string::npos) return ::access(executable.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::string_view dirs = path != nullptr ? path : "";
    while (true) {
        const auto colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        if (dir.empty()) dir = ".";  // an empty PATH entry means the current directory
        if (::access((dir + "/" + executable).c_str(), X_OK) == 0) return true;
        if (colon == std::string_view::npos) return false;
        dirs.remove_prefix(colon + 1);
    }
}

}  // namespace keeper::devnet
