#pragma once
// One protocol adapter on its own log follower, driven the way the keeper's
// round drives every adapter (open and sync, follow the head, refresh): for
// tests and benchmarks that look at one protocol's tracking alone.
#include <functional>
#include <string>

#include "keeper/daemon/protocol_follower.hpp"

namespace keeper::app {

template <class Adapter>
class FollowedAdapter {
public:
    using Notice = std::function<void(const std::string&)>;
    FollowedAdapter(chain::JsonRpcClient& client, Adapter& adapter, Notice notice, std::size_t reorg_window = 64)
        : adapter_(adapter), follower_(client, {&adapter}, std::move(notice), {}, reorg_window) {}

    Result<void> catch_up(const chain::BlockHeader& head) { return follower_.open(head); }
    // Follows to `head`; an adapter that could not apply its events is an error here.
    Result<chain::ChainUpdate> follow(const chain::BlockHeader& head) {
        auto followed = follower_.follow(head);
        if (!followed) return std::unexpected(followed.error());
        if (!followed->behind.empty()) return std::unexpected(followed->behind.begin()->second);
        return followed->update;
    }
    Result<void> refresh(const chain::BlockHeader& head) {
        auto refreshed = adapter_.refresh(head);
        follower_.refilter(head);
        return refreshed;
    }
    Adapter& adapter() { return adapter_; }
    const Adapter& adapter() const { return adapter_; }

private:
    Adapter& adapter_;
    ProtocolFollower follower_;
};

}  // namespace keeper::app
