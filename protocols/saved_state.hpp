#pragma once
// Restart without re-sync (DESIGN.md "Interfaces": killed and started again
// on the same state directory, the keeper resumes without re-syncing from
// start_block). Every adapter's open() ends here: it binds the adapter's key
// to start_block and that block's hash, and resumes from the saved cursor
// while that block is still canonical. Anything else (no store: scan; nothing
// saved yet; a reorg while stopped took the cursor's block away) syncs from
// start_block, the last case after forgetting the saved rows.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "chain/block_tracker.hpp"
#include "core/result.hpp"
#include "keeper/state/state_store.hpp"
#include "keeper/state/state_types.hpp"
#include "protocols/protocol_adapter.hpp"

namespace keeper::protocols {

// One adapter's saved state, in two steps around the canonical-cursor check:
// `load` reads its rows from the store (keeping them) and returns their
// cursor, nullopt when nothing was synced yet; `restore` takes the loaded
// rows into the adapter and says what it took, for the log ("3 vaults").
struct SavedState {
    std::function<Result<std::optional<state::BlockCursor>>(state::StateStore&)> load;
    std::function<std::string()> restore;
};

// A start_block after the head is refused (a typo, or the wrong chain).
Result<void> check_start_block(std::uint64_t start_block, const chain::BlockHeader& head);

// The block an adapter's open() returns: the saved cursor's, or nullopt to
// sync from `start_block`. Refuses a start_block after the head.
Result<std::optional<chain::BlockRef>> restore_or_resync(const AdapterServices& services, const std::string& key,
                                                         std::uint64_t start_block, const chain::BlockHeader& head,
                                                         const SavedState& saved);

// The same for the usual shape: the store's loader of the adapter's rows
// (&StateStore::load_aave, whose result carries `cursor`) and what to do
// with them once they count.
template <class Rows>
Result<std::optional<chain::BlockRef>> restore_or_resync(
    const AdapterServices& services, const std::string& key, std::uint64_t start_block, const chain::BlockHeader& head,
    Result<Rows> (state::StateStore::*load)(std::string_view) const,
    const std::type_identity_t<std::function<std::string(const Rows&)>>& restore) {
    Rows loaded;
    auto load_rows = [&](state::StateStore& store) -> Result<std::optional<state::BlockCursor>> {
        auto rows = (store.*load)(key);
        if (!rows) return std::unexpected(rows.error());
        loaded = std::move(*rows);
        return loaded.cursor;
    };
    return restore_or_resync(services, key, start_block, head, SavedState{load_rows, [&] { return restore(loaded); }});
}

}  // namespace keeper::protocols
