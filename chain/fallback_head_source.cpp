#include "chain/fallback_head_source.hpp"

#include <algorithm>
#include <utility>

namespace keeper::chain {

FallbackHeadSource::FallbackHeadSource(std::unique_ptr<HeadSourceThread> websocket, std::unique_ptr<HeadSource> polling,
                                       std::chrono::milliseconds check_interval, Note note, Clock now)
    : websocket_(std::move(websocket)),
      polling_source_(std::move(polling)),
      check_interval_(std::max(check_interval, std::chrono::milliseconds(1))),
      note_(std::move(note)),
      now_(now ? std::move(now) : Clock([] { return std::chrono::steady_clock::now(); })) {}

FallbackHeadSource::~FallbackHeadSource() { websocket_->stop(); }

std::optional<BlockHeader> FallbackHeadSource::fresh(BlockHeader head) {
    if (last_hash_ && *last_hash_ == head.hash) return std::nullopt;
    last_hash_ = head.hash;
    return head;
}

void FallbackHeadSource::tell_switches(bool live) {
    polling_now_ = !live;
    // Connecting (no verdict yet) is not news; each change after it is.
    const std::string why = live ? std::string() : websocket_->last_error();
    const State state = live ? State::live : why.empty() ? state_ : State::down;
    if (state == state_) return;
    const bool first = state_ == State::connecting;
    state_ = state;
    told_quiet_ = false;
    http_first_in_a_row_ = 0;
    if (!note_) return;
    if (state == State::down) {
        note_(true, "websocket heads down (" + why + "): following the head by HTTP polling until it is back");
    } else {
        note_(false, first ? "websocket heads: subscribed" : "websocket heads back: following the head by websocket");
    }
}

Result<std::optional<BlockHeader>> FallbackHeadSource::poll(std::chrono::milliseconds timeout) {
    auto head = polling_source_->next_head(timeout);
    if (!head) return std::unexpected(head.error());
    if (!*head) return std::optional<BlockHeader>{};
    return fresh(std::move(**head));
}

Result<std::optional<BlockHeader>> FallbackHeadSource::next_head(std::chrono::milliseconds timeout) {
    if (!started_) {
        started_ = true;
        websocket_->start();
        next_check_ = now_();
    }
    const auto deadline = now_() + timeout;
    while (true) {
        const bool live = websocket_->live();
        tell_switches(live);
        while (auto head = websocket_->take()) {
            if (auto f = fresh(std::move(*head))) {
                http_first_in_a_row_ = 0;
                return f;
            }
        }
        const auto now = now_();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        if (!live) return poll(std::max(left, std::chrono::milliseconds(0)));

        if (now >= next_check_) {
            // Up but maybe stalled: the node's own answer decides.
            next_check_ = now + check_interval_;
            auto head = poll(std::chrono::milliseconds(0));
            if (!head) return head;
            if (*head) {
                // Once can be a race with the notification; twice in a row
                // is a socket that stopped delivering.
                if (++http_first_in_a_row_ >= 2 && !told_quiet_ && note_) {
                    note_(true, "websocket heads: blocks up to " + std::to_string((*head)->number) +
                                    " came by HTTP first, the websocket is connected but silent; HTTP is asked every " +
                                    std::to_string(check_interval_.count()) + " ms while it is");
                    told_quiet_ = true;
                }
                return head;
            }
        }
        if (left.count() <= 0) return std::optional<BlockHeader>{};
        const auto until_check = std::chrono::duration_cast<std::chrono::milliseconds>(next_check_ - now);
        websocket_->wait_for_head(std::clamp(std::min(left, until_check), std::chrono::milliseconds(1), left));
    }
}

}  // namespace keeper::chain
