#pragma once
// `stress --derivatives FILE` output, pure: one JSON line per account
// ("kind":"derivatives"), one for the book ("kind":"derivatives_book"), and
// the terminal table. Field names are fixed (README "Stress: derivatives
// books"); USD figures are JSON numbers.
#include <string>

#include <nlohmann/json.hpp>

#include "margin/derivatives_book.hpp"

namespace keeper::app {

struct DerivativesContext {
    std::string source;  // the file, as given on the command line
    const margin::derivatives::DerivativesBook* book = nullptr;
    const margin::derivatives::DerivativesReport* report = nullptr;
};

nlohmann::json derivatives_account_json(const DerivativesContext& context,
                                        const margin::derivatives::AccountReport& account);
nlohmann::json derivatives_book_json(const DerivativesContext& context);

// The grid in words: "spot +-15% in 21 steps x vol -10/0/+10 points, 1 day".
std::string derivatives_grid_text(const margin::derivatives::DerivativesBook& book);
// The account's worst scenario per underlying: "BTC -15% vol -10; ETH +15% vol +10", or "no loss".
std::string derivatives_worst_text(const DerivativesContext& context,
                                   const margin::derivatives::AccountReport& account);

// Header, one row per account (at most `account_rows`, the largest portfolio
// requirement first), the total, then the book's Greeks per underlying.
std::string derivatives_table(const DerivativesContext& context, std::size_t account_rows);

}  // namespace keeper::app
