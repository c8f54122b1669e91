#pragma once
// The accounts below the watch line (health < 1 + warning distance), kept as a
// dense member list with O(1) insert and remove, ranked on demand by a partial
// sort: a tick changes few members, while a full sort of everyone would cost
// every tick.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace keeper::margin {

struct RankedAccount {
    std::uint32_t slot = 0;
    float health = 0.0f;
};

class CandidateSet {
public:
    static constexpr std::uint32_t absent = 0xffffffffu;

    // Makes room for slots [0, slot_count).
    void resize(std::size_t slot_count) { position_.resize(slot_count, absent); }

    // Returns true when membership changed.
    bool insert(std::uint32_t slot);
    bool erase(std::uint32_t slot);
    bool contains(std::uint32_t slot) const { return slot < position_.size() && position_[slot] != absent; }

    std::span<const std::uint32_t> members() const { return members_; }
    std::size_t size() const { return members_.size(); }

    // The k lowest-health members, lowest first; ties by slot so the order is reproducible.
    std::vector<RankedAccount> lowest(std::size_t k, std::span<const float> health) const;

    std::size_t footprint_bytes() const {
        return position_.capacity() * sizeof(std::uint32_t) + members_.capacity() * sizeof(std::uint32_t);
    }

private:
    std::vector<std::uint32_t> members_;
    std::vector<std::uint32_t> position_;  // slot -> index in members_, or absent
};

}  // namespace keeper::margin
