#include "keeper/core_dumps.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace keeper::cli {

Result<void> disable_core_dumps() {
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) return fail(std::string("setrlimit(RLIMIT_CORE, 0): ") + std::strerror(errno));
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return fail(std::string("prctl(PR_SET_DUMPABLE, 0): ") + std::strerror(errno));
    return {};
}

bool core_dumps_disabled() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_CORE, &limit) != 0) return false;
    return limit.rlim_cur == 0 && limit.rlim_max == 0 && ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}

}  // namespace keeper::cli
