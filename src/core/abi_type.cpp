#include "core/abi_type.hpp"

#include <optional>
#include <stdexcept>
#include <utility>

#include "core/abi_words.hpp"

namespace keeper::abi {
namespace {

std::string describe_char(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return "end of text";
    return std::string("'") + text[pos] + "'";
}

Error parse_error(std::string_view text, std::size_t pos, std::string_view expected) {
    return Error{"abi type: expected " + std::string(expected) + " at position " + std::to_string(pos) + ", found " +
                 describe_char(text, pos)};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident(char c) { return (c >= 'a' && c <= 'z') || is_digit(c); }

// A decimal without sign or leading zeros, no larger than `limit`; nullopt
// on anything else.
std::optional<std::size_t> parse_decimal(std::string_view digits, std::size_t limit) {
    if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
    std::size_t value = 0;
    for (char c : digits) {
        if (!is_digit(c)) return std::nullopt;
        const auto d = static_cast<std::size_t>(c - '0');
        if (value > (limit - d) / 10) return std::nullopt;
        value = value * 10 + d;
    }
    return value;
}

// The elementary type named `word` ("uint256", "bytes10", "address", ...).
std::optional<Type> elementary(std::string_view word) {
    if (word == "address") return Type::address();
    if (word == "bool") return Type::boolean();
    if (word == "string") return Type::string();
    if (word == "bytes") return Type::bytes();
    if (word == "uint") return Type::uint(256);
    if (word == "int") return Type::int_(256);
    const auto sized = [&](std::string_view prefix) -> std::optional<std::size_t> {
        if (!word.starts_with(prefix)) return std::nullopt;
        return parse_decimal(word.substr(prefix.size()), 256);
    };
    if (auto bits = sized("uint"); bits && *bits % 8 == 0 && *bits >= 8) return Type::uint(static_cast<unsigned>(*bits));
    if (auto bits = sized("int"); bits && *bits % 8 == 0 && *bits >= 8) return Type::int_(static_cast<unsigned>(*bits));
    if (auto size = sized("bytes"); size && *size >= 1 && *size <= 32) return Type::fixed_bytes(*size);
    return std::nullopt;
}

class Parser {
public:
    Parser(std::string_view text, bool allow_names) : text_(text), allow_names_(allow_names) {}

    Result<Type> type(std::size_t& pos, std::size_t depth) {
        if (depth > kMaxTypeDepth) return fail("abi type: nesting deeper than " + std::to_string(kMaxTypeDepth) +
                                               " at position " + std::to_string(pos));
        auto base = pos < text_.size() && text_[pos] == '(' ? tuple(pos, depth) : word(pos);
        if (!base) return base;
        Type t = std::move(*base);
        while (pos < text_.size() && text_[pos] == '[') {
            if (++depth > kMaxTypeDepth)
                return fail("abi type: nesting deeper than " + std::to_string(kMaxTypeDepth) + " at position " +
                            std::to_string(pos));
            const std::size_t open = pos++;
            std::size_t end = pos;
            while (end < text_.size() && is_digit(text_[end])) ++end;
            if (end >= text_.size() || text_[end] != ']') return std::unexpected(parse_error(text_, end, "digit or ']'"));
            if (end == pos) {
                t = Type::array(std::move(t));
            } else {
                const auto k = parse_decimal(text_.substr(pos, end - pos), kMaxStaticSize);
                if (!k || *k == 0)
                    return fail("abi type: array length at position " + std::to_string(pos) +
                                " must be 1.." + std::to_string(kMaxStaticSize) + " without leading zeros, found '" +
                                std::string(text_.substr(pos, end - pos)) + "'");
                if (!t.is_dynamic() && t.head_size() > kMaxStaticSize / *k)
                    return fail("abi type: static size of array at position " + std::to_string(open) +
                                " exceeds 2^32 bytes");
                t = Type::fixed_array(std::move(t), *k);
            }
            pos = end + 1;
        }
        return t;
    }

private:
    Result<Type> tuple(std::size_t& pos, std::size_t depth) {
        const std::size_t open = pos++;
        if (pos < text_.size() && text_[pos] == ')')
            return fail("abi type: empty tuple at position " + std::to_string(open) + " (Solidity has no empty structs)");
        std::vector<Type> parts;
        std::size_t static_size = 0;
        for (;;) {
            skip_spaces(pos);
            auto part = type(pos, depth + 1);
            if (!part) return part;
            if (allow_names_) {  // "address loanToken": skip the name
                skip_spaces(pos);
                while (pos < text_.size() && is_name_char(text_[pos])) ++pos;
                skip_spaces(pos);
            }
            if (!part->is_dynamic()) {
                static_size += part->head_size();  // each <= 2^32, so no overflow before the check
                if (static_size > kMaxStaticSize)
                    return fail("abi type: static size of tuple at position " + std::to_string(open) +
                                " exceeds 2^32 bytes");
            }
            parts.push_back(std::move(*part));
            if (pos < text_.size() && text_[pos] == ',') {
                ++pos;
                continue;
            }
            if (pos < text_.size() && text_[pos] == ')') {
                ++pos;
                return Type::tuple(std::move(parts));
            }
            return std::unexpected(parse_error(text_, pos, "',' or ')'"));
        }
    }

    Result<Type> word(std::size_t& pos) {
        const std::size_t start = pos;
        std::size_t end = pos;
        while (end < text_.size() && is_ident(text_[end])) ++end;
        if (end == start) return std::unexpected(parse_error(text_, start, "a type"));
        const std::string_view w = text_.substr(start, end - start);
        auto t = elementary(w);
        if (!t) return fail("abi type: unknown type '" + std::string(w) + "' at position " + std::to_string(start));
        pos = end;
        return std::move(*t);
    }

    void skip_spaces(std::size_t& pos) const {
        while (allow_names_ && pos < text_.size() && text_[pos] == ' ') ++pos;
    }
    static bool is_name_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$';
    }

    std::string_view text_;
    bool allow_names_;
};

void require(bool ok, const char* what) {
    if (!ok) throw std::logic_error(std::string("abi::Type: ") + what);
}

}  // namespace

Type::Type(Kind kind, unsigned bits, std::size_t size, std::vector<Type> children)
    : kind_(kind), bits_(bits), size_(size), children_(std::move(children)) {
    switch (kind_) {
        case Kind::Bytes:
        case Kind::String:
        case Kind::Array:
            dynamic_ = true;
            head_size_ = kWord;
            break;
        case Kind::FixedArray:
            dynamic_ = element().is_dynamic();
            head_size_ = dynamic_ ? kWord : element().head_size() * size_;
            break;
        case Kind::Tuple: {
            std::size_t sum = 0;
            for (const Type& c : children_) {
                dynamic_ = dynamic_ || c.is_dynamic();
                sum += c.head_size();
            }
            head_size_ = dynamic_ ? kWord : sum;
            break;
        }
        default:
            dynamic_ = false;
            head_size_ = kWord;
    }
}

Type Type::uint(unsigned bits) {
    require(bits >= 8 && bits <= 256 && bits % 8 == 0, "uint width must be 8..256 in steps of 8");
    return Type(Kind::Uint, bits, 0, {});
}
Type Type::int_(unsigned bits) {
    require(bits >= 8 && bits <= 256 && bits % 8 == 0, "int width must be 8..256 in steps of 8");
    return Type(Kind::Int, bits, 0, {});
}
Type Type::address() { return Type(Kind::Address, 160, 0, {}); }
Type Type::boolean() { return Type(Kind::Bool, 8, 0, {}); }
Type Type::fixed_bytes(std::size_t size) {
    require(size >= 1 && size <= 32, "bytes<M> needs 1 <= M <= 32");
    return Type(Kind::FixedBytes, 0, size, {});
}
Type Type::bytes() { return Type(Kind::Bytes, 0, 0, {}); }
Type Type::string() { return Type(Kind::String, 0, 0, {}); }
Type Type::array(Type element) {
    std::vector<Type> c;
    c.push_back(std::move(element));
    return Type(Kind::Array, 0, 0, std::move(c));
}
Type Type::fixed_array(Type element, std::size_t length) {
    require(length >= 1 && length <= kMaxStaticSize, "T[k] needs 1 <= k <= 2^32");
    require(element.is_dynamic() || element.head_size() <= kMaxStaticSize / length, "T[k] larger than 2^32 bytes");
    std::vector<Type> c;
    c.push_back(std::move(element));
    return Type(Kind::FixedArray, 0, length, std::move(c));
}
Type Type::tuple(std::vector<Type> components) {
    require(!components.empty(), "empty tuple");
    return Type(Kind::Tuple, 0, 0, std::move(components));
}

void Type::canonical_into(std::string& out) const {
    switch (kind_) {
        case Kind::Uint: out += "uint" + std::to_string(bits_); return;
        case Kind::Int: out += "int" + std::to_string(bits_); return;
        case Kind::Address: out += "address"; return;
        case Kind::Bool: out += "bool"; return;
        case Kind::FixedBytes: out += "bytes" + std::to_string(size_); return;
        case Kind::Bytes: out += "bytes"; return;
        case Kind::String: out += "string"; return;
        case Kind::Array:
            element().canonical_into(out);
            out += "[]";
            return;
        case Kind::FixedArray:
            element().canonical_into(out);
            // Appended piecewise: GCC 12 -O3 warns falsely (-Wrestrict) on "[" + std::string.
            out += '[';
            out += std::to_string(size_);
            out += ']';
            return;
        case Kind::Tuple:
            out += '(';
            for (std::size_t i = 0; i < children_.size(); ++i) {
                if (i > 0) out += ',';
                children_[i].canonical_into(out);
            }
            out += ')';
            return;
    }
}

std::string Type::canonical() const {
    std::string out;
    canonical_into(out);
    return out;
}

Result<Type> parse_type_at(std::string_view text, std::size_t& pos, bool allow_names) {
    return Parser(text, allow_names).type(pos, 0);
}

Result<Type> parse_type(std::string_view text) {
    std::size_t pos = 0;
    auto t = parse_type_at(text, pos);
    if (!t) return t;
    if (pos != text.size()) return std::unexpected(parse_error(text, pos, "end of type"));
    return t;
}

Result<std::vector<Type>> parse_type_list(std::string_view text) {
    std::vector<Type> out;
    if (text.empty()) return out;
    std::size_t pos = 0;
    for (;;) {
        auto t = parse_type_at(text, pos);
        if (!t) return std::unexpected(t.error());
        out.push_back(std::move(*t));
        if (pos == text.size()) return out;
        if (text[pos] != ',') return std::unexpected(parse_error(text, pos, "',' or end of list"));
        ++pos;
    }
}

std::string canonical_list(const std::vector<Type>& types) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i > 0) out += ',';
        out += types[i].canonical();
    }
    return out;
}

}  // namespace keeper::abi
