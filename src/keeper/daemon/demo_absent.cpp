// `margin-keeper demo` in a build configured with -DKEEPER_DEMO=OFF: the
// production binary carries no devnet (anvil-only RPCs, solc-js, test
// deployments), so the demo is not there; say so instead of failing oddly.
#include <cstdio>

#include "keeper/daemon/commands.hpp"

namespace keeper::app {

int demo_command(int /*argc*/, char** /*argv*/) {
    std::fputs(
        "margin-keeper demo: this build has no demo (configured with -DKEEPER_DEMO=OFF, the production build).\n"
        "Run `bash scripts/demo`, which builds with the demo, or reconfigure with -DKEEPER_DEMO=ON.\n",
        stderr);
    return 2;
}

}  // namespace keeper::app
