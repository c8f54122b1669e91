// The Yield adapter's parts that need no node: the collector's vault index
// (apply, rollback), settle() from a mined receipt, and the config table.
// Its client is a FakeTransport with no answers: none of these may call it.
#include "protocols/yield_v2/yield_adapter.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <variant>

#include "keeper/state/state_store.hpp"
#include "protocols/yield_v2/yield_events.hpp"
#include "tests/unit/rpc/fake_transport.hpp"
#include "tests/unit/yield_v2/yield_logs.hpp"

namespace keeper::yield_v2 {
namespace yield_adapter_test {

Address addr(std::uint8_t last) {
    Address a;
    a.bytes[19] = last;
    return a;
}
const Address kCauldron = addr(0xc0), kWitch = addr(0xc1), kKeeper = addr(0x02), kOwner = addr(0x03);
const Address kUsdc = addr(0x10), kUsdcJoin = addr(0x11), kWeth = addr(0x12), kWethJoin = addr(0x13);
const VaultId kA = VaultId::from_hex("0x0000000000000000000000aa").value();
const VaultId kB = VaultId::from_hex("0x0000000000000000000000bb").value();
const SeriesId kSeries = SeriesId::from_hex("0x303230370000").value();
const AssetId kIlk = AssetId::from_hex("0x303000000000").value();

template <class T>
Bytes32 left(const T& v) { return testing::topic_of(v); }
Bytes32 word(const Address& a) { return testing::topic_of(a); }
Bytes uint_data(std::initializer_list<U256> values) {
    Bytes out;
    for (const U256& v : values) {
        const auto be = v.to_be();
        out.insert(out.end(), be.begin(), be.end());
    }
    return out;
}
chain::Log log_at(const Address& at, std::string_view signature, std::vector<Bytes32> indexed, Bytes data,
                  std::uint64_t block) {
    return testing::make_log(at, signature, std::move(indexed), std::move(data), block);
}
chain::Log built(const VaultId& v, std::uint64_t block) {
    Bytes ilk(32, 0);
    std::copy(kIlk.bytes.begin(), kIlk.bytes.end(), ilk.begin());
    return log_at(kCauldron, "VaultBuilt(bytes12,address,bytes6,bytes6)", {left(v), word(kOwner), left(kSeries)}, ilk,
                  block);
}
chain::Log transfer(const Address& token, const Address& from, const Address& to, const U256& value) {
    return log_at(token, "Transfer(address,address,uint256)", {word(from), word(to)}, uint_data({value}), 0);
}

class YieldAdapterParts : public ::testing::Test {
protected:
    YieldAdapterParts()
        : client_(std::make_unique<chain::testing::FakeTransport>(std::make_shared<chain::testing::FakeTransportLog>())),
          adapter_(config(), protocols::AdapterServices{.client = client_, .info = {}, .warn = {}, .interrupted = {},
                                                        .acts = true, .settings = {}}) {}
    static YieldConfig config() {
        YieldConfig c;
        c.cauldron = kCauldron;
        c.witch = kWitch;
        c.start = 5;
        return c;
    }
    chain::JsonRpcClient client_;
    YieldAdapter adapter_;
};

TEST_F(YieldAdapterParts, TheCollectorRemembersVaultsAndForgetsThoseOfRolledBackBlocks) {
    const std::vector<chain::Log> logs{
        built(kA, 10),
        log_at(kCauldron, "VaultGiven(bytes12,address)", {left(kA), word(kWitch)}, {}, 11),
        built(kB, 15),
        built(VaultId::from_hex("0x0000000000000000000000cc").value(), 16),
    };
    // The last log comes from another contract: not followed.
    std::vector<chain::Log> with_stranger = logs;
    with_stranger.back().address = addr(0x99);
    ASSERT_TRUE(adapter_.apply(with_stranger, chain::BlockRef{16, {}, {}}).has_value());
    EXPECT_EQ(adapter_.tracked_vaults(), (std::map<VaultId, std::uint64_t>{{kA, 10}, {kB, 15}}));
    EXPECT_EQ(adapter_.synced_through(), 16u);
    ASSERT_TRUE(adapter_.rollback(chain::BlockRef{12, {}, {}}).has_value());
    EXPECT_EQ(adapter_.tracked_vaults(), (std::map<VaultId, std::uint64_t>{{kA, 10}}));
    EXPECT_EQ(adapter_.synced_through(), 12u);
}

// What a restart resumes from (protocols/saved_state): every apply and
// rollback commits the vaults it changed with its block as the cursor.
TEST_F(YieldAdapterParts, TheCollectorCommitsItsVaultsWithTheCursor) {
    std::string pattern = (std::filesystem::temp_directory_path() / "keeper-yield-state-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    const std::filesystem::path dir = pattern;
    auto opened = state::StateStore::open(dir / "state", 31337);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    state::StateStore& store = opened->store;
    ASSERT_TRUE(store.bind_protocol({config().key(), 5, Bytes32{}}).has_value());
    YieldAdapter persisted(config(), protocols::AdapterServices{.client = client_,
                                                                .store = &store,
                                                                .info = {},
                                                                .warn = {},
                                                                .interrupted = {},
                                                                .acts = true,
                                                                .settings = {}});
    auto bytes_of = [](const VaultId& v) { return Bytes(v.bytes.begin(), v.bytes.end()); };
    Bytes32 hash16;
    hash16.bytes[31] = 16;
    ASSERT_TRUE(persisted.apply(std::vector<chain::Log>{built(kA, 10), built(kB, 15)}, {16, hash16, {}}).has_value());
    auto saved = store.load_followed(config().key());
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    EXPECT_EQ(saved->cursor, (state::BlockCursor{16, hash16}));
    EXPECT_EQ(saved->ids, (std::vector<state::FollowedId>{{bytes_of(kA), 10}, {bytes_of(kB), 15}}));

    // A reorg back to block 12 takes kB (first seen in 15) away, in the store too.
    Bytes32 hash12;
    hash12.bytes[31] = 12;
    ASSERT_TRUE(persisted.rollback({12, hash12, {}}).has_value());
    saved = store.load_followed(config().key());
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    EXPECT_EQ(saved->cursor, (state::BlockCursor{12, hash12}));
    EXPECT_EQ(saved->ids, (std::vector<state::FollowedId>{{bytes_of(kA), 10}}));
    std::filesystem::remove_all(dir);
}

TEST_F(YieldAdapterParts, AMalformedFollowedLogFailsTheApply) {
    chain::Log bad = built(kA, 10);
    bad.topics.pop_back();
    EXPECT_FALSE(adapter_.apply(std::vector<chain::Log>{bad}, chain::BlockRef{10, {}, {}}).has_value());
}

TEST_F(YieldAdapterParts, FollowsTheCauldronAndTheWitch) {
    const chain::LogFilter f = adapter_.log_filter();
    EXPECT_EQ(f.addresses, (std::vector<Address>{kCauldron, kWitch}));
    EXPECT_EQ(f.any_topic0, followed_topics());
    EXPECT_EQ(adapter_.key(), "yield-v2@" + kCauldron.hex());
    EXPECT_TRUE(adapter_.owns("yield-bid:" + kA.hex(), kWitch));
    EXPECT_FALSE(adapter_.owns("yield-bid:" + kA.hex(), kCauldron));
    EXPECT_FALSE(adapter_.owns("morpho:0x01", kWitch));
}

protocols::Prediction bid_prediction() {
    protocols::Prediction p;
    p.account = kOwner;
    p.position_id = position_id(kA);
    p.collateral_token = kWeth;
    p.debt_token = kUsdc;
    p.collateral_out = U256(40375) * U256::pow10(13);
    p.debt_in = U256(600'000'000);
    return p;
}

TEST_F(YieldAdapterParts, SettleReadsWhatMovedForTheSenderOfABid) {
    // payBase: 600 USDC from the keeper into the base Join, 0.40375 ETH from the ilk Join to the keeper.
    chain::Receipt r;
    r.from = kKeeper;
    r.logs = {transfer(kUsdc, kKeeper, kUsdcJoin, U256(600'000'000)),
              transfer(kWeth, kWethJoin, kKeeper, U256(40375) * U256::pow10(13)),
              log_at(kWitch, "Bought(bytes12,address,uint256,uint256)", {left(kA), word(kKeeper)},
                     uint_data({U256(40375) * U256::pow10(13), U256(600'000'000)}), 0)};
    const auto s = adapter_.settle(bid_prediction(), r);
    EXPECT_EQ(s.collateral_out, U256(40375) * U256::pow10(13));
    EXPECT_EQ(s.debt_in, U256(600'000'000));
    // Another vault's Bought is not this work's.
    protocols::Prediction other = bid_prediction();
    other.position_id = position_id(kB);
    EXPECT_FALSE(adapter_.settle(other, r).collateral_out.has_value());
}

TEST_F(YieldAdapterParts, SettleOfAFyTokenBidTakesTheArtFromTheWitchsEvent) {
    // payFYToken burns fyToken (no USDC moves): the debt paid is Bought's art.
    chain::Receipt r;
    r.from = kKeeper;
    r.logs = {transfer(kWeth, kWethJoin, kKeeper, U256(7)),
              log_at(kWitch, "Bought(bytes12,address,uint256,uint256)", {left(kA), word(kKeeper)},
                     uint_data({U256(7), U256(600'000'000)}), 0)};
    const auto s = adapter_.settle(bid_prediction(), r);
    EXPECT_EQ(s.collateral_out, U256(7));
    EXPECT_EQ(s.debt_in, U256(600'000'000));
}

// A [[protocols]] table from a map, recording problems as the loader would.
class FakeTable : public protocols::ConfigTable {
public:
    std::map<std::string, std::variant<Address, std::uint64_t, U256>> values;
    std::vector<std::string> problems;
    bool has(std::string_view key) override { return values.contains(std::string(key)); }
    std::optional<Address> address(std::string_view key, bool required) override {
        return get<Address>(key, required);
    }
    std::optional<std::uint64_t> block_number(std::string_view key) override { return get<std::uint64_t>(key, true); }
    std::optional<bool> boolean(std::string_view) override { return std::nullopt; }
    std::optional<U256> amount(std::string_view key) override { return get<U256>(key, true); }
    std::optional<std::vector<Bytes32>> bytes32_list(std::string_view) override { return std::nullopt; }
    void problem(std::string_view key, std::string_view message) override {
        problems.push_back(std::string(key) + ": " + std::string(message));
    }

private:
    template <class T>
    std::optional<T> get(std::string_view key, bool required) {
        const auto it = values.find(std::string(key));
        if (it == values.end() || !std::holds_alternative<T>(it->second)) {
            if (required) problems.push_back(std::string(key) + ": missing or wrong type");
            return std::nullopt;
        }
        return std::get<T>(it->second);
    }
};

TEST(YieldConfigTable, ReadsItsKeysAndRefusesMissingOnes) {
    FakeTable table;
    table.values = {{"cauldron", kCauldron}, {"witch", kWitch}, {"start_block", std::uint64_t{7}},
                    {"min_profit", U256(1'000'000)}, {"block_interval_s", std::uint64_t{2}}};
    auto parsed = parse_yield_config(table);
    ASSERT_NE(parsed, nullptr);
    const auto& c = dynamic_cast<const YieldConfig&>(*parsed);
    EXPECT_EQ(c.kind(), "yield-v2");
    EXPECT_EQ(c.start_block(), 7u);
    EXPECT_EQ(c.min_profit_base, U256(1'000'000));
    EXPECT_EQ(c.block_interval_s, 2u);
    EXPECT_EQ(c.bid_gas_cost_base, U256());
    EXPECT_TRUE(table.problems.empty());

    FakeTable missing;
    missing.values = {{"cauldron", kCauldron}, {"start_block", std::uint64_t{7}}};
    EXPECT_EQ(parse_yield_config(missing), nullptr);
    EXPECT_FALSE(missing.problems.empty());

    FakeTable half_rival;
    half_rival.values = {{"cauldron", kCauldron}, {"witch", kWitch}, {"start_block", std::uint64_t{7}},
                         {"rival_gas_cost", U256(1)}};
    EXPECT_EQ(parse_yield_config(half_rival), nullptr);
    EXPECT_FALSE(half_rival.problems.empty());

    FakeTable zero;
    zero.values = {{"cauldron", kCauldron}, {"witch", kWitch}, {"start_block", std::uint64_t{7}},
                   {"block_interval_s", std::uint64_t{0}}};
    EXPECT_EQ(parse_yield_config(zero), nullptr);
}

}  // namespace yield_adapter_test
}  // namespace keeper::yield_v2
