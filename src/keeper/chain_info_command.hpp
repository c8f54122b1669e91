#pragma once
// `margin-keeper chain-info --rpc URL`: asks a node who it is and where its
// head is, through our own JSON-RPC client. A connectivity check for
// operators and the smallest end-to-end path through net/ and chain/.
namespace keeper::cli {

// argv after the command name; returns the process exit code.
int chain_info(int argc, char** argv);

}  // namespace keeper::cli
