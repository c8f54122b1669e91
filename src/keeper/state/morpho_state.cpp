// StateStore: the Morpho Blue markets, positions and sync cursor of one protocol key.
#include "keeper/state/state_store.hpp"

#include "keeper/state/protocol_cursor.hpp"

namespace keeper::state {
namespace {

bool is_empty(const morpho::Position& p) {
    return p.supply_shares.is_zero() && p.borrow_shares.is_zero() && p.collateral.is_zero();
}

Result<MorphoMarketRow> read_market(const sqlite::Statement& st) {
    MorphoMarketRow row;
    auto id = st.fixed<Bytes32>(0);
    if (!id) return std::unexpected(id.error());
    row.id = *id;
    Address* addresses[] = {&row.params.loan_token, &row.params.collateral_token, &row.params.oracle,
                            &row.params.irm};
    for (int i = 0; i < 4; ++i) {
        auto address = st.fixed<Address>(1 + i);
        if (!address) return std::unexpected(address.error());
        *addresses[i] = *address;
    }
    auto lltv = st.u256(5);
    if (!lltv) return std::unexpected(lltv.error());
    row.params.lltv_wad = *lltv;
    return row;
}

Result<MorphoPositionRow> read_position(const sqlite::Statement& st) {
    MorphoPositionRow row;
    auto market = st.fixed<Bytes32>(0);
    if (!market) return std::unexpected(market.error());
    row.market = *market;
    auto account = st.fixed<Address>(1);
    if (!account) return std::unexpected(account.error());
    row.account = *account;
    U256* amounts[] = {&row.position.supply_shares, &row.position.borrow_shares, &row.position.collateral};
    for (int i = 0; i < 3; ++i) {
        auto amount = st.u256(2 + i);
        if (!amount) return std::unexpected(amount.error());
        *amounts[i] = *amount;
    }
    return row;
}

}  // namespace

Result<MorphoSnapshot> StateStore::load_morpho(std::string_view protocol_key) const {
    auto where = [&](const Error& e) { return std::unexpected(context("load_morpho " + std::string(protocol_key), e)); };
    // One read transaction: the cursor and the rows come from the same commit
    // even while another process is writing.
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::deferred);
    if (!tx) return where(tx.error());

    MorphoSnapshot snapshot;
    auto cursor = protocol_cursor::read(db_, protocol_key);
    if (!cursor) return where(cursor.error());
    snapshot.cursor = *cursor;

    auto markets = protocol_cursor::read_all<MorphoMarketRow>(
        db_,
        "SELECT id, loan_token, collateral_token, oracle, irm, lltv_wad FROM morpho_markets "
        "WHERE protocol = ? ORDER BY id",
        protocol_key, read_market);
    if (!markets) return where(markets.error());
    snapshot.markets = std::move(*markets);

    auto positions = protocol_cursor::read_all<MorphoPositionRow>(
        db_,
        "SELECT market, account, supply_shares, borrow_shares, collateral FROM morpho_positions "
        "WHERE protocol = ? ORDER BY market, account",
        protocol_key, read_position);
    if (!positions) return where(positions.error());
    snapshot.positions = std::move(*positions);

    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return snapshot;
}

Result<void> StateStore::commit_morpho(std::string_view protocol_key, const BlockCursor& cursor,
                                       std::span<const MorphoMarketRow> markets,
                                       std::span<const MorphoPositionRow> positions) {
    auto where = [&](const Error& e) {
        return std::unexpected(context("commit_morpho " + std::string(protocol_key), e));
    };
    auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Kind::immediate);
    if (!tx) return where(tx.error());

    if (auto bound = protocol_cursor::require_bound(db_, protocol_key); !bound) return where(bound.error());

    auto upsert_market = db_.prepare(
        "INSERT INTO morpho_markets (protocol, id, loan_token, collateral_token, oracle, irm, lltv_wad) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (protocol, id) DO UPDATE SET "
        "loan_token = excluded.loan_token, collateral_token = excluded.collateral_token, "
        "oracle = excluded.oracle, irm = excluded.irm, lltv_wad = excluded.lltv_wad");
    if (!upsert_market) return where(upsert_market.error());
    for (const auto& m : markets) {
        const auto& p = m.params;
        auto bound = upsert_market->bind(protocol_key, m.id, p.loan_token, p.collateral_token, p.oracle, p.irm,
                                         p.lltv_wad);
        if (!bound) return where(bound.error());
        if (auto ran = upsert_market->run(); !ran) return where(context("market " + m.id.hex(), ran.error()));
    }

    auto upsert_position = db_.prepare(
        "INSERT INTO morpho_positions (protocol, market, account, supply_shares, borrow_shares, collateral) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (protocol, market, account) DO UPDATE SET "
        "supply_shares = excluded.supply_shares, borrow_shares = excluded.borrow_shares, "
        "collateral = excluded.collateral");
    if (!upsert_position) return where(upsert_position.error());
    auto delete_position =
        db_.prepare("DELETE FROM morpho_positions WHERE protocol = ? AND market = ? AND account = ?");
    if (!delete_position) return where(delete_position.error());
    for (const auto& row : positions) {
        const auto& p = row.position;
        // A closed position is not kept as a row of zeros: the store holds
        // exactly the accounts that have something in a market.
        auto& st = is_empty(p) ? *delete_position : *upsert_position;
        auto bound = is_empty(p) ? st.bind(protocol_key, row.market, row.account)
                                 : st.bind(protocol_key, row.market, row.account, p.supply_shares,
                                           p.borrow_shares, p.collateral);
        if (!bound) return where(bound.error());
        if (auto ran = st.run(); !ran)
            return where(context("position " + row.market.hex() + "/" + row.account.hex(), ran.error()));
    }

    // Last, so a failure anywhere above (or here) leaves the old cursor with the old rows.
    if (auto written = protocol_cursor::write(db_, protocol_key, cursor); !written) return where(written.error());
    if (auto committed = tx->commit(); !committed) return where(committed.error());
    return {};
}

}  // namespace keeper::state
