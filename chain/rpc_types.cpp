#include "chain/rpc_types.hpp"

#include "chain/json_fields.hpp"
#include "core/hex.hpp"

namespace keeper::chain {
namespace {

using nlohmann::json;

// Assigns a decoded field or returns its error from the enclosing decoder.
#define KEEPER_FIELD(target, expr)                                         \
    do {                                                                   \
        auto keeper_field_ = (expr);                                       \
        if (!keeper_field_) return std::unexpected(keeper_field_.error()); \
        target = std::move(*keeper_field_);                                \
    } while (false)

// The member `name` or nullptr; a pointer rather than an iterator so that
// GCC's -O3 -Wnull-dereference can see the check that guards its use.
const json* find_member(const json& object, std::string_view name) {
    auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

Result<std::optional<std::uint64_t>> optional_u64_of(const json& object, std::string_view name) {
    auto v = field::optional_quantity_of(object, name);
    if (!v) return std::unexpected(v.error());
    if (!v->has_value()) return std::optional<std::uint64_t>{};
    if (!(*v)->fits_u64()) return fail("'" + std::string(name) + "': does not fit 64 bits");
    return std::optional<std::uint64_t>{(*v)->low64()};
}

Result<std::optional<Bytes32>> optional_bytes32_of(const json& object, std::string_view name) {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return std::optional<Bytes32>{};
    auto v = field::bytes32(*it, name);
    if (!v) return std::unexpected(v.error());
    return std::optional<Bytes32>{*v};
}

Result<Log> decode_log_fields(const json& object) {
    if (!object.is_object()) return fail("not an object");
    Log log;
    KEEPER_FIELD(log.address, field::address_of(object, "address"));
    KEEPER_FIELD(log.data, field::data_of(object, "data"));
    const json* topics = find_member(object, "topics");
    if (topics == nullptr || !topics->is_array()) return fail("'topics': missing or not an array");
    std::size_t i = 0;
    for (const json& t : *topics) {
        auto topic = field::bytes32(t, "topics[" + std::to_string(i++) + "]");
        if (!topic) return std::unexpected(topic.error());
        log.topics.push_back(*topic);
    }
    KEEPER_FIELD(log.block_number, optional_u64_of(object, "blockNumber"));
    KEEPER_FIELD(log.block_hash, optional_bytes32_of(object, "blockHash"));
    KEEPER_FIELD(log.transaction_hash, optional_bytes32_of(object, "transactionHash"));
    KEEPER_FIELD(log.log_index, optional_u64_of(object, "logIndex"));
    if (auto removed = object.find("removed"); removed != object.end() && !removed->is_null()) {
        if (!removed->is_boolean()) return fail("'removed': not a boolean");
        log.removed = removed->get<bool>();
    }
    return log;
}

Result<Receipt> decode_receipt_fields(const json& object) {
    if (!object.is_object()) return fail("not an object");
    Receipt r;
    KEEPER_FIELD(r.transaction_hash, field::bytes32_of(object, "transactionHash"));
    KEEPER_FIELD(r.block_hash, field::bytes32_of(object, "blockHash"));
    KEEPER_FIELD(r.block_number, field::u64_of(object, "blockNumber"));
    KEEPER_FIELD(r.from, field::address_of(object, "from"));
    KEEPER_FIELD(r.to, field::optional_address_of(object, "to"));
    KEEPER_FIELD(r.contract_address, field::optional_address_of(object, "contractAddress"));
    KEEPER_FIELD(r.gas_used, field::quantity_of(object, "gasUsed"));
    KEEPER_FIELD(r.effective_gas_price, field::quantity_of(object, "effectiveGasPrice"));
    std::uint64_t status = 0;
    KEEPER_FIELD(status, field::u64_of(object, "status"));
    if (status > 1) return fail("'status': neither 0x0 nor 0x1");
    r.success = status == 1;
    const json* logs = find_member(object, "logs");
    if (logs == nullptr || !logs->is_array()) return fail("'logs': missing or not an array");
    std::size_t i = 0;
    for (const json& entry : *logs) {
        auto log = decode_log_fields(entry);
        if (!log) return std::unexpected(context("logs[" + std::to_string(i) + "]", log.error()));
        r.logs.push_back(std::move(*log));
        ++i;
    }
    return r;
}

Result<BlockHeader> decode_header_fields(const json& object) {
    if (!object.is_object()) return fail("not an object");
    BlockHeader h;
    KEEPER_FIELD(h.number, field::u64_of(object, "number"));
    KEEPER_FIELD(h.hash, field::bytes32_of(object, "hash"));
    KEEPER_FIELD(h.parent_hash, field::bytes32_of(object, "parentHash"));
    KEEPER_FIELD(h.timestamp, field::u64_of(object, "timestamp"));
    KEEPER_FIELD(h.base_fee_per_gas, field::optional_quantity_of(object, "baseFeePerGas"));
    return h;
}

#undef KEEPER_FIELD

Result<PendingTransaction> decode_pending_fields(const json& object) {
    if (!object.is_object()) return fail("not an object");
    PendingTransaction t;
    auto hash = field::bytes32_of(object, "hash");
    if (!hash) return std::unexpected(hash.error());
    t.hash = *hash;
    auto from = field::address_of(object, "from");
    if (!from) return std::unexpected(from.error());
    t.from = *from;
    auto to = field::optional_address_of(object, "to");
    if (!to) return std::unexpected(to.error());
    t.to = *to;
    // Nodes name the calldata "input" (some older ones "data").
    auto input = field::data_of(object, object.contains("input") ? "input" : "data");
    if (!input) return std::unexpected(input.error());
    t.input = std::move(*input);
    auto tip = field::optional_quantity_of(object, "maxPriorityFeePerGas");
    if (!tip) return std::unexpected(tip.error());
    if (!*tip) {
        tip = field::optional_quantity_of(object, "gasPrice");
        if (!tip) return std::unexpected(tip.error());
        if (!*tip) return fail("neither 'maxPriorityFeePerGas' nor 'gasPrice'");
    }
    t.priority_fee_wei = **tip;
    return t;
}

}  // namespace

Result<PendingTransaction> decode_pending_transaction(const json& object) {
    auto t = decode_pending_fields(object);
    if (!t) return std::unexpected(context("transaction", t.error()));
    return t;
}

json BlockId::to_json() const {
    if (const auto* tag = std::get_if<std::string>(&id_)) return *tag;
    return U256(std::get<std::uint64_t>(id_)).to_hex();
}

json CallRequest::to_json() const {
    json out = json::object();
    if (from) out["from"] = from->hex();
    if (to) out["to"] = to->hex();
    // Both names: older nodes read "data", newer ones prefer "input".
    out["data"] = hex::encode(data);
    out["input"] = out["data"];
    if (value) out["value"] = value->to_hex();
    if (gas) out["gas"] = U256(*gas).to_hex();
    return out;
}

Result<Log> decode_log(const json& object) {
    auto log = decode_log_fields(object);
    if (!log) return std::unexpected(context("log", log.error()));
    return log;
}

Result<Receipt> decode_receipt(const json& object) {
    auto r = decode_receipt_fields(object);
    if (!r) return std::unexpected(context("receipt", r.error()));
    return r;
}

Result<BlockHeader> decode_block_header(const json& object) {
    auto h = decode_header_fields(object);
    if (!h) return std::unexpected(context("block", h.error()));
    return h;
}

}  // namespace keeper::chain
