#include "core/abi_signature.hpp"

#include <utility>

namespace keeper::abi {
namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
bool is_ident(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

std::string found_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return "end of text";
    return std::string("'") + text[pos] + "'";
}

Error expected_at(std::string_view stage, std::string_view text, std::size_t pos, std::string_view what) {
    return Error{std::string(stage) + ": expected " + std::string(what) + " at position " + std::to_string(pos) +
                 ", found " + found_at(text, pos)};
}

void skip_spaces(std::string_view text, std::size_t& pos) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
}

std::string_view identifier(std::string_view text, std::size_t& pos) {
    const std::size_t start = pos;
    if (pos < text.size() && is_ident_start(text[pos])) {
        ++pos;
        while (pos < text.size() && is_ident(text[pos])) ++pos;
    }
    return text.substr(start, pos - start);
}

// The text after "name(": parameters up to and including ')'. A parameter is
// a type, then optionally "indexed" (events only) and a name.
Result<std::vector<EventParam>> parse_params(std::string_view stage, std::string_view text, std::size_t& pos,
                                             bool allow_indexed) {
    std::vector<EventParam> params;
    skip_spaces(text, pos);
    if (pos < text.size() && text[pos] == ')') {
        ++pos;
        return params;
    }
    for (;;) {
        skip_spaces(text, pos);
        auto type = parse_type_at(text, pos, true);
        if (!type) return std::unexpected(context(stage, type.error()));
        EventParam p{"", std::move(*type), false};
        skip_spaces(text, pos);
        std::string_view word = identifier(text, pos);
        if (word == "indexed") {
            if (!allow_indexed)
                return fail(std::string(stage) + ": 'indexed' at position " + std::to_string(pos - word.size()) +
                            " is only allowed in events");
            p.indexed = true;
            skip_spaces(text, pos);
            word = identifier(text, pos);
        }
        p.name = std::string(word);
        skip_spaces(text, pos);
        params.push_back(std::move(p));
        if (pos < text.size() && text[pos] == ',') {
            ++pos;
            continue;
        }
        if (pos < text.size() && text[pos] == ')') {
            ++pos;
            return params;
        }
        return std::unexpected(expected_at(stage, text, pos, "',' or ')'"));
    }
}

// "name(" with the position left just after '('.
Result<std::string> parse_name(std::string_view stage, std::string_view text, std::size_t& pos) {
    skip_spaces(text, pos);
    const std::string_view name = identifier(text, pos);
    if (name.empty()) return std::unexpected(expected_at(stage, text, pos, "a name"));
    if (pos >= text.size() || text[pos] != '(') return std::unexpected(expected_at(stage, text, pos, "'('"));
    ++pos;
    return std::string(name);
}

std::string canonical_signature(std::string_view name, const std::vector<Type>& types) {
    return std::string(name) + "(" + canonical_list(types) + ")";
}

}  // namespace

Result<Function> parse_function(std::string_view signature) {
    constexpr std::string_view stage = "abi signature";
    std::size_t pos = 0;
    auto name = parse_name(stage, signature, pos);
    if (!name) return std::unexpected(name.error());
    auto params = parse_params(stage, signature, pos, false);
    if (!params) return std::unexpected(params.error());
    skip_spaces(signature, pos);
    if (pos != signature.size()) return std::unexpected(expected_at(stage, signature, pos, "end of signature"));
    Function f;
    f.name = std::move(*name);
    for (auto& p : *params) f.inputs.push_back(std::move(p.type));
    f.canonical = canonical_signature(f.name, f.inputs);
    f.selector = selector(f.canonical);
    return f;
}

Result<Bytes> encode_call(const Function& function, std::span<const Value> args) {
    Bytes out(function.selector.begin(), function.selector.end());
    auto r = encode_into(function.inputs, args, out);
    if (!r) return std::unexpected(context(function.name, r.error()));
    return out;
}

Result<Bytes> encode_call(std::string_view signature, std::span<const Value> args) {
    auto f = parse_function(signature);
    if (!f) return std::unexpected(f.error());
    return encode_call(*f, args);
}

Result<EventSpec> make_event(std::string name, std::vector<EventParam> params, bool anonymous) {
    EventSpec e;
    e.name = std::move(name);
    e.params = std::move(params);
    e.anonymous = anonymous;
    std::vector<Type> all;
    for (const auto& p : e.params) {
        all.push_back(p.type);
        if (p.indexed)
            ++e.indexed_count;
        else
            e.data_types.push_back(p.type);
    }
    const std::size_t max_indexed = anonymous ? 4 : 3;
    if (e.indexed_count > max_indexed)
        return fail("event " + e.name + ": " + std::to_string(e.indexed_count) + " indexed parameters, at most " +
                    std::to_string(max_indexed) + " fit in topics");
    e.canonical = canonical_signature(e.name, all);
    e.topic0 = event_topic(e.canonical);
    return e;
}

Result<EventSpec> parse_event(std::string_view text) {
    constexpr std::string_view stage = "abi event";
    std::size_t pos = 0;
    auto name = parse_name(stage, text, pos);
    if (!name) return std::unexpected(name.error());
    auto params = parse_params(stage, text, pos, true);
    if (!params) return std::unexpected(params.error());
    skip_spaces(text, pos);
    const std::size_t word_at = pos;
    const std::string_view word = identifier(text, pos);
    skip_spaces(text, pos);
    if ((!word.empty() && word != "anonymous") || pos != text.size())
        return std::unexpected(expected_at(stage, text, word.empty() ? pos : word_at, "'anonymous' or end of event"));
    return make_event(std::move(*name), std::move(*params), word == "anonymous");
}

const Value* DecodedLog::find(std::string_view name) const {
    for (const auto& nv : values)
        if (nv.name == name) return &nv.value;
    return nullptr;
}

namespace {
template <class T, class Get>
Result<T> typed_at(const DecodedLog& log, std::size_t i, const char* what, Get get) {
    const auto* v = get(log.values.at(i).value);
    if (v == nullptr) return fail("value " + std::to_string(i) + " is not " + what);
    return T(*v);
}
}  // namespace

Result<Address> DecodedLog::address_at(std::size_t i) const {
    return typed_at<Address>(*this, i, "an address", [](const Value& v) { return v.as_address(); });
}
Result<U256> DecodedLog::uint_at(std::size_t i) const {
    return typed_at<U256>(*this, i, "a uint", [](const Value& v) { return v.as_uint(); });
}
Result<I256> DecodedLog::int_at(std::size_t i) const {
    return typed_at<I256>(*this, i, "an int", [](const Value& v) { return v.as_int(); });
}
Result<bool> DecodedLog::bool_at(std::size_t i) const {
    return typed_at<bool>(*this, i, "a bool", [](const Value& v) { return v.as_bool(); });
}
Result<Bytes> DecodedLog::bytes_at(std::size_t i) const {
    return typed_at<Bytes>(*this, i, "bytes", [](const Value& v) { return v.as_bytes(); });
}
Result<Bytes32> DecodedLog::bytes32_at(std::size_t i) const {
    const Bytes* b = values.at(i).value.as_bytes();
    if (b == nullptr) return fail("value " + std::to_string(i) + " is not bytes32");
    return Bytes32::from_bytes(*b);
}

Result<DecodedLog> decode_log(const EventSpec& event, std::span<const Bytes32> topics, ByteView data) {
    const std::string stage = "log " + event.name;
    const std::size_t first = event.anonymous ? 0 : 1;
    if (topics.size() != first + event.indexed_count)
        return fail(stage + ": expected " + std::to_string(first + event.indexed_count) + " topics, found " +
                    std::to_string(topics.size()));
    if (!event.anonymous && topics[0] != event.topic0)
        return fail(stage + ": topic0 is " + topics[0].hex() + ", expected " + event.topic0.hex() + " (" +
                    event.canonical + ")");

    auto body = decode(event.data_types, data);
    if (!body) return std::unexpected(context(stage + ": data", body.error()));

    DecodedLog log;
    log.values.reserve(event.params.size());
    std::size_t topic = first;
    std::size_t datum = 0;
    for (const auto& p : event.params) {
        if (!p.indexed) {
            log.values.push_back({p.name, std::move((*body)[datum++])});
            continue;
        }
        const Bytes32& word = topics[topic];
        switch (p.type.kind()) {
            case Kind::Uint:
            case Kind::Int:
            case Kind::Address:
            case Kind::Bool:
            case Kind::FixedBytes: {
                auto v = decode(std::span<const Type>(&p.type, 1), word.view());
                if (!v) return std::unexpected(context(stage + ": topic " + std::to_string(topic), v.error()));
                log.values.push_back({p.name, std::move(v->front())});
                break;
            }
            default:  // hashed: the value itself is not in the log
                log.values.push_back({p.name, Value(Bytes(word.bytes.begin(), word.bytes.end()))});
        }
        ++topic;
    }
    return log;
}

}  // namespace keeper::abi
