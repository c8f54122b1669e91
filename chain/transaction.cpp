#include "chain/transaction.hpp"

#include <cstring>
#include <string>
#include <type_traits>

#include "core/keccak.hpp"
#include "core/rlp.hpp"

namespace keeper::chain {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// ---- encoding ---------------------------------------------------------------

void append_to(Bytes& out, const std::optional<Address>& to) {
    if (to) {
        rlp::append_bytes(out, to->view());
    } else {
        rlp::append_bytes(out, {});  // contract creation: the empty string
    }
}

// r and s are RLP integers: big-endian without leading zeros.
void append_word(Bytes& out, const Bytes32& word) {
    std::size_t first = 0;
    while (first < 32 && word.bytes[first] == 0) ++first;
    rlp::append_bytes(out, word.view().subspan(first));
}

void append_access_list(Bytes& out, const AccessList& list) {
    Bytes entries;
    for (const AccessListEntry& entry : list) {
        Bytes keys;
        keys.reserve(33 * entry.storage_keys.size());
        for (const Bytes32& key : entry.storage_keys) rlp::append_bytes(keys, key.view());
        Bytes item;
        rlp::append_bytes(item, entry.address.view());
        rlp::append_list(item, keys);
        rlp::append_list(entries, item);
    }
    rlp::append_list(out, entries);
}

// The fields every signature covers, in each type's order, without the list header.
Bytes unsigned_fields(const LegacyTransaction& tx) {
    Bytes out;
    out.reserve(64 + tx.data.size());
    rlp::append_uint(out, tx.nonce.value);
    rlp::append_u256(out, tx.gas_price_wei);
    rlp::append_uint(out, tx.gas_limit.value);
    append_to(out, tx.to);
    rlp::append_u256(out, tx.value_wei);
    rlp::append_bytes(out, tx.data);
    return out;
}

Bytes unsigned_fields(const AccessListTransaction& tx) {
    Bytes out;
    out.reserve(96 + tx.data.size());
    rlp::append_uint(out, tx.chain_id.value);
    rlp::append_uint(out, tx.nonce.value);
    rlp::append_u256(out, tx.gas_price_wei);
    rlp::append_uint(out, tx.gas_limit.value);
    append_to(out, tx.to);
    rlp::append_u256(out, tx.value_wei);
    rlp::append_bytes(out, tx.data);
    append_access_list(out, tx.access_list);
    return out;
}

Bytes unsigned_fields(const DynamicFeeTransaction& tx) {
    Bytes out;
    out.reserve(96 + tx.data.size());
    rlp::append_uint(out, tx.chain_id.value);
    rlp::append_uint(out, tx.nonce.value);
    rlp::append_u256(out, tx.max_priority_fee_per_gas_wei);
    rlp::append_u256(out, tx.max_fee_per_gas_wei);
    rlp::append_uint(out, tx.gas_limit.value);
    append_to(out, tx.to);
    rlp::append_u256(out, tx.value_wei);
    rlp::append_bytes(out, tx.data);
    append_access_list(out, tx.access_list);
    return out;
}

// `type || rlp(fields ++ tail)` for typed transactions, `rlp(fields ++ tail)` for legacy.
Bytes envelope(TxType type, const Bytes& fields, const Bytes& tail) {
    Bytes out;
    out.reserve(fields.size() + tail.size() + 10);
    if (type != TxType::legacy) out.push_back(static_cast<std::uint8_t>(type));
    rlp::append_list_header(out, fields.size() + tail.size());
    append(out, fields);
    append(out, tail);
    return out;
}

// EIP-155: v = chain_id * 2 + 35 + y; before it, v = 27 + y.
U256 legacy_v(const LegacyTransaction& tx, std::uint8_t y_parity) {
    if (!tx.chain_id) return U256(27u + y_parity);
    return U256(tx.chain_id->value) * U256(2) + U256(35u + y_parity);
}

// ---- decoding ---------------------------------------------------------------

// Reads the fields of one transaction list in order, remembering the first
// failure with the field's name.
class FieldReader {
public:
    explicit FieldReader(rlp::ListReader reader) : reader_(reader) {}

    bool u64(const char* name, std::uint64_t& out) { return take(name, reader_.read_u64(), out); }
    bool u256(const char* name, U256& out) { return take(name, reader_.read_u256(), out); }

    bool word(const char* name, Bytes32& out) {
        U256 v;
        if (!u256(name, v)) return false;
        out = Bytes32(v.to_be());
        return true;
    }

    bool data(const char* name, Bytes& out) {
        auto bytes = reader_.read_bytes();
        if (!bytes) return failed(name, bytes.error());
        out.assign(bytes->begin(), bytes->end());
        return true;
    }

    bool to(const char* name, std::optional<Address>& out) {
        const std::size_t at = reader_.offset();
        auto bytes = reader_.read_bytes();
        if (!bytes) return failed(name, bytes.error());
        if (bytes->empty()) {
            out.reset();
            return true;
        }
        if (bytes->size() != Address::size)
            return failed(name, Error{"expected 0 or 20 bytes, found " + std::to_string(bytes->size()) +
                                      " at offset " + std::to_string(at)});
        Address a;
        std::memcpy(a.bytes.data(), bytes->data(), Address::size);
        out = a;
        return true;
    }

    bool access_list(const char* name, AccessList& out) {
        auto list = reader_.read_list();
        if (!list) return failed(name, list.error());
        while (!list->at_end()) {
            auto entry = list->read_list();
            if (!entry) return failed(name, entry.error());
            auto address = entry->read_fixed(Address::size);
            if (!address) return failed(name, address.error());
            AccessListEntry item;
            std::memcpy(item.address.bytes.data(), address->data(), Address::size);
            auto keys = entry->read_list();
            if (!keys) return failed(name, keys.error());
            while (!keys->at_end()) {
                auto key = keys->read_fixed(Bytes32::size);
                if (!key) return failed(name, key.error());
                Bytes32 k;
                std::memcpy(k.bytes.data(), key->data(), Bytes32::size);
                item.storage_keys.push_back(k);
            }
            auto done = entry->finish();
            if (!done) return failed(name, done.error());
            out.push_back(std::move(item));
        }
        return true;
    }

    bool y_parity(const char* name, std::uint8_t& out) {
        const std::size_t at = reader_.offset();
        std::uint64_t v = 0;
        if (!u64(name, v)) return false;
        if (v > 1)
            return failed(name, Error{"must be 0 or 1, found " + std::to_string(v) + " at offset " + std::to_string(at)});
        out = static_cast<std::uint8_t>(v);
        return true;
    }

    bool finish() {
        auto done = reader_.finish();
        if (!done) return failed("fields", done.error());
        return true;
    }

    std::size_t offset() const { return reader_.offset(); }
    const Error& error() const { return error_; }
    bool failed(const char* name, const Error& e) {
        error_ = context(name, e);
        return false;
    }

private:
    template <class T, class U>
    bool take(const char* name, Result<T> r, U& out) {
        if (!r) return failed(name, r.error());
        out = static_cast<U>(*r);
        return true;
    }

    rlp::ListReader reader_;
    Error error_;
};

std::unexpected<Error> tx_error(const Error& e) { return std::unexpected(context("transaction", e)); }

Result<SignedTransaction> decode_legacy(ByteView raw) {
    auto reader = rlp::ListReader::open(raw);
    if (!reader) return tx_error(reader.error());
    FieldReader f(*reader);
    LegacyTransaction tx;
    Signature sig;
    U256 v;
    const bool ok = f.u64("nonce", tx.nonce.value) && f.u256("gas_price", tx.gas_price_wei) &&
                    f.u64("gas_limit", tx.gas_limit.value) && f.to("to", tx.to) && f.u256("value", tx.value_wei) &&
                    f.data("data", tx.data);
    if (!ok) return tx_error(f.error());
    const std::size_t v_at = f.offset();
    if (!(f.u256("v", v) && f.word("r", sig.r) && f.word("s", sig.s) && f.finish())) return tx_error(f.error());
    if (v == U256(27) || v == U256(28)) {
        sig.y_parity = static_cast<std::uint8_t>(v.low64() - 27);
    } else if (v >= U256(35)) {
        const U256 chain = (v - U256(35)) / U256(2);
        if (!chain.fits_u64()) return tx_error(Error{"v: chain id exceeds 2^64-1 at offset " + std::to_string(v_at)});
        tx.chain_id = ChainId{chain.low64()};
        sig.y_parity = static_cast<std::uint8_t>((v - U256(35)).low64() & 1);
    } else {
        return tx_error(Error{"v: expected 27, 28 or at least 35, found " + v.to_dec() + " at offset " +
                              std::to_string(v_at)});
    }
    return SignedTransaction{std::move(tx), sig};
}

template <class Tx>
Result<SignedTransaction> decode_typed(ByteView raw) {
    auto header = rlp::read_header(raw, 1);
    if (!header) return tx_error(header.error());
    if (!header->is_list) return tx_error(Error{"expected a list after the type byte at offset 1"});
    if (header->end() != raw.size())
        return tx_error(Error{std::to_string(raw.size() - header->end()) + " trailing bytes at offset " +
                              std::to_string(header->end())});
    FieldReader f(rlp::ListReader(raw, *header));
    Tx tx;
    Signature sig;
    bool ok = f.u64("chain_id", tx.chain_id.value) && f.u64("nonce", tx.nonce.value);
    if constexpr (std::is_same_v<Tx, DynamicFeeTransaction>) {
        ok = ok && f.u256("max_priority_fee_per_gas", tx.max_priority_fee_per_gas_wei) &&
             f.u256("max_fee_per_gas", tx.max_fee_per_gas_wei);
    } else {
        ok = ok && f.u256("gas_price", tx.gas_price_wei);
    }
    ok = ok && f.u64("gas_limit", tx.gas_limit.value) && f.to("to", tx.to) && f.u256("value", tx.value_wei) &&
         f.data("data", tx.data) && f.access_list("access_list", tx.access_list) &&
         f.y_parity("y_parity", sig.y_parity) && f.word("r", sig.r) && f.word("s", sig.s) && f.finish();
    if (!ok) return tx_error(f.error());
    return SignedTransaction{std::move(tx), sig};
}

}  // namespace

TxType type_of(const Transaction& tx) {
    return std::visit(Overloaded{[](const LegacyTransaction&) { return TxType::legacy; },
                                 [](const AccessListTransaction&) { return TxType::access_list; },
                                 [](const DynamicFeeTransaction&) { return TxType::dynamic_fee; }},
                      tx);
}

Bytes signing_payload(const Transaction& tx) {
    return std::visit(Overloaded{[](const LegacyTransaction& t) {
                                     Bytes tail;
                                     if (t.chain_id) {  // EIP-155: chain_id, 0, 0
                                         rlp::append_uint(tail, t.chain_id->value);
                                         rlp::append_uint(tail, 0);
                                         rlp::append_uint(tail, 0);
                                     }
                                     return envelope(TxType::legacy, unsigned_fields(t), tail);
                                 },
                                 [](const AccessListTransaction& t) {
                                     return envelope(TxType::access_list, unsigned_fields(t), {});
                                 },
                                 [](const DynamicFeeTransaction& t) {
                                     return envelope(TxType::dynamic_fee, unsigned_fields(t), {});
                                 }},
                      tx);
}

Bytes32 signing_hash(const Transaction& tx) { return keccak256(signing_payload(tx)); }

SignedTransaction sign(Transaction tx, const PrivateKey& key) {
    const Signature sig = sign_hash(signing_hash(tx), key);
    return SignedTransaction{std::move(tx), sig};
}

Bytes encode_raw(const SignedTransaction& signed_tx) {
    const Signature& sig = signed_tx.signature;
    return std::visit(Overloaded{[&](const LegacyTransaction& t) {
                                     Bytes tail;
                                     rlp::append_u256(tail, legacy_v(t, sig.y_parity));
                                     append_word(tail, sig.r);
                                     append_word(tail, sig.s);
                                     return envelope(TxType::legacy, unsigned_fields(t), tail);
                                 },
                                 [&](const auto& t) {
                                     constexpr TxType type =
                                         std::is_same_v<std::decay_t<decltype(t)>, DynamicFeeTransaction>
                                             ? TxType::dynamic_fee
                                             : TxType::access_list;
                                     Bytes tail;
                                     rlp::append_uint(tail, sig.y_parity);
                                     append_word(tail, sig.r);
                                     append_word(tail, sig.s);
                                     return envelope(type, unsigned_fields(t), tail);
                                 }},
                      signed_tx.tx);
}

Bytes32 transaction_hash(const SignedTransaction& signed_tx) { return keccak256(encode_raw(signed_tx)); }

Result<SignedTransaction> decode_raw(ByteView raw) {
    if (raw.empty()) return fail("transaction: empty input");
    const std::uint8_t first = raw[0];
    if (first >= 0xc0) return decode_legacy(raw);
    if (first == static_cast<std::uint8_t>(TxType::access_list)) return decode_typed<AccessListTransaction>(raw);
    if (first == static_cast<std::uint8_t>(TxType::dynamic_fee)) return decode_typed<DynamicFeeTransaction>(raw);
    if (first < 0x80) return fail("transaction: unsupported type " + std::to_string(first) + " at offset 0");
    return fail("transaction: expected a list or a typed envelope, found an RLP string at offset 0");
}

Result<Address> recover_sender(const SignedTransaction& signed_tx) {
    if (!is_low_s(signed_tx.signature.s)) return fail("transaction: signature s above n/2 (EIP-2)");
    auto sender = recover_address(signing_hash(signed_tx.tx), signed_tx.signature);
    if (!sender) return std::unexpected(context("transaction", sender.error()));
    return sender;
}

}  // namespace keeper::chain
