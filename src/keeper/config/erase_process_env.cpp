#include <cstdlib>
#include <cstring>
#include <vector>

#include "keeper/config/signer_loader.hpp"

extern char** environ;

namespace keeper::config {

void erase_process_env(const std::string& name) {
    // An environment block may name a variable more than once: every entry goes.
    std::vector<char*> entries;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry)
        if (std::strncmp(*entry, name.c_str(), name.size()) == 0 && (*entry)[name.size()] == '=')
            entries.push_back(*entry);
    // First out of `environ` (unsetenv matches by name, so before the wipe),
    // then the bytes themselves: unsetenv leaves the strings where they were.
    ::unsetenv(name.c_str());
    for (char* entry : entries) chain::secure_wipe(entry, std::strlen(entry));
}

}  // namespace keeper::config
