// printable_excerpt: what of a peer's text may reach an error or a log line.
#include <gtest/gtest.h>

#include <string>

#include "net/printable_excerpt.hpp"

namespace keeper::net {
namespace printable_excerpt_test {

TEST(PrintableExcerpt, ShortPrintableTextIsUnchanged) {
    EXPECT_EQ(printable_excerpt("execution reverted: position is healthy", 512),
              "execution reverted: position is healthy");
    EXPECT_EQ(printable_excerpt("", 10), "");
    EXPECT_EQ(printable_excerpt("exactly ten", 11), "exactly ten");
    EXPECT_EQ(printable_excerpt("prix: 1,5 € — ok 🙂", 512), "prix: 1,5 € — ok 🙂");  // UTF-8 stays
}

TEST(PrintableExcerpt, ControlCharactersCannotForgeLinesOrDriveATerminal) {
    const std::pair<std::string, std::string> rows[] = {
        {"nonce too low\n2026-01-01 [info] all good", "nonce too low 2026-01-01 [info] all good"},
        {"a\r\nb\tc", "a  b c"},
        {"\x1b[31mred\x1b[0m", "?[31mred?[0m"},
        {std::string("nul\0byte", 8), "nul?byte"},
        {"bell\x07 del\x7f", "bell? del?"},
        {"c1 \xc2\x9b" "31m", "c1 ?31m"},                    // U+009B, the 8-bit CSI
        {"line\xe2\x80\xa8sep", "line?sep"},                 // U+2028
        {"evil\xe2\x80\xaetxt.exe", "evil?txt.exe"},         // U+202E right-to-left override
        {"iso\xe2\x81\xa6late", "iso?late"},                 // U+2066
        {"bad \xff\xfe utf8", "bad ?? utf8"},
        {"cut \xe2\x82", "cut ??"},                          // a truncated sequence
        {"overlong \xc0\xaf", "overlong ??"},
        {"surrogate \xed\xa0\x80", "surrogate ???"},
    };
    for (const auto& [text, shown] : rows) EXPECT_EQ(printable_excerpt(text, 512), shown) << shown;
}

TEST(PrintableExcerpt, LongTextIsCutToTheBoundWithAnEllipsis) {
    const std::string long_text(10'000, 'x');
    const std::string cut = printable_excerpt(long_text, 120);
    EXPECT_EQ(cut.size(), 120u);
    EXPECT_EQ(cut, std::string(117, 'x') + "...");
    EXPECT_EQ(printable_excerpt("abcdefghijk", 10), "abcdefg...");
    EXPECT_EQ(printable_excerpt("abcdefghij", 10), "abcdefghij");
    EXPECT_EQ(printable_excerpt("abcdef", 2), "ab");  // no room for "..."
    EXPECT_EQ(printable_excerpt("abcdef", 0), "");
}

TEST(PrintableExcerpt, NeverSplitsAUtf8Sequence) {
    // "€" is 3 bytes: 6 of them are 18 bytes; a bound of 10 leaves room for
    // two (6 bytes) and "...".
    EXPECT_EQ(printable_excerpt("€€€€€€", 10), "€€...");
    EXPECT_EQ(printable_excerpt("€€€€€€", 2), "");
    for (std::size_t bound = 0; bound < 30; ++bound) {
        const std::string cut = printable_excerpt("a€b€€c🙂d\ne", bound);
        EXPECT_LE(cut.size(), bound);
        EXPECT_EQ(printable_excerpt(cut, 1000), cut) << "bound " << bound << " gave an invalid excerpt";
    }
}

}  // namespace printable_excerpt_test
}  // namespace keeper::net
