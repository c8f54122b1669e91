#include "protocols/yield_v2/yield_reader.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "core/keccak.hpp"
#include "protocols/yield_v2/yield_calls.hpp"

namespace keeper::yield_v2 {
namespace {

class PinnedReader {
public:
    PinnedReader(chain::JsonRpcClient& client, std::uint64_t block) : client_(client), block_(block) {}

    template <class Decode>
    auto read(const Address& to, Bytes data, Decode decode, std::string_view what)
        -> decltype(decode(ByteView{})) {
        chain::CallRequest request{.from = std::nullopt, .to = to, .data = std::move(data), .value = std::nullopt,
                                   .gas = std::nullopt};
        auto out = client_.eth_call(request, chain::BlockId::number(block_));
        if (!out) return fail(std::string(what) + ": " + out.error().message);
        auto value = decode(ByteView(*out));
        if (!value) return std::unexpected(context(what, value.error()));
        return value;
    }

private:
    chain::JsonRpcClient& client_;
    std::uint64_t block_;
};

#define YIELD_GET(var, expr)                                              \
    auto var = (expr);                                                    \
    if (!var) return std::unexpected(var.error())

// Constants.RATE: bytes6 "RATE".
AssetId rate_kind() {
    AssetId id;
    const std::string_view text = "RATE";
    for (std::size_t i = 0; i < text.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>(text[i]);
    return id;
}

}  // namespace

Result<VaultReading> read_vault(chain::JsonRpcClient& client, const YieldAddresses& a, const VaultId& id,
                                std::uint64_t block, std::uint64_t timestamp) {
    PinnedReader r(client, block);
    VaultReading out;
    out.id = id;
    out.block = block;
    out.timestamp = timestamp;
    YIELD_GET(vault, r.read(a.cauldron, encode_vaults(id), decode_vault, "vaults"));
    if (vault->series_id.is_zero()) return fail("vault " + id.hex() + " not found");
    out.vault = *vault;
    YIELD_GET(balances, r.read(a.cauldron, encode_balances(id), decode_balances, "balances"));
    out.balances = *balances;
    YIELD_GET(series, r.read(a.cauldron, encode_series(vault->series_id), decode_series, "series"));
    out.series = *series;
    YIELD_GET(debt, r.read(a.cauldron, encode_debt(series->base_id, vault->ilk_id), decode_debt, "debt"));
    out.debt = *debt;
    YIELD_GET(spot, r.read(a.cauldron, encode_spot_oracles(series->base_id, vault->ilk_id), decode_spot_oracle,
                           "spotOracles"));
    out.spot = *spot;
    YIELD_GET(value, r.read(spot->oracle, encode_oracle_get(vault->ilk_id, series->base_id, balances->ink),
                            decode_oracle_value, "spot oracle get"));
    out.ink_value = *value;
    if (timestamp >= series->maturity) {
        YIELD_GET(at_maturity, r.read(a.cauldron, encode_rates_at_maturity(vault->series_id), decode_uint,
                                      "ratesAtMaturity"));
        U256 rate_now = *at_maturity;  // not recorded yet: accrual is 1e18 whatever the rate
        if (!at_maturity->is_zero()) {
            YIELD_GET(oracle, r.read(a.cauldron, encode_lending_oracles(series->base_id), decode_address,
                                     "lendingOracles"));
            YIELD_GET(rate, r.read(*oracle, encode_oracle_get(series->base_id, rate_kind(), U256()),
                                   decode_oracle_value, "rate oracle get"));
            rate_now = *rate;
        }
        YIELD_GET(accrual, accrual_wad(rate_now, *at_maturity));
        out.accrual_wad = *accrual;
    }
    YIELD_GET(line, r.read(a.witch, encode_lines(vault->ilk_id, series->base_id), decode_line, "lines"));
    out.line = *line;
    YIELD_GET(limits, r.read(a.witch, encode_limits(vault->ilk_id, series->base_id), decode_limits, "limits"));
    out.limits = *limits;
    YIELD_GET(reward, r.read(a.witch, encode_auctioneer_reward(), decode_uint, "auctioneerReward"));
    out.auctioneer_reward_wad = *reward;
    YIELD_GET(auction, r.read(a.witch, encode_auctions(id), decode_auction, "auctions"));
    out.auction = *auction;
    if (auction->start == 0) {
        YIELD_GET(is_protected, r.read(a.witch, encode_protected(vault->owner), decode_bool, "protected"));
        out.owner_protected = *is_protected;
    }
    YIELD_GET(level, cauldron_level(LevelInputs{out.ink_value, out.balances.art, out.spot.ratio_1e6, out.accrual_wad}));
    out.level = *level;
    return out;
}

#undef YIELD_GET

}  // namespace keeper::yield_v2
