// The liquidators' per-work memory is pruned as work becomes final: settle
// blocks once the book has applied them, reports once a position is no
// longer liquidatable, journal links once the entry is no longer in flight.
#include <gtest/gtest.h>

#include "keeper/daemon/work_memory.hpp"

namespace keeper::app {
namespace work_memory_test {

TEST(WorkMemory, SettleBlocksGoOnceTheBookHasAppliedThem) {
    std::map<std::string, std::uint64_t> settled{{"a", 10}, {"b", 11}, {"c", 12}};
    forget_settled_through(settled, 9);
    EXPECT_EQ(settled.size(), 3u);
    forget_settled_through(settled, 11);
    EXPECT_EQ(settled, (std::map<std::string, std::uint64_t>{{"c", 12}}));
    forget_settled_through(settled, 100);
    EXPECT_TRUE(settled.empty());
}

TEST(WorkMemory, ReportsStayOnlyForPositionsStillLiquidatable) {
    std::map<std::string, std::string> reported{{"a", "not worth sending"}, {"b", "plan"}};
    forget_unless_in(reported, {"b", "c"});
    EXPECT_EQ(reported, (std::map<std::string, std::string>{{"b", "plan"}}));
    forget_unless_in(reported, {});
    EXPECT_TRUE(reported.empty());
}

TEST(WorkMemory, JournalLinksStayOnlyWhileTheEntryIsInFlight) {
    std::map<std::int64_t, std::size_t> links{{1, 0}, {2, 1}, {3, 2}};
    forget_unless_in_flight(links, {2, 7});
    EXPECT_EQ(links, (std::map<std::int64_t, std::size_t>{{2, 1}}));
}

}  // namespace work_memory_test
}  // namespace keeper::app
