#pragma once
// What the journal keeps of an action beside its transaction (its `detail`):
// the protocol, the subject and the typed prediction, so a record rebuilt
// after a restart still compares the receipt with it. The field names are
// the ones operators' tooling reads since the first version (borrower,
// seized, repaid, collateral_asset, debt_asset; Aave's account also as user);
// entries written before the seam (loan_token, profit_loan, ...) are read too.
#include <optional>
#include <string>
#include <string_view>

#include "keeper/state/journal_types.hpp"
#include "protocols/action.hpp"

namespace keeper::app {

struct JournaledAction {
    std::string protocol;  // "morpho-blue", "aave-v3"
    protocols::ActionKind kind = protocols::ActionKind::liquidate;
    std::string subject;
    protocols::Prediction prediction;
    U256 profit;           // in profit_unit
    std::string profit_unit;
};

std::string journal_detail(const JournaledAction& action);
// Nullopt when the text holds no prediction (an approval, or garbage).
std::optional<JournaledAction> parse_journal_detail(std::string_view detail);

// The typed journal row (schema v4) and back.
state::JournalAction to_journal(const JournaledAction& action);
JournaledAction from_journal(const state::JournalAction& action);

}  // namespace keeper::app
