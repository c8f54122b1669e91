// Two processes on one state directory (`scan` reading while `run` writes) and
// a `run` killed with SIGKILL in the middle of a commit.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "keeper/state/sqlite_db.hpp"
#include "state_test_support.hpp"

namespace keeper::state {
namespace concurrency_test {

using testing::address_n;
using testing::hash_n;
using testing::kMorpho;

// Every row of generation g carries g, and so does the cursor: a snapshot mixing
// two commits would show two different values.
void commit_generation(StateStore& store, std::uint64_t g, std::vector<MorphoMarketRow>& markets,
                       std::vector<MorphoPositionRow>& positions, Result<void>& result) {
    for (auto& m : markets) m.params.lltv_wad = g;
    for (auto& p : positions) p.position.collateral = g;
    result = store.commit_morpho(kMorpho.key, {g, hash_n(static_cast<std::uint8_t>(g))}, markets, positions);
}

std::vector<MorphoMarketRow> some_markets() {
    std::vector<MorphoMarketRow> rows;
    for (std::uint8_t i = 1; i <= 3; ++i) rows.push_back({hash_n(i), {address_n(1), address_n(2), address_n(3), address_n(4), 0}});
    return rows;
}

std::vector<MorphoPositionRow> some_positions() {
    std::vector<MorphoPositionRow> rows;
    for (std::uint8_t i = 1; i <= 40; ++i) rows.push_back({hash_n(1 + i % 3), address_n(i), {0, 5, 1}});
    return rows;
}

// True when cursor, markets and positions all carry generation g = cursor.
::testing::AssertionResult is_one_generation(const MorphoSnapshot& s) {
    if (!s.cursor) return ::testing::AssertionFailure() << "no cursor";
    U256 g = s.cursor->number;
    if (s.markets.size() != 3 || s.positions.size() != 40)
        return ::testing::AssertionFailure() << s.markets.size() << " markets, " << s.positions.size() << " positions";
    for (const auto& m : s.markets)
        if (m.params.lltv_wad != g) return ::testing::AssertionFailure() << "market of generation " << m.params.lltv_wad.to_dec() << " with cursor " << g.to_dec();
    for (const auto& p : s.positions)
        if (p.position.collateral != g) return ::testing::AssertionFailure() << "position of generation " << p.position.collateral.to_dec() << " with cursor " << g.to_dec();
    return ::testing::AssertionSuccess();
}

using TwoConnections = testing::StateDirTest;

TEST_F(TwoConnections, ASecondStoreReadsWhatTheFirstCommitsWhileTheFirstStaysOpen) {
    auto writer = open_store();
    ASSERT_TRUE(writer.bind_protocol(kMorpho).has_value());
    auto markets = some_markets();
    auto positions = some_positions();
    Result<void> committed;
    commit_generation(writer, 150, markets, positions, committed);
    ASSERT_TRUE(committed.has_value());

    auto reader = open_store();  // the `scan` next to a running `run`
    auto seen = reader.load_morpho(kMorpho.key);
    ASSERT_TRUE(seen.has_value()) << seen.error().message;
    EXPECT_TRUE(is_one_generation(*seen));
    EXPECT_EQ(seen->cursor->number, 150u);

    commit_generation(writer, 151, markets, positions, committed);
    ASSERT_TRUE(committed.has_value());
    seen = reader.load_morpho(kMorpho.key);
    ASSERT_TRUE(seen.has_value());
    EXPECT_TRUE(is_one_generation(*seen));
    EXPECT_EQ(seen->cursor->number, 151u);
}

TEST_F(TwoConnections, AReaderIsNotBlockedByAWriteInProgressAndSeesNoneOfIt) {
    auto store = open_store();
    ASSERT_TRUE(store.bind_protocol(kMorpho).has_value());
    auto markets = some_markets();
    auto positions = some_positions();
    Result<void> committed;
    commit_generation(store, 150, markets, positions, committed);
    ASSERT_TRUE(committed.has_value());

    // Another process is half-way through a commit: it holds the write lock
    // and has already changed rows.
    auto other = sqlite::Database::open(store.file());
    ASSERT_TRUE(other.has_value());
    auto tx = sqlite::Transaction::begin(*other, sqlite::Transaction::Kind::immediate);
    ASSERT_TRUE(tx.has_value()) << tx.error().message;
    ASSERT_TRUE(other->exec("UPDATE morpho_positions SET collateral = zeroblob(32); DELETE FROM morpho_markets").has_value());

    auto seen = store.load_morpho(kMorpho.key);
    ASSERT_TRUE(seen.has_value()) << seen.error().message;
    EXPECT_TRUE(is_one_generation(*seen));
    EXPECT_EQ(seen->cursor->number, 150u);
    // A journal read does not wait either.
    EXPECT_TRUE(store.open_journal_entries().has_value());
}

TEST_F(TwoConnections, AReadersSnapshotStaysWholeWhileAWriterCommits) {
    auto store = open_store();
    ASSERT_TRUE(store.bind_protocol(kMorpho).has_value());
    auto markets = some_markets();
    auto positions = some_positions();
    Result<void> committed;
    commit_generation(store, 150, markets, positions, committed);
    ASSERT_TRUE(committed.has_value());

    // A reader that has started reading keeps its snapshot...
    auto other = sqlite::Database::open(store.file());
    ASSERT_TRUE(other.has_value());
    auto tx = sqlite::Transaction::begin(*other, sqlite::Transaction::Kind::deferred);
    ASSERT_TRUE(tx.has_value());
    auto count = other->prepare("SELECT cursor_number FROM protocols");
    ASSERT_TRUE(count.has_value());
    ASSERT_TRUE(count->step().value());
    EXPECT_EQ(count->int64(0), 150);
    count->reset();

    // ...and does not stop the writer (WAL: readers and one writer at once).
    commit_generation(store, 151, markets, positions, committed);
    ASSERT_TRUE(committed.has_value()) << committed.error().message;

    auto markets_seen = other->prepare("SELECT count(*) FROM morpho_markets WHERE lltv_wad = ?");
    ASSERT_TRUE(markets_seen.has_value());
    ASSERT_TRUE(markets_seen->bind(U256(150)).has_value());
    ASSERT_TRUE(markets_seen->step().value());
    EXPECT_EQ(markets_seen->int64(0), 3);
    markets_seen->reset();
    ASSERT_TRUE(tx->commit().has_value());

    auto now = store.load_morpho(kMorpho.key).value();
    EXPECT_EQ(now.cursor->number, 151u);
}

using KillNine = testing::StateDirTest;

// A child process commits generation after generation; the parent kills it
// with SIGKILL at whatever point it has reached after its fifth commit. What
// is left on disk must be exactly one whole generation, the last committed
// one or the one after it.
TEST_F(KillNine, AProcessKilledDuringCommitsLeavesOneWholeGeneration) {
    {
        auto store = open_store();
        ASSERT_TRUE(store.bind_protocol(kMorpho).has_value());
    }
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        auto opened = StateStore::open(dir_, 31337);
        if (!opened) ::_exit(2);
        auto markets = some_markets();
        auto positions = some_positions();
        for (std::uint64_t g = 1;; ++g) {
            Result<void> committed;
            commit_generation(opened->store, g, markets, positions, committed);
            if (!committed) ::_exit(3);
            if (::write(pipe_fds[1], &g, sizeof g) != static_cast<ssize_t>(sizeof g)) ::_exit(4);
        }
    }
    ::close(pipe_fds[1]);
    std::uint64_t last_reported = 0;
    while (last_reported < 5) {
        ASSERT_EQ(::read(pipe_fds[0], &last_reported, sizeof last_reported), static_cast<ssize_t>(sizeof last_reported))
            << "the child stopped before its fifth commit";
    }
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ::close(pipe_fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child exited on its own: " << status;

    auto store = open_store();
    auto snapshot = store.load_morpho(kMorpho.key);
    ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
    EXPECT_TRUE(is_one_generation(*snapshot));
    ASSERT_TRUE(snapshot->cursor.has_value());
    EXPECT_GE(snapshot->cursor->number, 5u);
}

}  // namespace concurrency_test
}  // namespace keeper::state
