#include "margin/ranking.hpp"

#include <algorithm>

namespace keeper::margin {

bool CandidateSet::insert(std::uint32_t slot, float health) {
    if (slot >= position_.size()) {
        position_.resize(slot + 1u, absent);
    }
    if (position_[slot] != absent) {
        member_health_[position_[slot]] = health;
        return false;
    }
    position_[slot] = static_cast<std::uint32_t>(members_.size());
    members_.push_back(slot);
    member_health_.push_back(health);
    return true;
}

bool CandidateSet::erase(std::uint32_t slot) {
    if (!contains(slot)) {
        return false;
    }
    const std::uint32_t at = position_[slot];
    const std::uint32_t last = members_.back();
    members_[at] = last;
    member_health_[at] = member_health_.back();
    position_[last] = at;
    members_.pop_back();
    member_health_.pop_back();
    position_[slot] = absent;
    return true;
}

std::vector<RankedAccount> CandidateSet::lowest(std::size_t k) const {
    const auto riskier = [](const RankedAccount& a, const RankedAccount& b) {
        return a.health != b.health ? a.health < b.health : a.slot < b.slot;
    };
    // Max-heap (by riskier) of the k lowest seen so far: its top is the
    // healthiest kept, which most members fail to beat.
    std::vector<RankedAccount> heap;
    if (k == 0) {
        return heap;
    }
    heap.reserve(std::min(k, members_.size()));
    for (std::size_t i = 0; i < members_.size(); ++i) {
        const RankedAccount candidate{members_[i], member_health_[i]};
        if (heap.size() < k) {
            heap.push_back(candidate);
            std::push_heap(heap.begin(), heap.end(), riskier);
        } else if (riskier(candidate, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), riskier);
            heap.back() = candidate;
            std::push_heap(heap.begin(), heap.end(), riskier);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), riskier);
    return heap;
}

}  // namespace keeper::margin
