#include <gtest/gtest.h>

#include <random>

#include "margin/health_state.hpp"
#include "margin/portfolio_margin.hpp"

using namespace keeper::margin;

namespace portfolio_margin_test {

constexpr UnderlyingId btc{0};
constexpr UnderlyingId eth{1};
constexpr UnderlyingId sol{2};

RiskArrayTable default_table() { return RiskArrayTable(ScenarioGrid::make({}).value()); }

InstrumentId add_linear(RiskArrayTable& table, UnderlyingId u, double price) {
    const InstrumentId id = table.add_instrument(InstrumentSpec{.underlying = u});
    EXPECT_TRUE(table.update(id, InstrumentMarket{.underlying_price = price}).has_value());
    return id;
}

InstrumentId add_option(RiskArrayTable& table, UnderlyingId u, OptionType type, double strike,
                        const InstrumentMarket& market, InstrumentKind kind = InstrumentKind::spot_option) {
    const InstrumentId id = table.add_instrument(
        InstrumentSpec{.underlying = u, .kind = kind, .option_type = type, .strike = strike});
    EXPECT_TRUE(table.update(id, market).has_value());
    return id;
}

constexpr InstrumentMarket atm_100{.underlying_price = 100, .implied_vol = 0.20, .years_to_expiry = 1, .rate = 0.05};

PortfolioMarginCalculator calculator(PortfolioMarginParams params = {}) {
    return PortfolioMarginCalculator::make(std::move(params)).value();
}

TEST(ScenarioGrid, DefaultsGive63ScenariosVolMajor) {
    const ScenarioGrid grid = ScenarioGrid::make({}).value();
    ASSERT_EQ(grid.size(), 63u);
    EXPECT_DOUBLE_EQ(grid.scenarios()[0].spot_move_fraction, -0.15);
    EXPECT_DOUBLE_EQ(grid.scenarios()[0].vol_shift_abs, -0.10);
    EXPECT_NEAR(grid.scenarios()[1].spot_move_fraction, -0.135, 1e-15);  // steps of 1.5 %
    EXPECT_NEAR(grid.scenarios()[31].spot_move_fraction, 0.0, 1e-15);    // middle: unmoved, vol unshifted
    EXPECT_DOUBLE_EQ(grid.scenarios()[31].vol_shift_abs, 0.0);
    EXPECT_NEAR(grid.scenarios()[62].spot_move_fraction, 0.15, 1e-15);
    EXPECT_DOUBLE_EQ(grid.time_step_years(), 1.0 / 365.0);
}

TEST(ScenarioGrid, RejectsDegenerateSpecs) {
    EXPECT_FALSE(ScenarioGrid::make({.spot_steps = 1}).has_value());
    EXPECT_FALSE(ScenarioGrid::make({.max_spot_move_fraction = 1.0}).has_value());
    EXPECT_FALSE(ScenarioGrid::make({.vol_shifts_abs = {}}).has_value());
    EXPECT_FALSE(ScenarioGrid::make({.time_step_years = -1}).has_value());
}

TEST(RiskArrays, LinearRowIsPriceTimesMove) {
    RiskArrayTable table = default_table();
    const InstrumentId perp = add_linear(table, btc, 60000);
    EXPECT_DOUBLE_EQ(table.risk_array(perp)[0], -9000);  // -15 % of 60,000
    EXPECT_DOUBLE_EQ(table.risk_array(perp)[20], 9000);
    EXPECT_NEAR(table.risk_array(perp)[31], 0, 1e-9);
    EXPECT_DOUBLE_EQ(table.valuation(perp).per_contract.delta, 1);
}

TEST(RiskArrays, OptionRowIsRevaluationMinusValue) {
    // Spot -10/0/+10 %, vol -0.10/0/+0.10 around 20 %, one-day step.
    RiskArrayTable table(ScenarioGrid::make({.max_spot_move_fraction = 0.10, .spot_steps = 3}).value());
    const InstrumentId call = add_option(table, btc, OptionType::call, 100, atm_100);
    const auto row = table.risk_array(call);
    ASSERT_EQ(row.size(), 9u);
    EXPECT_NEAR(table.valuation(call).per_contract.price, 10.450584, 1e-6);
    // Spot 90 at vol 30 %, 364 days: computed separately with the same model.
    const double v0 = 10.450583572185565;
    const double later = 1.0 - 1.0 / 365.0;
    EXPECT_NEAR(row[6], black_scholes_price(OptionType::call, {90, 100, 0.05, 0.30, later}) - v0, 1e-12);
    EXPECT_NEAR(row[1], black_scholes_price(OptionType::call, {100, 100, 0.05, 0.10, later}) - v0, 1e-12);
    // Unmoved scenario = one day of theta: about -6.414 / 365 = -0.0176.
    EXPECT_NEAR(row[4], -0.0175806, 1e-7);
    // Without a time step and vol shifts the row is exactly c(S') - c(S): -5.3594 and +7.2124.
    RiskArrayTable plain(
        ScenarioGrid::make({.max_spot_move_fraction = 0.10, .spot_steps = 3, .vol_shifts_abs = {0.0},
                            .time_step_years = 0})
            .value());
    const InstrumentId c2 = add_option(plain, btc, OptionType::call, 100, atm_100);
    EXPECT_NEAR(plain.risk_array(c2)[0], -5.359361, 1e-6);
    EXPECT_NEAR(plain.risk_array(c2)[1], 0.0, 1e-12);
    EXPECT_NEAR(plain.risk_array(c2)[2], 7.212370, 1e-6);
}

TEST(RiskArrays, RejectsBadMarketsAndKeepsThePreviousRow) {
    RiskArrayTable table = default_table();
    const InstrumentId perp = add_linear(table, btc, 60000);
    EXPECT_FALSE(table.update(perp, InstrumentMarket{.underlying_price = 0}).has_value());
    EXPECT_FALSE(table.update(InstrumentId{5}, InstrumentMarket{.underlying_price = 1}).has_value());
    EXPECT_DOUBLE_EQ(table.risk_array(perp)[0], -9000);
}

TEST(PortfolioMargin, SingleUnderlyingRequirementIsWorstScenarioLoss) {
    RiskArrayTable table = default_table();
    const InstrumentId perp = add_linear(table, btc, 60000);
    auto calc = calculator();
    const std::vector<PortfolioPosition> two_long{{perp, 2}};
    const auto r = calc.requirement(two_long, table).value();
    EXPECT_DOUBLE_EQ(r.requirement_usd, 18000);  // 2 x 15 % x 60,000
    ASSERT_EQ(r.underlyings.size(), 1u);
    EXPECT_EQ(r.underlyings[0].worst_direction, -1);
    EXPECT_DOUBLE_EQ(r.underlyings[0].delta, 2);
    const std::vector<PortfolioPosition> one_short{{perp, -1}};
    EXPECT_EQ(calc.requirement(one_short, table).value().underlyings[0].worst_direction, 1);
}

TEST(PortfolioMargin, CorrelationOffsetCreditsOpposingLosses) {
    RiskArrayTable table = default_table();
    const InstrumentId btc_perp = add_linear(table, btc, 50000);
    const InstrumentId eth_perp = add_linear(table, eth, 3000);
    // Long 4 BTC loses 30,000 on -15 %; short 50 ETH loses 22,500 on +15 %.
    const std::vector<PortfolioPosition> long_short{{btc_perp, 4}, {eth_perp, -50}};
    const auto no_offset = calculator().requirement(long_short, table).value();
    EXPECT_DOUBLE_EQ(no_offset.scan_loss_usd, 52500);
    EXPECT_DOUBLE_EQ(no_offset.requirement_usd, 52500);

    auto with_offset = calculator({.offsets = {{btc, eth, 0.70}}});
    const auto r = with_offset.requirement(long_short, table).value();
    EXPECT_NEAR(r.offset_credit_usd, 15750, 1e-6);  // 70 % of min(30,000, 22,500)
    EXPECT_NEAR(r.requirement_usd, 36750, 1e-6);

    // Long both: they lose together, no credit.
    const std::vector<PortfolioPosition> long_long{{btc_perp, 4}, {eth_perp, 50}};
    EXPECT_DOUBLE_EQ(with_offset.requirement(long_long, table).value().offset_credit_usd, 0);
    EXPECT_DOUBLE_EQ(with_offset.requirement(long_long, table).value().requirement_usd, 52500);
}

TEST(PortfolioMargin, OffsetsAreAppliedHighestFirstAndConsumeLosses) {
    RiskArrayTable table = default_table();
    const InstrumentId btc_perp = add_linear(table, btc, 50000);
    const InstrumentId eth_perp = add_linear(table, eth, 3000);
    const InstrumentId sol_perp = add_linear(table, sol, 100);
    // BTC long 30,000 (down), ETH short 22,500 (up), SOL short 1,000 x 15 = 15,000 (up).
    const std::vector<PortfolioPosition> book{{btc_perp, 4}, {eth_perp, -50}, {sol_perp, -1000}};
    // Listed lowest first: sorting makes BTC/ETH (0.70) go first.
    auto calc = calculator({.offsets = {{btc, sol, 0.50}, {btc, eth, 0.70}}});
    const auto r = calc.requirement(book, table).value();
    // BTC/ETH: 0.70 x 22,500 = 15,750, BTC left 7,500. BTC/SOL: 0.50 x 7,500 = 3,750.
    EXPECT_DOUBLE_EQ(r.scan_loss_usd, 67500);
    EXPECT_NEAR(r.offset_credit_usd, 19500, 1e-6);
    EXPECT_NEAR(r.requirement_usd, 48000, 1e-6);
}

TEST(PortfolioMargin, RejectsBadParamsAndUnknownInstruments) {
    EXPECT_FALSE(PortfolioMarginCalculator::make({.offsets = {{btc, eth, 1.5}}}).has_value());
    EXPECT_FALSE(PortfolioMarginCalculator::make({.offsets = {{btc, btc, 0.5}}}).has_value());
    EXPECT_FALSE(PortfolioMarginCalculator::make({.offsets = {}, .gamma_extra_move_fraction = -1}).has_value());
    RiskArrayTable table = default_table();
    const InstrumentId unpriced = table.add_instrument(InstrumentSpec{.underlying = btc});
    auto calc = calculator();
    const std::vector<PortfolioPosition> bad{{InstrumentId{3}, 1}};
    EXPECT_EQ(calc.requirement(bad, table).error().message, "portfolio margin: unknown instrument 3");
    const std::vector<PortfolioPosition> not_priced{{unpriced, 1}};
    EXPECT_FALSE(calc.requirement(not_priced, table).has_value());
}

TEST(PortfolioMargin, ShortOptionMinimumAndConvexityCharges) {
    RiskArrayTable table = default_table();
    // Deep out of the money: K = 200, S = 100, 0.1 years: scan loss about 0.
    const InstrumentId far_call = add_option(table, btc, OptionType::call, 200,
                                             {.underlying_price = 100, .implied_vol = 0.2, .years_to_expiry = 0.1});
    auto calc = calculator({.offsets = {}, .short_option_minimum_fraction = 0.10});
    const std::vector<PortfolioPosition> short_far{{far_call, -3}};
    const auto r = calc.requirement(short_far, table).value();
    EXPECT_LT(r.scan_loss_usd, 1e-6);
    EXPECT_DOUBLE_EQ(r.short_option_minimum_usd, 30);  // 3 contracts x 10 % x 100
    EXPECT_DOUBLE_EQ(r.requirement_usd, 30);

    const InstrumentId atm_call = add_option(table, btc, OptionType::call, 100, atm_100);
    auto charges = calculator({.offsets = {}, .gamma_extra_move_fraction = 0.10, .vega_extra_vol_shift = 0.05});
    const std::vector<PortfolioPosition> short_atm{{atm_call, -1}};
    const auto c = charges.requirement(short_atm, table).value();
    EXPECT_NEAR(c.gamma_charge_usd, 0.5 * 0.0187620 * 10 * 10, 1e-6);  // 0.9381
    EXPECT_NEAR(c.vega_charge_usd, 37.5240 * 0.05, 1e-4);              // 1.8762
    EXPECT_NEAR(c.requirement_usd, c.scan_loss_usd + c.gamma_charge_usd + c.vega_charge_usd, 1e-9);
    // The long side pays no convexity charge.
    const std::vector<PortfolioPosition> long_atm{{atm_call, 1}};
    EXPECT_EQ(charges.requirement(long_atm, table).value().gamma_charge_usd, 0);
    EXPECT_EQ(charges.requirement(long_atm, table).value().vega_charge_usd, 0);
}

TEST(PortfolioMargin, AccountGreeksAreQuantityWeightedSums) {
    RiskArrayTable table = default_table();
    const InstrumentId call = add_option(table, btc, OptionType::call, 100, atm_100);
    const InstrumentId put = add_option(table, btc, OptionType::put, 100, atm_100);
    const InstrumentId fut_call =
        add_option(table, eth, OptionType::call, 19, {.underlying_price = 19, .implied_vol = 0.28,
                                                      .years_to_expiry = 0.75, .rate = 0.10},
                   InstrumentKind::futures_option);
    const std::vector<PortfolioPosition> book{{call, 2}, {put, -1}, {fut_call, 10}};
    const auto r = calculator().requirement(book, table).value();
    ASSERT_EQ(r.underlyings.size(), 2u);
    EXPECT_NEAR(r.underlyings[0].delta, 2 * 0.636831 + 0.363169, 1e-6);  // 1.636831
    EXPECT_NEAR(r.underlyings[0].gamma, 0.0187620, 1e-7);                // 2 - 1
    EXPECT_NEAR(r.underlyings[0].value_usd, 2 * 10.450584 - 5.573526, 1e-6);
    EXPECT_NEAR(r.underlyings[0].theta, 2 * -6.414028 + 1.657880, 1e-5);
    EXPECT_DOUBLE_EQ(r.underlyings[0].net_option_contracts, 1);
    EXPECT_NEAR(r.underlyings[1].value_usd, 17.011, 1e-3);  // 10 x Haug's 1.7011
}

TEST(PortfolioMargin, OppositePositionsInOneInstrumentCancelExactly) {
    RiskArrayTable table = default_table();
    const InstrumentId call = add_option(table, btc, OptionType::call, 100, atm_100);
    const std::vector<PortfolioPosition> flat{{call, -7}, {call, 7}};
    const auto r = calculator({.offsets = {}, .short_option_minimum_fraction = 0.1, .gamma_extra_move_fraction = 0.1,
                               .vega_extra_vol_shift = 0.05})
                       .requirement(flat, table)
                       .value();
    EXPECT_EQ(r.requirement_usd, 0);
}

// Random books over two underlyings, spot and futures options and perps.
class PortfolioProperties : public ::testing::Test {
protected:
    PortfolioProperties() : table_(default_table()) {
        for (const UnderlyingId u : {btc, eth}) {
            const double s = u == btc ? 60000 : 3000;
            instruments_.push_back(add_linear(table_, u, s));
            for (const double k : {0.8, 0.9, 1.0, 1.1, 1.25}) {
                for (const OptionType t : {OptionType::call, OptionType::put}) {
                    instruments_.push_back(add_option(table_, u, t, k * s,
                                                      {.underlying_price = s, .implied_vol = 0.65,
                                                       .years_to_expiry = 30.0 / 365.0},
                                                      k < 1.0 ? InstrumentKind::futures_option
                                                              : InstrumentKind::spot_option));
                }
            }
        }
    }

    std::vector<PortfolioPosition> random_book(std::mt19937& rng, bool long_options_only) {
        std::uniform_int_distribution<std::size_t> pick(0, instruments_.size() - 1);
        std::uniform_real_distribution<double> qty(-5, 5);
        std::vector<PortfolioPosition> book;
        for (int i = 0; i < 8; ++i) {
            const InstrumentId id = instruments_[pick(rng)];
            if (long_options_only && !is_option(table_.spec(id).kind)) {
                continue;
            }
            const double q = qty(rng);
            book.push_back({id, long_options_only ? std::fabs(q) : q});
        }
        return book;
    }

    RiskArrayTable table_;
    std::vector<InstrumentId> instruments_;
    PortfolioMarginCalculator calc_ =
        calculator({.offsets = {{btc, eth, 0.7}}, .short_option_minimum_fraction = 0.05,
                    .gamma_extra_move_fraction = 0.1, .vega_extra_vol_shift = 0.05});
};

TEST_F(PortfolioProperties, RequirementIsNeverNegative) {
    std::mt19937 rng(7);
    for (int i = 0; i < 500; ++i) {
        const auto book = random_book(rng, false);
        EXPECT_GE(calc_.requirement(book, table_).value().requirement_usd, 0.0);
    }
}

TEST_F(PortfolioProperties, AddingAPerfectHedgeNeverIncreasesTheRequirement) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> fraction(0, 1);
    for (int i = 0; i < 500; ++i) {
        std::vector<PortfolioPosition> book = random_book(rng, false);
        const double before = calc_.requirement(book, table_).value().requirement_usd;
        // Hedge a fraction of the book with its exact opposite.
        const double lambda = fraction(rng);
        const std::size_t n = book.size();
        for (std::size_t j = 0; j < n; ++j) {
            book.push_back({book[j].instrument, -lambda * book[j].quantity});
        }
        const double after = calc_.requirement(book, table_).value().requirement_usd;
        EXPECT_LE(after, before * (1 + 1e-12) + 1e-9) << "book " << i << " lambda " << lambda;
        EXPECT_NEAR(after, (1 - lambda) * before, 1e-6 * (1 + before));
    }
}

TEST_F(PortfolioProperties, LongOptionRequirementIsBoundedByPremium) {
    std::mt19937 rng(13);
    for (int i = 0; i < 500; ++i) {
        const auto book = random_book(rng, true);
        const auto r = calc_.requirement(book, table_).value();
        double premium = 0;
        for (const auto& u : r.underlyings) {
            premium += u.value_usd;
        }
        EXPECT_LE(r.requirement_usd, premium + 1e-9);
    }
}

TEST(PortfolioMargin, DistanceToLiquidationIsSolvedNumerically) {
    // 300 USD cash, short 10 ATM calls (S = K = 100, 20 % vol, 1 year):
    // equity = 300 - 10 x 10.4506 = 195.49; requirement = worst scan loss.
    // health(m) = equity(m) / requirement(m) after moving spot by m and
    // rebuilding the risk array, as a price update would.
    auto health_at = [](double m) {
        RiskArrayTable table = default_table();
        InstrumentMarket market = atm_100;
        market.underlying_price *= 1 + m;
        const InstrumentId call = add_option(table, btc, OptionType::call, 100, market);
        const std::vector<PortfolioPosition> book{{call, -10}};
        const auto r = calculator().requirement(book, table).value();
        const double equity = 300 + r.underlyings[0].value_usd;
        return margin_health(equity, r.requirement_usd);
    };
    EXPECT_GT(health_at(0), 1.0);
    const auto up = solve_move_to_liquidation(health_at, 1.0, 1e-10);
    ASSERT_TRUE(up.has_value());
    EXPECT_GT(*up, 0.0);
    // Regression values of this model: health 1.3585 today (requirement ~143.9),
    // liquidatable once spot rises 5.548 % to about 105.55.
    EXPECT_NEAR(health_at(0), 1.358465, 1e-6);
    EXPECT_NEAR(*up, 0.0554802, 1e-7);
    EXPECT_LT(health_at(*up), 1.0);
    EXPECT_GE(health_at(*up - 1e-8), 1.0);
    // Falling spot only helps a short call.
    EXPECT_FALSE(solve_move_to_liquidation(health_at, -0.5).has_value());
}

}  // namespace portfolio_margin_test
