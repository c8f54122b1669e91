#include "keeper/daemon/action_journal.hpp"

#include <nlohmann/json.hpp>

#include "core/hex.hpp"

namespace keeper::app {
namespace {

std::string text_of(const nlohmann::json& j, const char* field) {
    return j.contains(field) && j[field].is_string() ? j[field].get<std::string>() : "";
}

// The first of `fields` present.
std::string first_of(const nlohmann::json& j, std::initializer_list<const char*> fields) {
    for (const char* f : fields)
        if (auto t = text_of(j, f); !t.empty()) return t;
    return "";
}

}  // namespace

std::string journal_detail(const JournaledAction& a) {
    const auto& p = a.prediction;
    // Field names as operators' tooling (and the end-to-end tests) read them
    // since the first version: borrower (Aave's also as user), seized, repaid.
    nlohmann::json j = {{"protocol", a.protocol},
                        {"kind", std::string(protocols::to_string(a.kind))},
                        {"subject", a.subject},
                        {"borrower", p.account.checksummed()},
                        {"position_id", p.position_id.hex()},
                        {"collateral_asset", p.collateral_token.checksummed()},
                        {"debt_asset", p.debt_token.checksummed()},
                        {"seized", p.collateral_out.to_dec()},
                        {"repaid", p.debt_in.to_dec()},
                        {"realised_balances", p.realised_balances},
                        {"profit", a.profit.to_dec()},
                        {"profit_unit", a.profit_unit}};
    if (a.protocol == "aave-v3") j["user"] = p.account.checksummed();
    return j.dump();
}

std::optional<JournaledAction> parse_journal_detail(std::string_view detail) {
    const auto j = nlohmann::json::parse(detail, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    JournaledAction out;
    const auto account = Address::parse(first_of(j, {"account", "borrower", "user"}));
    if (!account) return std::nullopt;
    out.prediction.account = *account;
    // Before the seam: Morpho entries had no "protocol", Aave ones said "aave-v3".
    out.protocol = first_of(j, {"protocol"});
    if (out.protocol.empty()) out.protocol = "morpho-blue";
    out.subject = text_of(j, "subject");
    if (auto id = hex::decode_exact(first_of(j, {"position_id", "market"}), 32))
        out.prediction.position_id = Bytes32::from_bytes(*id).value();
    if (auto a = Address::parse(first_of(j, {"collateral_token", "collateral_asset"})))
        out.prediction.collateral_token = *a;
    if (auto a = Address::parse(first_of(j, {"debt_token", "loan_token", "debt_asset"}))) out.prediction.debt_token = *a;
    if (auto v = U256::from_dec(first_of(j, {"collateral_out", "seized"}))) out.prediction.collateral_out = *v;
    if (auto v = U256::from_dec(first_of(j, {"debt_in", "repaid"}))) out.prediction.debt_in = *v;
    if (auto v = U256::from_dec(first_of(j, {"profit", "profit_loan", "profit_base"}))) out.profit = *v;
    out.profit_unit = text_of(j, "profit_unit");
    if (j.contains("realised_balances") && j["realised_balances"].is_boolean())
        out.prediction.realised_balances = j["realised_balances"].get<bool>();
    if (out.subject.empty())
        out.subject = out.protocol == "aave-v3"
                          ? "Aave account " + account->checksummed()
                          : account->checksummed() + " in market " + out.prediction.position_id.hex();
    return out;
}

state::JournalAction to_journal(const JournaledAction& a) {
    const auto& p = a.prediction;
    return state::JournalAction{a.protocol,          std::string(protocols::to_string(a.kind)),
                                a.subject,           p.account,
                                p.position_id,       p.collateral_token,
                                p.debt_token,        p.collateral_out,
                                p.debt_in,           p.realised_balances,
                                a.profit,            a.profit_unit};
}

JournaledAction from_journal(const state::JournalAction& a) {
    JournaledAction out;
    out.protocol = a.protocol;
    for (auto kind : {protocols::ActionKind::liquidate, protocols::ActionKind::start_auction, protocols::ActionKind::bid,
                      protocols::ActionKind::approve})
        if (protocols::to_string(kind) == a.kind) out.kind = kind;
    out.subject = a.subject;
    out.prediction = protocols::Prediction{a.account,    a.position_id, a.collateral_token, a.debt_token,
                                           a.collateral_out, a.debt_in, a.realised_balances};
    out.profit = a.profit;
    out.profit_unit = a.profit_unit;
    return out;
}

}  // namespace keeper::app
