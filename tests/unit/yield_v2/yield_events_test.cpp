// Cauldron and Witch logs as a node returns them (topics and ABI data built
// here from the Solidity declarations) decode into typed events; malformed
// ones are errors naming the event; other topics are not ours.
#include "protocols/yield_v2/yield_events.hpp"

#include <gtest/gtest.h>

#include "tests/unit/yield_v2/yield_logs.hpp"

namespace keeper::yield_v2 {
namespace yield_events_test {

const VaultId kVault = VaultId::from_hex("0x0102030405060708090a0b0c").value();
const SeriesId kSeries = SeriesId::from_hex("0x303230370000").value();
const AssetId kBase = AssetId::from_hex("0x303200000000").value();
const AssetId kIlk = AssetId::from_hex("0x303000000000").value();
const Address kWitch = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
const Address kOwner = Address::from_hex("0x00000000000000000000000000000000000000bb").value();

using testing::abi_data;
abi::Value fixed(ByteView b) { return abi::Value(Bytes(b.begin(), b.end())); }
chain::Log log(std::string_view signature, std::vector<Bytes32> indexed, Bytes body = {}) {
    return testing::make_log(Address(), signature, std::move(indexed), std::move(body));
}
template <class T>
Bytes32 left(const T& v) { return testing::topic_of(v); }
Bytes32 word(const Address& a) { return testing::topic_of(a); }

TEST(YieldEvents, VaultPouredCarriesSignedInkAndArt) {
    // A Witch buy slurps: -0.25 ETH of ink and -250 USDC of art.
    const auto l = log("VaultPoured(bytes12,bytes6,bytes6,int128,int128)", {left(kVault), left(kSeries), left(kIlk)},
                       abi_data("int128,int128", {abi::I256::from_int64(-250'000'000'000'000'000),
                                              abi::I256::from_int64(-250'000'000)}));
    const auto e = decode_event(l).value();
    ASSERT_TRUE(e.has_value());
    const auto& poured = std::get<VaultPoured>(*e);
    EXPECT_EQ(poured.vault, kVault);
    EXPECT_EQ(poured.series, kSeries);
    EXPECT_EQ(poured.ilk, kIlk);
    EXPECT_TRUE(poured.ink.is_negative());
    EXPECT_EQ(poured.art.magnitude(), U256(250'000'000));
    EXPECT_EQ(vault_of(*e), kVault);
}

TEST(YieldEvents, AuctionedCarriesTheWholeAuction) {
    const Auction a{kOwner, 1'700'000'010, kBase, U256(5) * U256::pow10(17), U256(600'000'000), kWitch, kIlk, kSeries};
    const abi::Value tuple(abi::Value::List{a.owner, U256(a.start), fixed(a.base_id.view()), a.ink, a.art,
                                            a.auctioneer, fixed(a.ilk_id.view()), fixed(a.series_id.view())});
    const auto l = log("Auctioned(bytes12,(address,uint32,bytes6,uint128,uint128,address,bytes6,bytes6),uint256,uint256)",
                       {left(kVault)},
                       abi_data("(address,uint32,bytes6,uint128,uint128,address,bytes6,bytes6),uint256,uint256",
                            {tuple, U256(3600), U256(75) * U256::pow10(16)}));
    const auto e = decode_event(l).value();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(std::get<Auctioned>(*e), (Auctioned{kVault, a, U256(3600), U256(75) * U256::pow10(16)}));
}

TEST(YieldEvents, BoughtEndedCancelledAndGivenDecode) {
    const auto bought = decode_event(log("Bought(bytes12,address,uint256,uint256)", {left(kVault), word(kOwner)},
                                         abi_data("uint256,uint256", {U256(7), U256(9)})))
                            .value();
    EXPECT_EQ(std::get<Bought>(*bought), (Bought{kVault, kOwner, U256(7), U256(9)}));
    EXPECT_EQ(std::get<Ended>(*decode_event(log("Ended(bytes12)", {left(kVault)})).value()), Ended{kVault});
    EXPECT_EQ(std::get<Cancelled>(*decode_event(log("Cancelled(bytes12)", {left(kVault)})).value()),
              Cancelled{kVault});
    EXPECT_EQ(std::get<VaultGiven>(*decode_event(log("VaultGiven(bytes12,address)", {left(kVault), word(kWitch)}))
                                        .value()),
              (VaultGiven{kVault, kWitch}));
}

TEST(YieldEvents, MalformedFollowedLogsAreErrorsNamingTheEvent) {
    // Bought with one topic short.
    auto short_topics = decode_event(log("Bought(bytes12,address,uint256,uint256)", {left(kVault)},
                                         abi_data("uint256,uint256", {U256(7), U256(9)})));
    ASSERT_FALSE(short_topics.has_value());
    EXPECT_NE(short_topics.error().message.find("Bought"), std::string::npos) << short_topics.error().message;
    // VaultPoured whose data is one word short.
    auto short_data = decode_event(log("VaultPoured(bytes12,bytes6,bytes6,int128,int128)",
                                       {left(kVault), left(kSeries), left(kIlk)}, Bytes(32, 0)));
    EXPECT_FALSE(short_data.has_value());
    // A bytes12 topic with non-zero padding is not a bytes12.
    Bytes32 dirty = left(kVault);
    dirty.bytes[31] = 1;
    EXPECT_FALSE(decode_event(log("Ended(bytes12)", {dirty})).has_value());
}

TEST(YieldEvents, OtherTopicsAreNotOurs) {
    EXPECT_FALSE(decode_event(log("LineSet(bytes6,bytes6,uint32,uint64,uint64)", {})).value().has_value());
    EXPECT_FALSE(decode_event(chain::Log{}).value().has_value());
    EXPECT_EQ(followed_topics().size(), 12u);
}

}  // namespace yield_events_test
}  // namespace keeper::yield_v2
