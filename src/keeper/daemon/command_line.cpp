#include "keeper/daemon/command_line.hpp"

#include <algorithm>
#include <charconv>

#include "keeper/logging/log_setup.hpp"
#include "net/url_redaction.hpp"

namespace keeper::app {

Result<CommandLine> parse_command_line(int argc, char** argv, const std::vector<std::string>& allowed) {
    CommandLine line;
    auto accepted = [&](const std::string& flag) {
        return std::find(allowed.begin(), allowed.end(), flag) != allowed.end();
    };
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string flag = arg, value;
        bool has_inline_value = false;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
            flag = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            has_inline_value = true;
        }
        auto take_value = [&]() -> Result<std::string> {
            if (has_inline_value) return value;
            if (i + 1 >= argc) return fail(flag + " needs a value");
            return std::string(argv[++i]);
        };
        if (flag == "--help" || flag == "-h") {
            line.help = true;
        } else if (flag == "--config" || flag == "-c") {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.config_path = *v;
        } else if (flag == "--rpc") {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.overrides.rpc.push_back(*v);
        } else if (flag == "--state-dir") {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.overrides.state_dir = *v;
        } else if (flag == "--private-key-env") {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.overrides.private_key_env = *v;
        } else if (flag == "--keystore") {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.overrides.keystore = *v;
        } else if (flag == "--password-file") {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.overrides.password_file = *v;
        } else if (flag == "--json" && accepted(flag)) {
            line.json = true;
        } else if (flag == "--dry-run" && accepted(flag)) {
            line.dry_run = true;
        } else if (flag == "--fork" && accepted(flag)) {
            line.fork = true;
        } else if (flag == "--fork-url" && accepted(flag)) {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.fork_url = *v;
            line.fork = true;
        } else if (flag == "--once" && accepted(flag)) {
            line.once = true;
        } else if (flag == "--archive-state" && accepted(flag)) {
            line.archive_state = true;
        } else if (flag == "--reason" && accepted(flag)) {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.reason = *v;
        } else if (flag == "--scenarios" && accepted(flag)) {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.scenarios = *v;
        } else if (flag == "--html" && accepted(flag)) {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            line.html = *v;
        } else if ((flag == "--seed" || flag == "--draws") && accepted(flag)) {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            std::uint64_t n = 0;
            const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
            if (ec != std::errc() || end != v->data() + v->size() || v->empty())
                return fail(flag + ": expected a non-negative integer, got '" + net::shown_argument(*v) + "'");
            if (flag == "--seed")
                line.seed = n;
            else if (n == 0 || n > 10'000'000)
                return fail("--draws: expected 1..10000000, got '" + *v + "'");
            else
                line.draws = static_cast<std::size_t>(n);
        } else if (flag == "--limit" && accepted(flag)) {
            auto v = take_value();
            if (!v) return std::unexpected(v.error());
            std::size_t n = 0;
            const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
            if (ec != std::errc() || end != v->data() + v->size())
                return fail("--limit: expected a count, got '" + *v + "'");
            line.limit = n;
        } else {
            return fail("unknown option '" + net::shown_argument(flag) + "' (try --help)");
        }
    }
    return line;
}

Result<config::KeeperConfig> load_effective_config(const CommandLine& line) {
    if (!line.config_path) return fail("--config FILE is required");
    auto loaded = config::load_config(*line.config_path);
    if (!loaded) return std::unexpected(loaded.error());
    if (auto applied = config::apply_overrides(*loaded, line.overrides); !applied)
        return std::unexpected(applied.error());
    log::apply_file_settings(loaded->log.format, loaded->log.levels);  // [log]; --log-* flags win
    return loaded;
}

}  // namespace keeper::app
