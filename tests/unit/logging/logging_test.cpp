// Log levels per module, the JSON line format with its fixed keys, and the
// flags taken out of argv.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "keeper/logging/json_formatter.hpp"
#include "keeper/logging/log_levels.hpp"
#include "keeper/logging/log_setup.hpp"

namespace keeper::log {
namespace logging_test {

using namespace std::chrono_literals;

TEST(LogLevels, ADefaultAndLevelsPerModule) {
    auto levels = parse_log_levels("warn, alerts=debug ,rpc=trace");
    ASSERT_TRUE(levels.has_value()) << levels.error().message;
    EXPECT_EQ(levels->default_level, spdlog::level::warn);
    EXPECT_EQ(levels->level_of("alerts"), spdlog::level::debug);
    EXPECT_EQ(levels->level_of("rpc"), spdlog::level::trace);
    EXPECT_EQ(levels->level_of("keeper"), spdlog::level::warn);

    auto modules_only = parse_log_levels("metrics=error");
    ASSERT_TRUE(modules_only.has_value());
    EXPECT_EQ(modules_only->default_level, spdlog::level::info);
    EXPECT_EQ(modules_only->level_of("metrics"), spdlog::level::err);
}

TEST(LogLevels, MistakesNameWhatIsWrong) {
    EXPECT_EQ(parse_log_levels("alerts=verbose").error().message,
              "log level: unknown level 'verbose' for module 'alerts' (expected trace, debug, info, warn, error, "
              "critical or off)");
    EXPECT_EQ(parse_log_levels("info,debug").error().message, "log level: two default levels ('debug')");
    EXPECT_EQ(parse_log_levels("info,,alerts=debug").error().message,
              "log level: empty entry in ',alerts=debug'");
    EXPECT_EQ(parse_log_levels("Alerts=debug").error().message,
              "log level: 'Alerts' is not a module name (lowercase letters, digits, _ - .)");
    EXPECT_EQ(parse_log_format("yaml").error().message, "log format: expected \"text\" or \"json\", got 'yaml'");
}

std::string formatted(const spdlog::details::log_msg& msg) {
    JsonFormatter formatter;
    spdlog::memory_buf_t out;
    formatter.format(msg, out);
    return std::string(out.data(), out.size());
}

spdlog::details::log_msg message(std::string_view logger, spdlog::level::level_enum level, std::string_view text) {
    // 2026-12-07T00:21:46.123Z
    const auto at = spdlog::log_clock::time_point(std::chrono::duration_cast<spdlog::log_clock::duration>(
        std::chrono::seconds(1'796'602'906) + std::chrono::milliseconds(123)));
    return spdlog::details::log_msg(at, spdlog::source_loc{}, logger, level, text);
}

TEST(JsonFormatter, OneObjectPerLineWithTheFixedKeysFirst) {
    EXPECT_EQ(formatted(message("keeper", spdlog::level::warn, "round failed: \"timeout\"")),
              R"({"ts":"2026-12-07T00:21:46.123Z","level":"warn","module":"keeper","msg":"round failed: \"timeout\""})"
              "\n");
}

TEST(JsonFormatter, ScopedFieldsFollowAndNeverReplaceAFixedKey) {
    {
        LogFields outer({{"protocol", "aave-v3"}, {"msg", "sneaky"}});
        LogFields inner(std::vector<std::pair<std::string, std::string>>{{"block", "1234"}});
        EXPECT_EQ(formatted(message("alerts", spdlog::level::err, "x")),
                  R"({"ts":"2026-12-07T00:21:46.123Z","level":"error","module":"alerts","msg":"x","protocol":"aave-v3","block":"1234"})"
                  "\n");
    }
    // Scopes closed: the fields are gone.
    EXPECT_EQ(nlohmann::json::parse(formatted(message("keeper", spdlog::level::info, "y"))).size(), 4u);
}

TEST(JsonFormatter, BrokenUtf8IsReplacedNotThrown) {
    const std::string line = formatted(message("keeper", spdlog::level::info, "bad \xC3( byte"));
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;
}

TEST(LogSetup, FlagsAreTakenOutOfArgvAndApplied) {
    std::string words[] = {"margin-keeper", "scan", "--config", "k.toml", "--log-format", "json",
                           "--log-level=warn,alerts=debug", "--json"};
    char* argv[8];
    for (int i = 0; i < 8; ++i) argv[i] = words[i].data();
    int argc = 8;
    ASSERT_TRUE(take_log_flags(argc, argv, 2).has_value());
    ASSERT_EQ(argc, 5);
    EXPECT_EQ(std::string(argv[2]), "--config");
    EXPECT_EQ(std::string(argv[3]), "k.toml");
    EXPECT_EQ(std::string(argv[4]), "--json");
    EXPECT_EQ(current_format(), LogFormat::json);
    EXPECT_EQ(module_logger("alerts")->level(), spdlog::level::debug);
    EXPECT_EQ(module_logger("keeper")->level(), spdlog::level::warn);
    EXPECT_EQ(spdlog::default_logger()->name(), "keeper");

    // The file's [log] does not override what the command line said.
    apply_file_settings(LogFormat::text, parse_log_levels("trace").value());
    EXPECT_EQ(current_format(), LogFormat::json);
    EXPECT_EQ(module_logger("alerts")->level(), spdlog::level::debug);

    std::string bad[] = {"margin-keeper", "run", "--log-level", "loud"};
    char* bad_argv[4];
    for (int i = 0; i < 4; ++i) bad_argv[i] = bad[i].data();
    int bad_argc = 4;
    auto taken = take_log_flags(bad_argc, bad_argv, 2);
    ASSERT_FALSE(taken.has_value());
    EXPECT_TRUE(taken.error().message.starts_with("--log-level: log level: unknown level 'loud'")) << taken.error().message;
}

}  // namespace logging_test
}  // namespace keeper::log
