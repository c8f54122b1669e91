// Events from a real node: a historical sync split across refused ranges
// delivers every log exactly once and in order, and live following reports
// the logs of blocks that a reorg removed.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "chain/http_transport.hpp"
#include "chain/log_sync.hpp"
#include "chain/private_key.hpp"
#include "chain/rpc_client.hpp"
#include "chain/signer.hpp"
#include "chain/transaction.hpp"
#include "core/hex.hpp"
#include "support/anvil_process.hpp"
#include "support/dev_chain.hpp"
#include "support/fault_proxy.hpp"

namespace keeper::chain {
namespace log_sync_anvil_test {

using keeper::testing::AnvilProcess;
using keeper::testing::dev_accounts;
using keeper::testing::emitter_topic;
using keeper::testing::kEmitterInitCode;

// Answers eth_getLogs spanning more than `max_blocks` the way Infura does.
class RangeLimitedTransport final : public Transport {
public:
    RangeLimitedTransport(std::unique_ptr<Transport> inner, std::uint64_t max_blocks, int* refusals)
        : inner_(std::move(inner)), max_blocks_(max_blocks), refusals_(refusals) {}
    Result<std::string> send(const std::string& request) override {
        const auto doc = nlohmann::json::parse(request);
        if (doc.is_object() && doc["method"] == "eth_getLogs") {
            const auto& f = doc["params"][0];
            const auto from = U256::from_hex(f["fromBlock"].get<std::string>())->low64();
            const auto to = U256::from_hex(f["toBlock"].get<std::string>())->low64();
            if (to - from + 1 > max_blocks_) {
                ++*refusals_;
                return nlohmann::json{{"jsonrpc", "2.0"}, {"id", doc["id"]},
                                      {"error", {{"code", -32005}, {"message", "query returned more than 10000 results"}}}}
                    .dump();
            }
        }
        return inner_->send(request);
    }

private:
    std::unique_ptr<Transport> inner_;
    std::uint64_t max_blocks_;
    int* refusals_;
};

class LogSyncOnAnvil : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = AnvilProcess::start();
        ASSERT_TRUE(started.has_value()) << started.error().message;
        anvil_.emplace(std::move(*started));
        client_.emplace(make_http_client(anvil_->url()));
        key_.emplace(PrivateKey::from_hex(dev_accounts()[0].private_key_hex).value());
        auto receipt = send({}, *hex::decode(kEmitterInitCode));
        ASSERT_TRUE(receipt.contract_address.has_value());
        emitter_ = *receipt.contract_address;
    }

    Receipt send(std::optional<Address> to, Bytes data) {
        auto receipt = keeper::testing::send_and_wait(*client_, *key_, to, std::move(data));
        EXPECT_TRUE(receipt.has_value()) << receipt.error().message;
        return receipt.value_or(Receipt{});
    }

    // One event whose data is the 1-byte sequence number.
    void emit(std::uint8_t sequence) { send(emitter_, Bytes{sequence}); }

    LogFilter filter() const { return LogFilter{{emitter_}, {emitter_topic()}}; }

    // In steps: anvil takes seconds per thousand blocks on a busy machine.
    void mine(std::uint64_t blocks) {
        for (std::uint64_t step = 0; step < blocks; step += 250) {
            const std::uint64_t n = std::min<std::uint64_t>(250, blocks - step);
            auto mined = client_->call("anvil_mine", nlohmann::json::array({U256(n).to_hex()}));
            ASSERT_TRUE(mined.has_value()) << mined.error().message;
        }
    }

    std::optional<AnvilProcess> anvil_;
    std::optional<JsonRpcClient> client_;
    std::optional<PrivateKey> key_;
    Address emitter_;
};

TEST_F(LogSyncOnAnvil, HistoricalSyncAcrossRefusedRangesDeliversEveryEventOnceInOrder) {
    for (std::uint8_t i = 0; i < 40; ++i) emit(i);  // 40 blocks, one event each
    const std::uint64_t head = client_->block_number().value();

    int refusals = 0;
    JsonRpcClient limited(std::make_unique<RangeLimitedTransport>(std::make_unique<HttpTransport>(anvil_->url()), 8, &refusals));
    std::vector<std::uint8_t> seen;
    std::vector<SyncProgress> reports;
    auto done = sync_logs(
        limited, filter(), 0, head,
        [&](const BlockRange&, std::vector<Log> logs) -> Result<void> {
            for (const auto& log : logs) seen.push_back(log.data.at(0));
            return {};
        },
        [&](const SyncProgress& p) { reports.push_back(p); }, RangeLimits{.initial_span = 32});
    ASSERT_TRUE(done.has_value()) << done.error().message;

    std::vector<std::uint8_t> expected(40);
    for (std::uint8_t i = 0; i < 40; ++i) expected[i] = i;
    EXPECT_EQ(seen, expected);
    EXPECT_GE(refusals, 2);  // 32 -> 16 -> 8 blocks before the node answered
    EXPECT_EQ(done->refused_ranges, static_cast<std::uint64_t>(refusals));
    EXPECT_EQ(done->logs, 40u);
    ASSERT_FALSE(reports.empty());
    EXPECT_EQ(reports.back().synced_through, head);
    EXPECT_DOUBLE_EQ(reports.back().fraction, 1.0);
}

TEST_F(LogSyncOnAnvil, FollowingReportsTheBlocksAReorgRemovedAndTheirReplacements) {
    emit(1);
    const auto start = client_->get_block_header(BlockId::latest()).value().value();
    LogFollower follower(*client_, filter(), block_ref(start));

    std::vector<std::uint8_t> applied;
    std::vector<std::uint64_t> rolled_back;
    LogFollower::Handler handler{
        [&](const std::vector<BlockRef>& removed) -> Result<void> {
            for (const auto& b : removed) rolled_back.push_back(b.number);
            return {};
        },
        [&](const BlockRef&, std::vector<Log> logs) -> Result<void> {
            for (const auto& log : logs) applied.push_back(log.data.at(0));
            return {};
        }};

    const auto snapshot = client_->call("evm_snapshot").value();
    emit(2);
    emit(3);
    ASSERT_TRUE(follower.poll(handler).has_value());
    EXPECT_EQ(applied, (std::vector<std::uint8_t>{2, 3}));

    // Drop the two blocks and grow a longer fork with different events.
    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({snapshot})).has_value());
    emit(20);
    emit(30);
    emit(40);
    auto update = follower.poll(handler);
    ASSERT_TRUE(update.has_value()) << update.error().message;
    EXPECT_EQ(rolled_back, (std::vector<std::uint64_t>{start.number + 2, start.number + 1}));  // newest first
    EXPECT_EQ(applied, (std::vector<std::uint8_t>{2, 3, 20, 30, 40}));
    EXPECT_EQ(follower.tracker().tip()->number, start.number + 3);
}

TEST_F(LogSyncOnAnvil, AFailingHandlerLosesNoBlock) {
    emit(1);
    const auto start = client_->get_block_header(BlockId::latest()).value().value();
    LogFollower follower(*client_, filter(), block_ref(start));
    emit(2);
    emit(3);
    std::vector<std::uint8_t> applied;
    bool fail_next = true;
    LogFollower::Handler handler{[](const std::vector<BlockRef>&) -> Result<void> { return {}; },
                                 [&](const BlockRef&, std::vector<Log> logs) -> Result<void> {
                                     if (fail_next) {
                                         fail_next = false;
                                         return fail("disk full");
                                     }
                                     for (const auto& log : logs) applied.push_back(log.data.at(0));
                                     return {};
                                 }};
    auto first = follower.poll(handler);
    ASSERT_FALSE(first.has_value());
    EXPECT_NE(first.error().message.find("disk full"), std::string::npos);
    ASSERT_TRUE(follower.poll(handler).has_value());
    EXPECT_EQ(applied, (std::vector<std::uint8_t>{2, 3}));
}

// What a handler saw, in the order it saw it.
struct Seen {
    std::vector<std::uint8_t> events;
    std::vector<std::uint64_t> rolled_back;
    std::vector<BlockRange> ranges;
    std::vector<BlockRef> range_ends;
    LogFollower::Handler handler() {
        LogFollower::Handler h;
        h.on_rollback = [this](const std::vector<BlockRef>& removed) -> Result<void> {
            for (const auto& b : removed) rolled_back.push_back(b.number);
            return {};
        };
        h.on_block = [this](const BlockRef&, std::vector<Log> logs) -> Result<void> {
            for (const auto& log : logs) events.push_back(log.data.at(0));
            return {};
        };
        h.on_range = [this](const BlockRange& range, std::vector<Log> logs, const BlockRef& end) -> Result<void> {
            for (const auto& log : logs) events.push_back(log.data.at(0));
            ranges.push_back(range);
            range_ends.push_back(end);
            return {};
        };
        return h;
    }
};

// After an outage the head is far past the follower's tip (1,500 blocks here),
// and the provider refuses eth_getLogs over more than 200 blocks. One poll must
// catch up through ranged eth_getLogs (a header per range, not per block),
// deliver every event of the gap once and in order, and end at the head.
class HeadGapOnAnvil : public LogSyncOnAnvil {
protected:
    void catch_up_through(keeper::testing::LogRangeLimit limit) {
        auto started = keeper::testing::FaultProxy::start(anvil_->port());
        ASSERT_TRUE(started.has_value()) << started.error().message;
        auto proxy = std::move(*started);
        proxy->limit_log_range(limit);
        JsonRpcClient through_proxy = make_http_client(proxy->url());

        emit(1);
        const auto start = client_->get_block_header(BlockId::latest()).value().value();
        LogFollower follower(through_proxy, filter(), block_ref(start));
        Seen seen;
        emit(2);      // early in the gap: reaches the handler through a range
        mine(750);
        emit(3);
        mine(750);
        emit(4);      // the head block: followed block by block
        const auto head = client_->get_block_header(BlockId::latest()).value().value();
        ASSERT_GT(head.number, start.number + 1'500);

        const unsigned headers_before = proxy->calls("eth_getBlockByNumber");
        auto update = follower.poll(seen.handler());
        ASSERT_TRUE(update.has_value()) << update.error().message;
        const unsigned headers = proxy->calls("eth_getBlockByNumber") - headers_before;

        EXPECT_EQ(seen.events, (std::vector<std::uint8_t>{2, 3, 4}));
        EXPECT_TRUE(seen.rolled_back.empty());
        EXPECT_GE(proxy->log_range_refusals(), 1u) << "the test must exercise the provider's limit";
        EXPECT_LT(headers, 50u) << "headers read for a gap of " << head.number - start.number << " blocks";
        std::printf("gap of %llu blocks: %u headers, %u eth_getLogs (%u refused)\n",
                    static_cast<unsigned long long>(head.number - start.number), headers,
                    proxy->calls("eth_getLogs"), proxy->log_range_refusals());
        EXPECT_EQ(follower.tracker().tip()->number, head.number);
        EXPECT_EQ(follower.tracker().tip()->hash, head.hash);
        ASSERT_TRUE(update->ranged.has_value());
        EXPECT_EQ(update->ranged->from, start.number + 1);
        ASSERT_FALSE(seen.ranges.empty());
        EXPECT_EQ(seen.ranges.front().from, start.number + 1);
        for (std::size_t i = 0; i < seen.ranges.size(); ++i) {
            EXPECT_LE(seen.ranges[i].size(), limit.max_blocks);
            if (i > 0) {
                EXPECT_EQ(seen.ranges[i].from, seen.ranges[i - 1].to + 1) << "ranges must be contiguous";
            }
            const auto end = client_->get_block_header(BlockId::number(seen.ranges[i].to)).value().value();
            EXPECT_EQ(seen.range_ends[i], block_ref(end));
        }
        EXPECT_EQ(seen.ranges.back().to, update->ranged->to);
        ASSERT_FALSE(update->added.empty());
        EXPECT_EQ(update->added.front().number, update->ranged->to + 1) << "the tail follows on from the ranges";
        EXPECT_EQ(update->added.back().number, head.number);

        // Back to following one block at a time.
        emit(5);
        ASSERT_TRUE(follower.poll(seen.handler()).has_value());
        EXPECT_EQ(seen.events, (std::vector<std::uint8_t>{2, 3, 4, 5}));
    }
};

TEST_F(HeadGapOnAnvil, AGapWiderThanTheRangeLimitIsCaughtUpByRangesAsAlchemyAnswers) {
    catch_up_through(keeper::testing::LogRangeLimit{.max_blocks = 200});
}

TEST_F(HeadGapOnAnvil, AGapWiderThanTheRangeLimitIsCaughtUpByRangesAsQuickNodeAnswersWithHttp413) {
    catch_up_through(keeper::testing::LogRangeLimit{
        .max_blocks = 200, .http_status = 413, .code = -32614, .message = "eth_getLogs is limited to a 10,000 range"});
}

// The blocks we followed last were replaced while we could not see the node:
// they are rolled back (through the window, as any reorg) before the gap's
// ranges are applied on the new chain.
TEST_F(HeadGapOnAnvil, AReorgDuringTheGapRollsBackThenCatchesUpOnTheNewChain) {
    emit(1);
    const auto start = client_->get_block_header(BlockId::latest()).value().value();
    LogFollower follower(*client_, filter(), block_ref(start));
    Seen seen;
    const auto snapshot = client_->call("evm_snapshot").value();
    emit(2);
    ASSERT_TRUE(follower.poll(seen.handler()).has_value());
    ASSERT_EQ(seen.events, (std::vector<std::uint8_t>{2}));

    ASSERT_TRUE(client_->call("evm_revert", nlohmann::json::array({snapshot})).has_value());
    emit(20);  // replaces the block that held 2
    mine(1'000);
    emit(30);
    const auto head = client_->get_block_header(BlockId::latest()).value().value();
    auto update = follower.poll(seen.handler());
    ASSERT_TRUE(update.has_value()) << update.error().message;
    EXPECT_EQ(seen.rolled_back, (std::vector<std::uint64_t>{start.number + 1}));
    EXPECT_EQ(seen.events, (std::vector<std::uint8_t>{2, 20, 30}));
    ASSERT_TRUE(update->ranged.has_value());
    EXPECT_EQ(update->ranged->from, start.number + 1);
    ASSERT_EQ(update->removed.size(), 1u);
    EXPECT_EQ(update->removed[0].number, start.number + 1);
    EXPECT_EQ(follower.tracker().tip()->hash, head.hash);
}

}  // namespace log_sync_anvil_test
}  // namespace keeper::chain
