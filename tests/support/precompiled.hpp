// The third-party and standard headers nearly every test includes, compiled
// once per build tree when KEEPER_PCH is on (scripts/test turns it on): half
// of a test's compile time went to parsing gtest, nlohmann/json, spdlog and
// the standard library again in each translation unit.
//
// Only headers we do not own belong here: a change to one of ours must not
// rebuild every test, and a source that forgets an #include of its own still
// fails in the README's hand builds, which leave KEEPER_PCH off.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>
