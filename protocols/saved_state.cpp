#include "protocols/saved_state.hpp"

#include "keeper/state/state_store.hpp"
#include "protocols/block_header.hpp"

namespace keeper::protocols {

Result<void> check_start_block(std::uint64_t start_block, const chain::BlockHeader& head) {
    if (start_block > head.number)
        return fail("start_block " + std::to_string(start_block) + " is after the head block " +
                    std::to_string(head.number));
    return {};
}

Result<std::optional<chain::BlockRef>> restore_or_resync(const AdapterServices& services, const std::string& key,
                                                         std::uint64_t start_block, const chain::BlockHeader& head,
                                                         const SavedState& saved) {
    using Cursor = std::optional<chain::BlockRef>;
    if (auto checked = check_start_block(start_block, head); !checked) return std::unexpected(checked.error());
    state::StateStore* store = services.store;
    if (store == nullptr) return Cursor{};
    auto start = read_header_at(services.client, start_block);
    if (!start) return std::unexpected(context("reading start_block", start.error()));
    auto bound = store->bind_protocol({key, start_block, start->hash});
    if (!bound) return std::unexpected(bound.error());
    if (*bound == state::BindOutcome::discarded)
        services.info("saved state for " + key + " was for another chain or start block: discarded");
    auto loaded = saved.load(*store);
    if (!loaded) return std::unexpected(loaded.error());
    if (!*loaded) return Cursor{};
    const state::BlockCursor cursor = **loaded;
    // Saved rows count only while their cursor block is still canonical: a
    // reorg while we were stopped (or another chain at the same height) means
    // they may hold events that no longer happened.
    auto canonical = cursor.number <= head.number ? read_header_at(services.client, cursor.number)
                                                  : fail("beyond head");
    if (!canonical || canonical->hash != cursor.hash) {
        services.info("saved state for " + key + " ends at block " + std::to_string(cursor.number) +
                      " which is no longer canonical: re-syncing from start_block");
        if (auto reset = store->reset_protocol(key); !reset) return std::unexpected(reset.error());
        return Cursor{};
    }
    const std::string restored = saved.restore();
    services.info("resumed " + key + " from saved state at block " + std::to_string(cursor.number) + ": " + restored);
    return Cursor{chain::BlockRef{cursor.number, cursor.hash, canonical->parent_hash}};
}

}  // namespace keeper::protocols
