#include "keeper/config/keeper_config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/hex.hpp"
#include "keeper/config/config_sections.hpp"
#include "keeper/config/toml_fields.hpp"

namespace keeper::config {

namespace {

// Far above any real keeper.toml; stops a wrong --config (a log, a disk
// image) from being read whole into memory.
constexpr std::uintmax_t kMaxConfigBytes = 1u << 20;

// toml++ quotes the offending text in syntax errors; a private key pasted
// unquoted (private_key_env = 0xac09...) would land in the log. Any run of 32
// or more hex digits is replaced by its length.
std::string redact_long_hex(std::string_view text) {
    constexpr std::size_t kLongRun = 32;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t run = 0;
        while (i + run < text.size() && hex::digit_value(text[i + run]) >= 0) ++run;
        if (run >= kLongRun) {
            out += "<" + std::to_string(run) + " hex digits>";
        } else {
            out.append(text.substr(i, run));
            if (i + run < text.size()) out += text[i + run];
            ++run;
        }
        i += run;
    }
    return out;
}

}  // namespace

Result<KeeperConfig> parse_config(std::string_view toml_text, std::string_view source_name) {
    const std::string source(source_name);
    toml::table document;
    try {
        document = toml::parse(toml_text, source);
    } catch (const toml::parse_error& error) {
        // toml++ reports syntax errors by exception; this is the edge where
        // they become values.
        const auto& begin = error.source().begin;
        return fail(source + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                    ": TOML syntax error: " + redact_long_hex(error.description()));
    }

    KeeperConfig config;
    config.source = source;
    Problems problems(source);
    Fields root(document, "", problems);
    if (const toml::node* node = root.get("state_dir")) {
        if (auto dir = read_string(*node, "state_dir", problems)) config.state_dir = *dir;
    }
    read_chain_section(root, config.chain);
    read_signer_section(root, config.signer);
    read_protocols_section(root, config.protocols);
    read_strategy_section(root, config.strategy);
    read_alerts_section(root, config.alerts);
    read_log_section(root, config.log);
    read_metrics_section(root, config.metrics);
    read_safety_section(root, config.safety);
    read_feeds_section(root, config.feeds);
    read_engine_section(root, config.engine);
    check_feeds_need(config.chain, root);
    read_exchange_section(root, config.exchange);
    check_exchange_need(config.exchange, config.feeds, root);
    root.reject_unknown();

    if (!problems.empty()) return std::unexpected(problems.error());
    return config;
}

Result<KeeperConfig> load_config(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::error_code size_error;
    const auto size = std::filesystem::file_size(file, size_error);
    if (size_error) return fail("cannot read config file '" + name + "': " + size_error.message());
    if (size > kMaxConfigBytes)
        return fail("config file '" + name + "' is " + std::to_string(size) + " bytes; a keeper.toml is far smaller");
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail("cannot read config file '" + name + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return fail("cannot read config file '" + name + "': read error");
    return parse_config(text.str(), name);
}

std::string_view to_string(WebhookFormat format) {
    switch (format) {
        case WebhookFormat::generic: return "generic";
        case WebhookFormat::slack: return "slack";
        case WebhookFormat::discord: return "discord";
    }
    return "generic";
}

}  // namespace keeper::config
