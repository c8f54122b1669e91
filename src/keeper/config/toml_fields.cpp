#include "keeper/config/toml_fields.hpp"

#include <cmath>
#include <limits>

#include "keeper/config/decimal_units.hpp"
#include "keeper/config/settings_rules.hpp"

namespace keeper::config {

namespace {

std::string quote_for_message(std::string_view text) {
    constexpr std::size_t kMax = 80;
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
        const char c = text[i];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += '?';
        } else {
            out += c;
        }
    }
    if (text.size() > kMax) out += "...";
    return out + "\"";
}

void expected(Problems& problems, const toml::node& node, std::string_view key, std::string_view what) {
    problems.add(&node, key, "expected " + std::string(what) + ", got " + describe(node));
}

}  // namespace

std::string Problems::prefix(const toml::node* at) const {
    std::string out = source_;
    if (at != nullptr && at->source().begin.line > 0) out += ":" + std::to_string(at->source().begin.line);
    return out;
}

void Problems::add(const toml::node* at, std::string_view key, std::string_view message) {
    messages_.push_back(prefix(at) + ": " + std::string(key) + ": " + std::string(message));
}

void Problems::add_plain(const toml::node* at, std::string_view message) {
    messages_.push_back(prefix(at) + ": " + std::string(message));
}

Error Problems::error() const {
    std::string joined;
    for (const auto& message : messages_) {
        if (!joined.empty()) joined += '\n';
        joined += message;
    }
    return Error{joined};
}

std::string Fields::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* Fields::get(std::string_view key) {
    known_.emplace(key);
    return table_.get(key);
}

const toml::node* Fields::require(std::string_view key) {
    const toml::node* node = get(key);
    if (node == nullptr) problems_.add(anchor(), key_path(key), "required key missing");
    return node;
}

void Fields::reject_unknown() {
    for (auto&& [key, value] : table_) {
        if (known_.contains(key.str())) continue;
        problems_.add_plain(&value, "unknown key '" + key_path(key.str()) + "'");
    }
}

std::string describe(const toml::node& node) {
    if (const auto* s = node.as_string()) return quote_for_message(s->get());
    if (const auto* i = node.as_integer()) return std::to_string(i->get());
    if (const auto* f = node.as_floating_point()) return shortest_fixed_text(f->get());
    if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
    if (node.is_array()) return "an array";
    if (node.is_table()) return "a table";
    return "a date/time";
}

std::optional<std::string> read_string(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* s = node.as_string()) {
        if (!s->get().empty()) return s->get();
        problems.add(&node, key, "expected a non-empty string");
        return std::nullopt;
    }
    expected(problems, node, key, "a string");
    return std::nullopt;
}

std::optional<std::int64_t> read_integer(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* i = node.as_integer()) return i->get();
    expected(problems, node, key, "an integer");
    return std::nullopt;
}

std::optional<std::uint64_t> read_u64_in(const toml::node& node, std::string_view key, std::uint64_t min,
                                         std::uint64_t max, Problems& problems) {
    const auto* i = node.as_integer();
    if (i != nullptr && i->get() >= 0) {
        const auto value = static_cast<std::uint64_t>(i->get());
        if (value >= min && value <= max) return value;
    }
    if (max >= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        expected(problems, node, key, min == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(min));
    } else {
        expected(problems, node, key,
                 "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return std::nullopt;
}

std::optional<bool> read_bool(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* b = node.as_boolean()) return b->get();
    expected(problems, node, key, "true or false");
    return std::nullopt;
}

std::optional<U256> read_amount(const toml::node& node, std::string_view key, Problems& problems) {
    constexpr std::string_view kWhat = "a non-negative integer (a TOML integer, or a decimal string above 2^63)";
    if (const auto* i = node.as_integer(); i != nullptr && i->get() >= 0)
        return U256(static_cast<std::uint64_t>(i->get()));
    if (const auto* s = node.as_string()) {
        auto value = U256::from_dec(s->get());
        if (value) return *value;
        if (s->get().find_first_not_of("0123456789") == std::string::npos && !s->get().empty()) {
            problems.add(&node, key, "value above 2^256 - 1");
            return std::nullopt;
        }
    }
    expected(problems, node, key, kWhat);
    return std::nullopt;
}

std::optional<U256> read_scaled(const toml::node& node, std::string_view key, unsigned decimals,
                                Problems& problems) {
    const std::string what =
        "a non-negative decimal number with at most " + std::to_string(decimals) + " decimal places";
    std::string text;
    if (const auto* i = node.as_integer(); i != nullptr && i->get() >= 0) {
        text = std::to_string(i->get());
    } else if (const auto* f = node.as_floating_point(); f != nullptr && std::isfinite(f->get()) && f->get() >= 0) {
        text = shortest_fixed_text(f->get());
    } else if (const auto* s = node.as_string()) {
        text = s->get();
    } else {
        expected(problems, node, key, what);
        return std::nullopt;
    }
    auto value = parse_scaled_decimal(text, decimals);
    if (value) return *value;
    expected(problems, node, key, what);
    return std::nullopt;
}

std::optional<Address> read_address(const toml::node& node, std::string_view key, Problems& problems) {
    constexpr std::string_view kWhat = "a 0x-prefixed 20-byte hex address";
    const auto* s = node.as_string();
    if (s == nullptr) {
        expected(problems, node, key, kWhat);
        return std::nullopt;
    }
    auto address = Address::parse(s->get());
    if (address) return *address;
    if (address.error().kind == ErrorKind::bad_checksum) {
        problems.add(&node, key,
                     "bad EIP-55 checksum in " + describe(node) + " (write it all lowercase or checksummed)");
        return std::nullopt;
    }
    expected(problems, node, key, kWhat);
    return std::nullopt;
}

std::optional<Bytes32> read_bytes32(const toml::node& node, std::string_view key, Problems& problems) {
    constexpr std::string_view kWhat = "a 0x-prefixed 32-byte hex id (64 hex digits)";
    const auto* s = node.as_string();
    if (s != nullptr && s->get().starts_with("0x")) {
        auto bytes = Bytes32::from_hex(s->get());
        if (bytes) return *bytes;
    }
    expected(problems, node, key, kWhat);
    return std::nullopt;
}

std::optional<std::string> read_url(const toml::node& node, std::string_view key, bool websocket,
                                    Problems& problems) {
    const auto* s = node.as_string();
    if (s == nullptr) {
        expected(problems, node, key, websocket ? "a ws:// or wss:// URL" : "an http:// or https:// URL");
        return std::nullopt;
    }
    auto checked = check_url(s->get(), websocket);
    if (checked) return s->get();
    problems.add(&node, key, checked.error().message);
    return std::nullopt;
}

}  // namespace keeper::config
