// The target that owns the tests' precompiled header (tests/support/precompiled.hpp);
// every test executable reuses it (CMake REUSE_FROM), so it is compiled once.
