#pragma once
// The risk order an incremental round keeps (riskiest first), updated with
// what the round judged: the engines of `run` (Morpho Blue, Aave V3) share it.
//
// Carried entries are never read: entries judged or erased this round are
// taken out by address (a 64k-bit filter before the hash lookup), and the
// judged go in by binary search. At 1M positions, reading each carried entry
// (a cache miss per map node, then a U256 compare) was most of the round.
#include <algorithm>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace keeper::protocols {

// `order` sorted by `riskier` (a strict order: distinct entries never tie);
// `judged` this round's entries, with their new judgements, duplicates
// allowed; `erased` entries dropped this round, whose addresses must not be
// read. Afterwards `order` holds every entry of either that is not erased,
// sorted.
template <class Entry, class Riskier>
void merge_judged_into(std::vector<const Entry*>& order, std::vector<const Entry*> judged,
                       const std::unordered_set<const Entry*>& erased, Riskier riskier) {
    std::sort(judged.begin(), judged.end(), riskier);
    judged.erase(std::unique(judged.begin(), judged.end()), judged.end());
    const std::unordered_set<const Entry*> now(judged.begin(), judged.end());
    std::vector<std::uint64_t> maybe_now(1024, 0);
    const auto bit = [](const Entry* entry) { return (reinterpret_cast<std::uintptr_t>(entry) >> 4) & 0xffffu; };
    for (const Entry* entry : judged) maybe_now[bit(entry) >> 6] |= std::uint64_t{1} << (bit(entry) & 63u);
    const auto taken_out = [&](const Entry* entry) {
        const auto b = bit(entry);
        if ((maybe_now[b >> 6] >> (b & 63u) & 1u) != 0 && now.contains(entry)) return true;
        return !erased.empty() && erased.contains(entry);
    };
    std::vector<const Entry*> carried;
    carried.reserve(order.size());
    for (const Entry* entry : order)
        if (!taken_out(entry)) carried.push_back(entry);
    order.clear();
    order.reserve(carried.size() + judged.size());
    auto from = carried.begin();
    for (const Entry* entry : judged) {  // each before the first carried entry it is riskier than
        const auto at = std::upper_bound(from, carried.end(), entry, riskier);
        order.insert(order.end(), from, at);
        order.push_back(entry);
        from = at;
    }
    order.insert(order.end(), from, carried.end());
}

}  // namespace keeper::protocols
