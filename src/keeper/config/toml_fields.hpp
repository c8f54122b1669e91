#pragma once
// Reading a toml++ document into typed settings while remembering every
// problem: each message names the source, the line when toml++ knows it, the
// full dotted key and what was expected. Private to app_config: the public
// header does not expose toml++.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/address.hpp"
#include "core/fixed_bytes.hpp"
#include "core/result.hpp"
#include "core/u256.hpp"

namespace keeper::config {

// Every problem found in one file, so an operator fixes them in one pass.
class Problems {
public:
    explicit Problems(std::string source) : source_(std::move(source)) {}

    // "<source>:<line>: <key>: <message>", the line taken from `at` when known.
    void add(const toml::node* at, std::string_view key, std::string_view message);
    // For a rule spanning several keys: "<source>[:<line>]: <message>".
    void add_plain(const toml::node* at, std::string_view message);

    bool empty() const { return messages_.empty(); }
    std::size_t count() const { return messages_.size(); }
    Error error() const;  // one problem per line, in the order found
    const std::string& source() const { return source_; }

private:
    std::string prefix(const toml::node* at) const;
    std::string source_;
    std::vector<std::string> messages_;
};

// One table's keys. get() marks a key as known; reject_unknown() reports the
// rest, so a misspelt key is an error rather than a silently ignored line.
class Fields {
public:
    // `path` is the table's dotted path ("" for the document root).
    Fields(const toml::table& table, std::string path, Problems& problems)
        : table_(table), path_(std::move(path)), problems_(problems) {}

    const toml::node* get(std::string_view key);
    // As get(), reporting "required key missing" when absent.
    const toml::node* require(std::string_view key);
    void reject_unknown();

    std::string key_path(std::string_view key) const;
    const std::string& path() const { return path_; }
    const toml::table& table() const { return table_; }
    // The table's own line, when it has one (the root has none).
    const toml::node* anchor() const { return path_.empty() ? nullptr : &table_; }
    Problems& problems() { return problems_; }

private:
    const toml::table& table_;
    std::string path_;
    Problems& problems_;
    std::set<std::string, std::less<>> known_;
};

// The value as an operator would recognise it in a message: "\"0x12\"", "5",
// "1.5", "true", "an array", "a table".
std::string describe(const toml::node& node);

// Node readers: the value, or nullopt after reporting under `key`.
std::optional<std::string> read_string(const toml::node& node, std::string_view key, Problems& problems);
std::optional<std::int64_t> read_integer(const toml::node& node, std::string_view key, Problems& problems);
std::optional<std::uint64_t> read_u64_in(const toml::node& node, std::string_view key, std::uint64_t min,
                                         std::uint64_t max, Problems& problems);
std::optional<bool> read_bool(const toml::node& node, std::string_view key, Problems& problems);
// A token amount: a non-negative TOML integer, or a decimal string (TOML
// integers stop at 2^63 - 1; amounts often do not).
std::optional<U256> read_amount(const toml::node& node, std::string_view key, Problems& problems);
// Decimals of a WAD (1e18): ETH amounts in wei, health factors.
inline constexpr unsigned kWadDecimals = 18;
// A non-negative decimal given as an integer, a float or a string, times
// 10^decimals exactly ("1.05" with 18 decimals -> 1.05e18).
std::optional<U256> read_scaled(const toml::node& node, std::string_view key, unsigned decimals,
                                Problems& problems);
std::optional<Address> read_address(const toml::node& node, std::string_view key, Problems& problems);
std::optional<Bytes32> read_bytes32(const toml::node& node, std::string_view key, Problems& problems);
// An http(s):// (or, with `websocket`, ws(s)://) URL. Messages never echo the
// URL: RPC and webhook URLs often carry an API key or a secret token.
std::optional<std::string> read_url(const toml::node& node, std::string_view key, bool websocket,
                                    Problems& problems);

}  // namespace keeper::config
