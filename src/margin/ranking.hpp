#pragma once
// The accounts below the watch line (health < 1 + warning distance), kept as a
// dense member list with O(1) insert, update and remove, each member's health
// stored beside it so ranking scans one contiguous array: a bounded heap of
// the k lowest, O(members x log k), instead of sorting everyone every tick.
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

    // Returns true when membership changed; insert on a member updates its health.
    bool insert(std::uint32_t slot, float health);
    bool erase(std::uint32_t slot);
    // The member's new health; the slot must be a member.
    void set_health(std::uint32_t slot, float health) { member_health_[position_[slot]] = health; }
    bool contains(std::uint32_t slot) const { return slot < position_.size() && position_[slot] != absent; }
    void prefetch(std::uint32_t slot) const {
        if (slot < position_.size()) __builtin_prefetch(position_.data() + slot);
    }

    std::span<const std::uint32_t> members() const { return members_; }
    std::size_t size() const { return members_.size(); }

    // The k lowest-health members, lowest first; ties by slot so the order is reproducible.
    std::vector<RankedAccount> lowest(std::size_t k) const;

    std::size_t footprint_bytes() const {
        return position_.capacity() * sizeof(std::uint32_t) + members_.capacity() * sizeof(std::uint32_t) +
               member_health_.capacity() * sizeof(float);
    }

private:
    std::vector<std::uint32_t> members_;
    std::vector<float> member_health_;     // parallel to members_
    std::vector<std::uint32_t> position_;  // slot -> index in members_, or absent
};

}  // namespace keeper::margin
