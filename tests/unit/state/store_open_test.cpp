// StateStore::open: the state directory, the chain binding and the schema version.
#include <sys/stat.h>

#include <fstream>

#include "keeper/state/sqlite_db.hpp"
#include "keeper/state/state_archive.hpp"
#include "state_test_support.hpp"

namespace keeper::state {
namespace store_open_test {

using testing::StateDirTest;

using StoreOpen = StateDirTest;

TEST_F(StoreOpen, CreatesAPrivateDirectoryAndANewDatabaseForTheChain) {
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_EQ(opened->message, "state in " + dir_.string() + ": new, chain 31337");
    EXPECT_EQ(opened->store.file(), dir_ / "keeper.sqlite3");
    EXPECT_EQ(opened->store.chain_id(), 31337u);
    EXPECT_TRUE(std::filesystem::exists(dir_ / "keeper.sqlite3"));

    struct stat info {};
    ASSERT_EQ(::stat(dir_.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
}

TEST_F(StoreOpen, ReopeningOnTheSameChainResumes) {
    { auto first = open_store(31337); }
    auto again = StateStore::open(dir_, 31337);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->message, "state in " + dir_.string() + ": resumed, chain 31337");
}

// Chain 1's state with one open journal entry (an intent: it may have been
// broadcast just before a crash) and a synced protocol.
void fill_chain_1_state(StateStore store) {
    ASSERT_TRUE(store.bind_protocol(testing::kMorpho).has_value());
    ASSERT_TRUE(store.commit_morpho(testing::kMorpho.key, {120, testing::hash_n(120)}, {}, {}).has_value());
    JournalEntry entry;
    entry.work_key = "morpho-blue:0x01:0x02";
    entry.nonce = 7;
    ASSERT_TRUE(store.journal_intent(entry).has_value());
}

void expect_chain_1_state_intact(StateStore& store) {
    auto open_entries = store.open_journal_entries();
    ASSERT_TRUE(open_entries.has_value()) << open_entries.error().message;
    ASSERT_EQ(open_entries->size(), 1u);
    EXPECT_EQ(open_entries->front().work_key, "morpho-blue:0x01:0x02");
    EXPECT_EQ(open_entries->front().nonce, 7u);
    EXPECT_EQ(open_entries->front().status, JournalStatus::intent);
    EXPECT_EQ(store.bind_protocol(testing::kMorpho).value(), BindOutcome::resumed);
    auto snapshot = store.load_morpho(testing::kMorpho.key);
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_EQ(snapshot->cursor, (BlockCursor{120, testing::hash_n(120)}));
}

// A journal of another chain may hold transactions still in flight there:
// the store refuses, changes nothing, and says where, which chains and what to do.
TEST_F(StoreOpen, StateOfAnotherChainIsRefusedUntouchedAndTheMessageSaysWhatToDo) {
    fill_chain_1_state(open_store(1));

    auto refused = StateStore::open(dir_, 31337);
    ASSERT_FALSE(refused.has_value());
    ASSERT_TRUE(refused.error().other_chain.has_value()) << refused.error().message;
    EXPECT_EQ(refused.error().other_chain->stored_chain_id, 1u);
    EXPECT_EQ(refused.error().other_chain->node_chain_id, 31337u);
    const std::string& message = refused.error().message;
    EXPECT_NE(message.find("state in " + dir_.string() + " belongs to chain 1, but this node is chain 31337"),
              std::string::npos) << message;
    EXPECT_NE(message.find("--state-dir"), std::string::npos) << message;
    EXPECT_NE(message.find("--archive-state"), std::string::npos) << message;
    EXPECT_NE(message.find("never deleted"), std::string::npos) << message;

    // Asking twice changes nothing either; chain 1 still finds all of it.
    ASSERT_FALSE(StateStore::open(dir_, 31337).has_value());
    auto chain_1 = StateStore::open(dir_, 1);
    ASSERT_TRUE(chain_1.has_value()) << chain_1.error().message;
    EXPECT_EQ(chain_1->message, "state in " + dir_.string() + ": resumed, chain 1");
    expect_chain_1_state_intact(chain_1->store);
}

TEST_F(StoreOpen, OtherErrorsAreNotMistakenForAnotherChain) {
    { auto store = open_store(); }
    {
        auto raw = sqlite::Database::open(dir_ / "keeper.sqlite3");
        ASSERT_TRUE(raw.has_value());
        ASSERT_TRUE(
            raw->exec("UPDATE meta SET value = 6 WHERE key = 'schema_version'").has_value());  // newer than ours
    }
    auto opened = StateStore::open(dir_, 1);
    ASSERT_FALSE(opened.has_value());
    EXPECT_FALSE(opened.error().other_chain.has_value());
}

TEST(StateArchive, TheNameCarriesTheChainAndTheUtcTimeAndEndsInSqlite3) {
    // 2025-01-02T03:04:05Z
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1735787045));
    EXPECT_EQ(archive_file_name(1, when), "keeper.chain-1.20250102T030405Z.sqlite3");
    EXPECT_EQ(archive_file_name(31337, when), "keeper.chain-31337.20250102T030405Z.sqlite3");
}

// --archive-state: the database moves aside whole, next to where it was, and a
// margin-keeper pointed at it reads chain 1's journal as it was.
TEST_F(StoreOpen, ArchivingMovesTheWholeDatabaseAsideAndTheChainStartsAfresh) {
    fill_chain_1_state(open_store(1));
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1735787045));
    auto archived = archive_state(dir_, when);
    ASSERT_TRUE(archived.has_value()) << archived.error().message;
    EXPECT_EQ(*archived, dir_ / "keeper.chain-1.20250102T030405Z.sqlite3");
    EXPECT_FALSE(std::filesystem::exists(dir_ / "keeper.sqlite3"));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "keeper.sqlite3-wal"));

    auto fresh = StateStore::open(dir_, 31337);
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
    EXPECT_EQ(fresh->message, "state in " + dir_.string() + ": new, chain 31337");
    EXPECT_TRUE(fresh->store.open_journal_entries().value().empty());

    const auto elsewhere = root_ / "archived";
    std::filesystem::create_directories(elsewhere);
    std::filesystem::copy_file(*archived, elsewhere / "keeper.sqlite3");
    auto old = StateStore::open(elsewhere, 1);
    ASSERT_TRUE(old.has_value()) << old.error().message;
    expect_chain_1_state_intact(old->store);
}

TEST_F(StoreOpen, ArchivingNeverReplacesAnEarlierArchive) {
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1735787045));
    fill_chain_1_state(open_store(1));
    auto first = archive_state(dir_, when);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    { auto store = open_store(1); }
    auto second = archive_state(dir_, when);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    EXPECT_EQ(*second, dir_ / "keeper.chain-1.20250102T030405Z-2.sqlite3");

    // The first archive still holds the journal entry.
    const auto elsewhere = root_ / "archived";
    std::filesystem::create_directories(elsewhere);
    std::filesystem::copy_file(*first, elsewhere / "keeper.sqlite3");
    auto old = StateStore::open(elsewhere, 1);
    ASSERT_TRUE(old.has_value()) << old.error().message;
    expect_chain_1_state_intact(old->store);
}

TEST_F(StoreOpen, ArchivingWithoutADatabaseIsAnError) {
    std::filesystem::create_directories(dir_);
    auto archived = archive_state(dir_, std::chrono::system_clock::time_point());
    ASSERT_FALSE(archived.has_value());
    EXPECT_NE(archived.error().message.find("no " + (dir_ / "keeper.sqlite3").string() + " to archive"),
              std::string::npos) << archived.error().message;
}

TEST_F(StoreOpen, ANewerSchemaVersionIsAClearErrorAndTheFileIsLeftAlone) {
    { auto store = open_store(); }
    {
        auto raw = sqlite::Database::open(dir_ / "keeper.sqlite3");
        ASSERT_TRUE(raw.has_value());
        ASSERT_TRUE(raw->exec("UPDATE meta SET value = 6 WHERE key = 'schema_version'").has_value());
    }
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().message.find("schema version 6 is newer than this program's (5)"), std::string::npos)
        << opened.error().message;
    EXPECT_NE(opened.error().message.find(dir_.string()), std::string::npos) << opened.error().message;
}

TEST_F(StoreOpen, AVersion1DatabaseIsMigratedAndKeepsItsRows) {
    {
        auto store = open_store();
        ASSERT_TRUE(store.bind_protocol(testing::kMorpho).has_value());
    }
    {
        // What margin-keeper with schema 1 left behind: no aave_accounts
        // table, journal attempts without the payload column of v3, no
        // typed journal_actions of v4, no followed_ids of v5.
        auto raw = sqlite::Database::open(dir_ / "keeper.sqlite3");
        ASSERT_TRUE(raw.has_value());
        ASSERT_TRUE(raw->exec("DROP TABLE followed_ids; DROP TABLE journal_actions; DROP TABLE aave_accounts; "
                              "ALTER TABLE journal_attempts DROP COLUMN payload; "
                              "UPDATE meta SET value = 1 WHERE key = 'schema_version'")
                        .has_value());
    }
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    auto rebound = opened->store.bind_protocol(testing::kMorpho);
    ASSERT_TRUE(rebound.has_value());
    EXPECT_EQ(*rebound, BindOutcome::resumed);
    const ProtocolBinding aave{"aave-v3@0x00000000000000000000000000000000000000bb", 1, testing::hash_n(1)};
    ASSERT_TRUE(opened->store.bind_protocol(aave).has_value());
    const std::vector<Address> accounts{testing::address_n(9)};
    EXPECT_TRUE(opened->store.commit_aave(aave.key, {2, testing::hash_n(2)}, accounts).has_value());
    const ProtocolBinding yield{"yield-v2@0x00000000000000000000000000000000000000cc", 1, testing::hash_n(1)};
    ASSERT_TRUE(opened->store.bind_protocol(yield).has_value());
    const std::vector<FollowedId> vaults{{Bytes(12, 0x07), 2}};
    EXPECT_TRUE(opened->store.commit_followed(yield.key, {2, testing::hash_n(2)}, vaults, {}).has_value());
}

TEST_F(StoreOpen, AFileThatIsNotADatabaseIsAnError) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "keeper.sqlite3") << "this is not an SQLite database, just some text long enough";
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().message.find("not a database"), std::string::npos) << opened.error().message;
}

TEST_F(StoreOpen, ADatabaseOfSomeoneElseIsRefused) {
    std::filesystem::create_directories(dir_);
    {
        auto raw = sqlite::Database::open(dir_ / "keeper.sqlite3");
        ASSERT_TRUE(raw.has_value());
        ASSERT_TRUE(raw->exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)").has_value());
    }
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().message.find("not a margin-keeper state file"), std::string::npos)
        << opened.error().message;
}

TEST_F(StoreOpen, APathThatIsAFileIsAnError) {
    std::filesystem::create_directories(root_);
    std::ofstream(dir_) << "x";
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().message.find("not a directory"), std::string::npos) << opened.error().message;
}

}  // namespace store_open_test
}  // namespace keeper::state
