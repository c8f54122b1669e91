#include "protocols/yield_v2/yield_calls.hpp"

#include <string>
#include <string_view>

#include "core/abi_static_call.hpp"
#include "core/abi_words.hpp"

namespace keeper::yield_v2 {
namespace {

constexpr std::size_t kWord = 32;

using Call = abi::StaticCall;

Result<void> expect_words(ByteView data, std::size_t words, std::string_view what) {
    if (data.size() != words * kWord)
        return fail(std::string(what) + ": expected " + std::to_string(words * kWord) + " bytes of return data, found " +
                    std::to_string(data.size()));
    return {};
}

// bytesN in word `index`: the N leading bytes, the rest must be zero.
template <class Id>
Result<Id> read_fixed(ByteView data, std::size_t index) {
    auto word = abi::read_bytes32(data, index);
    if (!word) return std::unexpected(word.error());
    for (std::size_t i = Id::size; i < kWord; ++i)
        if (word->bytes[i] != 0) return fail("bytes" + std::to_string(Id::size) + " word has non-zero padding");
    return Id::from_bytes(ByteView(word->bytes.data(), Id::size));
}

Result<std::uint64_t> read_small(ByteView data, std::size_t index, unsigned bits) {
    auto v = abi::read_uint(data, index, bits);
    if (!v) return std::unexpected(v.error());
    return v->low64();
}

#define YIELD_READ(var, expr, what)                                      \
    auto var = (expr);                                                   \
    if (!var) return std::unexpected(context(what, var.error()))

}  // namespace

Bytes encode_auction(const VaultId& vault, const Address& reward_to) {
    return Call("auction(bytes12,address)").fixed(vault.view()).address(reward_to).take();
}
Bytes encode_pay_base(const VaultId& vault, const Address& to, const U256& min_ink_out, const U256& max_base_in) {
    return Call("payBase(bytes12,address,uint128,uint128)")
        .fixed(vault.view()).address(to).uint(min_ink_out).uint(max_base_in).take();
}
Bytes encode_pay_fy_token(const VaultId& vault, const Address& to, const U256& min_ink_out, const U256& max_art_in) {
    return Call("payFYToken(bytes12,address,uint128,uint128)")
        .fixed(vault.view()).address(to).uint(min_ink_out).uint(max_art_in).take();
}
Bytes encode_cancel(const VaultId& vault) { return Call("cancel(bytes12)").fixed(vault.view()).take(); }

Bytes encode_auctions(const VaultId& vault) { return Call("auctions(bytes12)").fixed(vault.view()).take(); }
Result<Auction> decode_auction(ByteView d) {
    if (auto ok = expect_words(d, 8, "auctions"); !ok) return std::unexpected(ok.error());
    YIELD_READ(owner, abi::read_address(d, 0), "auctions: owner");
    YIELD_READ(start, read_small(d, 1, 32), "auctions: start");
    YIELD_READ(base, read_fixed<AssetId>(d, 2), "auctions: baseId");
    YIELD_READ(ink, abi::read_uint(d, 3, 128), "auctions: ink");
    YIELD_READ(art, abi::read_uint(d, 4, 128), "auctions: art");
    YIELD_READ(auctioneer, abi::read_address(d, 5), "auctions: auctioneer");
    YIELD_READ(ilk, read_fixed<AssetId>(d, 6), "auctions: ilkId");
    YIELD_READ(series, read_fixed<SeriesId>(d, 7), "auctions: seriesId");
    return Auction{*owner, static_cast<std::uint32_t>(*start), *base, *ink, *art, *auctioneer, *ilk, *series};
}

Bytes encode_lines(const AssetId& ilk, const AssetId& base) {
    return Call("lines(bytes6,bytes6)").fixed(ilk.view()).fixed(base.view()).take();
}
Result<Line> decode_line(ByteView d) {
    if (auto ok = expect_words(d, 3, "lines"); !ok) return std::unexpected(ok.error());
    YIELD_READ(duration, read_small(d, 0, 32), "lines: duration");
    YIELD_READ(vault_p, abi::read_uint(d, 1, 64), "lines: vaultProportion");
    YIELD_READ(collateral_p, abi::read_uint(d, 2, 64), "lines: collateralProportion");
    return Line{static_cast<std::uint32_t>(*duration), *vault_p, *collateral_p};
}

Bytes encode_limits(const AssetId& ilk, const AssetId& base) {
    return Call("limits(bytes6,bytes6)").fixed(ilk.view()).fixed(base.view()).take();
}
Result<Limits> decode_limits(ByteView d) {
    if (auto ok = expect_words(d, 2, "limits"); !ok) return std::unexpected(ok.error());
    YIELD_READ(max, abi::read_uint(d, 0, 128), "limits: max");
    YIELD_READ(sum, abi::read_uint(d, 1, 128), "limits: sum");
    return Limits{*max, *sum};
}

Bytes encode_auctioneer_reward() { return Call("auctioneerReward()").take(); }

Bytes encode_calc_payout(const VaultId& vault, const Address& to, const U256& max_art_in) {
    return Call("calcPayout(bytes12,address,uint256)").fixed(vault.view()).address(to).uint(max_art_in).take();
}
Result<Payout> decode_payout(ByteView d) {
    if (auto ok = expect_words(d, 3, "calcPayout"); !ok) return std::unexpected(ok.error());
    YIELD_READ(liquidator, abi::read_uint256(d, 0), "calcPayout: liquidatorCut");
    YIELD_READ(auctioneer, abi::read_uint256(d, 1), "calcPayout: auctioneerCut");
    YIELD_READ(art_in, abi::read_uint256(d, 2), "calcPayout: artIn");
    return Payout{*liquidator, *auctioneer, *art_in};
}

Bytes encode_vaults(const VaultId& vault) { return Call("vaults(bytes12)").fixed(vault.view()).take(); }
Result<Vault> decode_vault(ByteView d) {
    if (auto ok = expect_words(d, 3, "vaults"); !ok) return std::unexpected(ok.error());
    YIELD_READ(owner, abi::read_address(d, 0), "vaults: owner");
    YIELD_READ(series, read_fixed<SeriesId>(d, 1), "vaults: seriesId");
    YIELD_READ(ilk, read_fixed<AssetId>(d, 2), "vaults: ilkId");
    return Vault{*owner, *series, *ilk};
}

Bytes encode_balances(const VaultId& vault) { return Call("balances(bytes12)").fixed(vault.view()).take(); }
Result<Balances> decode_balances(ByteView d) {
    if (auto ok = expect_words(d, 2, "balances"); !ok) return std::unexpected(ok.error());
    YIELD_READ(art, abi::read_uint(d, 0, 128), "balances: art");
    YIELD_READ(ink, abi::read_uint(d, 1, 128), "balances: ink");
    return Balances{*art, *ink};
}

Bytes encode_series(const SeriesId& series) { return Call("series(bytes6)").fixed(series.view()).take(); }
Result<Series> decode_series(ByteView d) {
    if (auto ok = expect_words(d, 3, "series"); !ok) return std::unexpected(ok.error());
    YIELD_READ(fy, abi::read_address(d, 0), "series: fyToken");
    YIELD_READ(base, read_fixed<AssetId>(d, 1), "series: baseId");
    YIELD_READ(maturity, read_small(d, 2, 32), "series: maturity");
    return Series{*fy, *base, static_cast<std::uint32_t>(*maturity)};
}

Bytes encode_debt(const AssetId& base, const AssetId& ilk) {
    return Call("debt(bytes6,bytes6)").fixed(base.view()).fixed(ilk.view()).take();
}
Result<Debt> decode_debt(ByteView d) {
    if (auto ok = expect_words(d, 4, "debt"); !ok) return std::unexpected(ok.error());
    YIELD_READ(max, abi::read_uint(d, 0, 96), "debt: max");
    YIELD_READ(min, read_small(d, 1, 24), "debt: min");
    YIELD_READ(dec, read_small(d, 2, 8), "debt: dec");
    YIELD_READ(sum, abi::read_uint(d, 3, 128), "debt: sum");
    return Debt{*max, static_cast<std::uint32_t>(*min), static_cast<std::uint8_t>(*dec), *sum};
}

Bytes encode_spot_oracles(const AssetId& base, const AssetId& ilk) {
    return Call("spotOracles(bytes6,bytes6)").fixed(base.view()).fixed(ilk.view()).take();
}
Result<SpotOracle> decode_spot_oracle(ByteView d) {
    if (auto ok = expect_words(d, 2, "spotOracles"); !ok) return std::unexpected(ok.error());
    YIELD_READ(oracle, abi::read_address(d, 0), "spotOracles: oracle");
    YIELD_READ(ratio, read_small(d, 1, 32), "spotOracles: ratio");
    return SpotOracle{*oracle, static_cast<std::uint32_t>(*ratio)};
}

Bytes encode_rates_at_maturity(const SeriesId& series) {
    return Call("ratesAtMaturity(bytes6)").fixed(series.view()).take();
}

Bytes encode_level(const VaultId& vault) { return Call("level(bytes12)").fixed(vault.view()).take(); }
Result<Level> decode_level(ByteView d) {
    if (auto ok = expect_words(d, 1, "level"); !ok) return std::unexpected(ok.error());
    YIELD_READ(word, abi::read_uint256(d, 0), "level");
    const bool negative = (*word >> 255) == U256(1);
    return Level{negative, negative ? U256(0) - *word : *word};
}

Bytes encode_oracle_get(const AssetId& base, const AssetId& quote, const U256& amount) {
    return Call("get(bytes32,bytes32,uint256)").fixed(base.view()).fixed(quote.view()).uint(amount).take();
}
Result<U256> decode_oracle_value(ByteView d) {
    if (auto ok = expect_words(d, 2, "oracle get"); !ok) return std::unexpected(ok.error());
    return abi::read_uint256(d, 0);
}

Bytes encode_protected(const Address& owner) { return Call("protected(address)").address(owner).take(); }
Result<bool> decode_bool(ByteView d) {
    if (auto ok = expect_words(d, 1, "bool"); !ok) return std::unexpected(ok.error());
    return abi::read_bool(d, 0);
}

Bytes encode_witch_cauldron() { return Call("cauldron()").take(); }
Bytes encode_witch_ladle() { return Call("ladle()").take(); }
Bytes encode_cauldron_assets(const AssetId& id) { return Call("assets(bytes6)").fixed(id.view()).take(); }
Bytes encode_ladle_joins(const AssetId& id) { return Call("joins(bytes6)").fixed(id.view()).take(); }
Bytes encode_lending_oracles(const AssetId& base) { return Call("lendingOracles(bytes6)").fixed(base.view()).take(); }
Result<Address> decode_address(ByteView d) {
    if (auto ok = expect_words(d, 1, "address"); !ok) return std::unexpected(ok.error());
    return abi::read_address(d, 0);
}

Result<U256> decode_uint(ByteView d) {
    if (auto ok = expect_words(d, 1, "uint256"); !ok) return std::unexpected(ok.error());
    return abi::read_uint256(d, 0);
}

#undef YIELD_READ

}  // namespace keeper::yield_v2
