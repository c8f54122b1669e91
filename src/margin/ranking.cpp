#include "margin/ranking.hpp"

#include <algorithm>

namespace keeper::margin {

bool CandidateSet::insert(std::uint32_t slot) {
    if (slot >= position_.size()) {
        position_.resize(slot + 1u, absent);
    }
    if (position_[slot] != absent) {
        return false;
    }
    position_[slot] = static_cast<std::uint32_t>(members_.size());
    members_.push_back(slot);
    return true;
}

bool CandidateSet::erase(std::uint32_t slot) {
    if (!contains(slot)) {
        return false;
    }
    const std::uint32_t at = position_[slot];
    const std::uint32_t last = members_.back();
    members_[at] = last;
    position_[last] = at;
    members_.pop_back();
    position_[slot] = absent;
    return true;
}

std::vector<RankedAccount> CandidateSet::lowest(std::size_t k, std::span<const float> health) const {
    std::vector<RankedAccount> ranked;
    ranked.reserve(members_.size());
    for (const std::uint32_t slot : members_) {
        ranked.push_back(RankedAccount{slot, health[slot]});
    }
    const auto riskier = [](const RankedAccount& a, const RankedAccount& b) {
        return a.health != b.health ? a.health < b.health : a.slot < b.slot;
    };
    const std::size_t n = std::min(k, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(), riskier);
    ranked.resize(n);
    return ranked;
}

}  // namespace keeper::margin
