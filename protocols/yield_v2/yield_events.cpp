#include "protocols/yield_v2/yield_events.hpp"

#include <array>
#include <string>
#include <string_view>

#include "core/abi_signature.hpp"

namespace keeper::yield_v2 {
namespace {

// Declarations as in Cauldron.sol and Witch.sol, in Event's order.
constexpr std::array<std::string_view, 12> kDeclarations{
    "VaultBuilt(bytes12 indexed vaultId, address indexed owner, bytes6 indexed seriesId, bytes6 ilkId)",
    "VaultTweaked(bytes12 indexed vaultId, bytes6 indexed seriesId, bytes6 indexed ilkId)",
    "VaultDestroyed(bytes12 indexed vaultId)",
    "VaultGiven(bytes12 indexed vaultId, address indexed receiver)",
    "VaultPoured(bytes12 indexed vaultId, bytes6 indexed seriesId, bytes6 indexed ilkId, int128 ink, int128 art)",
    "VaultStirred(bytes12 indexed from, bytes12 indexed to, uint128 ink, uint128 art)",
    "VaultRolled(bytes12 indexed vaultId, bytes6 indexed seriesId, uint128 art)",
    "Auctioned(bytes12 indexed vaultId, (address owner, uint32 start, bytes6 baseId, uint128 ink, uint128 art, "
    "address auctioneer, bytes6 ilkId, bytes6 seriesId) auction, uint256 duration, uint256 initialCollateralProportion)",
    "Bought(bytes12 indexed vaultId, address indexed buyer, uint256 ink, uint256 art)",
    "Ended(bytes12 indexed vaultId)",
    "Cancelled(bytes12 indexed vaultId)",
    "Cleared(bytes12 indexed vaultId)",
};

const std::vector<abi::EventSpec>& specs() {
    static const std::vector<abi::EventSpec> all = [] {
        std::vector<abi::EventSpec> out;
        for (auto d : kDeclarations) out.push_back(abi::parse_event(d).value());  // constant text: a failure is a bug
        return out;
    }();
    return all;
}

// Reads named values out of a decoded log; the first failure sticks.
class Fields {
public:
    Fields(const abi::DecodedLog& log, std::string_view event) : log_(log), event_(event) {}

    template <class Id>
    Id id(std::string_view name) {
        const abi::Value* v = find(name);
        const Bytes* b = v ? v->as_bytes() : nullptr;
        if (b == nullptr || b->size() != Id::size) return bad(name, Id());
        return Id::from_bytes(*b).value();
    }
    Address address(std::string_view name) {
        const abi::Value* v = find(name);
        const Address* a = v ? v->as_address() : nullptr;
        return a ? *a : bad(name, Address());
    }
    U256 uint(std::string_view name) { return uint_of(find(name), name); }
    abi::I256 sint(std::string_view name) {
        const abi::Value* v = find(name);
        const abi::I256* i = v ? v->as_int() : nullptr;
        return i ? *i : bad(name, abi::I256());
    }
    Auction auction(std::string_view name) {
        const abi::Value* v = find(name);
        const abi::Value::List* l = v ? v->as_list() : nullptr;
        if (l == nullptr || l->size() != 8) return bad(name, Auction());
        auto addr = [&](std::size_t i) {
            const Address* a = (*l)[i].as_address();
            return a ? *a : bad(name, Address());
        };
        auto fixed6 = [&]<class Id>(std::size_t i, Id) {
            const Bytes* b = (*l)[i].as_bytes();
            if (b == nullptr || b->size() != 6) return bad(name, Id());
            return Id::from_bytes(*b).value();
        };
        const U256 start = uint_of(&(*l)[1], name);
        return Auction{addr(0), static_cast<std::uint32_t>(start.low64()), fixed6(2, AssetId()),
                       uint_of(&(*l)[3], name), uint_of(&(*l)[4], name), addr(5), fixed6(6, AssetId()),
                       fixed6(7, SeriesId())};
    }

    template <class T>
    Result<std::optional<Event>> done(T event) const {
        if (error_) return fail(std::string(event_) + ": " + *error_);
        return std::optional<Event>(Event(std::move(event)));
    }

private:
    const abi::Value* find(std::string_view name) const { return log_.find(name); }
    U256 uint_of(const abi::Value* v, std::string_view name) {
        const U256* u = v ? v->as_uint() : nullptr;
        return u ? *u : bad(name, U256());
    }
    template <class T>
    T bad(std::string_view name, T fallback) {
        if (!error_) error_ = "field " + std::string(name) + " missing or of the wrong type";
        return fallback;
    }

    const abi::DecodedLog& log_;
    std::string_view event_;
    std::optional<std::string> error_;
};

Result<std::optional<Event>> build(std::size_t which, const abi::DecodedLog& log) {
    Fields f(log, specs()[which].name);
    switch (which) {
        case 0: return f.done(VaultBuilt{f.id<VaultId>("vaultId"), f.address("owner"), f.id<SeriesId>("seriesId"),
                                         f.id<AssetId>("ilkId")});
        case 1: return f.done(VaultTweaked{f.id<VaultId>("vaultId"), f.id<SeriesId>("seriesId"), f.id<AssetId>("ilkId")});
        case 2: return f.done(VaultDestroyed{f.id<VaultId>("vaultId")});
        case 3: return f.done(VaultGiven{f.id<VaultId>("vaultId"), f.address("receiver")});
        case 4: return f.done(VaultPoured{f.id<VaultId>("vaultId"), f.id<SeriesId>("seriesId"), f.id<AssetId>("ilkId"),
                                          f.sint("ink"), f.sint("art")});
        case 5: return f.done(VaultStirred{f.id<VaultId>("from"), f.id<VaultId>("to"), f.uint("ink"), f.uint("art")});
        case 6: return f.done(VaultRolled{f.id<VaultId>("vaultId"), f.id<SeriesId>("seriesId"), f.uint("art")});
        case 7: return f.done(Auctioned{f.id<VaultId>("vaultId"), f.auction("auction"), f.uint("duration"),
                                        f.uint("initialCollateralProportion")});
        case 8: return f.done(Bought{f.id<VaultId>("vaultId"), f.address("buyer"), f.uint("ink"), f.uint("art")});
        case 9: return f.done(Ended{f.id<VaultId>("vaultId")});
        case 10: return f.done(Cancelled{f.id<VaultId>("vaultId")});
        default: return f.done(Cleared{f.id<VaultId>("vaultId")});
    }
}

}  // namespace

const std::vector<Bytes32>& followed_topics() {
    static const std::vector<Bytes32> topics = [] {
        std::vector<Bytes32> out;
        for (const auto& s : specs()) out.push_back(s.topic0);
        return out;
    }();
    return topics;
}

VaultId vault_of(const Event& event) {
    return std::visit(
        [](const auto& e) {
            if constexpr (requires { e.vault; }) return e.vault;
            else return e.from;
        },
        event);
}

Result<std::optional<Event>> decode_event(const chain::Log& log) {
    if (log.topics.empty()) return std::optional<Event>{};
    const auto& topics = followed_topics();
    for (std::size_t i = 0; i < topics.size(); ++i) {
        if (log.topics[0] != topics[i]) continue;
        auto decoded = abi::decode_log(specs()[i], log.topics, log.data);
        if (!decoded) return std::unexpected(context(specs()[i].name, decoded.error()));
        return build(i, *decoded);
    }
    return std::optional<Event>{};
}

}  // namespace keeper::yield_v2
