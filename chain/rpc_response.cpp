#include "chain/rpc_response.hpp"

#include <optional>
#include <unordered_map>

#include "net/printable_excerpt.hpp"

namespace keeper::chain {
namespace {

using nlohmann::json;

// A short rendering of untrusted text for an error message.
std::string excerpt(std::string_view text) { return net::printable_excerpt(text, 120); }

RpcResult<json> parse_json(std::string_view body) {
    json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return rpc_fail(RpcError::malformed("response is not JSON: " + excerpt(body)));
    return doc;
}

// Our ids are unsigned integers; a node echoing 7 as 7.0 or "7" is wrong.
std::optional<std::uint64_t> id_of(const json& response) {
    auto it = response.find("id");
    if (it == response.end() || !it->is_number_integer()) return std::nullopt;
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    const auto v = it->get<std::int64_t>();
    if (v < 0) return std::nullopt;
    return static_cast<std::uint64_t>(v);
}

RpcError error_from_object(const json& error) {
    if (!error.is_object()) return RpcError::malformed("'error' is not an object");
    auto code = error.find("code");
    if (code == error.end() || !code->is_number_integer())
        return RpcError::malformed("'error.code' is missing or not an integer");
    auto message = error.find("message");
    if (message == error.end() || !message->is_string())
        return RpcError::malformed("'error.message' is missing or not a string");
    RpcError out;
    out.kind = RpcError::Kind::rpc;
    out.code = code->get<std::int64_t>();
    // The one place a node's own wording enters our errors (and from them
    // every log line, journal record and alert): bounded and printable here.
    out.message = "error " + std::to_string(out.code) + ": " +
                  net::printable_excerpt(message->get<std::string>(), net::node_message_bytes);
    if (auto data = error.find("data"); data != error.end()) out.data = *data;
    return out;
}

// Everything but the id check: version, exactly one of result/error.
RpcResult<json> outcome_of(const json& response) {
    if (!response.is_object()) return rpc_fail(RpcError::malformed("response is not an object"));
    auto version = response.find("jsonrpc");
    if (version == response.end() || !version->is_string() || version->get<std::string>() != "2.0")
        return rpc_fail(RpcError::malformed("'jsonrpc' is not \"2.0\""));
    auto result = response.find("result");
    auto error = response.find("error");
    const bool has_result = result != response.end();
    const bool has_error = error != response.end() && !error->is_null();
    if (has_result && has_error) return rpc_fail(RpcError::malformed("both 'result' and 'error' present"));
    if (has_error) return rpc_fail(error_from_object(*error));
    if (!has_result) return rpc_fail(RpcError::malformed("neither 'result' nor 'error' present"));
    return *result;
}

}  // namespace

json make_request(const RpcCall& call, std::uint64_t id) {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", call.method}, {"params", call.params}};
}

RpcResult<json> check_response(const json& response, std::uint64_t id) {
    if (!response.is_object()) return rpc_fail(RpcError::malformed("response is not an object"));
    auto got = id_of(response);
    // A node that could not parse our request answers with id null and an
    // error; that error is more useful than "wrong id".
    auto id_it = response.find("id");
    const bool null_id = id_it != response.end() && id_it->is_null();
    if (!got && null_id) {
        auto outcome = outcome_of(response);
        if (!outcome && outcome.error().kind == RpcError::Kind::rpc) return outcome;
    }
    if (!got) return rpc_fail(RpcError::malformed("'id' is missing or not an unsigned integer"));
    if (*got != id)
        return rpc_fail(RpcError::malformed("wrong id: expected " + std::to_string(id) + ", got " + std::to_string(*got)));
    return outcome_of(response);
}

RpcResult<json> parse_response(std::string_view body, std::uint64_t id) {
    auto doc = parse_json(body);
    if (!doc) return rpc_fail(doc.error());
    return check_response(*doc, id);
}

RpcResult<std::vector<RpcResult<json>>> parse_batch_response(std::string_view body,
                                                              std::span<const std::uint64_t> ids) {
    auto doc = parse_json(body);
    if (!doc) return rpc_fail(doc.error());
    if (!doc->is_array()) {
        // A whole-batch rejection arrives as one error object.
        if (doc->is_object()) {
            auto outcome = outcome_of(*doc);
            if (!outcome) return rpc_fail(rpc_context("batch rejected", outcome.error()));
        }
        return rpc_fail(RpcError::malformed("batch response is not an array"));
    }
    std::unordered_map<std::uint64_t, std::size_t> slot_of;
    for (std::size_t i = 0; i < ids.size(); ++i) slot_of.emplace(ids[i], i);
    if (slot_of.size() != ids.size()) return rpc_fail(RpcError::malformed("batch request ids are not unique"));

    std::vector<std::optional<RpcResult<json>>> slots(ids.size());
    for (const json& response : *doc) {
        if (!response.is_object()) return rpc_fail(RpcError::malformed("batch entry is not an object"));
        auto id = id_of(response);
        if (!id) return rpc_fail(RpcError::malformed("batch entry 'id' is missing or not an unsigned integer"));
        auto slot = slot_of.find(*id);
        if (slot == slot_of.end())
            return rpc_fail(RpcError::malformed("batch entry has unknown id " + std::to_string(*id)));
        if (slots[slot->second].has_value())
            return rpc_fail(RpcError::malformed("batch entry id " + std::to_string(*id) + " repeated"));
        auto outcome = outcome_of(response);
        if (!outcome) outcome = rpc_fail(rpc_context("id " + std::to_string(*id), outcome.error()));
        slots[slot->second] = std::move(outcome);
    }
    std::vector<RpcResult<json>> out;
    out.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (slots[i].has_value())
            out.push_back(std::move(*slots[i]));
        else
            out.push_back(rpc_fail(RpcError::malformed("no response for id " + std::to_string(ids[i]))));
    }
    return out;
}

}  // namespace keeper::chain
