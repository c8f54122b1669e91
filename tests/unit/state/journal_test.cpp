// StateStore: the transaction journal from intent to receipt.
#include "state_test_support.hpp"

namespace keeper::state {
namespace journal_test {

using testing::address_n;
using testing::big_value;
using testing::hash_n;

const std::string kWork =
    "morpho-blue:0xb000000000000000000000000000000000000000000000000000000000000001:"
    "0xa000000000000000000000000000000000000010";

JournalEntry liquidation(std::string work_key, std::uint64_t nonce) {
    JournalEntry e;
    e.work_key = std::move(work_key);
    e.from = address_n(1);
    e.to = address_n(2);
    e.data = Bytes{0xd8, 0xef, 0xf2, 0x8e, 0x00, 0x01};
    e.value_wei = 0;
    e.gas_limit = 400'000;
    e.nonce = nonce;
    e.created_block = 151;
    e.detail = R"({"seized":"1000","repaid":"870","profit_wei":"12"})";
    return e;
}

JournalAttempt attempt(std::uint8_t n, std::uint64_t max_fee_gwei, std::uint64_t block) {
    return JournalAttempt{hash_n(n), U256(max_fee_gwei) * U256::pow10(9), U256(2) * U256::pow10(9), block};
}

using Journal = testing::StateDirTest;

TEST_F(Journal, IntentThenTwoAttemptsThenConfirmedWithItsReceipt) {
    auto store = open_store();
    auto id = store.journal_intent(liquidation(kWork, 7));
    ASSERT_TRUE(id.has_value()) << id.error().message;

    auto fresh = store.open_entry_for(kWork);
    ASSERT_TRUE(fresh.has_value());
    ASSERT_TRUE(fresh->has_value());
    EXPECT_EQ((*fresh)->id, *id);
    EXPECT_EQ((*fresh)->status, JournalStatus::intent);
    EXPECT_TRUE((*fresh)->attempts.empty());

    ASSERT_TRUE(store.journal_attempt(*id, attempt(1, 30, 151)).has_value());
    // Not mined in 3 blocks: the same nonce again with a higher fee.
    ASSERT_TRUE(store.journal_attempt(*id, attempt(2, 36, 154)).has_value());
    const JournalReceipt receipt{hash_n(2), 155, true, 181'234, big_value()};
    ASSERT_TRUE(store.journal_status(*id, JournalStatus::mined, receipt).has_value());
    ASSERT_TRUE(store.journal_status(*id, JournalStatus::confirmed).has_value());

    auto entry = store.journal_entry(*id);
    ASSERT_TRUE(entry.has_value());
    ASSERT_TRUE(entry->has_value());
    const JournalEntry& e = **entry;
    EXPECT_EQ(e.status, JournalStatus::confirmed);
    EXPECT_EQ(e.work_key, kWork);
    EXPECT_EQ(e.from, address_n(1));
    EXPECT_EQ(e.to, address_n(2));
    EXPECT_EQ(e.data, (Bytes{0xd8, 0xef, 0xf2, 0x8e, 0x00, 0x01}));
    EXPECT_EQ(e.gas_limit, 400'000u);
    EXPECT_EQ(e.nonce, 7u);
    EXPECT_EQ(e.created_block, 151u);
    EXPECT_EQ(e.detail, R"({"seized":"1000","repaid":"870","profit_wei":"12"})");
    ASSERT_EQ(e.attempts.size(), 2u);
    EXPECT_EQ(e.attempts[0], attempt(1, 30, 151));
    EXPECT_EQ(e.attempts[1], attempt(2, 36, 154));
    EXPECT_EQ(e.attempts[1].max_fee_per_gas_wei.to_dec(), "36000000000");
    ASSERT_TRUE(e.receipt.has_value());  // kept from `mined`: confirmed came without one
    EXPECT_EQ(*e.receipt, receipt);

    auto open = store.open_journal_entries();
    ASSERT_TRUE(open.has_value());
    EXPECT_TRUE(open->empty());
}

TEST_F(Journal, StatusFollowsAttemptsAndAReorgBackToBroadcastClearsTheReceipt) {
    auto store = open_store();
    auto id = store.journal_intent(liquidation(kWork, 7)).value();
    ASSERT_TRUE(store.journal_attempt(id, attempt(1, 30, 151)).has_value());
    EXPECT_EQ(store.journal_entry(id).value()->status, JournalStatus::broadcast);

    ASSERT_TRUE(store.journal_status(id, JournalStatus::mined, JournalReceipt{hash_n(1), 152, true, 1, 1}).has_value());
    ASSERT_TRUE(store.journal_status(id, JournalStatus::broadcast).has_value());
    auto entry = store.journal_entry(id).value();
    EXPECT_EQ(entry->status, JournalStatus::broadcast);
    EXPECT_FALSE(entry->receipt.has_value());
}

TEST_F(Journal, ASecondOpenIntentForTheSameWorkIsRefusedUntilTheFirstIsFinal) {
    auto store = open_store();
    auto first = store.journal_intent(liquidation(kWork, 7));
    ASSERT_TRUE(first.has_value());

    auto second = store.journal_intent(liquidation(kWork, 8));
    ASSERT_FALSE(second.has_value());
    EXPECT_NE(second.error().message.find("entry #" + std::to_string(*first) + " for this work is still intent"),
              std::string::npos)
        << second.error().message;

    // Other work is independent.
    EXPECT_TRUE(store.journal_intent(liquidation(kWork + "-other", 8)).has_value());

    ASSERT_TRUE(store.journal_attempt(*first, attempt(1, 30, 151)).has_value());
    EXPECT_FALSE(store.journal_intent(liquidation(kWork, 9)).has_value());
    ASSERT_TRUE(store.journal_status(*first, JournalStatus::reverted, JournalReceipt{hash_n(1), 152, false, 50'000, 1})
                    .has_value());

    auto third = store.journal_intent(liquidation(kWork, 9));
    ASSERT_TRUE(third.has_value()) << third.error().message;
    EXPECT_GT(*third, *first);
    auto open = store.open_entry_for(kWork).value();
    ASSERT_TRUE(open.has_value());
    EXPECT_EQ(open->id, *third);
}

TEST_F(Journal, AFinalEntryCannotBeReopenedOrAttemptedButItsOwnStatusMayBeRepeated) {
    auto store = open_store();
    auto id = store.journal_intent(liquidation(kWork, 7)).value();
    ASSERT_TRUE(store.journal_status(id, JournalStatus::abandoned).has_value());

    auto reopen = store.journal_status(id, JournalStatus::broadcast);
    ASSERT_FALSE(reopen.has_value());
    EXPECT_NE(reopen.error().message.find("abandoned (final): cannot become broadcast"), std::string::npos)
        << reopen.error().message;
    EXPECT_FALSE(store.journal_attempt(id, attempt(1, 30, 151)).has_value());
    EXPECT_TRUE(store.journal_status(id, JournalStatus::abandoned).has_value());
    EXPECT_FALSE(store.journal_status(id + 100, JournalStatus::abandoned).has_value());
}

TEST_F(Journal, AnIntentMustNotCarryAttemptsOrAReceipt) {
    auto store = open_store();
    auto entry = liquidation(kWork, 7);
    entry.attempts.push_back(attempt(1, 30, 151));
    EXPECT_FALSE(store.journal_intent(entry).has_value());
}

TEST_F(Journal, HighestNonceIsPerSenderOverEveryStatusButAbandoned) {
    auto store = open_store();
    EXPECT_EQ(store.highest_journal_nonce(address_n(1)).value(), std::nullopt);

    auto a = store.journal_intent(liquidation("w:1", 7)).value();
    ASSERT_TRUE(store.journal_status(a, JournalStatus::confirmed).has_value());
    ASSERT_TRUE(store.journal_intent(liquidation("w:2", 9)).has_value());
    ASSERT_TRUE(store.journal_intent(liquidation("w:3", 8)).has_value());
    auto other_sender = liquidation("w:4", 40);
    other_sender.from = address_n(5);
    ASSERT_TRUE(store.journal_intent(other_sender).has_value());

    EXPECT_EQ(store.highest_journal_nonce(address_n(1)).value(), std::optional<std::uint64_t>{9});
    EXPECT_EQ(store.highest_journal_nonce(address_n(5)).value(), std::optional<std::uint64_t>{40});
    EXPECT_EQ(store.highest_journal_nonce(address_n(6)).value(), std::nullopt);

    // Nonce 12 was refused by the node and handed back: counting it would
    // make the next transaction skip nonces 10 and 11 and never be mined.
    auto refused = store.journal_intent(liquidation("w:5", 12)).value();
    ASSERT_TRUE(store.journal_status(refused, JournalStatus::abandoned).has_value());
    EXPECT_EQ(store.highest_journal_nonce(address_n(1)).value(), std::optional<std::uint64_t>{9});
}

TEST_F(Journal, OpenEntriesAreOldestFirstAndRecentIsNewestFirst) {
    auto store = open_store();
    auto a = store.journal_intent(liquidation("w:a", 1)).value();
    auto b = store.journal_intent(liquidation("w:b", 2)).value();
    auto c = store.journal_intent(liquidation("w:c", 3)).value();
    ASSERT_TRUE(store.journal_status(b, JournalStatus::replaced_elsewhere).has_value());

    auto open = store.open_journal_entries().value();
    ASSERT_EQ(open.size(), 2u);
    EXPECT_EQ(open[0].id, a);
    EXPECT_EQ(open[1].id, c);

    auto recent = store.recent_journal(2).value();
    ASSERT_EQ(recent.size(), 2u);
    EXPECT_EQ(recent[0].id, c);
    EXPECT_EQ(recent[1].id, b);
    EXPECT_EQ(recent[1].status, JournalStatus::replaced_elsewhere);
    EXPECT_EQ(store.recent_journal(100).value().size(), 3u);
}

TEST_F(Journal, OpenEntriesSurviveARestartWithTheirAttempts) {
    std::int64_t id = 0;
    {
        auto store = open_store();
        id = store.journal_intent(liquidation(kWork, 7)).value();
        ASSERT_TRUE(store.journal_attempt(id, attempt(1, 30, 151)).has_value());
    }
    auto store = open_store();
    auto open = store.open_journal_entries().value();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].id, id);
    EXPECT_EQ(open[0].status, JournalStatus::broadcast);
    ASSERT_EQ(open[0].attempts.size(), 1u);
    EXPECT_EQ(open[0].attempts[0].hash, hash_n(1));
    // The restarted keeper must not start the same work again.
    EXPECT_FALSE(store.journal_intent(liquidation(kWork, 8)).has_value());
}

TEST_F(Journal, AnAttemptRemembersWhetherItCarriedTheWorkOrANonceFill) {
    auto store = open_store();
    const std::int64_t id = store.journal_intent(liquidation(kWork, 7)).value();
    ASSERT_TRUE(store.journal_attempt(id, attempt(1, 30, 151)).has_value());
    JournalAttempt fill = attempt(2, 33, 157);
    fill.payload = JournalPayload::nonce_fill;
    ASSERT_TRUE(store.journal_attempt(id, fill).has_value());
    const auto entry = store.journal_entry(id).value().value();
    ASSERT_EQ(entry.attempts.size(), 2u);
    EXPECT_EQ(entry.attempts[0].payload, JournalPayload::intent);
    EXPECT_EQ(entry.attempts[1].payload, JournalPayload::nonce_fill);
}

TEST_F(Journal, ARefusedAttemptIsForgottenAndTheNextOneStillGetsItsOwnPlace) {
    auto store = open_store();
    const std::int64_t id = store.journal_intent(liquidation(kWork, 7)).value();
    ASSERT_TRUE(store.journal_attempt(id, attempt(1, 30, 151)).has_value());
    ASSERT_TRUE(store.journal_attempt(id, attempt(2, 33, 154)).has_value());
    ASSERT_TRUE(store.journal_forget_attempt(id, hash_n(2)).has_value());  // the node refused it
    ASSERT_TRUE(store.journal_attempt(id, attempt(3, 40, 157)).has_value());
    ASSERT_TRUE(store.journal_forget_attempt(id, hash_n(1)).has_value());
    ASSERT_TRUE(store.journal_attempt(id, attempt(4, 44, 160)).has_value());
    const auto entry = store.journal_entry(id).value().value();
    ASSERT_EQ(entry.attempts.size(), 2u);  // oldest first, no position reused
    EXPECT_EQ(entry.attempts[0].hash, hash_n(3));
    EXPECT_EQ(entry.attempts[1].hash, hash_n(4));
    ASSERT_TRUE(store.journal_status(id, JournalStatus::confirmed, JournalReceipt{hash_n(4), 161, true, 90'000, 1}));
    EXPECT_FALSE(store.journal_forget_attempt(id, hash_n(4)).has_value());  // final entries keep their history
}

TEST_F(Journal, AFinalEntryADeepReorgUndidIsReopenedUnderItsKeyOrBesideNewerWork) {
    auto store = open_store();
    const JournalReceipt mined{hash_n(1), 155, true, 181'234, big_value()};
    const std::int64_t first = store.journal_intent(liquidation(kWork, 7)).value();
    ASSERT_TRUE(store.journal_attempt(first, attempt(1, 30, 151)).has_value());
    ASSERT_TRUE(store.journal_status(first, JournalStatus::confirmed, mined).has_value());
    const std::int64_t other = store.journal_intent(liquidation("approve:x", 8)).value();
    ASSERT_TRUE(store.journal_attempt(other, attempt(2, 30, 152)).has_value());
    ASSERT_TRUE(store.journal_status(other, JournalStatus::confirmed, JournalReceipt{hash_n(2), 156, true, 46'000, 1}));

    // The chain's count fell to 8: only entries with nonce >= 8 may be missing.
    auto candidates = store.final_entries_from_nonce(address_n(1), 8).value();
    ASSERT_EQ(candidates.size(), 1u);
    EXPECT_EQ(candidates[0].id, other);
    EXPECT_EQ(store.final_entries_from_nonce(address_n(1), 7).value().size(), 2u);
    EXPECT_TRUE(store.final_entries_from_nonce(address_n(2), 0).value().empty());  // another key's

    auto reopened = store.journal_reopen(first);
    ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
    EXPECT_EQ(reopened->status, JournalStatus::broadcast);
    EXPECT_FALSE(reopened->receipt.has_value());
    EXPECT_EQ(reopened->work_key, kWork);
    ASSERT_EQ(reopened->attempts.size(), 1u);
    // Open again, so new work for the same key is refused.
    EXPECT_FALSE(store.journal_intent(liquidation(kWork, 9)).has_value());
    EXPECT_FALSE(store.journal_reopen(first).has_value());  // already open

    // When newer work for the key is open, the reopened entry steps aside.
    ASSERT_TRUE(store.journal_status(first, JournalStatus::confirmed, mined).has_value());
    const std::int64_t newer = store.journal_intent(liquidation(kWork, 9)).value();
    auto beside = store.journal_reopen(first);
    ASSERT_TRUE(beside.has_value()) << beside.error().message;
    EXPECT_EQ(beside->work_key, kWork + "#reorged-" + std::to_string(first));
    EXPECT_EQ(store.open_entry_for(kWork).value().value().id, newer);
}

TEST_F(Journal, AFilledNonceCountsAsSpentAnUnsentAbandonedOneDoesNot) {
    auto store = open_store();
    const std::int64_t filled = store.journal_intent(liquidation(kWork, 7)).value();
    ASSERT_TRUE(store.journal_attempt(filled, attempt(1, 30, 151)).has_value());
    ASSERT_TRUE(store.journal_status(filled, JournalStatus::abandoned, JournalReceipt{hash_n(1), 152, true, 21'000, 1}));
    const std::int64_t unsent = store.journal_intent(liquidation("morpho-blue:other", 8)).value();
    ASSERT_TRUE(store.journal_status(unsent, JournalStatus::abandoned).has_value());
    EXPECT_EQ(store.highest_journal_nonce(address_n(1)).value(), std::optional<std::uint64_t>(7));
}

TEST(JournalStatusText, EveryStatusRoundTripsThroughItsStoredName) {
    for (auto s : {JournalStatus::intent, JournalStatus::broadcast, JournalStatus::mined, JournalStatus::confirmed,
                   JournalStatus::reverted, JournalStatus::replaced_elsewhere, JournalStatus::abandoned})
        EXPECT_EQ(parse_journal_status(to_string(s)).value(), s);
    EXPECT_FALSE(parse_journal_status("pending").has_value());
    EXPECT_TRUE(is_open(JournalStatus::mined));
    EXPECT_FALSE(is_open(JournalStatus::confirmed));
}

// Schema v4: what an action was, typed, lands with its entry and is read
// back with it; an entry without one (an approval) reads none.
TEST_F(Journal, AnEntrysTypedActionIsJournaledWithItAndReadBack) {
    auto store = open_store();
    JournalEntry entry = liquidation(kWork, 7);
    entry.action = JournalAction{"morpho-blue",
                                 "liquidate",
                                 "0xA0…10 in market 0xb0…01",
                                 address_n(16),
                                 hash_n(1),
                                 address_n(3),
                                 address_n(4),
                                 U256(1000),
                                 U256(870),
                                 true,
                                 big_value(),
                                 "loan"};
    auto id = store.journal_intent(entry);
    ASSERT_TRUE(id.has_value()) << id.error().message;
    auto read = store.journal_entry(*id).value();
    ASSERT_TRUE(read.has_value());
    ASSERT_TRUE(read->action.has_value());
    EXPECT_EQ(*read->action, *entry.action);
    auto approval = store.journal_intent(liquidation("approve:0x01:0x02", 8)).value();
    EXPECT_FALSE(store.journal_entry(approval).value()->action.has_value());
    auto open = store.open_journal_entries().value();
    ASSERT_EQ(open.size(), 2u);
    EXPECT_EQ(open[0].action, entry.action) << "open entries come back typed after a restart";
}

}  // namespace journal_test
}  // namespace keeper::state
