#include "keeper/config/derivatives_book_file.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "keeper/config/toml_fields.hpp"

namespace keeper::config {
// A named namespace: the scenario file's parser, built in the same unity
// unit, has helpers of the same names in its anonymous namespace.
namespace derivatives_file {
namespace {

using margin::derivatives::Account;
using margin::derivatives::DerivativesBook;
using margin::derivatives::Position;
using margin::derivatives::PositionKind;
using margin::derivatives::Underlying;

std::optional<double> number_at(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point(); f != nullptr && std::isfinite(f->get())) return f->get();
    problems.add(&node, key, "expected a number, found " + describe(node));
    return std::nullopt;
}

// A number within [min, max] (a strict lower bound when `above`), or nullopt after reporting.
std::optional<double> number_in(const toml::node& node, std::string_view key, double min, double max, bool above,
                                Problems& problems) {
    auto v = number_at(node, key, problems);
    if (!v) return std::nullopt;
    if ((above ? !(*v > min) : !(*v >= min)) || !(*v <= max)) {
        char range[96];
        std::snprintf(range, sizeof range, "must be %s %g and at most %g", above ? "above" : "at least", min, max);
        problems.add(&node, key, std::string(range) + ", found " + describe(node));
        return std::nullopt;
    }
    return v;
}

std::optional<std::chrono::sys_days> date_at(const toml::node& node, std::string_view key, Problems& problems) {
    if (const auto* d = node.as_date()) {
        const toml::date& v = d->get();
        const std::chrono::year_month_day ymd{std::chrono::year(v.year), std::chrono::month(v.month),
                                              std::chrono::day(v.day)};
        if (ymd.ok()) return std::chrono::sys_days(ymd);
    }
    problems.add(&node, key, "expected a date such as 2027-03-26, found " + describe(node));
    return std::nullopt;
}

std::string format_number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

struct Reader {
    Problems& problems;
    std::map<std::string, std::size_t, std::less<>> underlying_index;
    std::optional<std::chrono::sys_days> as_of;

    std::optional<std::size_t> underlying_named(const toml::node& node, std::string_view key) {
        auto name = read_string(node, key, problems);
        if (!name) return std::nullopt;
        if (auto it = underlying_index.find(*name); it != underlying_index.end()) return it->second;
        problems.add(&node, key, "\"" + *name + "\" is not in [underlyings]");
        return std::nullopt;
    }

    void read_scan(const toml::table& table, DerivativesBook& book) {
        Fields f(table, "scan", problems);
        auto& g = book.grid;
        if (const auto* n = f.get("max_move_percent"))
            if (auto v = number_in(*n, f.key_path("max_move_percent"), 0, 99, true, problems))
                g.max_spot_move_fraction = *v / 100;
        if (const auto* n = f.get("spot_steps"))
            if (auto v = read_u64_in(*n, f.key_path("spot_steps"), 2, 1001, problems))
                g.spot_steps = static_cast<std::uint32_t>(*v);
        if (const auto* n = f.get("vol_shifts_points")) {
            const toml::array* list = n->as_array();
            if (list == nullptr || list->empty()) {
                problems.add(n, f.key_path("vol_shifts_points"),
                             "expected a non-empty array of numbers, found " + describe(*n));
            } else {
                g.vol_shifts_abs.clear();
                for (std::size_t i = 0; i < list->size(); ++i)
                    if (auto v = number_in((*list)[i], f.key_path("vol_shifts_points") + "[" + std::to_string(i) + "]",
                                           -100, 500, false, problems))
                        g.vol_shifts_abs.push_back(*v / 100);
            }
        }
        if (const auto* n = f.get("time_step_days"))
            if (auto v = number_in(*n, f.key_path("time_step_days"), 0, 3650, false, problems))
                g.time_step_years = *v / 365;
        if (const auto* n = f.get("min_vol_percent"))
            if (auto v = number_in(*n, f.key_path("min_vol_percent"), 0, 1000, true, problems)) g.min_vol = *v / 100;
        f.reject_unknown();
    }

    void read_portfolio(const toml::table& table, DerivativesBook& book) {
        Fields f(table, "portfolio", problems);
        if (const auto* n = f.get("short_option_minimum_percent"))
            if (auto v = number_in(*n, f.key_path("short_option_minimum_percent"), 0, 100, false, problems))
                book.short_option_minimum_fraction = *v / 100;
        if (const auto* n = f.get("gamma_extra_move_percent"))
            if (auto v = number_in(*n, f.key_path("gamma_extra_move_percent"), 0, 100, false, problems))
                book.gamma_extra_move_fraction = *v / 100;
        if (const auto* n = f.get("vega_extra_vol_points"))
            if (auto v = number_in(*n, f.key_path("vega_extra_vol_points"), 0, 500, false, problems))
                book.vega_extra_vol_shift = *v / 100;
        f.reject_unknown();
    }

    void read_underlyings(const toml::node& node, DerivativesBook& book) {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
            problems.add(&node, "underlyings", "expected [underlyings.<name>] tables, found " + describe(node));
            return;
        }
        for (const auto& [name, value] : *table) {
            const std::string path = "underlyings." + std::string(name.str());
            const toml::table* fields_table = value.as_table();
            if (fields_table == nullptr) {
                problems.add(&value, path, "expected a table with spot and vol_percent, found " + describe(value));
                continue;
            }
            Fields f(*fields_table, path, problems);
            Underlying u{.name = std::string(name.str())};
            if (const auto* n = f.require("spot"))
                if (auto v = number_in(*n, f.key_path("spot"), 0, 1e15, true, problems)) u.spot = *v;
            if (const auto* n = f.require("vol_percent"))
                if (auto v = number_in(*n, f.key_path("vol_percent"), 0, 1000, false, problems)) u.vol = *v / 100;
            if (const auto* n = f.get("rate_percent"))
                if (auto v = number_in(*n, f.key_path("rate_percent"), -100, 100, false, problems)) u.rate = *v / 100;
            if (const auto* n = f.get("scan_range_percent"))
                if (auto v = number_in(*n, f.key_path("scan_range_percent"), 0, 99, true, problems))
                    u.scan_range_fraction = *v / 100;
            f.reject_unknown();
            underlying_index[u.name] = book.underlyings.size();
            book.underlyings.push_back(std::move(u));
        }
    }

    void read_offsets(const toml::node& node, DerivativesBook& book) {
        const toml::array* list = node.as_array();
        if (list == nullptr) {
            problems.add(&node, "offset", "expected [[offset]] tables, found " + describe(node));
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string path = "offset[" + std::to_string(i) + "]";
            const toml::table* table = (*list)[i].as_table();
            if (table == nullptr) {
                problems.add(&(*list)[i], path, "expected a table, found " + describe((*list)[i]));
                continue;
            }
            Fields f(*table, path, problems);
            margin::derivatives::BookOffset offset;
            bool ok = true;
            if (const auto* n = f.require("underlyings")) {
                const toml::array* pair = n->as_array();
                if (pair == nullptr || pair->size() != 2) {
                    problems.add(n, f.key_path("underlyings"), "expected two underlying names, found " + describe(*n));
                    ok = false;
                } else {
                    auto a = underlying_named((*pair)[0], f.key_path("underlyings") + "[0]");
                    auto b = underlying_named((*pair)[1], f.key_path("underlyings") + "[1]");
                    ok = a && b;
                    if (a && b && *a == *b) {
                        problems.add(n, f.key_path("underlyings"), "an offset pairs two different underlyings");
                        ok = false;
                    }
                    offset.a = a.value_or(0);
                    offset.b = b.value_or(0);
                }
            } else {
                ok = false;
            }
            if (const auto* n = f.require("credit_percent")) {
                auto v = number_in(*n, f.key_path("credit_percent"), 0, 100, false, problems);
                ok = ok && v.has_value();
                offset.credit_fraction = v.value_or(0) / 100;
            } else {
                ok = false;
            }
            f.reject_unknown();
            if (ok) book.offsets.push_back(offset);
        }
    }

    // expiry (a date, against as_of) or expiry_years; nullopt after reporting.
    std::optional<double> years_of(Fields& f) {
        const toml::node* date = f.get("expiry");
        const toml::node* years = f.get("expiry_years");
        if ((date == nullptr) == (years == nullptr)) {
            problems.add(f.anchor(), f.key_path("expiry"), "give exactly one of expiry (a date) and expiry_years");
            return std::nullopt;
        }
        if (years != nullptr) return number_in(*years, f.key_path("expiry_years"), 0, 100, true, problems);
        auto day = date_at(*date, f.key_path("expiry"), problems);
        if (!day) return std::nullopt;
        if (!as_of) {
            problems.add(date, f.key_path("expiry"), "a date expiry needs as_of = <date> at the top of the file");
            return std::nullopt;
        }
        const auto days = (*day - *as_of).count();
        if (days <= 0) {
            problems.add(date, f.key_path("expiry"), "expired: not after as_of");
            return std::nullopt;
        }
        return static_cast<double>(days) / 365.0;
    }

    void read_option(const toml::table& table, const std::string& path, const DerivativesBook& book, Account& account) {
        Fields f(table, path, problems);
        Position p{.kind = PositionKind::option};
        bool ok = true;
        std::string expiry_text;
        if (const auto* n = f.require("underlying")) {
            auto u = underlying_named(*n, f.key_path("underlying"));
            ok = ok && u.has_value();
            p.underlying = u.value_or(0);
        } else {
            ok = false;
        }
        if (const auto* n = f.require("type")) {
            auto text = read_string(*n, f.key_path("type"), problems);
            if (text && (*text == "call" || *text == "put")) {
                p.option_type = *text == "call" ? margin::OptionType::call : margin::OptionType::put;
            } else {
                if (text) problems.add(n, f.key_path("type"), "expected \"call\" or \"put\", found " + describe(*n));
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const auto* n = f.require("strike")) {
            auto v = number_in(*n, f.key_path("strike"), 0, 1e15, true, problems);
            ok = ok && v.has_value();
            p.strike = v.value_or(0);
        } else {
            ok = false;
        }
        if (const auto* n = f.get("expiry"))
            if (const auto* d = n->as_date()) {
                char text[16];
                std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(d->get().year),
                              static_cast<int>(d->get().month), static_cast<int>(d->get().day));
                expiry_text = text;
            }
        auto years = years_of(f);
        ok = ok && years.has_value();
        p.years_to_expiry = years.value_or(0);
        if (const auto* n = f.require("quantity")) {
            auto v = number_at(*n, f.key_path("quantity"), problems);
            ok = ok && v.has_value();
            p.quantity = v.value_or(0);
        } else {
            ok = false;
        }
        if (const auto* n = f.get("mark")) {
            auto v = number_in(*n, f.key_path("mark"), 0, 1e15, false, problems);
            ok = ok && v.has_value();
            p.mark = v;
        }
        if (const auto* n = f.get("vol_percent")) {
            auto v = number_in(*n, f.key_path("vol_percent"), 0, 1000, false, problems);
            ok = ok && v.has_value();
            if (v) p.vol = *v / 100;
        }
        f.reject_unknown();
        if (!ok) return;
        p.label = book.underlyings[p.underlying].name + " " + format_number(p.strike) +
                  (p.option_type == margin::OptionType::call ? " C " : " P ") +
                  (expiry_text.empty() ? format_number(p.years_to_expiry) + "y" : expiry_text);
        account.positions.push_back(std::move(p));
    }

    void read_perp(const toml::table& table, const std::string& path, const DerivativesBook& book, Account& account) {
        Fields f(table, path, problems);
        Position p{.kind = PositionKind::perp};
        bool ok = true;
        if (const auto* n = f.require("underlying")) {
            auto u = underlying_named(*n, f.key_path("underlying"));
            ok = ok && u.has_value();
            p.underlying = u.value_or(0);
        } else {
            ok = false;
        }
        if (const auto* n = f.require("size")) {
            auto v = number_at(*n, f.key_path("size"), problems);
            ok = ok && v.has_value();
            p.quantity = v.value_or(0);
        } else {
            ok = false;
        }
        if (const auto* n = f.require("entry_price")) {
            auto v = number_in(*n, f.key_path("entry_price"), 0, 1e15, true, problems);
            ok = ok && v.has_value();
            p.entry_price = v.value_or(0);
        } else {
            ok = false;
        }
        f.reject_unknown();
        if (!ok) return;
        p.label = book.underlyings[p.underlying].name + " perp";
        account.positions.push_back(std::move(p));
    }

    template <typename Read>
    void each_table(Fields& f, std::string_view key, Read read) {
        const toml::node* node = f.get(key);
        if (node == nullptr) return;
        const toml::array* list = node->as_array();
        if (list == nullptr) {
            problems.add(node, f.key_path(key),
                         "expected [[" + f.key_path(key) + "]] tables, found " + describe(*node));
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string path = f.key_path(key) + "[" + std::to_string(i) + "]";
            if (const toml::table* t = (*list)[i].as_table())
                read(*t, path);
            else
                problems.add(&(*list)[i], path, "expected a table, found " + describe((*list)[i]));
        }
    }

    void read_accounts(const toml::node& node, DerivativesBook& book) {
        const toml::array* list = node.as_array();
        if (list == nullptr) {
            problems.add(&node, "account", "expected [[account]] tables, found " + describe(node));
            return;
        }
        std::set<std::string, std::less<>> names;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string path = "account[" + std::to_string(i) + "]";
            const toml::table* table = (*list)[i].as_table();
            if (table == nullptr) {
                problems.add(&(*list)[i], path, "expected a table, found " + describe((*list)[i]));
                continue;
            }
            Fields f(*table, path, problems);
            Account account;
            if (const auto* n = f.require("name")) {
                if (auto text = read_string(*n, f.key_path("name"), problems)) {
                    if (text->empty())
                        problems.add(n, f.key_path("name"), "must not be empty");
                    else if (!names.insert(*text).second)
                        problems.add(n, f.key_path("name"), "\"" + *text + "\" names two accounts");
                    account.name = *text;
                }
            }
            if (const auto* n = f.get("cash"))
                if (auto v = number_at(*n, f.key_path("cash"), problems)) account.cash_usd = *v;
            each_table(f, "option",
                       [&](const toml::table& t, const std::string& p) { read_option(t, p, book, account); });
            each_table(f, "perp", [&](const toml::table& t, const std::string& p) { read_perp(t, p, book, account); });
            f.reject_unknown();
            book.accounts.push_back(std::move(account));
        }
    }
};

}  // namespace
}  // namespace derivatives_file

Result<margin::derivatives::DerivativesBook> parse_derivatives_book(std::string_view toml_text,
                                                                    std::string_view source_name) {
    const std::string source(source_name);
    toml::table document;
    try {
        document = toml::parse(toml_text, source);
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        return fail(source + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                    ": TOML syntax error: " + std::string(error.description()));
    }
    margin::derivatives::DerivativesBook book;
    Problems problems(source);
    Fields root(document, "", problems);
    derivatives_file::Reader reader{problems, {}, std::nullopt};
    if (const toml::node* n = root.get("as_of")) reader.as_of = derivatives_file::date_at(*n, "as_of", problems);
    if (const toml::node* n = root.get("scan")) {
        if (const toml::table* t = n->as_table())
            reader.read_scan(*t, book);
        else
            problems.add(n, "scan", "expected a table, found " + describe(*n));
    }
    if (const toml::node* n = root.get("portfolio")) {
        if (const toml::table* t = n->as_table())
            reader.read_portfolio(*t, book);
        else
            problems.add(n, "portfolio", "expected a table, found " + describe(*n));
    }
    if (const toml::node* n = root.require("underlyings")) reader.read_underlyings(*n, book);
    if (const toml::node* n = root.get("offset")) reader.read_offsets(*n, book);
    if (const toml::node* n = root.require("account")) reader.read_accounts(*n, book);
    root.reject_unknown();
    // The scan range of each underlying against the grid (a move of 100 % or
    // more is a zero price), and the grid itself.
    for (const auto& u : book.underlyings)
        if (u.scan_range_fraction && !(*u.scan_range_fraction < 1.0))
            problems.add_plain(nullptr, "underlyings." + u.name + ".scan_range_percent: must be below 100");
    if (problems.empty())
        if (auto grid = margin::ScenarioGrid::make(book.grid); !grid)
            problems.add_plain(root.get("scan"), "scan: " + grid.error().message);
    if (problems.empty() && book.underlyings.size() > 0xFFFF)
        problems.add_plain(nullptr, "underlyings: more than 65535");
    if (!problems.empty()) return std::unexpected(problems.error());
    return book;
}

Result<margin::derivatives::DerivativesBook> load_derivatives_book(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(path + ": cannot read the derivatives book");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_derivatives_book(text.str(), path);
}

}  // namespace keeper::config
