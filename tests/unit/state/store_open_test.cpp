// StateStore::open: the state directory, the chain binding and the schema version.
#include <sys/stat.h>

#include <fstream>

#include "keeper/state/sqlite_db.hpp"
#include "state_test_support.hpp"

namespace keeper::state {
namespace {

using testing::StateDirTest;

using StoreOpen = StateDirTest;

TEST_F(StoreOpen, CreatesAPrivateDirectoryAndANewDatabaseForTheChain) {
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_FALSE(opened->discarded_other_chain);
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
    EXPECT_FALSE(again->discarded_other_chain);
    EXPECT_EQ(again->message, "state in " + dir_.string() + ": resumed, chain 31337");
}

TEST_F(StoreOpen, StateOfAnotherChainIsDiscardedEntirelyAndTheMessageNamesBothChains) {
    {
        auto store = open_store(1);
        ASSERT_TRUE(store.bind_protocol(testing::kMorpho).has_value());
        ASSERT_TRUE(store.commit_morpho(testing::kMorpho.key, {120, testing::hash_n(120)}, {}, {}).has_value());
        JournalEntry entry;
        entry.work_key = "morpho-blue:0x01:0x02";
        ASSERT_TRUE(store.journal_intent(entry).has_value());
    }
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    EXPECT_TRUE(opened->discarded_other_chain);
    EXPECT_EQ(opened->message, "state in " + dir_.string() + " was for chain 1, this node is chain 31337: discarded");

    auto& store = opened->store;
    auto snapshot = store.load_morpho(testing::kMorpho.key);
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_FALSE(snapshot->cursor.has_value());
    auto journal = store.recent_journal(10);
    ASSERT_TRUE(journal.has_value());
    EXPECT_TRUE(journal->empty());
    // The binding went too: the protocol starts over as new.
    auto bound = store.bind_protocol(testing::kMorpho);
    ASSERT_TRUE(bound.has_value());
    EXPECT_EQ(*bound, BindOutcome::created);

    // And the database now belongs to chain 31337.
    auto reopened = StateStore::open(dir_, 31337);
    ASSERT_TRUE(reopened.has_value());
    EXPECT_FALSE(reopened->discarded_other_chain);
}

TEST_F(StoreOpen, ANewerSchemaVersionIsAClearErrorAndTheFileIsLeftAlone) {
    { auto store = open_store(); }
    {
        auto raw = sqlite::Database::open(dir_ / "keeper.sqlite3");
        ASSERT_TRUE(raw.has_value());
        ASSERT_TRUE(raw->exec("UPDATE meta SET value = 4 WHERE key = 'schema_version'").has_value());
    }
    auto opened = StateStore::open(dir_, 31337);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().message.find("schema version 4 is newer than this program's (3)"), std::string::npos)
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
        // table, and journal attempts without the payload column of v3.
        auto raw = sqlite::Database::open(dir_ / "keeper.sqlite3");
        ASSERT_TRUE(raw.has_value());
        ASSERT_TRUE(raw->exec("DROP TABLE aave_accounts; ALTER TABLE journal_attempts DROP COLUMN payload; "
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

}  // namespace
}  // namespace keeper::state
